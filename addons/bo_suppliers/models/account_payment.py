from odoo import api, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        payments.invoice_ids._bo_check_payment_allowed()
        return payments

    def write(self, vals):
        res = super().write(vals)
        if "invoice_ids" in vals:
            self.invoice_ids._bo_check_payment_allowed()
        return res

    def action_post(self):
        # A payment linked to a bill pays it even without a journal entry.
        self.invoice_ids._bo_check_payment_allowed()
        return super().action_post()
