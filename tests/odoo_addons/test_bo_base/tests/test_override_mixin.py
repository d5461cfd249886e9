from odoo.addons.bo_base.tests.common import BoUsersCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOverrideMixin(BoUsersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item = cls.env["test.bo.guarded.item"].create({"name": "Blocked item"})
        cls.manager = cls.users["bo_manager"]

    def test_a_managers_override_covers_the_record_as_it_was(self):
        item = self.item.with_user(self.manager)
        item._bo_override_set("Customer pays upfront", note="Overridden:")
        self.assertTrue(item._bo_override_covers())
        self.assertEqual(item.bo_override_user_id, self.manager)
        self.assertEqual(item.bo_override_reason, "Customer pays upfront")
        self.assertIn("Customer pays upfront", item.message_ids[0].body)
        item.name = "Blocked item, changed after the override"
        self.assertFalse(item._bo_override_covers(), "a change lifts the override")
        item.name = "Blocked item"
        self.assertTrue(item._bo_override_covers(), "the override covers that content")
        item._bo_override_clear()
        self.assertFalse(item.bo_override_user_id)
        self.assertFalse(item._bo_override_covers())

    def test_only_a_named_manager_decides(self):
        for role in ("bo_user", "internal", "portal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.item.with_user(self.users[role])._bo_override_set("because")
        with self.assertRaisesRegex(AccessError, "named user"):
            # code running as OdooBot (a cron, procurement) is nobody's decision
            self.item.with_user(self.env.ref("base.user_root"))._bo_override_set("because")
        self.assertFalse(self.item.bo_override_user_id)

    def test_an_override_needs_a_reason(self):
        with self.assertRaises(UserError):
            self.item.with_user(self.manager)._bo_override_set("   ")

    def test_the_override_is_written_by_its_action_only(self):
        with self.assertRaises(AccessError):
            self.item.with_user(self.manager).write(
                {
                    "bo_override_user_id": self.manager.id,
                    "bo_override_digest": self.item._bo_override_fingerprint(),
                }
            )
