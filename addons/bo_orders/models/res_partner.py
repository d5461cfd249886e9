from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    bo_claim_count = fields.Integer(string="Claims", compute="_compute_bo_claim_count")

    @api.depends_context("uid")
    def _compute_bo_claim_count(self):
        # Computed for whoever reads the partner (a portal customer, a stock
        # user): the claims they may read are counted, none without access.
        Claim = self.env["bo.customer.claim"]
        counts = {}
        if Claim.has_access("read"):
            commercial = self.commercial_partner_id
            counts = dict(
                Claim._read_group(
                    [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.bo_claim_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_bo_claims(self):
        self.ensure_one()
        return self.env["bo.customer.claim"]._action_for_domain(
            [("partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.commercial_partner_id.id},
        )
