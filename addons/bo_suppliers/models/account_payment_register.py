from odoo import api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    bo_blocked_bill_ids = fields.Many2many(
        "account.move",
        string="Bills Blocked for Payment",
        compute="_compute_bo_blocked_bill_ids",
        compute_sudo=True,
    )
    bo_bank_change_warning = fields.Text(
        string="Bank Account Warning",
        compute="_compute_bo_bank_change_warning",
        compute_sudo=True,
    )

    @api.depends("line_ids")
    def _compute_bo_blocked_bill_ids(self):
        for wizard in self:
            wizard.bo_blocked_bill_ids = wizard.line_ids.move_id.filtered("bo_payment_blocked")

    @api.depends("line_ids", "partner_id")
    def _compute_bo_bank_change_warning(self):
        for wizard in self:
            bills = wizard.line_ids.move_id.filtered(lambda m: m.is_purchase_document(True))
            warnings = {
                partner._bo_bank_change_warning(bills.company_id[:1])
                for partner in bills.partner_id.commercial_partner_id
            } - {False}
            wizard.bo_bank_change_warning = "\n".join(sorted(warnings)) or False

    def _create_payments(self):
        # One refusal for the whole batch, before any payment is made.
        self.line_ids.move_id._bo_check_payment_allowed()
        return super()._create_payments()
