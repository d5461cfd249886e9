"""What only the order desk's actions write on a sales order (the checks'
result, the stage, the commitment deadline, the manager's override, the hold
for the desk), attacked by every role and by the paths a client controls:
the context it sends, code running as OdooBot or with sudo."""

import hashlib

from odoo import Command
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install")
class TestSaleOrderGuardAttackKit(GuardAttackKit):
    """The attack kit on sales orders, on a quotation a manager released."""

    guarded_model = "sale.order"

    @classmethod
    def _guard_record(cls):
        cls.env["bo.order.check"].with_context(active_test=False).search(
            [("company_id", "=", cls.env.company.id), ("check_type", "=", "discount")]
        ).write({"active": True, "severity": "block", "max_discount": 20})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Cliente Attaccato S.r.l.", "is_company": True}
        )
        product = cls.env["product.product"].create({"name": "Staffe", "list_price": 40.0})
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "validity_date": "2031-05-06",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3, "discount": 30})
                ],
            }
        )
        order.with_user(cls.users["bo_manager"])._bo_override_checks("Sconto concordato")
        return order

    @classmethod
    def _guard_create_values(cls):
        return {"partner_id": cls.customer.id}

    def test_guard_record_carries_what_the_actions_wrote(self):
        """The record attacked holds the override and the checks' result, so
        the attacks above try to change real values."""
        self.assertEqual(self.record.bo_override_user_id, self.users["bo_manager"])
        self.assertEqual(self.record.bo_check_state, "overridden")
        self.assertEqual(self.record.bo_stage, "ready")


@tagged("post_install", "-at_install")
class TestOrderGuard(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate("discount", severity="block", max_discount=20)

    def _blocked_quotation(self):
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        order.user_id = self.salesman
        return order

    def test_a_client_sending_the_hold_flag_gets_a_refusal_not_a_hold(self):
        """The portal signature and the online payment hold a blocked
        quotation for the desk; a clerk's RPC call sending the old context
        flag, or anything pretending to be the guard's grant, gets the
        refusal: no quotation the desk would read as accepted by the customer."""
        order = self._blocked_quotation()
        for context in (
            {"bo_hold_if_blocked": True},
            {"bo_guard_grant": {"sale.order": ["bo_held_for_desk"]}},
        ):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "discount"):
                order.with_user(self.clerk).with_context(**context).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.bo_held_for_desk)
        self.assertFalse(order.activity_ids, "nobody was told the customer is waiting")

    def test_odoobot_and_sudo_are_not_managers(self):
        """Only a named Back Office manager overrides the checks: not code
        running as OdooBot (crons, procurement, the mail gateway), not a
        clerk's call running with sudo."""
        order = self._blocked_quotation()
        odoobot = self.env.ref("base.user_root")
        with self.assertRaises(AccessError):
            order.with_user(odoobot)._bo_override_checks("Automatico")
        wizard = self.env["bo.order.check.override"].create(
            {"order_id": order.id, "reason": "Lo dice il robot"}
        )
        for attempt in (wizard.with_user(odoobot), wizard.with_user(self.clerk).sudo()):
            with self.subTest(user=attempt.env.user.login), self.assertRaises(AccessError):
                attempt.action_override()
        self.assertFalse(order.bo_override_user_id)
        self.assertEqual(order.bo_check_state, "blocked")

    def test_back_to_a_quotation_needs_a_new_release(self):
        order = self._blocked_quotation()
        self.env["bo.order.check.override"].with_user(self.manager).create(
            {"order_id": order.id, "reason": "Sconto approvato"}
        ).action_override()
        order.with_user(self.clerk).action_confirm()
        order.with_user(self.clerk)._action_cancel()
        order.with_user(self.clerk).action_draft()
        self.assertFalse(order.bo_override_user_id)
        self.assertFalse(order.bo_override_reason)
        self.assertEqual(order.bo_check_state, "blocked")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).action_confirm()

    def test_overrides_recorded_before_the_mixin_still_cover_their_order(self):
        """The fingerprint is taken of the same content as before the
        override mixin: the releases already in the database still hold."""
        order = self._new_order(lines=[(self.screws, 5, 30.0), (self.plugs, 10, 0.0)])
        order_fields = (
            "company_id",
            "partner_id",
            "partner_shipping_id",
            "payment_term_id",
            "incoterm",
            "pricelist_id",
            "currency_id",
            "commitment_date",
        )
        line_fields = (
            "product_id",
            "product_uom_id",
            "product_uom_qty",
            "price_unit",
            "discount",
            "display_type",
            "is_downpayment",
        )
        lines = sorted(
            (
                tuple(
                    getattr(value, "id", value)
                    for value in (line.id, *(line[f] for f in line_fields))
                )
                for line in order.order_line
            ),
            key=repr,
        )
        content = repr(([getattr(order[f], "id", order[f]) for f in order_fields], lines))
        self.assertEqual(
            order._bo_override_fingerprint(), hashlib.sha256(content.encode()).hexdigest()
        )
