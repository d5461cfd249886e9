from odoo import models
from odoo.addons.bo_base.models import bo_guard


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A paid quotation blocked by the back-office checks is kept for the
        order desk, with the payment linked, instead of failing the payment's
        post-processing (which would retry for ever) or telling the customer why.

        The customer's payment confirms: it runs with the grant to hold the
        quotation for the desk (see ``sale.order._bo_holds_if_blocked``).
        """
        confirmed = super(
            PaymentTransaction, bo_guard.grant(self, "bo_held_for_desk", model="sale.order")
        )._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale").with_env(self.env)
