from odoo import models
from odoo.tools.misc import format_date


class BoBacklogXlsx(models.AbstractModel):
    """Order backlog and late deliveries as a spreadsheet, from the backlog
    wizard.

    Sheets: *By Customer* (open and late amounts, most days late) and
    *Backlog* (every line still to deliver with its promised date and days
    late, continued on new sheets past Excel's row limit).
    """

    _name = "report.bo_reports.backlog_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Order Backlog XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, as of %(date)s",
            company=wizard.company_id.name,
            date=format_date(self.env, wizard.as_of_date),
        )

    def _write_customers(self, workbook, formats, wizard, summary, subtitle):
        title = self.env._("By Customer")
        headers = [
            (self.env._("Customer"), 40),
            (self.env._("Open Lines"), 12),
            (self.env._("Open Amount"), 16),
            (self.env._("Late Amount"), 16),
            (self.env._("Most Days Late"), 12),
        ]
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        first_row = row = self._header_row + 1
        for line in summary:
            sheet.write_string(row, 0, line["partner_name"] or "")
            sheet.write_number(row, 1, line["line_count"])
            sheet.write_number(row, 2, line["open_amount"], formats["money"])
            sheet.write_number(row, 3, line["late_amount"], formats["money"])
            sheet.write_number(
                row, 4, line["max_days_late"], formats["late"] if line["max_days_late"] else None
            )
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        self._write_totals(
            sheet,
            row,
            first_row,
            formats,
            {
                2: sum(line["open_amount"] for line in summary),
                3: sum(line["late_amount"] for line in summary),
            },
        )

    def _write_backlog(self, workbook, formats, wizard, subtitle):
        headers = [
            (self.env._("Order"), 16),
            (self.env._("Order Date"), 12),
            (self.env._("Customer"), 36),
            (self.env._("Salesperson"), 20),
            (self.env._("Product"), 36),
            (self.env._("Ordered"), 10),
            (self.env._("Delivered"), 10),
            (self.env._("To Deliver"), 10),
            (self.env._("Unit"), 10),
            (self.env._("Open Amount"), 16),
            (self.env._("Promised Date"), 12),
            (self.env._("Days Late"), 10),
        ]
        title = self.env._("Backlog")

        def write_row(sheet, row, item):
            sheet.write_string(row, 0, item["order_name"])
            sheet.write_datetime(row, 1, item["order_date"], formats["date"])
            sheet.write_string(row, 2, item["customer"] or "")
            sheet.write_string(row, 3, item["salesperson"] or "")
            sheet.write_string(row, 4, item["product"] or "")
            sheet.write_number(row, 5, item["ordered"], formats["number"])
            sheet.write_number(row, 6, item["delivered"], formats["number"])
            sheet.write_number(row, 7, item["to_deliver"], formats["number"])
            sheet.write_string(row, 8, item["unit"] or "")
            sheet.write_number(row, 9, item["open_amount"], formats["money"])
            sheet.write_datetime(row, 10, item["promised_date"], formats["date"])
            sheet.write_number(
                row, 11, item["days_late"], formats["late"] if item["days_late"] else None
            )

        self._write_list_sheets(
            workbook, formats, title, subtitle, headers, wizard._bo_backlog_lines(), write_row
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        formats["late"] = workbook.add_format({"font_color": "#C00000", "bold": True})
        subtitle = self._subtitle(wizard)
        self._write_customers(workbook, formats, wizard, wizard._bo_backlog_summary(), subtitle)
        self._write_backlog(workbook, formats, wizard, subtitle)
