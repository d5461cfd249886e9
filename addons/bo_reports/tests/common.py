import io

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user

# Sheets: title, subtitle, a blank line, then the header row.
HEADER_ROW = 4


class XlsxReportTestMixin:
    """The file a report wizard's Export button gives, and its rows."""

    def _export(self, wizard):
        """The workbook of ``wizard``'s report, rendered as its user."""
        action = wizard.action_export_xlsx()
        content, file_type = wizard.env["ir.actions.report"]._render(
            action["report_name"], wizard.ids
        )
        self.assertEqual(file_type, "xlsx")
        return load_workbook(io.BytesIO(content), data_only=True)

    @staticmethod
    def _rows(sheet):
        """The sheet's rows from the header row on, blank rows left out."""
        rows = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
        return [list(row) for row in rows if any(value is not None for value in row)]


class SalesReportCase(XlsxReportTestMixin, TransactionCase):
    """Orders of two customers over March 2026, February 2026 and March 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Rome"
        cls.company = cls.env["res.company"].create({"name": "Ditta Report S.r.l."})
        cls.other_company = cls.env["res.company"].create({"name": "Altra Ditta S.p.A."})
        cls.env.user.company_ids |= cls.company | cls.other_company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.manager = new_test_user(
            cls.env,
            login="bo_sales_report_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Europe/Rome",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="bo_sales_report_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Europe/Rome",
        )
        cls.furniture = cls.env["product.category"].create({"name": "Arredo"})
        cls.chairs = cls.env["product.category"].create(
            {"name": "Sedie", "parent_id": cls.furniture.id}
        )
        cls.services = cls.env["product.category"].create({"name": "Servizi"})
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Sedia Ufficio",
                "default_code": "SED01",
                "categ_id": cls.chairs.id,
                "list_price": 100,
                "standard_price": 60,
            }
        )
        cls.design = cls.env["product.product"].create(
            {
                "name": "Progettazione",
                "type": "service",
                "categ_id": cls.services.id,
                "list_price": 200,
                "standard_price": 50,
            }
        )
        italy = cls.env.ref("base.it")
        cls.rossi = cls.env["res.partner"].create({"name": "Rossi S.p.A.", "country_id": italy.id})
        cls.rossi_buyer = cls.env["res.partner"].create(
            {"name": "Ufficio Acquisti", "parent_id": cls.rossi.id}
        )
        cls.muller = cls.env["res.partner"].create(
            {"name": "Müller GmbH", "country_id": cls.env.ref("base.de").id}
        )
        # March 2026: Rossi 10 chairs (1000, margin 400), Müller 5 designs
        # (1000, margin 750) sold by the salesman; a quotation not confirmed.
        cls._order(cls.rossi_buyer, cls.chair, 10, "2026-03-10 10:00:00")
        cls._order(cls.muller, cls.design, 5, "2026-03-31 21:30:00", user=cls.salesman)
        cls._order(cls.rossi, cls.chair, 99, "2026-03-15 10:00:00", confirm=False)
        # 1 April 00:30 in Rome is still 31 March in UTC: April for the user.
        cls._order(cls.rossi, cls.chair, 7, "2026-03-31 22:30:00")
        # February 2026 (previous period) and March 2025 (last year).
        cls._order(cls.rossi, cls.chair, 4, "2026-02-20 10:00:00")
        cls._order(cls.rossi, cls.chair, 2, "2025-03-05 10:00:00")
        cls._order(cls.muller, cls.design, 1, "2025-03-20 10:00:00", user=cls.salesman)
        # Another company's order in the same month.
        cls._order(cls.rossi, cls.chair, 50, "2026-03-12 10:00:00", company=cls.other_company)

    @classmethod
    def _order(cls, partner, product, quantity, when, user=None, confirm=True, company=None):
        company = company or cls.company
        orders = cls.env["sale.order"].with_company(company)
        order_form = Form(orders)
        order_form.partner_id = partner
        order_form.user_id = user or cls.manager
        with order_form.order_line.new() as line:
            line.product_id = product
            line.product_uom_qty = quantity
            line.tax_ids.clear()
        order = order_form.save()
        if confirm:
            with freeze_time(when):
                order.action_confirm()
        order.date_order = when
        return order

    def _by_name(self, sheet):
        return {row[0]: row[1:] for row in self._rows(sheet)[1:-1]}

    @staticmethod
    def _workbook(content):
        return load_workbook(io.BytesIO(content), data_only=True)
