from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models
from odoo.tools.misc import format_date, get_lang


class BoSalesXlsx(models.AbstractModel):
    """Sales performance as a spreadsheet, from the sales performance wizard.

    Sheets: *By Month* (the period's months against the same months last year,
    with a chart), one sheet per chosen dimension (customer, product, category,
    salesperson, country) comparing the period with the previous period and the
    same period last year, with the margin, and optionally *Order Lines* (every
    line of the period, continued on new sheets past Excel's row limit).
    """

    _name = "report.bo_reports.sales_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Sales Performance XLSX"

    def _subtitle(self, wizard):
        periods = wizard._bo_periods()

        def span(key):
            first, last = periods[key]
            return f"{format_date(self.env, first)} - {format_date(self.env, last)}"

        return self.env._(
            "%(company)s, %(current)s; previous period %(previous)s; last year %(last_year)s",
            company=wizard.company_id.name,
            current=span("current"),
            previous=span("previous"),
            last_year=span("last_year"),
        )

    def _write_ratio(self, sheet, row, col, formula, numerator, denominator, percent_format):
        """A ratio as a formula on the row's cells, blank when its denominator is
        zero, with its value cached for readers that do not compute formulas."""
        value = numerator / denominator if denominator else ""
        sheet.write_formula(row, col, formula, percent_format, value)

    def _write_change(self, sheet, row, col, cols, amounts, percent_format):
        """Change of the amount in column ``cols[0]`` over the one in ``cols[1]``."""
        value, base = (xl_rowcol_to_cell(row, c) for c in cols)
        self._write_ratio(
            sheet,
            row,
            col,
            f'=IF({base}=0,"",({value}-{base})/ABS({base}))',
            amounts[0] - amounts[1],
            abs(amounts[1]),
            percent_format,
        )

    def _write_margin_percent(self, sheet, row, revenue, margin, percent_format):
        revenue_cell, margin_cell = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 6)
        self._write_ratio(
            sheet,
            row,
            7,
            f'=IF({revenue_cell}=0,"",{margin_cell}/{revenue_cell})',
            margin,
            revenue,
            percent_format,
        )

    def _write_dimension_sheet(self, workbook, formats, wizard, dimension, rows, subtitle):
        key, fname, title = dimension
        headers = [
            (self._dimension_label(key), 40),
            (self.env._("Revenue"), 16),
            (self.env._("Previous Period"), 16),
            (self.env._("Change"), 10),
            (self.env._("Same Period Last Year"), 16),
            (self.env._("Change vs Last Year"), 10),
            (self.env._("Margin"), 16),
            (self.env._("Margin %"), 10),
        ]
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        rows = [r for r in rows if r["current"] or r["previous"] or r["last_year"] or r["margin"]]
        rows.sort(key=lambda r: (-r["current"], -r["last_year"]))
        names = wizard._bo_key_names(fname, [r["key"] for r in rows if r["key"]])
        none_label = self.env._("None")
        first_row = row = self._header_row + 1
        for line in rows:
            sheet.write_string(row, 0, names.get(line["key"], none_label) or none_label)
            sheet.write_number(row, 1, line["current"], formats["money"])
            sheet.write_number(row, 2, line["previous"], formats["money"])
            self._write_change(
                sheet, row, 3, (1, 2), (line["current"], line["previous"]), formats["percent"]
            )
            sheet.write_number(row, 4, line["last_year"], formats["money"])
            self._write_change(
                sheet, row, 5, (1, 4), (line["current"], line["last_year"]), formats["percent"]
            )
            sheet.write_number(row, 6, line["margin"], formats["money"])
            self._write_margin_percent(
                sheet, row, line["current"], line["margin"], formats["percent"]
            )
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        totals = {
            col: sum(r[key] for r in rows)
            for col, key in ((1, "current"), (2, "previous"), (4, "last_year"), (6, "margin"))
        }
        self._write_totals(sheet, row, first_row, formats, totals)
        percent = formats["total_percent"]
        self._write_change(sheet, row, 3, (1, 2), (totals[1], totals[2]), percent)
        self._write_change(sheet, row, 5, (1, 4), (totals[1], totals[4]), percent)
        self._write_margin_percent(sheet, row, totals[1], totals[6], percent)

    def _dimension_label(self, key):
        return {
            "customer": self.env._("Customer"),
            "product": self.env._("Product"),
            "category": self.env._("Product Category"),
            "salesperson": self.env._("Salesperson"),
            "country": self.env._("Country"),
        }.get(key, key)

    def _write_month_sheet(self, workbook, formats, wizard, rows, subtitle):
        """The period's months against the same months a year before, with a chart."""
        title = self.env._("By Month")
        headers = [
            (self.env._("Month"), 18),
            (self.env._("Revenue"), 16),
            (self.env._("Same Month Last Year"), 16),
            (self.env._("Change vs Last Year"), 10),
            (self.env._("Margin"), 16),
        ]
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        by_month = {r["key"]: r for r in rows}
        first, last = wizard._bo_periods()["current"]
        month, months = first.replace(day=1), []
        while month <= last:
            months.append(month)
            month += relativedelta(months=1)
        locale = get_lang(self.env).code
        first_row = row = self._header_row + 1
        totals = {1: 0.0, 2: 0.0, 4: 0.0}
        for month in months:
            current = by_month.get(month, {})
            before = by_month.get(month - relativedelta(years=1), {})
            values = {
                1: current.get("current", 0.0),
                2: before.get("last_year", 0.0),
                4: current.get("margin", 0.0),
            }
            sheet.write_string(row, 0, babel_format_date(month, "MMMM yyyy", locale=locale))
            for col, value in values.items():
                sheet.write_number(row, col, value, formats["money"])
                totals[col] += value
            self._write_change(sheet, row, 3, (1, 2), (values[1], values[2]), formats["percent"])
            row += 1
        self._write_totals(sheet, row, first_row, formats, totals)
        self._write_change(sheet, row, 3, (1, 2), (totals[1], totals[2]), formats["total_percent"])
        if months:
            chart = workbook.add_chart({"type": "column"})
            for col in (1, 2):
                chart.add_series(
                    {
                        "name": [title, self._header_row, col],
                        "categories": [title, first_row, 0, row - 1, 0],
                        "values": [title, first_row, col, row - 1, col],
                    }
                )
            chart.set_title({"name": self.env._("Revenue by Month")})
            chart.set_y_axis({"num_format": "#,##0"})
            chart.set_size({"width": 720, "height": 360})
            sheet.insert_chart(self._header_row, 6, chart)

    def _write_detail(self, workbook, formats, wizard, subtitle):
        """Every order line of the period, continued on new sheets past the row limit."""
        headers = [
            (self.env._("Order"), 16),
            (self.env._("Order Date"), 12),
            (self.env._("Customer"), 36),
            (self.env._("Product"), 36),
            (self.env._("Product Category"), 24),
            (self.env._("Salesperson"), 20),
            (self.env._("Country"), 16),
            (self.env._("Quantity"), 12),
            (self.env._("Unit"), 10),
            (self.env._("Revenue"), 16),
            (self.env._("Margin"), 16),
        ]
        title = self.env._("Order Lines")

        # Text columns: a missing value (no salesperson, no country) is an
        # empty cell, not an empty string; one write less per such cell.
        texts = ((2, "customer"), (3, "product"), (4, "category"), (5, "salesperson"))

        def write_row(sheet, row, item):
            sheet.write_string(row, 0, item["order_name"])
            sheet.write_number(row, 1, self._excel_date(item["date"]), formats["date"])
            for col, key in texts:
                if item[key]:
                    sheet.write_string(row, col, item[key])
            if item["country"]:
                sheet.write_string(row, 6, item["country"])
            sheet.write_number(row, 7, item["quantity"], formats["number"])
            if item["unit"]:
                sheet.write_string(row, 8, item["unit"])
            sheet.write_number(row, 9, item["amount"], formats["money"])
            sheet.write_number(row, 10, item["margin"], formats["money"])

        self._write_list_sheets(
            workbook, formats, title, subtitle, headers, wizard._bo_detail_lines(), write_row
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        subtitle = self._subtitle(wizard)
        summary = wizard._bo_sales_summary()
        self._write_month_sheet(workbook, formats, wizard, summary["month"], subtitle)
        for dimension in wizard._bo_dimensions():
            self._write_dimension_sheet(
                workbook, formats, wizard, dimension, summary[dimension[0]], subtitle
            )
        for key, title in wizard._bo_line_dimensions():
            rows = wizard._bo_line_dimension_summary(key)
            self._write_dimension_sheet(
                workbook, formats, wizard, (key, key, title), rows, subtitle
            )
        if wizard.detail:
            self._write_detail(workbook, formats, wizard, subtitle)
