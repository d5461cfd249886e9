from odoo import api, fields, models


class SaleOrder(models.Model):
    """The claims of an order. In a file of its own (not sale_order.py) so
    the claims stay apart from the order desk's checks."""

    _inherit = "sale.order"

    bo_claim_count = fields.Integer(string="Claims", compute="_compute_bo_claim_count")

    @api.depends_context("uid")
    def _compute_bo_claim_count(self):
        # Counted with the reader's rights: none for those who may not read claims.
        Claim = self.env["bo.customer.claim"]
        counts = {}
        if Claim.has_access("read"):
            counts = dict(
                Claim._read_group(
                    [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
                )
            )
        for order in self:
            order.bo_claim_count = counts.get(order, 0)

    def action_view_bo_claims(self):
        self.ensure_one()
        return self.env["bo.customer.claim"]._action_for_domain(
            [("sale_order_id", "=", self.id)],
            {
                "default_sale_order_id": self.id,
                "default_partner_id": self.partner_id.commercial_partner_id.id,
            },
        )
