from xlsxwriter.utility import xl_range

from odoo import models
from odoo.tools.misc import format_date


class BoAgeingXlsx(models.AbstractModel):
    """Receivables or payables ageing as a spreadsheet, from the ageing wizard.

    Sheets: *Ageing* (open amounts per partner by age), *Due Schedule* for
    payables (by due week), and optionally *Open Items* (one row per item, on as
    many sheets as needed). Rows are streamed (``constant_memory``), so each
    sheet is written top to bottom once.
    """

    _name = "report.bo_reports.ageing_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Ageing XLSX"

    def _subtitle(self, wizard):
        basis = dict(wizard._fields["basis"]._description_selection(self.env))[wizard.basis]
        return self.env._(
            "%(company)s, as of %(date)s, aged by %(basis)s",
            company=wizard.company_id.name,
            date=format_date(self.env, wizard.as_of_date),
            basis=basis,
        )

    def _write_amounts_sheet(self, workbook, formats, wizard, summary, name, title, columns):
        """A sheet of open amounts per partner: one column per key of ``columns``
        (key, header), a row total and a totals row, all as SUM formulas."""
        headers = [(self.env._("Partner"), 40)]
        headers += [(header, 14) for _key, header in columns]
        headers += [(self.env._("Total"), 16)]
        sheet = self._write_sheet_start(
            workbook, formats, name, title, self._subtitle(wizard), headers
        )
        no_partner = self.env._("No Partner")
        first_row = row = self._header_row + 1
        last_amount_col = len(columns)
        for line in summary:
            sheet.write_string(row, 0, line["partner_name"] or no_partner)
            for col, (key, _header) in enumerate(columns, start=1):
                sheet.write_number(row, col, line[key], formats["money"])
            sheet.write_formula(
                row,
                last_amount_col + 1,
                f"=SUM({xl_range(row, 1, row, last_amount_col)})",
                formats["money"],
                sum(line[key] for key, _header in columns),
            )
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), last_amount_col + 1)
        keys = [key for key, _header in columns] + ["total"]
        totals = {col: sum(line[key] for line in summary) for col, key in enumerate(keys, start=1)}
        self._write_totals(sheet, row, first_row, formats, totals)
        return sheet

    def _write_open_items(self, workbook, formats, wizard, summary):
        """One row per open item, continued on new sheets past the row limit."""
        labels = wizard._bo_ageing_period_labels()
        headers = [
            (self.env._("Partner"), 40),
            (self.env._("Document"), 20),
            (self.env._("Reference"), 20),
            (self.env._("Invoice Date"), 12),
            (self.env._("Due Date"), 12),
            (self.env._("Days"), 8),
            (self.env._("Open Amount"), 16),
            (self.env._("Period"), 16),
        ]
        title = self.env._("Open Items")
        subtitle = self._subtitle(wizard)
        no_partner = self.env._("No Partner")

        def write_row(sheet, row, item):
            sheet.write_string(row, 0, item["partner_name"] or no_partner)
            sheet.write_string(row, 1, item["move_name"] or "")
            sheet.write_string(row, 2, item["ref"] or "")
            sheet.write_datetime(row, 3, item["invoice_date"], formats["date"])
            sheet.write_datetime(row, 4, item["due_date"], formats["date"])
            sheet.write_number(row, 5, item["days"])
            sheet.write_number(row, 6, item["open_amount"], formats["money"])
            sheet.write_string(row, 7, labels[item["period"]])

        self._write_list_sheets(
            workbook, formats, title, subtitle, headers, wizard._bo_open_items(summary), write_row
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        summary = wizard._bo_ageing_summary()
        labels = wizard._bo_ageing_period_labels()
        if wizard.kind == "receivable":
            title = self.env._("Receivables Ageing")
        else:
            title = self.env._("Payables Ageing")
        self._write_amounts_sheet(
            workbook,
            formats,
            wizard,
            summary,
            self.env._("Ageing"),
            title,
            [(key, labels[key]) for key, _first, _last in wizard._ageing_periods],
        )
        if wizard.kind == "payable":
            columns = []
            for key, first, _last in wizard._bo_schedule_columns():
                if key == "overdue":
                    columns.append((key, self.env._("Overdue")))
                elif key == "later":
                    columns.append((key, self.env._("Later")))
                else:
                    week = self.env._("Week of %(date)s", date=format_date(self.env, first))
                    columns.append((key, week))
            self._write_amounts_sheet(
                workbook,
                formats,
                wizard,
                summary,
                self.env._("Due Schedule"),
                self.env._("Payables Due Schedule"),
                columns,
            )
        if wizard.detail:
            self._write_open_items(workbook, formats, wizard, summary)
