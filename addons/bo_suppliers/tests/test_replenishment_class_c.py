"""Code running as the system: the replenishment creates its requests for
quotation as OdooBot. A class C supplier under the block policy gets the
RFQ (the need stays in front of the buyer rather than failing the scheduler
or a sale), but nobody confirms it, OdooBot included, until a named Back
Office manager overrides the block on that order."""

from odoo import SUPERUSER_ID, Command
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BoSuppliersCommon


@tagged("post_install", "-at_install")
class TestReplenishmentClassC(BoSuppliersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.bo_evaluation_class_c_policy = "block"
        cls.class_c = cls.env["res.partner"].create(
            {"name": "Minuterie Scadenti S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        # as the evaluation leaves it
        bo_guard.grant(cls.class_c.sudo(), "bo_evaluation_score", "bo_evaluation_class").write(
            {"bo_evaluation_score": 38.0, "bo_evaluation_class": "c"}
        )
        cls.stock_manager = cls._bo_user(
            "bo_sup_stock", "Stella Stock", "stock.group_stock_manager,purchase.group_purchase_user"
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.screw = cls.env["product.product"].create(
            {
                "name": "Vite M6 inox",
                "is_storable": True,
                "route_ids": [Command.set(warehouse.buy_pull_id.route_id.ids)],
                "seller_ids": [
                    Command.create({"partner_id": cls.class_c.id, "price": 0.12, "min_qty": 1})
                ],
            }
        )
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": cls.screw.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_min_qty": 100,
                "product_max_qty": 500,
                "trigger": "auto",
            }
        )

    def _rfq(self):
        return self.env["purchase.order"].search(
            [("partner_id", "=", self.class_c.id), ("order_line.product_id", "=", self.screw.id)]
        )

    def _override(self, order, user):
        form = Form(
            self.env["bo.purchase.supplier.override"]
            .with_user(user)
            .with_context(default_order_id=order.id)
        )
        form.reason = "Unico fornitore delle viti inox questo mese"
        return form.save().action_override()

    def test_attack_scheduler_rfq_to_class_c_supplier_is_never_confirmed_by_the_system(self):
        # the nightly scheduler, as its cron runs it
        self.orderpoint.sudo()._procure_orderpoint_confirm(
            company_id=self.company, raise_user_error=False
        )
        rfq = self._rfq()
        self.assertEqual(len(rfq), 1, "the need is in front of the buyer")
        self.assertEqual(rfq.state, "draft")
        self.assertEqual(rfq.create_uid.id, SUPERUSER_ID)
        self.assertTrue(rfq.bo_class_c_blocked)
        odoobot = rfq.with_user(SUPERUSER_ID)
        for order in (odoobot, rfq.sudo(), rfq.with_user(self.clerk), rfq.with_user(self.manager)):
            with (
                self.subTest(user=order.env.user.login, su=order.env.su),
                self.assertRaisesRegex(UserError, "class C"),
            ):
                order.button_confirm()
        with self.assertRaises(UserError):
            odoobot.write({"state": "purchase"})
        # OdooBot is no one's decision, not even through the override itself
        with self.assertRaises(AccessError):
            odoobot._bo_set_supplier_override("automatico")
        with self.assertRaises(AccessError):
            self._override(rfq, self.env.ref("base.user_root"))
        self.assertEqual(rfq.state, "draft")
        self.assertFalse(rfq.bo_override_user_id)

    def test_named_manager_override_lifts_the_block_of_the_replenishment_rfq(self):
        self.orderpoint.with_user(self.stock_manager).action_replenish()
        rfq = self._rfq()
        self.assertTrue(rfq, "the warehouse manager's 'Order' button creates the RFQ")
        self.assertTrue(rfq.bo_class_c_blocked)
        self._override(rfq, self.manager)
        self.assertEqual(rfq.bo_override_user_id, self.manager)
        self.assertFalse(rfq.bo_class_c_blocked)
        rfq.with_user(self.clerk).button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_a_clerk_still_cannot_start_an_rfq_to_the_class_c_supplier(self):
        with self.assertRaisesRegex(UserError, "class C"):
            self.env["purchase.order"].with_user(self.clerk).create({"partner_id": self.class_c.id})
