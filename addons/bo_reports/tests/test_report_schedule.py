import base64
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import xlsx_workbook
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesReportCase


@tagged("post_install", "-at_install", "bo_dates")
class TestReportSchedule(SalesReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        bo_user = cls.env.ref("bo_base.group_bo_user")
        cls.manager.group_ids |= cls.env.ref("bo_base.group_bo_manager")
        cls.salesman.group_ids |= bo_user
        cls.clerk = new_test_user(
            cls.env,
            login="bo_schedule_clerk",
            groups="bo_base.group_bo_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.director = cls.env["res.partner"].create(
            {"name": "Direzione Commerciale", "email": "direzione@example.com"}
        )

    def _schedule(self, user=None, **values):
        schedules = self.env["bo.report.schedule"].with_user(user or self.manager)
        schedule_form = Form(schedules)
        schedule_form.name = "Vendite del mese"
        schedule_form.report = "sales"
        schedule_form.period = "last_month"
        schedule_form.recipient_ids.add(self.director)
        schedule_form.next_run = datetime(2026, 4, 2, 6, 0)
        for name, value in values.items():
            setattr(schedule_form, name, value)
        return schedule_form.save()

    def _run_cron(self, when):
        with freeze_time(when):
            self.env["bo.report.schedule"]._cron_send_due_reports()

    def _run_failing_cron(self, when):
        """Run the cron and check that it logged the failure for the admin."""
        with self.assertLogs(
            "odoo.addons.bo_reports.models.bo_report_schedule", level="WARNING"
        ) as logs:
            self._run_cron(when)
        self.assertIn("failed", logs.output[0])

    def _sent(self, schedule):
        """The messages of the schedule that carried a report, newest first."""
        return schedule.message_ids.filtered("attachment_ids")

    def test_schedule_emails_its_report(self):
        schedule = self._schedule()
        self.assertEqual(schedule.user_id, self.manager)
        self._run_cron("2026-04-01 08:00:00")
        self.assertFalse(self._sent(schedule), "not due yet")
        self._run_cron("2026-04-02 06:05:00")
        message = self._sent(schedule)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.director)
        self.assertEqual(message.author_id, self.manager.partner_id)
        notification = message.notification_ids.filtered(
            lambda n: n.res_partner_id == self.director
        )
        self.assertEqual(notification.notification_type, "email")
        attachment = message.attachment_ids
        self.assertEqual(attachment.name, "Sales Performance 2026-04-02.xlsx")
        workbook = xlsx_workbook(base64.b64decode(attachment.datas))
        # Last month is March 2026: the same numbers as the report by hand.
        customers = self._by_first_cell(workbook["By Customer"])
        self.assertEqual(
            {name: values[0] for name, values in customers.items()},
            {"Rossi S.p.A.": 1000, "Müller GmbH": 1000},
        )
        self.assertEqual(schedule.last_run, datetime(2026, 4, 2, 6, 5))
        self.assertEqual(schedule.next_run, datetime(2026, 5, 2, 6, 0))
        self.assertEqual(schedule.failure_count, 0)
        self._run_cron("2026-04-20 06:05:00")
        self.assertEqual(len(self._sent(schedule)), 1, "monthly: nothing more before May")

    def test_report_holds_what_the_owner_may_see(self):
        schedule = self._schedule(user=self.salesman)
        self.assertEqual(schedule.user_id, self.salesman)
        self._run_cron("2026-04-02 06:05:00")
        attachment = self._sent(schedule).attachment_ids
        workbook = xlsx_workbook(base64.b64decode(attachment.datas))
        self.assertEqual(set(self._by_first_cell(workbook["By Customer"])), {"Müller GmbH"})

    def test_owner_is_whoever_set_the_report_never_a_forged_user(self):
        admin = self.env.ref("base.user_admin")
        schedule = (
            self.env["bo.report.schedule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Forzata",
                    "recipient_ids": [Command.set(self.director.ids)],
                    "user_id": admin.id,
                }
            )
        )
        self.assertEqual(schedule.user_id, self.manager)
        schedule.with_user(self.manager).write({"user_id": admin.id})
        self.assertEqual(schedule.user_id, self.manager)
        # Another user who changes what it reports becomes its owner.
        other_manager = new_test_user(
            self.env,
            login="bo_schedule_manager_2",
            groups="bo_base.group_bo_manager,sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        schedule.with_user(other_manager).partner_ids = self.rossi
        self.assertEqual(schedule.user_id, other_manager)
        # A user sees and changes only their own schedules.
        with self.assertRaises(AccessError):
            schedule.with_user(self.clerk).read(["name"])
        with self.assertRaises(AccessError):
            schedule.with_user(self.clerk).write({"recipient_ids": [Command.clear()]})

    def test_failure_is_logged_retried_and_never_lost(self):
        # The clerk may not read sales: the report fails with the clerk's rights.
        schedule = self._schedule(user=self.clerk)
        self._run_failing_cron("2026-04-02 06:05:00")
        self.assertFalse(self._sent(schedule))
        self.assertEqual(schedule.failure_count, 1)
        self.assertIn("AccessError", schedule.last_error)
        self.assertEqual(schedule.next_run, datetime(2026, 4, 2, 7, 5))
        self.assertIn("could not be generated (attempt 1)", schedule.message_ids[0].body)
        self._run_failing_cron("2026-04-02 07:10:00")
        self.assertFalse(schedule.activity_ids)
        self._run_failing_cron("2026-04-02 08:15:00")
        self.assertEqual(schedule.failure_count, 3)
        self.assertEqual(schedule.activity_ids.user_id, self.clerk)
        # Rights given: the next retry sends the report and the rhythm resumes.
        self.clerk.group_ids |= self.env.ref("sales_team.group_sale_salesman")
        self._run_cron("2026-04-02 09:20:00")
        self.assertEqual(len(self._sent(schedule)), 1)
        self.assertEqual(schedule.failure_count, 0)
        self.assertFalse(schedule.last_error)
        self.assertEqual(schedule.next_run, datetime(2026, 5, 2, 6, 0))

    def test_ageing_schedule_and_italian_report(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["base", "bo_reports"], ["it_IT"])
        self.manager.group_ids |= self.env.ref("account.group_account_invoice")
        sales = self._schedule(lang="it_IT")
        ageing = self._schedule(report="receivable", frequency="weekly")
        self._run_cron("2026-04-02 06:05:00")
        attachment = self._sent(sales).attachment_ids
        self.assertEqual(attachment.name, "Andamento vendite 2026-04-02.xlsx")
        workbook = xlsx_workbook(base64.b64decode(attachment.datas))
        self.assertIn("Per cliente", workbook.sheetnames)
        ageing_file = self._sent(ageing).attachment_ids
        self.assertEqual(ageing_file.name, "Receivables Ageing 2026-04-02.xlsx")
        self.assertEqual(xlsx_workbook(base64.b64decode(ageing_file.datas)).sheetnames, ["Ageing"])
        self.assertEqual(ageing.next_run, datetime(2026, 4, 9, 6, 0))

    def test_send_now_keeps_the_plan(self):
        schedule = self._schedule()
        with freeze_time("2026-03-15 10:00:00"):
            schedule.with_user(self.manager).action_send_now()
        self.assertEqual(len(self._sent(schedule)), 1)
        self.assertEqual(schedule.next_run, datetime(2026, 4, 2, 6, 0))

    def test_an_archived_owner_sends_nothing(self):
        schedule = self._schedule(user=self.salesman).with_env(self.env)
        self.salesman.active = False
        self._run_failing_cron("2026-04-02 06:05:00")
        self.assertFalse(self._sent(schedule))
        self.assertIn("is archived", schedule.last_error)
        # A manager who saves it again becomes its owner and it runs.
        schedule.with_user(self.manager).recipient_ids = self.director
        self.assertEqual(schedule.user_id, self.manager)
        self._run_cron("2026-04-02 07:10:00")
        self.assertEqual(len(self._sent(schedule)), 1)

    def test_every_report_can_be_scheduled(self):
        self.manager.group_ids |= self.env.ref("account.group_account_invoice")
        expected = {
            "backlog": ("Order Backlog 2026-04-02.xlsx", "Backlog"),
            "expense": ("Expense Monitoring 2026-04-02.xlsx", "By Account"),
        }
        schedules = {report: self._schedule(report=report) for report in expected}
        self._run_cron("2026-04-02 06:05:00")
        for report, (filename, sheet) in expected.items():
            attachment = self._sent(schedules[report]).attachment_ids
            self.assertEqual(attachment.name, filename)
            workbook = xlsx_workbook(base64.b64decode(attachment.datas))
            self.assertIn(sheet, workbook.sheetnames)
            self.assertFalse(schedules[report].failure_count)

    def test_copy_and_import_make_the_copier_the_owner(self):
        schedule = self._schedule()
        copy = schedule.with_user(self.manager).copy()
        self.assertEqual(copy.user_id, self.manager)
        other_manager = new_test_user(
            self.env,
            login="bo_schedule_manager_3",
            groups="bo_base.group_bo_manager,sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        # Managers see every schedule; a copy runs with the copier's rights.
        copy = schedule.with_user(other_manager).copy()
        self.assertEqual(copy.user_id, other_manager)
        # An import naming another owner is refused that owner.
        admin = self.env.ref("base.user_admin")
        result = (
            self.env["bo.report.schedule"]
            .with_user(self.clerk)
            .load(
                ["name", "report", "recipient_ids/.id", "user_id/.id"],
                [["Importata", "sales", str(self.director.id), str(admin.id)]],
            )
        )
        imported = self.env["bo.report.schedule"].browse(result["ids"])
        self.assertFalse(result["messages"])
        self.assertEqual(imported.user_id, self.clerk)

    def test_another_companys_schedules_stay_out(self):
        other_schedule = self.env["bo.report.schedule"].create(
            {
                "name": "Altra ditta",
                "company_id": self.other_company.id,
                "recipient_ids": [Command.set(self.director.ids)],
            }
        )
        outsider = new_test_user(
            self.env,
            login="bo_schedule_outsider",
            groups="bo_base.group_bo_manager,sales_team.group_sale_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        schedules = self.env["bo.report.schedule"].with_user(outsider)
        self.assertFalse(schedules.search([("id", "=", other_schedule.id)]))
        with self.assertRaises(AccessError):
            other_schedule.with_user(outsider).read(["name"])
