from odoo import fields, models
from odoo.exceptions import UserError

from ..models.bo_supplier_qualification import BLOCKING_STATES


class BoPurchaseSupplierOverride(models.TransientModel):
    _name = "bo.purchase.supplier.override"
    _description = "Override Supplier Block on a Purchase Order"

    order_id = fields.Many2one("purchase.order", required=True, ondelete="cascade")
    supplier_state = fields.Selection(related="order_id.bo_supplier_state")
    supplier_class = fields.Selection(related="order_id.bo_supplier_class")
    reason = fields.Text(required=True)

    def action_override(self):
        """A named Back Office manager's override of this order's supplier block
        (``bo.override.mixin`` checks who decides and asks for the reason)."""
        self.ensure_one()
        order = self.order_id
        order._bo_override_check_decider()
        order.check_access("write")
        if order.state not in ("draft", "sent", "to approve"):
            raise UserError(self.env._("Only requests for quotation can be released."))
        if order.bo_supplier_state not in BLOCKING_STATES and not order._bo_class_c_blocked():
            raise UserError(
                self.env._(
                    "The supplier of this order is not suspended or blocked, nor a class C "
                    "supplier blocked by the company's policy."
                )
            )
        order._bo_set_supplier_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
