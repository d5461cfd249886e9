from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_qualification import BoQualificationCommon


@tagged("post_install", "-at_install")
class TestPurchaseBlock(BoQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blocked_supplier = cls.env["res.partner"].create(
            {"name": "Fonderie Sospette S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Luca Commerciale", "parent_id": cls.blocked_supplier.id}
        )

    def setUp(self):
        super().setUp()
        self._qualify("blocked", reason="Fake certificate", partner=self.blocked_supplier)

    def _override(self, order, reason="Only supplier of this part", user=None):
        form = Form(
            self.env["bo.purchase.supplier.override"]
            .with_user(user or self.manager)
            .with_context(default_order_id=order.id)
        )
        form.reason = reason
        return form.save().action_override()

    def test_prospect_and_under_evaluation_suppliers_confirm(self):
        order = self._new_purchase_order()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self._qualify("under_evaluation", user=self.clerk)
        order2 = self._new_purchase_order()
        order2.button_confirm()
        self.assertEqual(order2.state, "purchase")

    def test_blocked_supplier_order_refused_naming_supplier_state_and_releaser(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        with self.assertRaises(UserError) as caught:
            order.button_confirm()
        message = str(caught.exception)
        self.assertIn("Fonderie Sospette", message)
        self.assertIn("Blocked", message)
        self.assertIn("Back Office manager", message)
        self.assertEqual(order.state, "draft")

    def test_suspended_supplier_contact_order_refused(self):
        self._qualify("suspended", reason="Audit pending", partner=self.blocked_supplier)
        order = self._new_purchase_order(partner=self.contact)
        with self.assertRaisesRegex(UserError, "Suspended"):
            order.button_confirm()

    def test_attack_write_state_purchase_refused(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        with self.assertRaises(UserError):
            order.with_user(self.clerk).write({"state": "purchase"})
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            order.with_user(self.clerk).write({"state": "to approve"})

    def test_attack_button_approve_refused(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        with self.assertRaises(UserError):
            order.with_user(self.manager).button_approve()
        self.assertEqual(order.state, "draft")

    def test_attack_create_confirmed_order_refused(self):
        with self.assertRaises(UserError):
            self.env["purchase.order"].with_user(self.clerk).create(
                {
                    "partner_id": self.blocked_supplier.id,
                    "state": "purchase",
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_qty": 1, "price_unit": 5})
                    ],
                }
            )
        self.assertFalse(
            self.env["purchase.order"].search([("partner_id", "=", self.blocked_supplier.id)])
        )

    def test_attack_copy_as_confirmed_refused(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        with self.assertRaises(UserError):
            order.with_user(self.clerk).copy({"state": "purchase"})

    def test_attack_move_confirmed_order_to_blocked_supplier_refused(self):
        order = self._new_purchase_order()
        order.button_confirm()
        with self.assertRaises(UserError):
            order.with_user(self.manager).write({"partner_id": self.blocked_supplier.id})
        self.assertEqual(order.partner_id, self.supplier)

    def test_attack_override_fields_written_by_rpc_refused(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        values = {
            "bo_override_user_id": self.manager.id,
            "bo_override_digest": order._bo_override_fingerprint(),
            "bo_override_reason": "trust me",
        }
        for user in (self.clerk, self.manager):
            with self.assertRaises(AccessError):
                order.with_user(user).write(values)
        with self.assertRaises(AccessError):
            order.sudo().write({"bo_override_reason": "sudo"})
        with self.assertRaises(AccessError):
            self.env["purchase.order"].with_user(self.manager).create(
                {"partner_id": self.blocked_supplier.id, **values}
            )
        with self.assertRaises(AccessError):
            order.with_user(self.manager).copy(values)
        self.assertFalse(order.bo_override_user_id)

    def test_attack_forged_privilege_context_refused(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        forged = order.with_user(self.manager).with_context(
            bo_suppliers_privileged=True, bo_guard_grant={"purchase.order": ["*"]}
        )
        with self.assertRaises(AccessError):
            forged.write({"bo_override_user_id": self.manager.id})

    def test_manager_override_releases_that_order_only_and_is_in_chatter(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        other = self._new_purchase_order(partner=self.blocked_supplier)
        self._override(order, reason="Only supplier of this casting")
        self.assertEqual(order.bo_override_user_id, self.manager)
        note = order.message_ids.filtered(lambda m: "Only supplier of this casting" in str(m.body))
        self.assertTrue(note)
        order.with_user(self.clerk).button_confirm()
        self.assertEqual(order.state, "purchase")
        with self.assertRaises(UserError):
            other.button_confirm()
        copied = order.copy()
        self.assertFalse(copied.bo_override_user_id)
        with self.assertRaises(UserError):
            copied.button_confirm()

    def test_clerk_cannot_override(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        with self.assertRaises(AccessError):
            self._override(order, user=self.clerk)
        with self.assertRaises(AccessError):
            order.with_user(self.clerk)._bo_set_supplier_override("me")

    def test_override_lost_when_supplier_state_or_partner_changes(self):
        self._qualify("suspended", reason="Audit pending", partner=self.blocked_supplier)
        order = self._new_purchase_order(partner=self.blocked_supplier)
        self._override(order)
        self._qualify("blocked", reason="Audit failed", partner=self.blocked_supplier)
        with self.assertRaises(UserError):
            order.button_confirm()
        self._override(order)
        other_blocked = self.env["res.partner"].create(
            {"name": "Altra Fonderia", "is_company": True}
        )
        self._qualify("blocked", reason="Fraud", partner=other_blocked)
        order.write({"partner_id": other_blocked.id})
        self.assertFalse(order._bo_override_covers(), "the override covered the other supplier")
        with self.assertRaises(UserError):
            order.button_confirm()

    def test_non_back_office_users_read_order_supplier_state(self):
        order = self._new_purchase_order(partner=self.blocked_supplier)
        for user in (self.purchase_user, self.accountant):
            self.assertEqual(order.with_user(user).bo_supplier_state, "blocked")
