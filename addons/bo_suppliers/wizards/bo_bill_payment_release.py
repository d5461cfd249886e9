from odoo import fields, models
from odoo.exceptions import UserError


class BoBillPaymentRelease(models.TransientModel):
    _name = "bo.bill.payment.release"
    _description = "Release a Vendor Bill for Payment"

    move_ids = fields.Many2many(
        "account.move",
        string="Bills",
        required=True,
        domain=[("move_type", "=", "in_invoice")],
    )
    reason = fields.Text(
        required=True,
        help="Why the bills may be paid although they do not match their purchase "
        "orders and receipts. It is kept in each bill's chatter.",
    )

    def action_release(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for releasing the bills."))
        self.move_ids._bo_release_payment(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
