from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_payment import BoSuppliersPaymentCommon


@tagged("post_install", "-at_install")
class TestThreeWayMatch(BoSuppliersPaymentCommon):
    def test_bill_matching_order_and_receipt_is_payable(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 10})
        bill = self._bill_from_order(order)
        bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.bo_match_state, "matched")
        self.assertFalse(bill.bo_payment_blocked)
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_price_over_tolerance_blocks_with_reason(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 10})

        bill = self._bill_from_order(order, edit=self._first_line(price_unit=45.0))
        self.assertEqual(bill.bo_match_state, "mismatch")
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("unit price", bill.bo_match_reasons)
        self.assertIn(order.name, bill.bo_match_reasons)

        with_tolerance = self._bill_from_order(
            self._receive_order_of([(self.product, 10, 40.0)], 10),
            edit=self._first_line(price_unit=40.5),
        )
        self.assertEqual(with_tolerance.bo_match_state, "matched")

    def _receive_order_of(self, lines, qty):
        order = self._confirmed_order(lines)
        self._receive(order, dict.fromkeys(order.order_line, qty))
        return order

    def test_supplier_tolerance_overrides_company(self):
        self.supplier.write(
            {"bo_match_tolerance_custom": True, "bo_match_price_tolerance_pct": 20.0}
        )
        order = self._receive_order_of([(self.product, 10, 40.0)], 10)

        bill = self._bill_from_order(order, edit=self._first_line(price_unit=45.0))
        self.assertEqual(bill.bo_match_state, "matched")

    def test_clerk_cannot_loosen_supplier_tolerances(self):
        for user in (self.clerk, self.purchase_user, self.accountant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.supplier.with_user(user).write(
                    {"bo_match_tolerance_custom": True, "bo_match_price_tolerance_pct": 50.0}
                )
        self.supplier.with_user(self.manager).write({"bo_match_price_tolerance_pct": 5.0})
        self.assertEqual(self.supplier.bo_match_price_tolerance_pct, 5.0)

    def test_billing_more_than_received_blocks(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 6})

        bill = self._bill_from_order(order, edit=self._first_line(quantity=10))
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("6.0 received", bill.bo_match_reasons)
        bill.with_user(self.accountant).action_post()
        activity = bill.activity_ids
        self.assertEqual(len(activity), 1, "the buyer gets an activity for the bill to check")
        self.assertEqual(activity.user_id, order.user_id or self.accountant)
        queue_action = self.env.ref("bo_suppliers.action_bo_bills_to_check")
        queue = (
            self.env["account.move"].with_user(self.clerk).search(safe_eval(queue_action.domain))
        )
        self.assertIn(bill, queue)

    def test_receipt_after_bill_clears_match_when_checked_again(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 6})

        bill = self._bill_from_order(order, edit=self._first_line(quantity=10))
        self.assertTrue(bill.bo_payment_blocked)
        self._receive(order, {order.order_line: 4})
        bill.with_user(self.clerk).action_bo_check_match()
        self.assertFalse(bill.bo_payment_blocked)

    def test_several_lines_of_one_product_match_their_own_order_line(self):
        order = self._confirmed_order([(self.product, 5, 40.0), (self.product, 5, 50.0)])
        self._receive(order, dict.fromkeys(order.order_line, 5))
        bill = self._bill_from_order(order)
        self.assertEqual(len(bill.invoice_line_ids), 2)
        self.assertEqual(bill.bo_match_state, "matched")

        # the line of the 40.00 order line billed at 50.00: the other line of
        # the same product at 50.00 does not cover it
        order2 = self._receive_order_of([(self.product, 5, 40.0), (self.product, 5, 50.0)], 5)
        bill2 = self._bill_from_order(order2, edit=self._first_line(price_unit=50.0))
        self.assertEqual(bill2.bo_match_state, "mismatch")

    def test_two_bills_for_one_order_count_posted_quantities(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 10})

        first = self._bill_from_order(order, edit=self._first_line(quantity=6), ref="FT-1")
        first.with_user(self.accountant).action_post()
        second = self._bill_from_order(order, edit=self._first_line(quantity=4), ref="FT-2")
        self.assertEqual(second.bo_match_state, "matched")
        second.with_user(self.accountant).action_post()
        # a draft bill does not count; the posted ones do
        third = self._bill_from_order(order, edit=self._first_line(quantity=1), ref="FT-3")
        self.assertEqual(third.bo_match_state, "mismatch")
        self.assertIn("11.0 billed", third.bo_match_reasons)

    def test_checks_off_for_companies_that_do_not_enable_them(self):
        self.company.bo_three_way_match = False
        order = self._confirmed_order([(self.product, 10, 40.0)])

        bill = self._bill_from_order(order, edit=self._first_line(quantity=10, price_unit=90.0))
        bill.with_user(self.accountant).action_post()
        self.assertFalse(bill.bo_match_state)
        self.assertFalse(bill.bo_payment_blocked)
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
