from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSupplierMenu(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.clerk = users.create(
            {
                "name": "Supplier Clerk",
                "login": "supplier_clerk",
                "group_ids": [Command.set([cls.env.ref("bo_base.group_bo_user").id])],
            }
        )
        cls.buyer = users.create(
            {
                "name": "Buyer",
                "login": "supplier_buyer",
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("bo_base.group_bo_user").id,
                            cls.env.ref("purchase.group_purchase_user").id,
                        ]
                    )
                ],
            }
        )

    def test_clerk_opens_supplier_register_listing_vendors_only(self):
        visible = self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids()
        self.assertIn(self.env.ref("bo_suppliers.menu_bo_supplier_register").id, visible)
        self.assertNotIn(
            self.env.ref("bo_suppliers.menu_bo_supplier_purchase_orders").id,
            visible,
            "purchase orders are for purchase users",
        )
        vendor = self.env["res.partner"].create({"name": "Vendor S.r.l.", "supplier_rank": 1})
        customer = self.env["res.partner"].create({"name": "Customer S.p.A.", "customer_rank": 1})
        register = self.env["res.partner"].with_user(self.clerk).search([("supplier_rank", ">", 0)])
        self.assertIn(vendor, register)
        self.assertNotIn(customer, register)

    def test_purchase_user_sees_purchase_orders(self):
        visible = self.env["ir.ui.menu"].with_user(self.buyer)._visible_menu_ids()
        self.assertIn(self.env.ref("bo_suppliers.menu_bo_supplier_purchase_orders").id, visible)
