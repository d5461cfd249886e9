from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "bo_dates")
class TestOverview(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Ditta Cruscotto S.r.l."})
        cls.other_company = cls.env["res.company"].create({"name": "Altra Cruscotto S.p.A."})
        cls.env.user.company_ids |= cls.company | cls.other_company
        cls.clerk = new_test_user(
            cls.env,
            login="bo_overview_clerk",
            groups="bo_base.group_bo_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.tiles = cls.env["bo.overview.tile"]
        cls.customer = cls.env["res.partner"].create({"name": "Rossi S.p.A."})

    def _installed(self, module):
        return self.env["ir.module.module"]._get(module).state == "installed"

    def _tile(self, xmlid, user):
        return self.env.ref(f"bo_reports.{xmlid}").with_user(user)

    def _shown(self, user):
        return self.tiles.with_user(user).search([("is_available", "=", True)])

    def _opened(self, tile):
        """The records the tile's click shows."""
        action = tile.action_open()
        return tile.env[action["res_model"]].search(action["domain"])

    def test_requests_counted_as_the_user_and_a_click_away(self):
        if not self._installed("bo_orders"):
            self.skipTest("bo_orders is not installed")
        desk = new_test_user(
            self.env,
            login="bo_overview_desk",
            groups="bo_orders.group_bo_order_desk",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        tile = self._tile("bo_overview_tile_requests", desk)
        self.assertIn(tile, self._shown(desk))
        before = tile.count
        requests = self.env["bo.order.request"].with_company(self.company)
        request_form = Form(requests)
        request_form.title = "Richiesta listino 2027"
        request_form.partner_id = self.customer
        request = request_form.save()
        # Another company's request is not the desk's work.
        self.env["bo.order.request"].with_company(self.other_company).create(
            {"title": "Altra richiesta", "company_id": self.other_company.id}
        )
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.count, before + 1)
        opened = self._opened(tile)
        self.assertIn(request, opened)
        self.assertEqual(len(opened), tile.count)
        self.assertEqual(opened.company_id, self.company)
        request._set_lost("Il cliente ha rinunciato")
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.count, before)

    def test_replies_overdue_counted_for_the_mailroom(self):
        if not self._installed("bo_mailroom"):
            self.skipTest("bo_mailroom is not installed")
        tile = self._tile("bo_overview_tile_replies_overdue", self.env.user)
        overdue = self.env["bo.mail.register"].search([("deadline_state", "=", "overdue")])
        self.assertEqual(tile.count, len(overdue))
        self.assertEqual(self._opened(tile), overdue)

    def test_late_deliveries(self):
        if not self._installed("stock"):
            self.skipTest("stock is not installed")
        tile = self._tile("bo_overview_tile_late_deliveries", self.env.user)
        before = tile.count
        picking_type = self.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create({"name": "Sedia", "is_storable": True})
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.customer.id,
                "scheduled_date": "2020-01-10 10:00:00",
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.count, before + 1)
        self.assertIn(picking, self._opened(tile))

    def test_tiles_of_missing_addons_or_unreadable_records_are_not_shown(self):
        missing = self.tiles.create(
            {
                "name": "Reclami oltre lo SLA",
                "module": "bo_claims_not_installed",
                "res_model": "res.partner",
                "domain": "[]",
            }
        )
        self.assertNotIn(missing, self._shown(self.env.user))
        self.assertEqual(missing.count, 0)
        with self.assertRaises(ValidationError):
            missing.action_open()
        # A clerk who may not read bills does not see the bills tile.
        bills = self.env.ref("bo_reports.bo_overview_tile_bills_blocked")
        can_read_bills = self.env["account.move"].with_user(self.clerk).has_access("read")
        self.assertEqual(bills in self._shown(self.clerk), can_read_bills)
        self.assertEqual(
            bills.with_user(self.clerk).is_available,
            can_read_bills and self._installed("bo_suppliers"),
        )

    def test_domain_is_checked_and_tiles_are_the_managers(self):
        tile = self.env.ref("bo_reports.bo_overview_tile_late_deliveries")
        with self.assertRaises(ValidationError):
            tile.domain = "[('state', '='"
        with self.assertRaises(ValidationError):
            tile.domain = "'state'"
        with self.assertRaises(AccessError):
            tile.with_user(self.clerk).domain = "[]"
        with self.assertRaises(AccessError):
            self.tiles.with_user(self.clerk).create(
                {"name": "Tutto", "module": "base", "res_model": "res.users", "domain": "[]"}
            )
