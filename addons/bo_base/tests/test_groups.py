from odoo.tests import TransactionCase, tagged

from .common import new_bo_user


@tagged("post_install", "-at_install")
class TestGroups(TransactionCase):
    def test_manager_implies_user_and_admin_is_manager(self):
        user_group = self.env.ref("bo_base.group_bo_user")
        manager_group = self.env.ref("bo_base.group_bo_manager")
        admin = self.env.ref("base.user_admin")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertTrue(admin.has_group("bo_base.group_bo_manager"))
        self.assertTrue(admin.has_group("bo_base.group_bo_user"))

    def test_back_office_menu_visible_to_users_only(self):
        root = self.env.ref("bo_base.menu_bo_root")
        clerk = new_bo_user(self.env, "menu_clerk", "Menu Clerk", "bo_base.group_bo_user")
        employee = new_bo_user(self.env, "plain_employee", "Plain Employee", "base.group_user")
        menus = self.env["ir.ui.menu"]
        clerk_menus = menus.with_user(clerk)._visible_menu_ids()
        self.assertIn(root.id, clerk_menus)
        self.assertIn(self.env.ref("bo_base.menu_bo_follow_up").id, clerk_menus)
        self.assertNotIn(self.env.ref("bo_base.menu_bo_configuration").id, clerk_menus)
        self.assertNotIn(root.id, menus.with_user(employee)._visible_menu_ids())
