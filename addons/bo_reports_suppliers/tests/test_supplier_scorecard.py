from datetime import timedelta

from odoo.addons.bo_base.tests.common import XlsxReportMixin, xlsx_workbook
from odoo.addons.bo_reports.tests.common import ReportScheduleMixin
from odoo.addons.bo_suppliers.tests.test_supplier_evaluation import BoEvaluationCommon
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

SCORECARD_HEADERS_EN = [
    "Supplier",
    "Evaluations",
    "Score",
    "On-Time Receipts",
    "Quantity Accuracy",
    "Quality (Returns)",
    "Price Adherence",
    "Responsiveness",
    "Valid Certificates",
    "Latest Class",
    "Trend",
]


@tagged("post_install", "-at_install", "bo_dates")
class TestSupplierScorecard(ReportScheduleMixin, XlsxReportMixin, BoEvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["bo.supplier.document.type"].search([]).mandatory = False
        cls.supplier_b = cls.env["res.partner"].create(
            {"name": "Bulloneria Veneta S.r.l.", "is_company": True, "supplier_rank": 1}
        )

    def _ordered_and_received(self, partner, planned_day, received_day, quantity):
        order = self._order(
            lines=[(self.product, 10, 40.0)], partner=partner, planned_day=planned_day
        )
        # Answered at once: the request was made when it was confirmed.
        self.env.cr.execute(
            "UPDATE purchase_order SET create_date = date_approve WHERE id = %s", (order.id,)
        )
        self._receive(order, day=received_day, quantities={self.product: quantity})

    def _evaluated_month(self):
        # Acciai Brianza: late, 8 of 10 received (score 70, class B);
        # Bulloneria Veneta: on time and complete (score 100, class A).
        self._ordered_and_received(self.supplier, planned_day=3, received_day=9, quantity=8)
        self._ordered_and_received(self.supplier_b, planned_day=10, received_day=2, quantity=10)
        self._evaluate([self.supplier, self.supplier_b])
        # An evaluation of a few chosen days is for information: not in the scorecard.
        self.Evaluation._bo_evaluate(
            self.company, self.date_from, self.date_from + timedelta(days=9), self.supplier
        )

    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.supplier.scorecard.wizard",
            user or self.manager,
            defaults={"date_from": self.date_from, "date_to": self.date_to},
            values=values,
        )

    def test_scorecard_averages_the_company_evaluations_of_the_period(self):
        self._evaluated_month()
        evaluations = self.Evaluation.search(
            [("company_id", "=", self.company.id), ("period_type", "=", "month")]
        )
        self.assertEqual(
            sorted(evaluations.mapped("score")), [70.0, 100.0], "the figures of bo_suppliers"
        )
        workbook = self._export(self._wizard())
        self.assertEqual(workbook.sheetnames, ["Scorecard", "Evaluations"])
        rows = self._rows(workbook["Scorecard"])
        self.assertEqual(rows[0], SCORECARD_HEADERS_EN)
        # Best first; criteria without data (no bill, no mandatory document) blank.
        self.assertEqual(
            rows[1], ["Bulloneria Veneta S.r.l.", 1, 100, 100, 100, 100, None, 100, None, "A", 0]
        )
        self.assertEqual(
            rows[2], ["Acciai Brianza S.p.A.", 1, 70, 0, 80, 100, None, 100, None, "B", 0]
        )
        self.assertEqual(rows[3][:9], ["Average", None, 85, 50, 90, 100, None, 100, None])
        self.assertEqual(len(self._rows(workbook["Evaluations"])), 1 + 2)

    def test_suppliers_filter_and_empty_period(self):
        self._evaluated_month()
        wizard = self._wizard()
        wizard.partner_ids = self.supplier_b
        rows = self._rows(self._export(wizard)["Scorecard"])
        self.assertEqual([row[0] for row in rows[1:]], ["Bulloneria Veneta S.r.l.", "Average"])
        wizard.partner_ids = False
        wizard.date_from = wizard.date_to = self.date_from - timedelta(days=40)
        workbook = self._export(wizard)
        self.assertEqual(len(self._rows(workbook["Scorecard"])), 1, "header only")
        self.assertEqual(len(self._rows(workbook["Evaluations"])), 1, "header only")

    def test_other_company_and_outsiders(self):
        self._evaluated_month()
        # The other company's clerk has no evaluation of ours, and cannot ask for them.
        workbook = self._export(self._wizard(user=self.other_clerk))
        self.assertEqual(len(self._rows(workbook["Scorecard"])), 1)
        with self.assertRaises(ValidationError):
            self.env["bo.supplier.scorecard.wizard"].with_user(self.other_clerk).create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "company_id": self.company.id,
                }
            )
        # A buyer may run it; an employee outside purchasing or a portal user may not.
        self.assertEqual(
            len(self._rows(self._export(self._wizard(user=self.purchase_user))["Scorecard"])), 4
        )
        for user in (self.internal_user, self.portal_user):
            with self.assertRaises(AccessError):
                self.env["bo.supplier.scorecard.wizard"].with_user(user).create(
                    {"date_from": self.date_from, "date_to": self.date_to}
                )

    def test_italian_spreadsheet(self):
        self._evaluated_month()
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_suppliers", "bo_reports", "bo_reports_suppliers"], ["it_IT"]
        )
        workbook = self._export(self._wizard().with_context(lang="it_IT"))
        self.assertEqual(workbook.sheetnames, ["Scheda fornitori", "Valutazioni"])
        headers = self._rows(workbook["Scheda fornitori"])[0]
        self.assertEqual(
            headers[:5],
            [
                "Fornitore",
                "Valutazioni",
                "Punteggio",
                "Ricevimenti puntuali",
                "Precisione quantità",
            ],
        )
        self.assertEqual(self._rows(workbook["Scheda fornitori"])[-1][0], "Media")

    def test_scorecard_scheduled_and_emailed_with_the_owners_rights(self):
        self._evaluated_month()
        buyer = self.env["res.partner"].create(
            {"name": "Ufficio Acquisti", "email": "acquisti@example.com"}
        )
        schedule = self._schedule_report(self.manager, "Valutazione fornitori", "scorecard", buyer)
        attachment = self._mailed_report(schedule).attachment_ids
        self.assertTrue(attachment.name.startswith("Supplier Scorecard "))
        workbook = xlsx_workbook(attachment.raw)
        rows = self._rows(workbook["Scorecard"])
        self.assertEqual(
            [row[0] for row in rows[1:]],
            ["Bulloneria Veneta S.r.l.", "Acciai Brianza S.p.A.", "Average"],
        )
