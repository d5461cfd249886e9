from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    bo_agreement_count = fields.Integer(
        string="Agreements",
        compute="_compute_bo_agreement_count",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_bo_agreement_count(self):
        # the reader's own rights: salespeople read the agreements of their companies
        groups = self.env["bo.sale.agreement"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.bo_agreement_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_bo_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("bo_orders.action_bo_sale_agreement")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action
