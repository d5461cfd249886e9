from datetime import date
from unittest.mock import patch

from odoo.addons.bo_base.tests.common import XLSX_HEADER_ROW
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesReportCase

DIMENSION_HEADERS_EN = [
    "Customer",
    "Revenue",
    "Previous Period",
    "Change",
    "Same Period Last Year",
    "Change vs Last Year",
    "Margin",
    "Margin %",
]


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestSalesXlsx(SalesReportCase):
    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.sales.report.wizard",
            user or self.manager,
            defaults={"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)},
            values=values,
        )

    def test_sheets_compare_the_period_with_sales_analysis(self):
        workbook = self._export(self._wizard())
        self.assertEqual(
            workbook.sheetnames,
            [
                "By Month",
                "By Customer",
                "By Product",
                "By Category",
                "By Salesperson",
                "By Country",
            ],
        )
        customers = workbook["By Customer"]
        rows = self._rows(customers)
        self.assertEqual(rows[0], DIMENSION_HEADERS_EN)
        # The same numbers as Sales Analysis grouped by customer entity.
        groups = (
            self.env["sale.report"]
            .with_user(self.manager)
            .with_company(self.company)
            ._read_group(
                [
                    ("company_id", "=", self.company.id),
                    ("state", "=", "sale"),
                    ("date", ">=", "2026-02-28 23:00:00"),
                    ("date", "<", "2026-03-31 22:00:00"),
                ],
                ["commercial_partner_id"],
                ["price_subtotal:sum", "margin:sum"],
            )
        )
        expected = {partner.name: (total, margin) for partner, total, margin in groups}
        self.assertEqual(expected, {"Rossi S.p.A.": (1000, 400), "Müller GmbH": (1000, 750)})
        by_customer = self._by_first_cell(customers)
        self.assertEqual(
            {name: (values[0], values[5]) for name, values in by_customer.items()}, expected
        )
        # Rossi: 400 in February, 200 in March 2025; Müller: 200 in March 2025.
        self.assertEqual(by_customer["Rossi S.p.A."][:6], [1000, 400, 1.5, 200, 4, 400])
        self.assertAlmostEqual(by_customer["Rossi S.p.A."][6], 0.4)
        self.assertEqual(by_customer["Müller GmbH"][:6], [1000, 0, None, 200, 4, 750])
        self.assertEqual(rows[-1][:7], ["Total", 2000, 400, 4, 400, 4, 1150])
        self.assertEqual(
            self._by_first_cell(workbook["By Category"]),
            {
                "Arredo / Sedie": [1000, 400, 1.5, 200, 4, 400, 0.4],
                "Servizi": [1000, 0, None, 200, 4, 750, 0.75],
            },
        )
        self.assertEqual(
            set(self._by_first_cell(workbook["By Product"])),
            {"[SED01] Sedia Ufficio", "Progettazione"},
        )
        self.assertEqual(
            {
                name: values[0]
                for name, values in self._by_first_cell(workbook["By Country"]).items()
            },
            {"Italy": 1000, "Germany": 1000},
        )
        self.assertEqual(
            {
                name: values[0]
                for name, values in self._by_first_cell(workbook["By Salesperson"]).items()
            },
            {self.manager.name: 1000, self.salesman.name: 1000},
        )
        months = self._rows(workbook["By Month"])
        self.assertEqual(
            months[0], ["Month", "Revenue", "Same Month Last Year", "Change vs Last Year", "Margin"]
        )
        self.assertEqual(
            months[1:], [["March 2026", 2000, 400, 4, 1150], ["Total", 2000, 400, 4, 1150]]
        )

    def test_totals_and_changes_are_formulas_with_header_frozen_and_a_chart(self):
        workbook = self._export(self._wizard(), formulas=True)
        sheet = workbook["By Customer"]
        self.assertEqual(sheet.freeze_panes, "B5")
        self.assertEqual(sheet.auto_filter.ref, "A4:H6")
        total = self._rows(sheet)[-1]
        self.assertEqual(total[1], "=SUM(B5:B6)")
        self.assertEqual(total[6], "=SUM(G5:G6)")
        self.assertEqual(sheet["D5"].value, '=IF(C5=0,"",(B5-C5)/ABS(C5))')
        self.assertEqual(sheet["H5"].value, '=IF(B5=0,"",G5/B5)')
        self.assertIn("%", sheet["D5"].number_format)
        self.assertIn("#,##0.00", sheet["B5"].number_format)
        self.assertEqual(len(workbook["By Month"]._charts), 1)

    def test_order_lines_sheet_has_every_line_of_the_period(self):
        wizard = self._wizard(detail=True)
        report = self.env["report.bo_reports.sales_xlsx"]
        # Small batches and sheets: the lines are paged and continue on a new sheet.
        with (
            patch.object(type(wizard), "_detail_batch_size", 1),
            patch.object(type(report), "_max_sheet_rows", XLSX_HEADER_ROW + 1),
        ):
            workbook = self._export(wizard)
        self.assertEqual(workbook.sheetnames[-2:], ["Order Lines", "Order Lines (2)"])
        lines = (
            self._rows(workbook["Order Lines"])[1:] + self._rows(workbook["Order Lines (2)"])[1:]
        )
        expected = self.env["sale.order.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "sale"),
                ("order_id.date_order", ">=", "2026-02-28 23:00:00"),
                ("order_id.date_order", "<", "2026-03-31 22:00:00"),
            ],
            order="id",
        )
        self.assertEqual(len(lines), len(expected))
        self.assertEqual([line[0] for line in lines], expected.order_id.mapped("name"))
        self.assertEqual(sum(line[9] for line in lines), sum(expected.mapped("price_subtotal")))
        first = lines[0]
        self.assertEqual(first[1].date(), date(2026, 3, 10))
        self.assertEqual(
            first[2:9],
            [
                "Rossi S.p.A., Ufficio Acquisti",
                "[SED01] Sedia Ufficio",
                "Arredo / Sedie",
                self.manager.name,
                "Italy",
                10,
                "Units",
            ],
        )
        self.assertEqual(first[9:], [1000, 400])

    def test_filters_on_customers_categories_and_salespeople(self):
        wizard = self._wizard()
        wizard.partner_ids = self.rossi
        self.assertEqual(
            set(self._by_first_cell(self._export(wizard)["By Customer"])), {"Rossi S.p.A."}
        )
        wizard.partner_ids = False
        wizard.categ_ids = self.furniture
        self.assertEqual(
            set(self._by_first_cell(self._export(wizard)["By Category"])), {"Arredo / Sedie"}
        )
        wizard.categ_ids = False
        wizard.user_ids = self.salesman
        self.assertEqual(
            set(self._by_first_cell(self._export(wizard)["By Customer"])), {"Müller GmbH"}
        )

    def test_chosen_sheets_only(self):
        wizard = self._wizard(by_product=False, by_country=False, by_salesperson=False)
        self.assertEqual(
            self._export(wizard).sheetnames, ["By Month", "By Customer", "By Category"]
        )

    def test_salesperson_gets_only_the_orders_they_can_see(self):
        workbook = self._export(self._wizard(user=self.salesman, detail=True))
        self.assertEqual(set(self._by_first_cell(workbook["By Customer"])), {"Müller GmbH"})
        self.assertEqual(len(self._rows(workbook["Order Lines"])), 2)

    def test_another_companys_orders_stay_out_and_cannot_be_forced(self):
        workbook = self._export(self._wizard(detail=True))
        self.assertEqual(self._rows(workbook["By Customer"])[-1][1], 2000)
        self.assertEqual(len(self._rows(workbook["Order Lines"])), 3)
        with self.assertRaises(ValidationError):
            self.env["bo.sales.report.wizard"].with_user(self.manager).create(
                {
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                    "company_id": self.other_company.id,
                }
            )

    def test_a_period_must_start_before_it_ends(self):
        with self.assertRaisesRegex(ValidationError, "must start before it ends"):
            self._wizard(date_from=date(2026, 4, 1), date_to=date(2026, 3, 1))

    def test_previous_period_is_whole_months_or_as_many_days(self):
        cases = [
            ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
            ((date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31))),
            ((date(2026, 3, 10), date(2026, 3, 19)), (date(2026, 2, 28), date(2026, 3, 9))),
        ]
        for period, previous in cases:
            periods = self._wizard(date_from=period[0], date_to=period[1])._bo_periods()
            self.assertEqual(periods["previous"], previous)
        leap = self._wizard(date_from=date(2028, 2, 1), date_to=date(2028, 2, 29))._bo_periods()
        self.assertEqual(leap["last_year"], (date(2027, 2, 1), date(2027, 2, 28)))
        after_leap = self._wizard(date_from=date(2025, 2, 1), date_to=date(2025, 2, 28))
        self.assertEqual(
            after_leap._bo_periods()["last_year"], (date(2024, 2, 1), date(2024, 2, 29))
        )

    def test_summary_takes_one_query_whatever_the_number_of_customers(self):
        wizard = self._wizard()
        wizard._bo_sales_summary()
        with self.assertQueryCount(1):
            wizard._bo_sales_summary()
        for number in range(5):
            partner = self.env["res.partner"].create({"name": f"Cliente {number}"})
            self._order(partner, self.chair, 1, "2026-03-05 10:00:00")
        self.env.invalidate_all()
        wizard._bo_sales_summary()
        with self.assertQueryCount(1):
            summary = wizard._bo_sales_summary()
        self.assertEqual(len(summary["customer"]), 7)

    def test_users_outside_sales_cannot_run_it(self):
        clerk = new_test_user(self.env, login="bo_sales_report_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["bo.sales.report.wizard"].with_user(clerk).create(
                {"date_from": "2026-03-01", "date_to": "2026-03-31"}
            )

    def test_italian_spreadsheet(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["base", "bo_reports"], ["it_IT"])
        self.manager.lang = "it_IT"
        # The web client sends the user's language with the request.
        workbook = self._export(self._wizard().with_context(lang="it_IT"))
        self.assertEqual(
            workbook.sheetnames,
            [
                "Per mese",
                "Per cliente",
                "Per prodotto",
                "Per categoria",
                "Per commerciale",
                "Per nazione",
            ],
        )
        self.assertEqual(
            self._rows(workbook["Per cliente"])[0],
            [
                "Cliente",
                "Fatturato",
                "Periodo precedente",
                "Variazione",
                "Stesso periodo anno precedente",
                "Variazione su anno precedente",
                "Margine",
                "Margine %",
            ],
        )
        months = self._rows(workbook["Per mese"])
        self.assertEqual(months[1][:2], ["marzo 2026", 2000])
        self.assertEqual(months[-1][:2], ["Totale", 2000])
        self.assertEqual(self._by_first_cell(workbook["Per nazione"])["Italia"][0], 1000)
