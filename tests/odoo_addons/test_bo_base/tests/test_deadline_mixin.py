from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestDeadlineMixin(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.bo_due_soon_days = 3
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.clerk = users.create(
            {
                "name": "Deadline Clerk",
                "login": "deadline_clerk",
                "group_ids": [Command.set([cls.env.ref("bo_base.group_bo_user").id])],
            }
        )
        cls.manager = users.create(
            {
                "name": "Deadline Manager",
                "login": "deadline_manager",
                "group_ids": [Command.set([cls.env.ref("bo_base.group_bo_manager").id])],
            }
        )
        cls.company.bo_escalation_user_id = cls.manager
        cls.reminder_type = cls.env.ref("bo_base.mail_activity_type_bo_deadline")
        cls.escalation_type = cls.env.ref("bo_base.mail_activity_type_bo_escalation")
        cls.Item = cls.env["test.bo.deadline.item"]

    def _run_cron_on(self, day):
        with freeze_time(day):
            self.env["bo.deadline.mixin"]._cron_deadline_check()

    def _activities(self, item, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", item._name),
                ("res_id", "=", item.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _new_item(self, deadline, **vals):
        return self.Item.create(
            {
                "name": "Reply to customer",
                "user_id": self.clerk.id,
                "deadline_date": deadline,
                **vals,
            }
        )

    def test_state_follows_today_and_due_soon_days(self):
        item = self._new_item(date(2026, 3, 20))
        for day, expected in [
            ("2026-03-10", "on_time"),
            ("2026-03-17", "due_soon"),
            ("2026-03-20", "due_soon"),
            ("2026-03-21", "overdue"),
        ]:
            self._run_cron_on(day)
            self.assertEqual(item.deadline_state, expected, day)
        with freeze_time("2026-03-25"):
            item.invalidate_recordset(["deadline_days_late"])
            self.assertEqual(item.deadline_days_late, 5)
        item.state = "done"
        self.assertEqual(item.deadline_state, "done")

    def test_due_soon_item_gives_exactly_one_activity_to_responsible(self):
        item = self._new_item(date(2026, 3, 20))
        self._run_cron_on("2026-03-10")
        self.assertFalse(self._activities(item, self.reminder_type), "not due soon yet")
        for day in ("2026-03-17", "2026-03-18", "2026-03-19"):
            self._run_cron_on(day)
        reminder = self._activities(item, self.reminder_type)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.clerk)
        self.assertEqual(reminder.date_deadline, date(2026, 3, 20))
        self.assertFalse(self._activities(item, self.escalation_type))

    def test_overdue_item_escalates_exactly_once_to_manager(self):
        item = self._new_item(date(2026, 3, 20))
        for day in ("2026-03-18", "2026-03-21", "2026-03-22", "2026-03-30"):
            self._run_cron_on(day)
        escalation = self._activities(item, self.escalation_type)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.manager)
        self.assertIn("Deadline Clerk", str(escalation.note))
        self.assertEqual(len(self._activities(item, self.reminder_type)), 1)

    def test_item_overdue_at_first_run_gets_reminder_and_escalation(self):
        item = self._new_item(date(2026, 3, 1))
        self._run_cron_on("2026-03-10")
        self._run_cron_on("2026-03-11")
        self.assertEqual(len(self._activities(item, self.reminder_type)), 1)
        self.assertEqual(len(self._activities(item, self.escalation_type)), 1)

    def test_moving_the_deadline_arms_reminder_and_escalation_again(self):
        item = self._new_item(date(2026, 3, 20))
        self._run_cron_on("2026-03-21")
        with freeze_time("2026-03-21"):
            item.deadline_date = date(2026, 4, 10)
            self.assertEqual(item.deadline_state, "on_time")
        self._run_cron_on("2026-04-11")
        self.assertEqual(len(self._activities(item, self.reminder_type)), 2)
        self.assertEqual(len(self._activities(item, self.escalation_type)), 2)

    def test_done_item_is_neither_reminded_nor_escalated(self):
        item = self._new_item(date(2026, 3, 20), state="done")
        self._run_cron_on("2026-03-25")
        self.assertEqual(item.deadline_state, "done")
        self.assertFalse(self._activities(item, self.reminder_type))
        self.assertFalse(self._activities(item, self.escalation_type))

    def test_escalation_falls_back_to_first_company_manager(self):
        self.company.bo_escalation_user_id = False
        item = self._new_item(date(2026, 3, 20))
        self._run_cron_on("2026-03-25")
        escalation = self._activities(item, self.escalation_type)
        expected = self.company._bo_escalation_user()
        self.assertTrue(expected)
        self.assertEqual(escalation.user_id, expected)

    def test_due_soon_days_are_per_company_and_refresh_open_items(self):
        other = self.env["res.company"].create({"name": "Other Co", "bo_due_soon_days": 10})
        with freeze_time("2026-03-10"):
            here = self._new_item(date(2026, 3, 16))
            there = self._new_item(date(2026, 3, 16), company_id=other.id)
            self.assertEqual(here.deadline_state, "on_time")
            self.assertEqual(there.deadline_state, "due_soon")
            self.company.bo_due_soon_days = 7
            self.assertEqual(here.deadline_state, "due_soon")
