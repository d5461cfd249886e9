from babel.dates import format_date as babel_format_date
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models
from odoo.tools.misc import format_date, get_lang


class BoExpenseXlsx(models.AbstractModel):
    """Expense monitoring as a spreadsheet, from the expense report wizard.

    Sheets: *By Account*, *By Month* and, for users who may read analytic
    lines, *By Analytic Account*: target, actual, deviation and deviation %
    (formulas), deviations over target in red.
    """

    _name = "report.bo_reports.expense_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Expense Monitoring XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, vendor bills from %(date_from)s to %(date_to)s",
            company=wizard.company_id.name,
            date_from=format_date(self.env, wizard.date_from),
            date_to=format_date(self.env, wizard.date_to),
        )

    def _write_comparison_sheet(self, workbook, formats, title, subtitle, labels, rows):
        """``labels``: (header, width) of the leading text columns; ``rows``:
        (texts..., target, actual)."""
        headers = [
            *labels,
            (self.env._("Target"), 16),
            (self.env._("Actual"), 16),
            (self.env._("Deviation"), 16),
            (self.env._("Deviation %"), 12),
        ]
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        text_cols = len(labels)
        target_col, actual_col = text_cols, text_cols + 1
        first_row = row = self._header_row + 1
        for line in rows:
            *texts, target, actual = line
            for col, text in enumerate(texts):
                sheet.write_string(row, col, text or "")
            self._write_figures(sheet, row, formats, target_col, target, actual)
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        if row > first_row:
            sheet.conditional_format(
                first_row,
                actual_col + 1,
                row - 1,
                actual_col + 1,
                {"type": "cell", "criteria": ">", "value": 0, "format": formats["over"]},
            )
        totals = {
            target_col: sum(line[-2] for line in rows),
            actual_col: sum(line[-1] for line in rows),
        }
        self._write_totals(sheet, row, first_row, formats, totals)
        self._write_deviation(
            sheet, row, formats, target_col, totals[target_col], totals[actual_col], total=True
        )

    def _write_figures(self, sheet, row, formats, target_col, target, actual):
        sheet.write_number(row, target_col, target, formats["money"])
        sheet.write_number(row, target_col + 1, actual, formats["money"])
        self._write_deviation(sheet, row, formats, target_col, target, actual)

    def _write_deviation(self, sheet, row, formats, target_col, target, actual, total=False):
        target_cell = xl_rowcol_to_cell(row, target_col)
        actual_cell = xl_rowcol_to_cell(row, target_col + 1)
        sheet.write_formula(
            row,
            target_col + 2,
            f"={actual_cell}-{target_cell}",
            formats["total" if total else "money"],
            actual - target,
        )
        sheet.write_formula(
            row,
            target_col + 3,
            f'=IF({target_cell}=0,"",({actual_cell}-{target_cell})/ABS({target_cell}))',
            formats["total_percent" if total else "percent"],
            (actual - target) / abs(target) if target else "",
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        formats["over"] = workbook.add_format({"font_color": "#C00000"})
        subtitle = self._subtitle(wizard)
        account_label = (self.env._("Expense Account"), 40)
        self._write_comparison_sheet(
            workbook,
            formats,
            self.env._("By Account"),
            subtitle,
            [account_label],
            [
                (account.display_name, target, actual)
                for account, target, actual in wizard._bo_by_account()
            ],
        )
        locale = get_lang(self.env).code
        self._write_comparison_sheet(
            workbook,
            formats,
            self.env._("By Month"),
            subtitle,
            [(self.env._("Month"), 18)],
            [
                (babel_format_date(month, "MMMM yyyy", locale=locale), target, actual)
                for month, target, actual in wizard._bo_by_month()
            ],
        )
        by_analytic = wizard._bo_by_analytic()
        if by_analytic is not None:
            self._write_comparison_sheet(
                workbook,
                formats,
                self.env._("By Analytic Account"),
                subtitle,
                [account_label, (self.env._("Analytic Account"), 32)],
                [
                    (account.display_name, analytic.display_name, target, actual)
                    for account, analytic, target, actual in by_analytic
                ],
            )
