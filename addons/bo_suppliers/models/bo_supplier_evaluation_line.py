from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .bo_supplier_qualification import bo_is_privileged

CRITERIA = [
    ("on_time", "On-Time Receipts"),
    ("quantity", "Quantity Accuracy"),
    ("quality", "Quality (Returns)"),
    ("price", "Price Adherence"),
    ("responsiveness", "Responsiveness"),
    ("certificates", "Valid Certificates"),
]


class BoSupplierEvaluationLine(models.Model):
    """How one criterion of an evaluation was computed, and from which documents."""

    _name = "bo.supplier.evaluation.line"
    _description = "Supplier Evaluation Criterion"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "bo.supplier.evaluation", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    criterion = fields.Selection(CRITERIA, required=True)
    has_data = fields.Boolean(
        help="Without data in the period the criterion does not count in the score."
    )
    value = fields.Float(digits=(5, 1), help="0-100; empty when the criterion has no data.")
    numerator = fields.Float(digits=(16, 2))
    denominator = fields.Float(digits=(16, 2))
    figure = fields.Char(help="The figure in words, e.g. '8 of 10 receipt lines on time'.")
    explanation = fields.Text(help="How the value was computed and from which documents.")
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Receipts and Returns",
        groups="stock.group_stock_user,purchase.group_purchase_user",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Bills",
        groups="account.group_account_invoice,purchase.group_purchase_user",
    )
    order_ids = fields.Many2many(
        "purchase.order", string="Orders", groups="purchase.group_purchase_user"
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not bo_is_privileged(self.env):
            raise AccessError(self.env._("Evaluation figures are computed, never entered by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not bo_is_privileged(self.env):
            raise AccessError(self.env._("Evaluation figures cannot be changed by hand."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_when_recomputed(self):
        if not bo_is_privileged(self.env):
            raise UserError(self.env._("Evaluation figures cannot be deleted."))
