from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTransitionAttackKit(GuardAttackKit):
    """The state of a transition table's host is out of every client's reach."""

    guarded_model = "test.bo.transition.item"

    @classmethod
    def _guard_record(cls):
        item = cls.env["test.bo.transition.item"].create({"name": "Attacked"})
        item._bo_transition("submit", {"state": "submitted"})
        item._bo_transition("approve", {"state": "approved", "approved_by_id": cls.env.uid})
        return item

    @classmethod
    def _guard_create_values(cls):
        return {"name": "Created by a clerk"}


@tagged("post_install", "-at_install")
class TestTransitionMixin(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Item = cls.env["test.bo.transition.item"]

    def test_an_action_moves_the_state_it_starts_from(self):
        item = self.Item.create({"name": "Item"})
        item._bo_transition("submit", {"state": "submitted"})
        item._bo_transition("approve", {"state": "approved", "approved_by_id": self.env.uid})
        self.assertEqual(item.state, "approved")
        self.assertEqual(item.approved_by_id, self.env.user)

    def test_an_action_from_another_state_is_refused_for_the_whole_call(self):
        draft, submitted = self.Item.create([{"name": "Draft"}, {"name": "Submitted"}])
        submitted._bo_transition("submit", {"state": "submitted"})
        with self.assertRaisesRegex(UserError, "^Draft cannot be approved in its current state"):
            (draft | submitted)._bo_transition("approve", {"state": "approved"})
        self.assertEqual(submitted.state, "submitted", "none of them moved")
        other = self.Item.create({"name": "Other draft"})
        with self.assertRaisesRegex(
            UserError, "^Draft, Other draft cannot be approved in their current state"
        ):
            (draft | other)._bo_transition("approve", {"state": "approved"})

    def test_an_action_writes_only_what_it_declares(self):
        item = self.Item.create({"name": "Item"})
        with self.assertRaises(AccessError):
            # "submit" declares the state alone: the approver is out of its reach
            item._bo_transition("submit", {"state": "submitted", "approved_by_id": self.env.uid})
        self.assertEqual(item.state, "draft")
        self.assertFalse(item.approved_by_id)

    def test_the_records_an_action_applies_to(self):
        draft, submitted = self.Item.create([{"name": "Draft"}, {"name": "Submitted"}])
        submitted._bo_transition("submit", {"state": "submitted"})
        self.assertEqual((draft | submitted)._bo_can_transition("reset"), submitted)

    def test_the_state_moves_through_the_table_only(self):
        item = self.Item.create({"name": "Item"})
        for records in (item, item.sudo()):
            with self.assertRaises(AccessError):
                records.write({"state": "approved"})
        self.assertEqual(item.state, "draft")
