from datetime import timedelta

from odoo import fields
from odoo.addons.bo_base.tests.common import QueryGrowthMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.account_move_duplicate import normalize_bill_reference
from .common_payment import BoSuppliersPaymentCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestDuplicateBills(QueryGrowthMixin, BoSuppliersPaymentCommon):
    def test_reference_normalisation(self):
        self.assertEqual(normalize_bill_reference("FT 2024/000123"), "ft2024123")
        self.assertEqual(normalize_bill_reference("ft-2024-123"), "ft2024123")
        self.assertEqual(normalize_bill_reference(" Ft.2024.0123 "), "ft2024123")
        self.assertNotEqual(normalize_bill_reference("FT 2024/1230"), "ft2024123")
        self.assertEqual(normalize_bill_reference("A-100"), "a100")

    def test_same_reference_other_spelling_is_refused_at_posting(self):
        first = self._bill("FT 2024/000123", 100.0)
        first.action_post()
        second = self._bill("ft-2024-123", 250.0)
        self.assertEqual(second.with_user(self.accountant).bo_duplicate_bill_ids, first)
        with self.assertRaisesRegex(UserError, "duplicates"):
            second.with_user(self.accountant).action_post()
        self.assertEqual(second.state, "draft")

    def test_manager_confirms_not_duplicate_and_it_is_logged(self):
        first = self._bill("FT-77", 100.0)
        first.action_post()
        second = self._bill("ft 0077", 300.0)
        with self.assertRaises(AccessError):
            second.with_user(self.clerk).action_bo_confirm_not_duplicate()
        with self.assertRaises(AccessError):
            second.with_user(self.accountant).action_bo_confirm_not_duplicate()
        second.with_user(self.manager).action_bo_confirm_not_duplicate()
        self.assertEqual(second.bo_not_duplicate_user_id, self.manager)
        self.assertIn(first.display_name, second.message_ids[0].body)
        second.with_user(self.accountant).action_post()
        self.assertEqual(second.state, "posted")

    def test_confirmation_does_not_cover_a_new_duplicate(self):
        first = self._bill("FT-80", 100.0)
        first.action_post()
        second = self._bill("FT80", 300.0)
        second.with_user(self.manager).action_bo_confirm_not_duplicate()
        third = self._bill("FT 080", 500.0)
        self.assertIn(first, third.bo_duplicate_bill_ids)
        with self.assertRaises(UserError):
            second.with_user(self.accountant).action_post()

    def test_duplicates_posted_together_are_refused(self):
        first = self._bill("FT-300", 100.0)
        second = self._bill("FT 0300", 200.0)
        with self.assertRaises(UserError):
            (first | second).with_user(self.accountant).action_post()

    def test_same_amount_within_days_is_flagged(self):
        today = fields.Date.today()
        first = self._bill("A-1", 1234.5, invoice_date=today)
        first.action_post()
        near = self._bill("B-2", 1234.5, invoice_date=today + timedelta(days=3))
        self.assertEqual(near.bo_duplicate_bill_ids, first)
        far = self._bill("C-3", 1234.5, invoice_date=today + timedelta(days=9))
        self.assertFalse(far.bo_duplicate_bill_ids)
        other_amount = self._bill("D-4", 1234.0, invoice_date=today)
        self.assertFalse(other_amount.bo_duplicate_bill_ids)

    def test_same_file_is_flagged(self):
        first = self._bill("X-1", 10.0)
        self._attach(first)
        first.action_post()
        second = self._bill("Y-2", 20.0)
        self.assertFalse(second.bo_duplicate_bill_ids)
        self._attach(second)
        second.invalidate_recordset(["bo_duplicate_bill_ids"])
        self.assertEqual(second.bo_duplicate_bill_ids, first)
        other = self._bill("Z-3", 30.0)
        self._attach(other, b"%PDF-1.4 altra fattura")
        other.invalidate_recordset(["bo_duplicate_bill_ids"])
        self.assertFalse(other.bo_duplicate_bill_ids)

    def test_legitimate_credit_note_and_second_bill_are_not_flagged(self):
        order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(order, {order.order_line: 10})

        first = self._bill_from_order(order, edit=self._first_line(quantity=6), ref="FT-501")
        first.with_user(self.accountant).action_post()
        second = self._bill_from_order(order, edit=self._first_line(quantity=4), ref="FT-502")
        self.assertFalse(second.bo_duplicate_bill_ids)
        second.with_user(self.accountant).action_post()
        reversal = Form(
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=first.ids)
        )
        reversal.reason = "Reso merce"
        action = reversal.save().refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertFalse(credit_note.bo_duplicate_bill_ids)
        credit_note.with_user(self.accountant).action_post()

    def test_checks_off_for_companies_that_do_not_enable_them(self):
        self.company.bo_duplicate_bill_check = False
        self._bill("FT-9", 100.0).action_post()
        second = self._bill("FT-9", 100.0)
        self.assertFalse(second.bo_duplicate_bill_ids)
        second.action_post()
        self.assertEqual(second.state, "posted")

    def test_duplicate_search_is_batched(self):
        """About as many queries for eight bills as for one: no search per bill."""
        bills = self.env["account.move"]
        for number in range(8):
            bills |= self._bill(f"N-{number}", 100.0 + number)
        self._attach(bills[0])

        # prefetching may differ by a query or two, a search per bill adds seven
        self.assertQueriesDoNotGrow(
            lambda records: records.mapped("bo_duplicate_bill_ids"),
            bills[0],
            bills,
            warm_up=bills,
            slack=2,
        )
