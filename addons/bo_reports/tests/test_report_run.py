import base64
from datetime import date
from unittest.mock import patch

from odoo.addons.bo_base.tests.common import XLSX_HEADER_ROW, xlsx_rows, xlsx_workbook
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SalesReportCase


@tagged("post_install", "-at_install")
class TestReportRun(SalesReportCase):
    """Reports run in the background by queue_job, or at once without a runner."""

    def _wizard(self, user, **values):
        return self._report_wizard(
            "bo.sales.report.wizard",
            user,
            defaults={"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)},
            values=values,
        )

    def _run_of(self, action):
        self.assertEqual((action["res_model"], action["view_mode"]), ("bo.report.run", "form"))
        return self.env["bo.report.run"].browse(action["res_id"])

    def _order_lines(self, run):
        sheet = xlsx_workbook(base64.b64decode(run.attachment_id.datas))["Order Lines"]
        return xlsx_rows(sheet, XLSX_HEADER_ROW + 1)

    def _background(self):
        """A job runner serves the server; jobs are trapped to be run here."""
        run_model = type(self.env["bo.report.run"])
        runner = patch.object(run_model, "_job_runner_available", return_value=True)
        runner.start()
        self.addCleanup(runner.stop)
        # The job writes its progress through a cursor of its own: in a test,
        # that cursor must share the test's transaction.
        self.registry_enter_test_mode()

    def test_report_runs_in_the_background_with_progress_and_reaches_the_user(self):
        self._background()
        wizard = self._wizard(self.manager, detail=True)
        with trap_jobs() as trap:
            run = self._run_of(wizard.action_run_in_background())
            trap.assert_jobs_count(1)
            self.assertEqual(run.state, "queued")
            self.assertFalse(run.attachment_id)
            self.assertFalse(run.in_foreground)
            written = []
            run_model = type(run)
            original = run_model._write_status

            def record_status(record, in_background, vals):
                self.assertTrue(in_background)
                written.append(vals)
                return original(record, in_background, vals)

            wizard_model = type(wizard)
            with (
                patch.object(run_model, "_write_status", record_status),
                patch.object(wizard_model, "_detail_batch_size", 1),
            ):
                trap.perform_enqueued_jobs()
        run.invalidate_recordset()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100)
        self.assertTrue(run.date_done)
        # Progress moved while the two lines were written, a batch at a time.
        progress = [vals["progress"] for vals in written if "progress" in vals]
        self.assertEqual(progress, [0, 50])
        self.assertEqual(len(self._order_lines(run)), 2)
        # The user finds the file in their inbox.
        message = run.message_ids.filtered(lambda m: run.attachment_id in m.attachment_ids)
        self.assertIn(self.manager.partner_id, message.notification_ids.res_partner_id)

    def test_job_runs_with_its_users_rights_not_as_superuser(self):
        self._background()
        with trap_jobs() as trap:
            run = self._run_of(self._wizard(self.salesman, detail=True).action_run_in_background())
            self.assertEqual(trap.enqueued_jobs[0].recordset.env.uid, self.salesman.id)
            self.assertFalse(trap.enqueued_jobs[0].recordset.env.su)
            trap.perform_enqueued_jobs()
        run.invalidate_recordset()
        # Only the salesman's own orders: Müller's design line of March.
        visible = (
            self.env["sale.order.line"]
            .with_user(self.salesman)
            .search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("state", "=", "sale"),
                    ("order_id.date_order", ">=", "2026-02-28 23:00:00"),
                    ("order_id.date_order", "<", "2026-03-31 22:00:00"),
                ]
            )
        )
        self.assertEqual(visible, 1)
        self.assertEqual(len(self._order_lines(run)), visible)
        self.assertEqual({row[2] for row in self._order_lines(run)}, {"Müller GmbH"})

    def test_without_a_job_runner_the_report_runs_at_once_and_says_so(self):
        # Tests run without queue_job among the server-wide modules.
        self.assertFalse(self.env["bo.report.run"]._job_runner_available())
        with trap_jobs() as trap:
            run = self._run_of(self._wizard(self.manager, detail=True).action_run_in_background())
            trap.assert_jobs_count(0)
        self.assertEqual(run.state, "done")
        self.assertTrue(run.in_foreground)
        self.assertEqual(len(self._order_lines(run)), 2)
        view = self.env["bo.report.run"].get_view(view_type="form")["arch"]
        self.assertIn("No job runner serves this server", view)
        # An administrator whose runner is on another server says so.
        self.env["ir.config_parameter"].sudo().set_param("bo_reports.job_runner_elsewhere", "True")
        self.assertTrue(self.env["bo.report.run"]._job_runner_available())

    def test_a_failing_report_is_marked_failed_and_the_user_told(self):
        self._background()
        wizard = self._wizard(self.manager)
        report_model = type(self.env["report.bo_reports.sales_xlsx"])
        with trap_jobs() as trap:
            run = self._run_of(wizard.action_run_in_background())
            with patch.object(
                report_model, "generate_xlsx_report", side_effect=ValueError("disk full")
            ):
                trap.perform_enqueued_jobs()
        run.invalidate_recordset()
        self.assertEqual(run.state, "failed")
        self.assertIn("disk full", run.error)
        self.assertFalse(run.attachment_id)
        self.assertIn("disk full", run.message_ids[0].body)
        self.assertIn(self.manager.partner_id, run.message_ids[0].notification_ids.res_partner_id)

    def test_runs_are_private_and_only_written_by_the_report(self):
        run = self._run_of(self._wizard(self.manager, detail=True).action_run_in_background())
        runs = self.env["bo.report.run"]
        # Another user sees neither the run nor its file.
        self.assertFalse(runs.with_user(self.salesman).search([("id", "=", run.id)]))
        with self.assertRaises(AccessError):
            run.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            run.attachment_id.with_user(self.salesman).read(["datas"])
        # Its own user reads it but cannot forge or alter one over RPC.
        self.assertEqual(run.with_user(self.manager).state, "done")
        with self.assertRaises(AccessError):
            run.with_user(self.manager).write({"state": "queued"})
        with self.assertRaises(AccessError):
            runs.with_user(self.manager).create(
                {
                    "name": "Forged",
                    "user_id": self.manager.id,
                    "company_id": self.company.id,
                    "report_id": run.report_id.id,
                    "wizard_model": "res.users",
                    "wizard_values": {"login": "intruder"},
                }
            )
        with self.assertRaises(AccessError):
            run.with_user(self.manager).copy()
        # A user clears their list.
        run.with_user(self.manager).unlink()
        self.assertFalse(run.exists())
