from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    bo_claim_count = fields.Integer(string="Claims", compute="_compute_bo_claim_count")

    @api.depends_context("uid")
    def _compute_bo_claim_count(self):
        # Counted with the reader's rights: none for those who may not read claims.
        Claim = self.env["bo.customer.claim"]
        counts = {}
        if Claim.has_access("read"):
            counts = dict(
                Claim._read_group(
                    [("product_id.product_tmpl_id", "in", self.ids)],
                    ["product_id.product_tmpl_id"],
                    ["__count"],
                )
            )
        for template in self:
            template.bo_claim_count = counts.get(template, 0)

    def action_view_bo_claims(self):
        self.ensure_one()
        return self.env["bo.customer.claim"]._action_for_domain(
            [("product_id.product_tmpl_id", "=", self.id)], {}
        )
