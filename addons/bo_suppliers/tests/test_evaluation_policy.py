from odoo import Command
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BoSuppliersCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestEvaluationPolicy(BoSuppliersCommon):
    """What an order to a class C supplier does, under each company policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.class_c = cls.env["res.partner"].create(
            {"name": "Forniture Scadenti S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        cls.class_c_contact = cls.env["res.partner"].create(
            {"name": "Rita Vendite", "parent_id": cls.class_c.id}
        )
        # as the evaluation leaves it
        bo_guard.grant(cls.class_c.sudo(), "bo_evaluation_score", "bo_evaluation_class").write(
            {"bo_evaluation_score": 42.0, "bo_evaluation_class": "c"}
        )

    def _policy(self, policy):
        self.company.bo_evaluation_class_c_policy = policy

    def _rfq_form(self, partner, user=None):
        form = Form(self.env["purchase.order"].with_user(user or self.clerk))
        with self.assertLogs("odoo.tests.form.onchange", level="WARNING") as logs:
            form.partner_id = partner
        return form, "\n".join(logs.output)

    def _override(self, order, user=None):
        form = Form(
            self.env["bo.purchase.supplier.override"]
            .with_user(user or self.manager)
            .with_context(default_order_id=order.id)
        )
        form.reason = "Only supplier of this part this month"
        return form.save().action_override()

    def _warned_rfq(self, user=None):
        """An RFQ to the class C supplier made through the form, which warns."""
        with self.assertLogs("odoo.tests.form.onchange", level="WARNING"):
            return self._new_purchase_order(partner=self.class_c, user=user)

    def test_warn_policy_warns_and_shows_banner_but_lets_orders_through(self):
        self._policy("warn")
        form, warning = self._rfq_form(self.class_c_contact)
        self.assertIn("class C", warning)
        self.assertIn("Forniture Scadenti", warning)
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_qty = 2
        order = form.save()
        for user in (self.purchase_user, self.accountant, self.clerk):
            as_user = order.with_user(user)
            self.assertEqual(as_user.bo_supplier_class, "c")
            self.assertEqual(as_user.bo_class_c_policy, "warn")
            self.assertFalse(as_user.bo_class_c_blocked)
        order.with_user(self.clerk).button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_no_policy_no_warning(self):
        self._policy("none")
        with self.assertNoLogs("odoo.tests.form.onchange", level="WARNING"):
            form = Form(self.env["purchase.order"].with_user(self.clerk))
            form.partner_id = self.class_c
        order = self._new_purchase_order(partner=self.class_c)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_block_policy_refuses_new_rfq_on_every_path(self):
        self._policy("block")
        with (
            self.assertLogs("odoo.tests.form.onchange", level="WARNING"),
            self.assertRaisesRegex(UserError, "class C"),
        ):
            self._new_purchase_order(partner=self.class_c_contact)
        with self.assertRaisesRegex(UserError, "class C"):
            self.env["purchase.order"].with_user(self.clerk).create(
                {
                    "partner_id": self.class_c.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_qty": 1, "price_unit": 5}
                        )
                    ],
                }
            )
        manager_rfq = self._warned_rfq(user=self.manager)
        with self.assertRaisesRegex(UserError, "class C"):
            manager_rfq.with_user(self.clerk).copy()
        mine = self._new_purchase_order()
        with self.assertRaisesRegex(UserError, "class C"):
            mine.with_user(self.clerk).write({"partner_id": self.class_c.id})
        self.assertEqual(mine.partner_id, self.supplier)
        self.assertFalse(
            self.env["purchase.order"].search(
                [("partner_id", "=", self.class_c.id), ("id", "!=", manager_rfq.id)]
            )
        )

    def test_block_policy_refuses_confirmation_until_manager_override(self):
        self._policy("none")
        order = self._new_purchase_order(partner=self.class_c)
        self._policy("block")
        self.assertTrue(order.with_user(self.purchase_user).bo_class_c_blocked)
        with self.assertRaisesRegex(UserError, "class C"):
            order.with_user(self.clerk).button_confirm()
        with self.assertRaisesRegex(UserError, "class C"):
            order.with_user(self.manager).button_confirm()
        with self.assertRaises(UserError):
            order.with_user(self.clerk).write({"state": "purchase"})
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            self._override(order, user=self.clerk)
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).write(
                {"bo_override_user_id": self.manager.id, "bo_override_reason": "c"}
            )
        self._override(order)
        self.assertEqual(order.bo_override_user_id, self.manager)
        self.assertTrue(order._bo_override_covers())
        self.assertTrue(order.message_ids.filtered(lambda m: "(class C) overridden" in str(m.body)))
        self.assertFalse(order.bo_class_c_blocked)
        order.with_user(self.clerk).button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_block_policy_refuses_creating_confirmed_orders(self):
        self._policy("block")
        with self.assertRaisesRegex(UserError, "class C"):
            self.env["purchase.order"].with_user(self.clerk).create(
                {"partner_id": self.class_c.id, "state": "purchase"}
            )
        with self.assertRaisesRegex(UserError, "class C"):
            self.env["purchase.order"].with_user(self.manager).create(
                {
                    "partner_id": self.class_c.id,
                    "state": "purchase",
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_qty": 1, "price_unit": 5}
                        )
                    ],
                }
            )

    def test_override_is_refused_when_nothing_blocks(self):
        self._policy("warn")
        order = self._warned_rfq()
        with self.assertRaisesRegex(UserError, "not suspended or blocked"):
            self._override(order)

    def test_block_applies_to_the_order_company_only(self):
        self._policy("block")
        self.other_company.bo_evaluation_class_c_policy = "none"
        product = self.env["product.product"].create(
            {
                "name": "Vite M8",
                "company_id": self.other_company.id,
                "supplier_taxes_id": [Command.clear()],
            }
        )
        order = (
            self.env["purchase.order"]
            .with_user(self.other_clerk)
            .create(
                {
                    "partner_id": self.class_c.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_qty": 1, "price_unit": 5}
                        )
                    ],
                }
            )
        )
        self.assertFalse(order.bo_class_c_blocked)
        order.with_user(self.other_clerk).button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_class_earned_in_one_company_does_not_block_another(self):
        """The class is the supplier's in each company: a class C earned with the
        main company neither warns nor blocks the other company's orders."""
        self._policy("block")
        self.other_company.bo_evaluation_class_c_policy = "block"
        self.assertEqual(self.class_c.with_company(self.company).bo_evaluation_class, "c")
        self.assertFalse(self.class_c.with_company(self.other_company).bo_evaluation_class)
        order = (
            self.env["purchase.order"]
            .with_user(self.other_clerk)
            .create({"partner_id": self.class_c.id, "company_id": self.other_company.id})
        )
        self.assertFalse(order.bo_supplier_class)
        self.assertFalse(order.bo_class_c_blocked)
        with self.assertRaisesRegex(UserError, "class C"):
            self.env["purchase.order"].with_user(self.clerk).create({"partner_id": self.class_c.id})

    def test_class_b_supplier_is_never_blocked(self):
        self._policy("block")
        bo_guard.grant(self.class_c.sudo(), "bo_evaluation_class").write(
            {"bo_evaluation_class": "b"}
        )
        order = self._new_purchase_order(partner=self.class_c)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
