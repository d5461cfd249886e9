from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import XlsxReportMixin, xlsx_workbook
from odoo.addons.bo_orders.tests.claim_common import BoClaimCommon
from odoo.addons.bo_reports.tests.common import ReportScheduleMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestClaimXlsx(ReportScheduleMixin, XlsxReportMixin, BoClaimCommon):
    """Claims received in March 2026: two resolved, one open past its
    service level; one in February."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.clerk, cls.manager, cls.salesman):
            user.tz = "Europe/Rome"
        cls.env.user.tz = "Europe/Rome"

    def setUp(self):
        super().setUp()
        with freeze_time("2026-02-20 10:00:00"):
            self.february = self._claim_by_hand(title="Febbraio")
        with freeze_time("2026-03-03 09:00:00"):
            self.defect = self._claim_by_hand(title="Viti difettose", product_id=self.screws)
        self._resolve(self.defect, "2026-03-08 09:00:00", root_cause="product_defect")
        with freeze_time("2026-03-10 09:00:00"):
            self.question = self._claim_by_hand(title="Listino", claim_type="information")
        self._resolve(self.question, "2026-03-11 09:00:00")
        with freeze_time("2026-03-20 09:00:00"):
            self.late = self._claim_by_hand(title="Consegna in ritardo", claim_type="delivery")
        # Nobody answered: past its service level by the end of April.
        with freeze_time("2026-04-30 09:00:00"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()

    def _resolve(self, claim, when, **values):
        with Form(claim.with_user(self.clerk)) as form:
            form.resolution_note = "Risolto"
            for fname, value in values.items():
                setattr(form, fname, value)
        with freeze_time(when):
            claim.with_user(self.clerk).action_resolve()

    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.claim.report.wizard",
            user or self.manager,
            defaults={"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)},
            values=values,
        )

    def test_statistics_by_type_match_the_pivot_view(self):
        workbook = self._export(self._wizard())
        self.assertEqual(
            workbook.sheetnames, ["By Type", "By Root Cause", "By Product", "By Month", "Claims"]
        )
        header, *rows = self._rows(workbook["By Type"])
        self.assertEqual(
            header,
            [
                "Type",
                "Claims",
                "Open",
                "Resolved",
                "Cancelled",
                "Past Service Level",
                "Average Days to Resolve",
            ],
        )
        by_type = {row[0]: row[1:] for row in rows}
        self.assertEqual(by_type["Complaint"], [1, 0, 1, 0, 0, 5])
        self.assertEqual(by_type["Information Request"], [1, 0, 1, 0, 0, 1])
        self.assertEqual(by_type["Delivery Problem"], [1, 1, 0, 0, 1, 0])
        # Totals: counts summed, days averaged over the resolved claims.
        self.assertEqual(by_type["Total"], [3, 1, 2, 0, 1, 3])
        # The pivot view's figures for the same claims.
        claims = self.env["bo.customer.claim"].with_user(self.manager)
        domain = [
            ("received_date", ">=", "2026-02-28 23:00:00"),
            ("received_date", "<", "2026-03-31 22:00:00"),
        ]
        pivot = dict(claims._read_group(domain, ["claim_type"], ["__count"]))
        self.assertEqual(pivot, {"complaint": 1, "information": 1, "delivery": 1})
        [[average]] = claims._read_group(
            [*domain, ("resolution_date", "!=", False)], [], ["resolution_days:avg"]
        )
        self.assertEqual(average, 3)

    def test_statistics_by_cause_product_and_month_and_the_claims_sheet(self):
        workbook = self._export(self._wizard())
        by_cause = {row[0]: row[1] for row in self._rows(workbook["By Root Cause"])[1:]}
        self.assertEqual(by_cause, {"Product Defect": 1, "Not set": 2, "Total": 3})
        by_product = {row[0]: row[1] for row in self._rows(workbook["By Product"])[1:]}
        self.assertEqual(by_product[self.screws.display_name], 1)
        self.assertEqual(by_product["No product"], 2)
        by_month = self._rows(workbook["By Month"])[1:]
        self.assertEqual([row[:2] for row in by_month], [["March 2026", 3], ["Total", 3]])
        header, *claims = self._rows(workbook["Claims"])
        self.assertEqual(header[:4], ["Reference", "Received on", "Customer", "Subject"])
        self.assertEqual(
            [row[0] for row in claims], (self.defect | self.question | self.late).mapped("name")
        )
        defect = claims[0]
        self.assertEqual(defect[1].date(), date(2026, 3, 3))
        self.assertEqual([defect[4], defect[8], defect[9]], ["Complaint", "Product Defect", 5])
        self.assertEqual(claims[2][11], "Yes")

    def test_by_month_in_the_users_time_zone_without_one_in_the_context(self):
        """A scheduled run has no tz in its context: a claim received
        28 February 23:30 UTC, 1 March 00:30 in Rome, is March's, in the
        period's bounds and in the By Month sheet alike."""
        with freeze_time("2026-02-28 23:30:00"):
            midnight = self._claim_by_hand(title="Mezzanotte")
        self.assertEqual(str(midnight.received_date), "2026-02-28 23:30:00")
        wizard = self._wizard()
        self.assertEqual(self.manager.tz, "Europe/Rome")
        self.assertFalse(wizard.env.context.get("tz"))
        # The statistics themselves, outside the spreadsheet's rendering.
        statistics = wizard._bo_claim_statistics("received_date:month")
        self.assertEqual(
            {month: figures["count"] for month, figures in statistics}, {datetime(2026, 3, 1): 4}
        )
        by_month = self._rows(self._export(wizard)["By Month"])[1:]
        self.assertEqual([row[:2] for row in by_month], [["March 2026", 4], ["Total", 4]])
        february = self._wizard(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
        self.assertFalse(february.env.context.get("tz"))
        by_month = self._rows(self._export(february)["By Month"])[1:]
        self.assertEqual([row[:2] for row in by_month], [["February 2026", 1], ["Total", 1]])

    def test_filters_and_who_may_run_it(self):
        wizard = self._wizard()
        wizard.product_ids = self.screws
        rows = self._rows(self._export(wizard)["Claims"])[1:]
        self.assertEqual([row[0] for row in rows], [self.defect.name])
        other_customer = self.env["res.partner"].create({"name": "Altro Cliente"})
        wizard.write({"product_ids": [Command.clear()], "partner_ids": other_customer.ids})
        self.assertEqual(len(self._rows(self._export(wizard)["Claims"])), 1, "header only")
        # Salespeople read claims: they may run it; an employee outside sales may not.
        self.assertEqual(len(self._rows(self._export(self._wizard(self.salesman))["Claims"])), 4)
        employee = self.env["res.users"].create(
            {
                "name": "Impiegato",
                "login": "bo_claim_report_employee",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["bo.claim.report.wizard"].with_user(employee).create(
                {"date_from": "2026-03-01", "date_to": "2026-03-31"}
            )
        other = self.env["res.company"].create({"name": "Altra Sede S.r.l."})
        with self.assertRaises(ValidationError):
            self.env["bo.claim.report.wizard"].with_user(self.manager).create(
                {"date_from": "2026-03-01", "date_to": "2026-03-31", "company_id": other.id}
            )

    def test_claims_statistics_scheduled(self):
        director = self.env["res.partner"].create(
            {"name": "Qualità", "email": "qualita@example.com"}
        )
        schedule = self._schedule_report(
            self.manager, "Reclami del mese", "claims", director, next_run="2026-04-02 06:00:00"
        )
        attachment = self._mailed_report(schedule, "2026-04-02 06:05:00").attachment_ids
        self.assertEqual(attachment.name, "Claims Statistics 2026-04-02.xlsx")
        rows = self._rows(xlsx_workbook(attachment.raw, formulas=True)["Claims"])[1:]
        self.assertEqual(len(rows), 3)

    def test_italian_spreadsheet(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "bo_orders", "bo_reports", "bo_reports_orders"], ["it_IT"]
        )
        self.manager.lang = "it_IT"
        workbook = self._export(self._wizard().with_context(lang="it_IT"))
        self.assertEqual(workbook.sheetnames[0], "Per tipo")
        header, *rows = self._rows(workbook["Per tipo"])
        self.assertEqual(header[:2], ["Tipo", "Reclami"])
        self.assertIn("Reclamo", [row[0] for row in rows])
        self.assertEqual(self._rows(workbook["Per mese"])[1][0], "Marzo 2026")

    def test_overview_counts_claims_past_their_sla(self):
        tile = self.env.ref("bo_reports.bo_overview_tile_claims_past_sla").with_user(self.clerk)
        self.assertTrue(tile.is_available)
        overdue = (
            self.env["bo.customer.claim"]
            .with_user(self.clerk)
            .search([("deadline_state", "=", "overdue")])
        )
        self.assertIn(self.late, overdue)
        self.assertNotIn(self.defect, overdue)
        self.assertEqual(tile.count, len(overdue))
        action = tile.action_open()
        self.assertEqual(tile.env[action["res_model"]].search(action["domain"]), overdue)
