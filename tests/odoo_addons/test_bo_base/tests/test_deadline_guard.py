"""The deadline mixin's marks (the state, the reminder and the escalation
sent) are written by the nightly job only, on every model that has a
deadline: the attack kit on the mixin's test model."""

from datetime import timedelta

from odoo import fields
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDeadlineGuardAttacks(GuardAttackKit):
    guarded_model = "test.bo.deadline.item"

    @classmethod
    def _guard_record(cls):
        cls.env.company.bo_escalation_user_id = cls.users["bo_manager"]
        yesterday = fields.Date.context_today(cls.env.user) - timedelta(days=1)
        item = cls.env["test.bo.deadline.item"].create(
            {"name": "Rispondere al cliente", "user_id": cls.users["bo_user"].id}
        )
        item.deadline_date = yesterday
        # as the nightly job leaves it: overdue, reminded and escalated
        cls.env["bo.deadline.mixin"]._cron_deadline_check()
        assert item.deadline_escalated_date == yesterday
        return item

    @classmethod
    def _guard_create_values(cls):
        return {"name": "Nuovo promemoria"}

    def test_the_nightly_job_still_writes_its_marks(self):
        """The marks the attacks cannot write are the job's: a moved deadline
        is reminded and escalated again."""
        item = self._guard_record()
        two_days_ago = item.deadline_date - timedelta(days=1)
        item.deadline_date = two_days_ago
        self.env["bo.deadline.mixin"]._cron_deadline_check()
        self.assertEqual(item.deadline_state, "overdue")
        self.assertEqual(item.deadline_reminded_date, two_days_ago)
        self.assertEqual(item.deadline_escalated_date, two_days_ago)
