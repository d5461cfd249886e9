from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A paid quotation blocked by the back-office checks is kept for the
        order desk, with the payment linked, instead of failing the payment's
        post-processing (which would retry for ever) or telling the customer why.
        """
        confirmed = super(
            PaymentTransaction, self.with_context(bo_hold_if_blocked=True)
        )._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
