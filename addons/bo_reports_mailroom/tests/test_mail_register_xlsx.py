from datetime import date

from freezegun import freeze_time

from odoo.addons.bo_base.tests.common import XLSX_HEADER_ROW, XlsxReportMixin, xlsx_workbook
from odoo.addons.bo_mailroom.tests.common import MailroomCommon
from odoo.addons.bo_reports.tests.common import ReportScheduleMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestMailRegisterXlsx(ReportScheduleMixin, XlsxReportMixin, MailroomCommon):
    """Entries registered in March 2026 (and one in February), read by clerks
    and managers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.clerk, cls.clerk2, cls.manager):
            user.tz = "Europe/Rome"
        cls.env.user.tz = "Europe/Rome"

    def setUp(self):
        super().setUp()
        with freeze_time("2026-02-27 10:00:00"):
            self.february = self._registered_entry(subject="Febbraio")
        with freeze_time("2026-03-02 09:00:00"):
            self.complaint = self._registered_entry(
                subject="Reclamo consegna",
                category_id=self.cat_complaints.id,
                deadline_date="2026-03-10",
            )
        with freeze_time("2026-03-05 15:00:00"):
            self.letter = self._registered_entry(
                direction="outgoing", channel="registered_letter", subject="Diffida"
            )
        with freeze_time("2026-03-09 11:00:00"):
            self.secret = self._registered_entry(
                subject="Offerta riservata",
                confidentiality="confidential",
                user_id=self.clerk2.id,
                category_id=self.cat_customers.id,
            )
        with freeze_time("2026-03-20 08:00:00"):
            self.twice = self._registered_entry(subject="Registrata due volte")
            action = self.twice.with_user(self.manager).action_open_cancel_wizard()
            cancel = Form(
                self.env["bo.mail.register.cancel"]
                .with_user(self.manager)
                .with_context(**action["context"])
            )
            cancel.reason = "Doppione"
            cancel.save().action_confirm()
        # 1 April 00:30 in Rome: April for the users, although 31 March in UTC.
        with freeze_time("2026-03-31 22:30:00"):
            self.april = self._registered_entry(subject="Aprile")
        self.draft = self._new_entry(subject="Bozza senza numero")

    def _wizard(self, user, **values):
        return self._report_wizard(
            "bo.mail.register.report.wizard",
            user,
            defaults={"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)},
            values=values,
        )

    @freeze_time("2026-03-25 12:00:00")
    def test_register_lists_the_periods_entries_in_protocol_order(self):
        workbook = self._export(self._wizard(self.manager))
        self.assertEqual(workbook.sheetnames, ["Summary", "Register"])
        header, *rows = self._rows(workbook["Register"])
        self.assertEqual(
            header,
            [
                "Protocol Number",
                "Registered on",
                "Direction",
                "Channel",
                "Correspondent",
                "Subject",
                "Classification",
                "Assignee",
                "State",
                "Reply Deadline",
                "Days Late",
            ],
        )
        expected = self.complaint | self.letter | self.secret | self.twice
        self.assertEqual([row[0] for row in rows], expected.mapped("name"))
        complaint = rows[0]
        self.assertEqual(complaint[1].strftime("%Y-%m-%d %H:%M"), "2026-03-02 10:00")
        self.assertEqual(
            complaint[2:9],
            [
                "Incoming",
                "Post",
                "Ferramenta Verdi",
                "Reclamo consegna",
                self.cat_complaints.display_name,
                "",
                "Registered",
            ],
        )
        # Due on 10 March, still open on the 25th: 15 days late.
        self.assertEqual(complaint[9].date(), date(2026, 3, 10))
        self.assertEqual(complaint[10], 15)
        self.assertEqual(rows[1][2:4], ["Outgoing", "Registered Letter"])
        # A cancelled entry keeps its number in the register, and says so.
        self.assertEqual(rows[3][8], "Cancelled")
        self.assertNotIn(self.draft.subject, [row[5] for row in rows])

    def test_summary_counts_what_the_register_holds(self):
        workbook = self._export(self._wizard(self.manager))
        header, *rows = self._rows(workbook["Summary"])
        self.assertEqual(header, ["Classification", "Incoming", "Outgoing", "Internal", "Total"])
        by_label = {row[0]: row[1:] for row in rows}
        groups = self.env["bo.mail.register"]._read_group(
            [
                ("protocol_seq", "!=", False),
                ("registration_date", ">=", "2026-02-28 23:00:00"),
                ("registration_date", "<", "2026-03-31 22:00:00"),
            ],
            ["direction"],
            ["__count"],
        )
        counts = dict(groups)
        self.assertEqual(
            by_label["Total"],
            [counts.get("incoming", 0), counts.get("outgoing", 0), 0, 4],
        )
        self.assertEqual(by_label["Not classified"], [1, 1, 0, 2])
        self.assertEqual(by_label[self.cat_customers.display_name], [1, 0, 0, 1])
        self.assertEqual(by_label[self.cat_complaints.display_name], [1, 0, 0, 1])
        # Totals are formulas over the rows above.
        formulas = self._export(self._wizard(self.manager), formulas=True)["Summary"]
        total_row = XLSX_HEADER_ROW + len(rows)
        self.assertTrue(str(formulas.cell(total_row, 2).value).startswith("=SUM("))

    def test_clerk_gets_only_the_entries_they_may_open(self):
        rows = self._rows(self._export(self._wizard(self.clerk))["Register"])[1:]
        self.assertNotIn(self.secret.name, [row[0] for row in rows])
        self.assertEqual(len(rows), 3)
        # Its assignee finds it.
        rows = self._rows(self._export(self._wizard(self.clerk2))["Register"])[1:]
        self.assertIn(self.secret.name, [row[0] for row in rows])
        summary = self._rows(self._export(self._wizard(self.clerk))["Summary"])
        self.assertEqual(summary[-1][-1], 3)

    def test_filters_on_direction_classification_and_cancelled(self):
        wizard = self._wizard(self.manager, direction="outgoing")
        rows = self._rows(self._export(wizard)["Register"])[1:]
        self.assertEqual([row[0] for row in rows], [self.letter.name])
        wizard = self._wizard(self.manager)
        wizard.category_ids = self.cat_customers
        rows = self._rows(self._export(wizard)["Register"])[1:]
        # A classification includes its subdivisions.
        self.assertEqual([row[0] for row in rows], [self.complaint.name, self.secret.name])
        wizard = self._wizard(self.manager, include_cancelled=False)
        rows = self._rows(self._export(wizard)["Register"])[1:]
        self.assertNotIn(self.twice.name, [row[0] for row in rows])

    def test_other_companies_and_users_outside_the_back_office(self):
        other = self.env["res.company"].create({"name": "Altra Sede S.r.l."})
        values = {"date_from": "2026-03-01", "date_to": "2026-03-31", "company_id": other.id}
        wizards = self.env["bo.mail.register.report.wizard"].with_user(self.manager)
        with self.assertRaises(ValidationError):
            wizards.create(values)
        self.manager.company_ids |= other
        wizard = wizards.with_context(allowed_company_ids=other.ids).create(values)
        self.assertEqual(len(self._rows(self._export(wizard)["Register"])), 1)
        for user in (self.internal, self.portal):
            with self.assertRaises(AccessError):
                self.env["bo.mail.register.report.wizard"].with_user(user).create(
                    {"date_from": "2026-03-01", "date_to": "2026-03-31"}
                )

    def test_italian_register(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "bo_mailroom", "bo_reports", "bo_reports_mailroom"], ["it_IT"]
        )
        self.manager.lang = "it_IT"
        # The web client sends the user's language with the request.
        workbook = self._export(self._wizard(self.manager).with_context(lang="it_IT"))
        self.assertEqual(workbook.sheetnames, ["Riepilogo", "Registro"])
        header, *rows = self._rows(workbook["Registro"])
        self.assertEqual(header[:3], ["Numero di protocollo", "Registrato il", "Direzione"])
        self.assertEqual(rows[0][2], "In entrata")
        self.assertEqual(rows[3][8], "Annullata")

    def test_register_runs_in_the_background_with_the_users_rights(self):
        run = self.env["bo.report.run"].browse(
            self._wizard(self.clerk).action_run_in_background()["res_id"]
        )
        self.assertEqual(run.state, "done")
        content = run.attachment_id.raw
        rows = self._rows(xlsx_workbook(content, formulas=True)["Register"])[1:]
        self.assertEqual(len(rows), 3)
        self.assertEqual(run.user_id, self.clerk)
        self.assertTrue(run.with_user(self.clerk).read(["state"]))
        self.assertFalse(
            self.env["bo.report.run"].with_user(self.clerk2).search([("id", "=", run.id)])
        )

    def test_register_scheduled_and_emailed(self):
        archive = self.env["res.partner"].create(
            {"name": "Archivio Generale", "email": "archivio@example.com"}
        )
        schedule = self._schedule_report(
            self.manager, "Registro del mese", "register", archive, next_run="2026-04-02 06:00:00"
        )
        message = self._mailed_report(schedule, "2026-04-02 06:05:00")
        self.assertEqual(message.partner_ids, archive)
        self.assertEqual(message.attachment_ids.name, "Correspondence Register 2026-04-02.xlsx")
        workbook = xlsx_workbook(message.attachment_ids.raw, formulas=True)
        rows = self._rows(workbook["Register"])[1:]
        expected = self.complaint | self.letter | self.secret | self.twice
        self.assertEqual([row[0] for row in rows], expected.mapped("name"))
