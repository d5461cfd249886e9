"""A confirmed order whose lines change is checked again: adding to a
confirmed order is no way around the checks its confirmation passed."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon

SUMMARY = "Changed after confirmation: blocked by the back-office checks"


@tagged("post_install", "-at_install")
class TestChangedAfterConfirm(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate("credit_limit", "discount", severity="block", max_discount=10.0)
        cls.company.account_use_credit_limit = False

    def _confirmed_order(self):
        order = self._new_order(lines=[(self.screws, 4, 0.0)])
        self.customer.with_company(self.company).credit_limit = order.amount_total * 1.5
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _desk_activities(self, order):
        return order.activity_ids.filtered(lambda a: a.summary == SUMMARY)

    def test_a_line_added_over_the_credit_limit_holds_the_deliveries(self):
        order = self._confirmed_order()
        # the attack: the desk adds to the confirmed order over RPC
        order.with_user(self.clerk).write(
            {"order_line": [Command.create({"product_id": self.screws.id, "product_uom_qty": 40})]}
        )
        self.assertEqual(len(order.order_line), 2, "the change is kept")
        self.assertEqual(len(self._desk_activities(order)), 1)
        self.assertIn("credit limit", order.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "credit limit"):
            self._deliver(order)
        # a manager's override of the order as it is now releases it
        wizard = Form(
            self.env["bo.order.check.override"]
            .with_user(self.manager)
            .with_context(default_order_id=order.id)
        )
        wizard.reason = "Il cliente paga alla consegna"
        wizard.save().action_override()
        picking = self._deliver(order)
        self.assertEqual(picking.state, "done")

    def test_a_quantity_raised_on_the_line_is_checked_too(self):
        order = self._confirmed_order()
        order.order_line.with_user(self.clerk).product_uom_qty = 40
        self.assertEqual(len(self._desk_activities(order)), 1)
        # a second change adds a note, not a second activity
        order.order_line.with_user(self.clerk).product_uom_qty = 41
        self.assertEqual(len(self._desk_activities(order)), 1)

    def test_a_discount_over_the_maximum_after_confirmation_is_noted(self):
        order = self._confirmed_order()
        order.order_line.with_user(self.clerk).discount = 30.0
        self.assertEqual(len(self._desk_activities(order)), 1)
        self.assertIn("30", order.message_ids[0].body)

    def test_a_change_within_the_rules_says_nothing(self):
        order = self._confirmed_order()
        messages = order.message_ids
        order.order_line.with_user(self.clerk).product_uom_qty = 5
        order.order_line.with_user(self.clerk).discount = 5.0
        self.assertFalse(self._desk_activities(order))
        self.assertFalse(
            (order.message_ids - messages).filtered(lambda m: "back-office checks" in m.body)
        )

    def test_a_line_created_on_the_line_model_is_checked_too(self):
        """The same change through the line model, by RPC."""
        order = self._confirmed_order()
        self.env["sale.order.line"].with_user(self.clerk).create(
            {"order_id": order.id, "product_id": self.screws.id, "product_uom_qty": 40}
        )
        self.assertEqual(len(self._desk_activities(order)), 1)

    def test_a_line_imported_on_the_line_model_is_checked_too(self):
        other = self._confirmed_order()
        result = (
            self.env["sale.order.line"]
            .with_user(self.clerk)
            .load(
                ["order_id/.id", "product_id/.id", "product_uom_qty"],
                [[str(other.id), str(self.screws.id), "40"]],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(len(other.order_line), 2, "the imported line is kept")
        self.assertEqual(len(self._desk_activities(other)), 1)
