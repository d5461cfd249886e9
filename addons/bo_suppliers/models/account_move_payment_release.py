"""The payment block of a vendor bill that does not match its purchase order
and receipts, and a Back Office manager's release of it.

The release is the suite's manager override (``bo.override.mixin``): it
covers the bill exactly as the three-way match saw it when the manager
released it, and any change to what the match sees blocks the bill again.
Only a named Back Office manager releases, with a reason; every path to a
payment (the payment wizard, a payment linked to the bill, a reconciliation)
is refused while the bill is blocked.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .account_move import INTERNAL


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "bo.override.mixin"]

    bo_payment_blocked = fields.Boolean(
        string="Blocked for Payment",
        compute="_compute_bo_payment_blocked",
        store=True,
        copy=False,
        index=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="The bill does not match its purchase order and receipts, and no Back "
        "Office manager released it as it is.",
    )
    # The release: the override's fields, under the names the accountants know.
    bo_override_user_id = fields.Many2one(string="Payment Released By", groups=INTERNAL)
    bo_override_reason = fields.Text(string="Release Reason", groups=INTERNAL)
    bo_override_date = fields.Datetime(string="Released On", groups=INTERNAL)
    bo_override_digest = fields.Char(
        string="Release Fingerprint",
        groups=INTERNAL,
        help="The bill as the manager released it: the release covers it only while "
        "its lines and amounts are unchanged.",
    )

    def _bo_override_content(self):
        """What the three-way match sees of the bill: the supplier, the currency,
        the total and each line's order line, product, unit, quantity, price
        and discount. (The same content as the releases fingerprinted before
        19.0.1.1.0: they still cover their bills.)"""
        self.ensure_one()
        lines = sorted(
            (
                line._origin.id or 0,
                line.purchase_line_id.id or 0,
                line.product_id.id or 0,
                line.product_uom_id.id or 0,
                line.quantity,
                line.price_unit,
                line.discount,
            )
            for line in self.invoice_line_ids
        )
        return (self.partner_id.id, self.currency_id.id, self.amount_total, lines)

    @api.depends(
        "bo_match_state",
        "bo_override_user_id",
        "bo_override_digest",
        "partner_id",
        "currency_id",
        "amount_total",
        "invoice_line_ids.purchase_line_id",
        "invoice_line_ids.product_id",
        "invoice_line_ids.product_uom_id",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.discount",
    )
    def _compute_bo_payment_blocked(self):
        for move in self:
            move.bo_payment_blocked = bool(
                move.bo_match_state == "mismatch" and not move._bo_override_covers()
            )

    def action_bo_release_payment(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Payment"),
            "res_model": "bo.bill.payment.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _bo_release_payment(self, reason):
        """Release the bills as they are now, in the name of the current user (a
        named Back Office manager); only the release wizard calls this."""
        self._bo_override_set(
            reason, note=self.env._("Released for payment despite the three-way match:")
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def _bo_check_payment_allowed(self):
        """Refuse paying or reconciling blocked bills, saying why and who releases."""
        # sudo: the block is read whoever pays (accountants without the
        # internal field groups included); it only gates, it reveals its reasons
        # to those who may read the bill.
        blocked = self.sudo().filtered("bo_payment_blocked")
        if not blocked:
            return
        details = "\n\n".join(f"{move.display_name}:\n{move.bo_match_reasons}" for move in blocked)
        raise UserError(
            self.env._(
                "These bills are blocked for payment because they do not match their purchase "
                "orders and receipts:\n\n%(details)s\n\nCorrect the bills, or ask a Back Office "
                "manager to release them for payment with a reason.",
                details=details,
            )
        )

    def write(self, vals):
        if "matched_payment_ids" in vals:
            self._bo_check_payment_allowed()
        return super().write(vals)
