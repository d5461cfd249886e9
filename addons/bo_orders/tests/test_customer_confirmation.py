"""Customers confirming online (signature, payment) and everyone outside the
back office reading orders: blocked quotations wait for the desk, nothing
internal reaches the customer, nothing breaks for stock Odoo's users."""

import json

from odoo.addons.payment.tests.common import PaymentCommon
from odoo.tests import HttpCase, tagged

from .common import BoOrdersCommon

# A 1x1 PNG: the portal only takes an image as signature.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
INTERNAL_WORDS = ("Maximum discount", "30.0%", "credit limit", "margin", "back-office")


class CustomerCommon(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate("discount", severity="block", max_discount=20)
        cls.customer_user = cls._bo_user(
            "bo_customer_portal", "Ferramenta Rossi", "base.group_portal"
        )
        cls.customer_user.partner_id.parent_id = cls.customer

    def _blocked_quotation(self):
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        order.user_id = self.salesman
        return order

    def _assert_waits_for_the_desk(self, order):
        self.assertEqual(order.state, "draft", "the quotation is not confirmed")
        self.assertTrue(order.bo_held_for_desk)
        self.assertFalse(order.picking_ids, "nothing is shipped")
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertIn("blocked", activity.summary)
        self.assertIn("Maximum discount", str(activity.note), "the desk reads why")


@tagged("post_install", "-at_install")
class TestPortalSignature(CustomerCommon, HttpCase):
    def _sign(self, order):
        response = self.url_open(
            f"/my/orders/{order.id}/accept",
            data=json.dumps(
                {
                    "params": {
                        "access_token": order._portal_ensure_token(),
                        "name": "Mario Rossi",
                        "signature": SIGNATURE,
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_portal_signature_on_a_blocked_quotation_waits_for_the_desk(self):
        order = self._blocked_quotation()
        order.write({"require_signature": True, "require_payment": False})
        answer = self._sign(order)
        self.assertNotIn("error", answer.get("result", {}), answer)
        for word in INTERNAL_WORDS:
            self.assertNotIn(word, json.dumps(answer), "nothing internal reaches the customer")
        self._assert_waits_for_the_desk(order)
        self.assertEqual(order.signed_by, "Mario Rossi", "the signature is kept")
        self.assertEqual(order.bo_stage, "blocked")

    def test_released_quotation_signed_online_is_confirmed(self):
        order = self._blocked_quotation()
        order.write({"require_signature": True, "require_payment": False})
        wizard = (
            self.env["bo.order.check.override"]
            .with_user(self.manager)
            .create({"order_id": order.id, "reason": "Sconto approvato dalla direzione"})
        )
        wizard.action_override()
        self._sign(order)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.bo_held_for_desk)


@tagged("post_install", "-at_install")
class TestOnlinePayment(CustomerCommon, PaymentCommon):
    def test_paid_blocked_quotation_keeps_the_payment_and_waits_for_the_desk(self):
        order = self._blocked_quotation()
        tx = self._create_transaction(
            flow="redirect",
            sale_order_ids=[order.id],
            state="done",
            amount=order.amount_total,
            currency_id=order.currency_id.id,
            partner_id=self.customer.id,
            reference="BO-PAY-1",
        )
        tx._post_process()  # the payment's post-processing goes through, no retry
        self.assertEqual(tx.state, "done")
        self.assertEqual(order.sudo().transaction_ids, tx, "the payment stays linked")
        self._assert_waits_for_the_desk(order)
        # the desk releases it: the order confirms with its payment
        self.env["bo.order.check.override"].with_user(self.manager).create(
            {"order_id": order.id, "reason": "Pagato online, sconto approvato"}
        ).action_override()
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.bo_held_for_desk)


@tagged("post_install", "-at_install")
class TestEveryoneReadsOrders(BoOrdersCommon):
    def test_users_outside_the_back_office_read_an_order_whole(self):
        self._activate("discount", severity="block", max_discount=20)
        portal = self._bo_user("bo_portal_reader", "Cliente Portale", "base.group_portal")
        order = self._new_order(partner=portal.partner_id, lines=[(self.screws, 5, 30.0)])
        order.user_id = self.salesman
        order.message_subscribe(partner_ids=portal.partner_id.ids)
        readers = (self.salesman, self.stock_user, self.invoicing_user, portal)
        for user in readers:
            with self.subTest(user=user.login):
                values = order.with_user(user).read()[0]
                self.assertEqual(values["bo_check_state"], "blocked")
                self.assertEqual(values["bo_stage"], "blocked")
        values = order.with_user(portal).read()[0]
        for internal in ("bo_check_banner", "bo_override_reason", "bo_check_level"):
            self.assertNotIn(internal, values, "the desk's reasons are not the customer's")
        self.assertIn("30.0%", order.with_user(self.salesman).bo_check_banner)
        order.with_user(self.salesman).order_line[0].write({"discount": 10})
        self.assertEqual(order.bo_check_state, "passed")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        for user in readers:
            with self.subTest(user=user.login, confirmed=True):
                order.with_user(user).read()
        self.assertTrue(
            self.env["sale.order.line"]
            .with_user(self.invoicing_user)
            .search_read([("order_id", "=", order.id)], ["product_id"])
        )
