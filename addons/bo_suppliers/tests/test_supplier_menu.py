from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSupplierMenu(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_bo_user(
            cls.env, "supplier_clerk", "Supplier Clerk", "bo_base.group_bo_user"
        )
        cls.buyer = new_bo_user(
            cls.env, "supplier_buyer", "Buyer", "bo_base.group_bo_user,purchase.group_purchase_user"
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
