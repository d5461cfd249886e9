from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    # Shown in the offer comparison. Computed as superuser: the other offers of
    # the group need rights on purchase.order.group that only purchase users
    # hold. How an offer ranks against its competitors is for employees only:
    # a vendor reading its lines on the portal or over RPC never gets it.
    bo_lead_days = fields.Integer(
        string="Lead Time (Days)",
        compute="_compute_bo_offer_comparison",
        compute_sudo=True,
        help="Days from the order date to the planned delivery.",
    )
    bo_payment_term_id = fields.Many2one(related="order_id.payment_term_id", string="Payment Terms")
    bo_supplier_class = fields.Selection(
        related="order_id.bo_supplier_class", groups="base.group_user"
    )
    bo_offer_score = fields.Float(
        string="Offer Score",
        digits=(5, 1),
        compute="_compute_bo_offer_comparison",
        compute_sudo=True,
        groups="base.group_user",
        help="Weighted score of the whole offer among the requests of the same need.",
    )
    bo_offer_proposed = fields.Boolean(
        string="Proposed",
        compute="_compute_bo_offer_comparison",
        compute_sudo=True,
        groups="base.group_user",
        help="The offer has the best score of the open offers of the same need.",
    )

    def _compute_bo_offer_comparison(self):
        group_scores = {}
        for group in self.order_id.purchase_group_id:
            scores = group._bo_offer_scores()
            group_scores[group] = (scores, group._bo_proposed_offer(scores))
        for line in self:
            line.bo_lead_days = (
                max((line.date_planned - line.order_id.date_order).days, 0)
                if line.date_planned and line.order_id.date_order
                else 0
            )
            scores, proposed = group_scores.get(line.order_id.purchase_group_id, ({}, None))
            score = scores.get(line.order_id)
            line.bo_offer_score = score["score"] if score else 0.0
            line.bo_offer_proposed = bool(score) and line.order_id == proposed
