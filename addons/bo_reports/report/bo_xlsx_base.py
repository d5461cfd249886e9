import re
from datetime import date

from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models
from odoo.tools.misc import get_lang

# strftime directives of a language's date format and their Excel equivalent.
EXCEL_DATE_CODES = {
    "%d": "dd",
    "%e": "d",
    "%m": "mm",
    "%y": "yy",
    "%Y": "yyyy",
    "%b": "mmm",
    "%B": "mmmm",
    "%a": "ddd",
    "%A": "dddd",
}


# Day 0 of Excel's dates (with its 1900 leap year bug): a date is written as
# its number of days since then, which is much faster than write_datetime().
EXCEL_EPOCH = date(1899, 12, 30)


class BoReportsXlsxBase(models.AbstractModel):
    """What the spreadsheets of the back office share: streamed workbooks,
    formats in the user's language, sheets with a title block and a frozen
    header row."""

    _name = "bo.reports.xlsx.base"
    _inherit = "report.report_xlsx.abstract"
    _description = "Back Office Spreadsheet Base"

    # Rows of an Excel sheet; long lists continue on a new sheet past it.
    _max_sheet_rows = 1048576
    # Title, subtitle and a blank line come before each sheet's header row.
    _header_row = 3

    def get_workbook_options(self):
        # Stream rows to disk instead of keeping whole sheets in memory. Names
        # and references are typed by users: text stays text.
        return {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

    def create_xlsx_report(self, docids, data):
        """The report of a wizard, rendered in the wizard's time zone
        (``_bo_tz``): Odoo's ``_read_group`` (``date:month``),
        ``context_timestamp`` and date bounds in domains on a datetime field
        read it from the context, which a background run or a schedule lacks;
        every sheet then counts a datetime in the same day, month and year."""
        report = self
        wizards = self._get_objs_for_report(docids, data)
        if len(wizards) == 1 and isinstance(wizards, self.env.registry["bo.report.wizard.mixin"]):
            report = self.with_context(tz=wizards._bo_tz())
        return super(BoReportsXlsxBase, report).create_xlsx_report(docids, data)

    def _excel_date_format(self):
        posix = get_lang(self.env).date_format or "%Y-%m-%d"
        return re.sub(r"%[a-zA-Z]", lambda m: EXCEL_DATE_CODES.get(m.group(), ""), posix)

    @staticmethod
    def _excel_date(value):
        """A date as Excel's serial number, to write with a date format."""
        return (value - EXCEL_EPOCH).days

    def _formats(self, workbook, currency):
        money = self._report_xlsx_currency_format(currency)
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bottom": 1, "bg_color": "#D9E1F2", "text_wrap": True}
            ),
            "date": workbook.add_format({"num_format": self._excel_date_format()}),
            "money": workbook.add_format({"num_format": money}),
            "number": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "total_label": workbook.add_format({"bold": True, "top": 1}),
            "total": workbook.add_format({"bold": True, "top": 1, "num_format": money}),
            "total_percent": workbook.add_format({"bold": True, "top": 1, "num_format": "0.0%"}),
        }

    def _write_sheet_start(self, workbook, formats, name, title, subtitle, columns):
        """Add a sheet with its title block and header row; return the sheet."""
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, subtitle)
        for col, (header, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(self._header_row, col, header, formats["header"])
        sheet.freeze_panes(self._header_row + 1, 1)
        return sheet

    def _write_totals(self, sheet, row, first_row, formats, totals):
        """Totals row: a SUM formula over the rows above for each ``{col: value}``,
        with its value cached for readers that do not compute formulas."""
        sheet.write_string(row, 0, self.env._("Total"), formats["total_label"])
        for col, value in totals.items():
            if row == first_row:
                sheet.write_number(row, col, value, formats["total"])
                continue
            cells = f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(row - 1, col)}"
            sheet.write_formula(row, col, f"=SUM({cells})", formats["total"], value)

    def _write_list_sheets(self, workbook, formats, title, subtitle, headers, items, write_row):
        """One row per item, written by ``write_row(sheet, row, item)``, on a sheet
        named ``title`` that continues on "title (2)" and so on past Excel's row
        limit. The first sheet is there even without any item."""
        sheet_number = 1
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        row = self._header_row + 1
        for item in items:
            if row >= self._max_sheet_rows:
                sheet.autofilter(self._header_row, 0, row - 1, len(headers) - 1)
                sheet_number += 1
                name = f"{title} ({sheet_number})"
                sheet = self._write_sheet_start(workbook, formats, name, title, subtitle, headers)
                row = self._header_row + 1
            write_row(sheet, row, item)
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
