from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_payment import BoSuppliersPaymentCommon


@tagged("post_install", "-at_install")
class TestPaymentBlock(BoSuppliersPaymentCommon):
    def setUp(self):
        super().setUp()
        self.order = self._confirmed_order([(self.product, 10, 40.0)])
        self._receive(self.order, {self.order.order_line: 10})

        self.bill = self._bill_from_order(
            self.order, edit=self._first_line(price_unit=48.0), ref="FT-BLOCK"
        )
        self.bill.with_user(self.accountant).action_post()
        self.assertTrue(self.bill.bo_payment_blocked)

    def _credit_note(self, amount):
        credit_note = self._bill("NC-1", amount, move_type="in_refund")
        credit_note.action_post()
        return credit_note

    # -- the paths to a payment ------------------------------------------

    def test_register_payment_from_bill_refused(self):
        with self.assertRaisesRegex(UserError, "Back Office manager"):
            self._pay(self.bill)
        self.assertEqual(self.bill.payment_state, "not_paid")

    def test_register_payment_from_list_refused_for_whole_batch(self):
        order = self._confirmed_order([(self.product_b, 5, 10.0)])
        self._receive(order, {order.order_line: 5})
        good = self._bill_from_order(order, ref="FT-GOOD")
        good.with_user(self.accountant).action_post()
        self.assertFalse(good.bo_payment_blocked)
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=(good | self.bill).ids)
            .create({})
        )
        self.assertEqual(wizard.bo_blocked_bill_ids, self.bill)
        with self.assertRaisesRegex(UserError, self.bill.name):
            wizard.action_create_payments()
        self.assertEqual(good.payment_state, "not_paid")

    def test_payment_linked_to_blocked_bill_refused(self):
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        with self.assertRaises(UserError):
            self.env["account.payment"].with_user(self.accountant).create(
                {
                    "payment_type": "outbound",
                    "partner_type": "supplier",
                    "partner_id": self.supplier.id,
                    "amount": self.bill.amount_total,
                    "journal_id": journal.id,
                    "invoice_ids": [Command.link(self.bill.id)],
                }
            )
        payment = (
            self.env["account.payment"]
            .with_user(self.accountant)
            .create(
                {
                    "payment_type": "outbound",
                    "partner_type": "supplier",
                    "partner_id": self.supplier.id,
                    "amount": self.bill.amount_total,
                    "journal_id": journal.id,
                }
            )
        )
        with self.assertRaises(UserError):
            payment.write({"invoice_ids": [Command.link(self.bill.id)]})
        with self.assertRaises(UserError):
            self.bill.with_user(self.accountant).write(
                {"matched_payment_ids": [Command.link(payment.id)]}
            )

    def test_outstanding_credit_and_manual_reconcile_refused(self):
        credit_note = self._credit_note(100.0)
        credit_line = credit_note.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable"
        )
        with self.assertRaisesRegex(UserError, "blocked for payment"):
            self.bill.with_user(self.accountant).js_assign_outstanding_line(credit_line.id)
        bill_line = self.bill.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable"
        )
        with self.assertRaises(UserError):
            (bill_line + credit_line).with_user(self.accountant).reconcile()
        self.assertEqual(self.bill.payment_state, "not_paid")

    def test_bill_cancelled_by_its_reversal_is_allowed(self):
        reversal = Form(
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=self.bill.ids)
        )
        reversal.reason = "Fattura errata"
        reversal.save().reverse_moves(is_modify=True)
        self.assertEqual(self.bill.payment_state, "reversed")

    # -- the block fields over RPC ---------------------------------------

    def test_rpc_writes_of_block_and_release_refused(self):
        for user in (self.accountant, self.clerk, self.manager):
            for vals in (
                {"bo_override_user_id": user.id, "bo_override_reason": "x"},
                {"bo_override_digest": self.bill._bo_override_fingerprint()},
                {"bo_payment_blocked": False},
                {"bo_match_state": "matched"},
                {"bo_not_duplicate_user_id": user.id},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    self.bill.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.accountant).create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.supplier.id,
                    "bo_override_user_id": self.accountant.id,
                }
            )
        copy = self.bill.with_user(self.accountant).copy()
        self.assertFalse(copy.bo_override_user_id)

    def test_attack_accountant_forges_the_release_context_then_pays(self):
        """The hole of issue #20: the release trusted a plain context value, so an
        accountant's RPC client wrote the release and then paid the bill."""
        forged_contexts = (
            {"bo_suppliers_privileged": True},
            {"bo_guard_grant": {"account.move": ["*"]}},
            {"bo_guard_grant": "Grant({'account.move': frozenset({'*'})})"},
        )
        release = {
            "bo_override_user_id": self.manager.id,
            "bo_override_reason": "Rilasciata da me",
            "bo_override_date": "2026-01-01 10:00:00",
            "bo_override_digest": self.bill._bo_override_fingerprint(),
        }
        bill = self.bill.with_user(self.accountant)
        for context in forged_contexts:
            with self.subTest(context=context):
                with self.assertRaises(AccessError):
                    bill.with_context(**context).write(release)
                with self.assertRaises(AccessError):
                    bill.with_context(**context)._bo_release_payment("Rilasciata da me")
                register = Form(
                    self.env["account.payment.register"]
                    .with_user(self.accountant)
                    .with_context(active_model="account.move", active_ids=self.bill.ids, **context)
                ).save()
                with self.assertRaisesRegex(UserError, "blocked for payment"):
                    register.action_create_payments()
        self.assertFalse(self.bill.bo_override_user_id)
        self.assertTrue(self.bill.bo_payment_blocked)
        self.assertEqual(self.bill.payment_state, "not_paid")

    # -- release ---------------------------------------------------------

    def test_clerk_and_accountant_cannot_release(self):
        for user in (self.clerk, self.accountant, self.purchase_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._release(self.bill, user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.bill.with_user(user)._bo_release_payment("mi serve")
        self.assertTrue(self.bill.bo_payment_blocked)

    def test_manager_release_allows_payment_and_is_tracked(self):
        # the bill is posted in an earlier transaction: records created in
        # the same transaction are not tracked
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._release(self.bill, reason="Aumento listino concordato")
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking is written at commit
        self.bill.invalidate_recordset(["message_ids"])
        self.assertFalse(self.bill.bo_payment_blocked)
        self.assertEqual(self.bill.bo_override_user_id, self.manager)
        bodies = " ".join(self.bill.message_ids.mapped("body"))
        self.assertIn("Aumento listino concordato", bodies)
        tracked = self.bill.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("bo_override_user_id", tracked)
        self._pay(self.bill)
        self.assertIn(self.bill.payment_state, ("paid", "in_payment"))

    def test_release_covers_bill_only_as_it_was(self):
        self._release(self.bill)
        self.assertFalse(self.bill.bo_payment_blocked)
        self.bill.with_user(self.accountant).button_draft()
        with (
            Form(self.bill.with_user(self.accountant)) as form,
            form.invoice_line_ids.edit(0) as line,
        ):
            line.price_unit = 60.0
        self.assertTrue(self.bill.bo_payment_blocked)
        self.bill.with_user(self.accountant).action_post()
        with self.assertRaises(UserError):
            self._pay(self.bill)

    # -- access to the release wizard ------------------------------------

    def test_release_wizard_access_matrix(self):
        wizard = self.env["bo.bill.payment.release"]
        self.assertTrue(wizard.with_user(self.manager).has_access("create"))
        for user in (
            self.clerk,
            self.accountant,
            self.purchase_user,
            self.internal_user,
            self.portal_user,
            self.other_clerk,
        ):
            with self.subTest(user=user.login):
                self.assertFalse(wizard.with_user(user).has_access("create"))
                self.assertFalse(wizard.with_user(user).has_access("read"))

    def test_other_company_manager_cannot_release(self):
        other_manager = self._other_company_manager()
        with self.assertRaises(AccessError):
            self.bill.with_user(other_manager)._bo_release_payment("altra azienda")
        self.assertTrue(self.bill.bo_payment_blocked)
