"""The credit limit is a rule over a total: it holds for several orders
confirmed in one call, for orders imported as confirmed, for a customer
whose exposure changed earlier in the same transaction, and for two clerks
confirming at the same moment."""

import psycopg2

from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import BoOrdersCommon

IMPORT_COLUMNS = [
    "partner_id/.id",
    "state",
    "order_line/product_id/.id",
    "order_line/product_uom_qty",
]


@tagged("post_install", "-at_install")
class TestCreditLimitOverTotal(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate("credit_limit", severity="block")
        # Odoo's own credit limits off: the check counts open orders anyway
        cls.company.account_use_credit_limit = False

    def _quotations(self, count=2, qty=4):
        return self.env["sale.order"].concat(
            *(self._new_order(lines=[(self.screws, qty, 0.0)]) for _i in range(count))
        )

    def _limit(self, amount):
        self.customer.with_company(self.company).credit_limit = amount

    def _import(self, rows):
        """Orders imported as a clerk would, one line each, as confirmed."""
        return self.env["sale.order"].with_user(self.clerk).load(IMPORT_COLUMNS, rows)

    def _confirmed(self):
        return self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")]
        )

    def test_two_quotations_under_the_limit_are_not_confirmed_together_over_it(self):
        first, second = quotations = self._quotations()
        self._limit(first.amount_total * 1.5)
        quotations.action_bo_check()
        self.assertEqual(quotations.mapped("bo_check_state"), ["passed", "passed"])
        with self.assertRaisesRegex(UserError, "credit limit"):
            quotations.with_user(self.clerk).action_confirm()
        self.assertEqual(quotations.mapped("state"), ["draft", "draft"])
        # one of them goes ahead; the other then counts it
        first.with_user(self.clerk).action_confirm()
        with self.assertRaisesRegex(UserError, "credit limit"):
            second.with_user(self.clerk).action_confirm()
        self.assertEqual(second.state, "draft")

    def test_three_orders_imported_as_confirmed_in_one_file_are_refused(self):
        rows = [[str(self.customer.id), "sale", str(self.screws.id), "4"] for _i in range(3)]
        probe = self._new_order(lines=[(self.screws, 4, 0.0)])
        # two fit, three do not (the probe, a quotation, counts for nothing)
        self._limit(probe.amount_total * 2.5)
        result = self._import(rows)
        self.assertFalse(result["ids"], result["messages"])
        self.assertIn("credit limit", " ".join(m["message"] for m in result["messages"]))
        self.assertFalse(self._confirmed(), "none of the three is left confirmed")
        # two of them, within the limit, are imported
        result = self._import(rows[:2])
        self.assertEqual(len(result["ids"]), 2, result["messages"])
        self.assertEqual(len(self._confirmed()), 2)

    def test_receivables_read_earlier_in_the_transaction_are_read_again(self):
        (order,) = self._quotations(count=1)
        self._limit(order.amount_total * 1.5)
        customer = self.customer.with_company(self.company).sudo()
        self.assertFalse(customer.credit, "read, and cached, before the invoice")
        self._post_overdue_invoice(self.customer, amount=order.amount_total, days_overdue=0)
        with self.assertRaisesRegex(UserError, "credit limit"):
            order.with_user(self.clerk).action_confirm()

    def test_a_confirmation_locks_the_customer_until_its_transaction_ends(self):
        """Two clerks confirming orders of the same customer at the same
        moment: the second waits for the first to end. Proved with a second
        real connection to the database, while the test's transaction,
        which has just confirmed, is still open."""
        # a customer whose row is committed, so that the other connection
        # sees it; its limit comes from the company's default (setting it
        # on the customer would write, and so lock, its row)
        customer = self.env.ref("base.partner_admin")
        self.env["ir.default"].set("res.partner", "credit_limit", 10**9, company_id=self.company.id)
        self._activate("credit_limit", active=False)
        unchecked = self._new_order(partner=customer)
        unchecked.with_user(self.clerk).action_confirm()
        self.assertFalse(
            self._locked_elsewhere(customer), "without the credit check, nothing locks"
        )
        self._activate("credit_limit", severity="block")
        checked = self._new_order(partner=customer)
        checked.with_user(self.clerk).action_confirm()
        self.assertEqual(checked.state, "sale")
        self.assertTrue(self._locked_elsewhere(customer))

    def _locked_elsewhere(self, partner):
        """Whether another connection fails to take the lock a confirmation
        takes on ``partner`` (``FOR NO KEY UPDATE``: the records the test
        made pointing to the partner hold a key-share lock on it, which a
        full ``FOR UPDATE`` would trip over too)."""
        cursor = db_connect(self.env.cr.dbname).cursor()
        try:
            with mute_logger("odoo.sql_db"):
                cursor.execute(
                    SQL(
                        "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                        partner.id,
                    )
                )
            self.assertEqual(cursor.fetchall(), [(partner.id,)], "the other connection sees it")
            return False
        except psycopg2.errors.LockNotAvailable:
            return True
        finally:
            cursor.rollback()
            cursor.close()
