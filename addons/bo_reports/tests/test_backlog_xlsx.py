from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesReportCase

CUSTOMER_HEADERS_EN = ["Customer", "Open Lines", "Open Amount", "Late Amount", "Most Days Late"]
BACKLOG_HEADERS_EN = [
    "Order",
    "Order Date",
    "Customer",
    "Salesperson",
    "Product",
    "Ordered",
    "Delivered",
    "To Deliver",
    "Unit",
    "Open Amount",
    "Promised Date",
    "Days Late",
]


@tagged("post_install", "-at_install", "bo_dates")
class TestBacklogXlsx(SalesReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.env["ir.module.module"]._get("sale_stock").state != "installed":
            cls.skipTest(cls, "deliveries need sale_stock")
        orders = cls.env["sale.order"].search(
            [("company_id", "=", cls.company.id), ("state", "=", "sale")]
        )
        cls.order_10 = orders.filtered(lambda o: o.order_line.product_uom_qty == 10)
        cls.order_7 = orders.filtered(lambda o: o.order_line.product_uom_qty == 7)
        # 6 of the 10 chairs delivered; the customer was promised the 7 chairs
        # for 1 May.
        picking = cls.order_10.picking_ids
        picking.move_ids.quantity = 6
        picking.move_ids.picked = True
        picking._action_done()
        cls.order_7.commitment_date = datetime(2026, 5, 1, 10, 0)

    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.backlog.report.wizard",
            user or self.manager,
            defaults={"as_of_date": date(2026, 4, 15)},
            values=values,
        )

    def test_backlog_with_promised_dates_and_days_late(self):
        workbook = self._export(self._wizard())
        self.assertEqual(workbook.sheetnames, ["By Customer", "Backlog"])
        lines = self._rows(workbook["Backlog"])
        self.assertEqual(lines[0], BACKLOG_HEADERS_EN)
        # Goods still to deliver, as the order lines say; services are not backlog.
        open_lines = self.env["sale.order.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "sale"),
                ("product_id.type", "=", "consu"),
            ]
        )
        open_lines = open_lines.filtered(lambda sol: sol.qty_delivered < sol.product_uom_qty)
        self.assertEqual(len(lines) - 1, len(open_lines))
        self.assertEqual(
            sum(line[9] for line in lines[1:]),
            sum(sol.price_unit * (sol.product_uom_qty - sol.qty_delivered) for sol in open_lines),
        )
        by_order = {line[0]: line for line in lines[1:]}
        partial = by_order[self.order_10.name]
        self.assertEqual(partial[5:10], [10, 6, 4, "Units", 400])
        self.assertEqual(partial[10].date(), date(2026, 3, 10))
        self.assertEqual(partial[11], 36)
        promised = by_order[self.order_7.name]
        self.assertEqual(promised[10].date(), date(2026, 5, 1))
        self.assertEqual(promised[11], 0)
        # Most late first.
        self.assertEqual([line[11] for line in lines[1:]], [406, 54, 36, 0])
        customers = self._rows(workbook["By Customer"])
        self.assertEqual(customers[0], CUSTOMER_HEADERS_EN)
        # A customer's contacts count with it.
        self.assertEqual(
            customers[1:], [["Rossi S.p.A.", 4, 1700, 1000, 406], ["Total", None, 1700, 1000, None]]
        )

    def test_late_lines_only_and_filters(self):
        workbook = self._export(self._wizard(late_only=True))
        self.assertEqual([line[11] for line in self._rows(workbook["Backlog"])[1:]], [406, 54, 36])
        wizard = self._wizard()
        wizard.partner_ids = self.muller
        self.assertEqual(len(self._rows(self._export(wizard)["Backlog"])), 1, "header only")

    def test_salesperson_and_other_companies_see_only_theirs(self):
        workbook = self._export(self._wizard(user=self.salesman))
        self.assertEqual(len(self._rows(workbook["Backlog"])), 1, "header only")
        with self.assertRaises(ValidationError):
            self.env["bo.backlog.report.wizard"].with_user(self.manager).create(
                {"company_id": self.other_company.id}
            )

    def test_italian_spreadsheet(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["base", "uom", "bo_reports"], ["it_IT"])
        workbook = self._export(self._wizard().with_context(lang="it_IT"))
        self.assertEqual(workbook.sheetnames, ["Per cliente", "Ordini da evadere"])
        self.assertEqual(
            self._rows(workbook["Per cliente"])[0],
            [
                "Cliente",
                "Righe aperte",
                "Importo aperto",
                "Importo in ritardo",
                "Max giorni di ritardo",
            ],
        )
        self.assertEqual(self._rows(workbook["Ordini da evadere"])[1][8], "Unità")
