from odoo import Command
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestGuardAttackKit(GuardAttackKit):
    """The attack kit on the test model: every guarded field, every role."""

    guarded_model = "test.bo.guarded.item"

    @classmethod
    def _guard_record(cls):
        item = cls.env["test.bo.guarded.item"].create({"name": "Attacked"})
        return item.action_approve("approved for the kit")

    @classmethod
    def _guard_create_values(cls):
        return {"name": "Created by a clerk"}


@tagged("post_install", "-at_install")
class TestGuardLineAttackKit(GuardAttackKit):
    guarded_model = "test.bo.guarded.line"

    @classmethod
    def _guard_record(cls):
        item = cls.env["test.bo.guarded.item"].create({"name": "Lines"})
        return cls.env["test.bo.guarded.line"].create({"item_id": item.id, "name": "L1"})

    @classmethod
    def _guard_create_values(cls):
        item = cls.env["test.bo.guarded.item"].create({"name": "More lines"})
        return {"item_id": item.id, "name": "L2"}


@tagged("post_install", "-at_install")
class TestGuard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Item = cls.env["test.bo.guarded.item"]
        cls.item = cls.Item.create({"name": "Item"})

    def test_the_declared_action_writes_its_fields(self):
        self.item.action_approve("looks right")
        self.assertEqual(self.item.state, "approved")
        self.assertEqual(self.item.approved_by_id, self.env.user)
        self.assertEqual(self.item.approval_note, "looks right")

    def test_everyone_else_is_refused_superuser_included(self):
        for records in (self.item, self.item.sudo()):
            with self.assertRaisesRegex(AccessError, "Approved By"):
                records.write({"approved_by_id": self.env.uid})
        self.assertFalse(self.item.approved_by_id)

    def test_an_action_writes_only_the_fields_it_declares(self):
        self.item.action_approve("ok")
        with self.assertRaisesRegex(AccessError, "Approved By"):
            self.item.action_reset_state_only()

    def test_a_grant_covers_its_model_only(self):
        line = self.env["test.bo.guarded.line"].create({"item_id": self.item.id})
        granted = bo_guard.grant(self.item, "state", "approved_by_id", "approval_note")
        with self.assertRaises(AccessError):
            line.with_env(granted.env).checked = True
        bo_guard.grant(line, "checked").checked = True
        self.assertTrue(line.checked)

    def test_the_action_hands_back_records_without_its_grant(self):
        returned = self.item.action_approve("ok")
        self.assertIsNone(bo_guard.Grant.of(returned.env))
        with self.assertRaises(AccessError):
            returned.approval_note = "rewritten with the action's records"

    def test_a_context_value_is_no_grant(self):
        for forged in (True, "*", {"test.bo.guarded.item": ["*"]}, repr(bo_guard.Grant({}))):
            with self.assertRaises(AccessError):
                self.item.with_context(bo_guard_grant=forged).write({"state": "approved"})

    def test_default_keys_and_user_defaults_give_no_value(self):
        self.env["ir.default"].set("test.bo.guarded.item", "approval_note", "user default")
        item = self.Item.with_context(
            default_state="approved", default_approved_by_id=self.env.uid, default_note="kept"
        ).create({"name": "Defaults"})
        self.assertEqual(item.state, "draft", "the code default applies")
        self.assertFalse(item.approved_by_id)
        self.assertFalse(item.approval_note)
        self.assertEqual(item.note, "kept", "unguarded fields keep their defaults")
        defaults = self.Item.with_context(default_state="approved").default_get(["state"])
        self.assertEqual(defaults, {"state": "draft"}, "the form shows no forged default")

    def test_a_copy_starts_afresh(self):
        self.env["test.bo.guarded.line"].create({"item_id": self.item.id, "name": "L"})
        self.item.line_ids.action_check()
        self.item.action_approve("original")
        copy = self.item.copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.approved_by_id)
        self.assertFalse(copy.approval_note)
        self.assertEqual(copy.line_ids.mapped("name"), ["L"])
        self.assertFalse(copy.line_ids.checked, "lines start afresh too")
        with self.assertRaises(AccessError):
            self.item.copy(default={"approval_note": "forged"})

    def test_lines_written_through_their_parent_are_guarded(self):
        with self.assertRaises(AccessError):
            self.item.write({"line_ids": [Command.create({"name": "L", "checked": True})]})
        line = self.env["test.bo.guarded.line"].create({"item_id": self.item.id})
        with self.assertRaises(AccessError):
            self.item.write({"line_ids": [Command.update(line.id, {"checked": True})]})

    def test_an_import_reports_the_refusal(self):
        result = self.Item.load(["name", "state"], [["Imported", "approved"]])
        self.assertFalse(result["ids"])
        self.assertIn("set only by the Back Office", result["messages"][0]["message"])

    def test_the_refusal_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_base"], ["it_IT"], overwrite=True)
        with self.assertRaisesRegex(AccessError, "impostati solo dalle azioni del Back Office"):
            self.item.with_context(lang="it_IT").write({"state": "approved"})
