from datetime import date

from odoo.tests import tagged

from .common import SalesReportCase

DIMENSION_SHEETS = ["By Customer", "By Product", "By Category", "By Salesperson", "By Country"]


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestReportTimeZone(SalesReportCase):
    """An order confirmed on 1 March 2026 at 00:30 in Rome, stored as
    28 February 23:30 UTC, is March's for a user in Rome: on every sheet of
    the sales report, in its months, its periods and its order lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bianchi = cls.env["res.partner"].create(
            {"name": "Bianchi S.r.l.", "country_id": cls.env.ref("base.it").id}
        )
        # 3 chairs: 300, margin 120.
        cls.midnight_order = cls._order(cls.bianchi, cls.chair, 3, "2026-02-28 23:30:00")

    def _wizard(self, date_from, date_to, user=None, **values):
        return self._report_wizard(
            "bo.sales.report.wizard",
            user or self.manager,
            defaults={"date_from": date_from, "date_to": date_to},
            values=values,
        )

    def _march(self, **values):
        return self._wizard(date(2026, 3, 1), date(2026, 3, 31), **values)

    def _assert_counted_in_march(self, workbook):
        # Sales Analysis grouped by month in Rome says the same.
        groups = (
            self.env["sale.report"]
            .with_user(self.manager)
            .with_context(tz="Europe/Rome")
            .with_company(self.company)
            ._read_group(
                [("company_id", "=", self.company.id), ("state", "=", "sale")],
                ["date:month"],
                ["price_subtotal:sum"],
            )
        )
        self.assertIn((date(2026, 3, 1), 2300), [(m.date(), total) for m, total in groups])
        self.assertEqual(
            self._rows(workbook["By Month"])[1:],
            [["March 2026", 2300, 400, 4.75, 1270], ["Total", 2300, 400, 4.75, 1270]],
        )
        # Bianchi: 300 in March, nothing in February (the previous period).
        self.assertEqual(
            self._by_first_cell(workbook["By Customer"])["Bianchi S.r.l."],
            [300, 0, None, 0, None, 120, 0.4],
        )
        for name in DIMENSION_SHEETS:
            with self.subTest(sheet=name):
                total = self._rows(workbook[name])[-1]
                self.assertEqual(total[:3], ["Total", 2300, 400])
        lines = self._rows(workbook["Order Lines"])[1:]
        self.assertEqual(sum(line[9] for line in lines), 2300)
        bianchi = [line for line in lines if line[2] == "Bianchi S.r.l."]
        self.assertEqual([line[0] for line in bianchi], [self.midnight_order.name])
        self.assertEqual(bianchi[0][1].date(), date(2026, 3, 1))

    def test_order_past_midnight_in_rome_counts_in_march_on_every_sheet(self):
        # In the background (a run, a schedule) no time zone comes with the
        # request; the web client sends the user's.
        for context in ({}, {"tz": "Europe/Rome"}):
            with self.subTest(context=context):
                wizard = self._march(detail=True).with_context(**context)
                self._assert_counted_in_march(self._export(wizard))

    def test_february_leaves_out_the_order_of_1_march_in_rome(self):
        workbook = self._export(self._wizard(date(2026, 2, 1), date(2026, 2, 28), detail=True))
        self.assertEqual(
            self._rows(workbook["By Month"])[1:],
            [["February 2026", 400, 0, None, 160], ["Total", 400, 0, None, 160]],
        )
        self.assertNotIn("Bianchi S.r.l.", self._by_first_cell(workbook["By Customer"]))
        for name in DIMENSION_SHEETS:
            with self.subTest(sheet=name):
                self.assertEqual(self._rows(workbook[name])[-1][1], 400)
        lines = self._rows(workbook["Order Lines"])[1:]
        self.assertEqual([(line[1].date(), line[9]) for line in lines], [(date(2026, 2, 20), 400)])

    def test_same_month_last_year_is_the_local_month(self):
        workbook = self._export(self._wizard(date(2027, 3, 1), date(2027, 3, 31)))
        self.assertEqual(self._rows(workbook["By Month"])[1], ["March 2027", 0, 2300, -1, 0])
        self.assertEqual(self._by_first_cell(workbook["By Customer"])["Bianchi S.r.l."][3], 300)

    def test_company_time_zone_when_the_user_has_none(self):
        self.manager.tz = False
        self.company.partner_id.tz = "Europe/Rome"
        self._assert_counted_in_march(self._export(self._march(detail=True)))

    def test_time_zone_of_the_request_then_the_user_then_the_company(self):
        wizard = self._march()
        self.company.partner_id.tz = "Europe/Berlin"
        self.assertEqual(wizard.with_context(tz="America/New_York")._bo_tz(), "America/New_York")
        self.assertEqual(wizard.with_context(tz="Not/AZone")._bo_tz(), "Europe/Rome")
        self.manager.tz = False
        self.assertEqual(wizard._bo_tz(), "Europe/Berlin")
        self.company.partner_id.tz = False
        self.assertEqual(wizard._bo_tz(), "UTC")
