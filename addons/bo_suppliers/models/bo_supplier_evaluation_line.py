from odoo import api, fields, models
from odoo.exceptions import UserError

CRITERIA = [
    ("on_time", "On-Time Receipts"),
    ("quantity", "Quantity Accuracy"),
    ("quality", "Quality (Returns)"),
    ("price", "Price Adherence"),
    ("responsiveness", "Responsiveness"),
    ("certificates", "Valid Certificates"),
]


class BoSupplierEvaluationLine(models.Model):
    """How one criterion of an evaluation was computed, and from which documents.

    Every field is guarded: only the evaluation's computation writes them.
    """

    _name = "bo.supplier.evaluation.line"
    _description = "Supplier Evaluation Criterion"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "bo.supplier.evaluation",
        required=True,
        index=True,
        ondelete="cascade",
        bo_guarded=True,
    )
    sequence = fields.Integer(default=10, bo_guarded=True)
    criterion = fields.Selection(CRITERIA, required=True, bo_guarded=True)
    has_data = fields.Boolean(
        help="Without data in the period the criterion does not count in the score.",
        bo_guarded=True,
    )
    value = fields.Float(
        digits=(5, 1), help="0-100; empty when the criterion has no data.", bo_guarded=True
    )
    numerator = fields.Float(digits=(16, 2), bo_guarded=True)
    denominator = fields.Float(digits=(16, 2), bo_guarded=True)
    figure = fields.Char(
        help="The figure in words, e.g. '8 of 10 receipt lines on time'.", bo_guarded=True
    )
    explanation = fields.Text(
        help="How the value was computed and from which documents.", bo_guarded=True
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Receipts and Returns",
        groups="stock.group_stock_user,purchase.group_purchase_user",
        bo_guarded=True,
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Bills",
        groups="account.group_account_invoice,purchase.group_purchase_user",
        bo_guarded=True,
    )
    order_ids = fields.Many2many(
        "purchase.order",
        string="Orders",
        groups="purchase.group_purchase_user",
        bo_guarded=True,
    )

    def copy(self, default=None):
        if self:
            raise UserError(self.env._("Evaluation figures are computed, never copied."))
        return super().copy(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_when_recomputed(self):
        # the computation deletes the criteria it computes again
        if self._bo_guard_ungranted({"evaluation_id"}):
            raise UserError(self.env._("Evaluation figures cannot be deleted."))
