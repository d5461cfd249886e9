import re

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

    def _excel_date_format(self):
        posix = get_lang(self.env).date_format or "%Y-%m-%d"
        return re.sub(r"%[a-zA-Z]", lambda m: EXCEL_DATE_CODES.get(m.group(), ""), posix)

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
