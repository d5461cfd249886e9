from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models
from odoo.tools.misc import format_date


class BoSupplierScorecardXlsx(models.AbstractModel):
    """Supplier scorecard as a spreadsheet, from the scorecard wizard.

    Sheets: *Scorecard* (one row per supplier, averages of the period, colour
    scale on the scores, an averages row of formulas) and *Evaluations* (every
    evaluation of the period).
    """

    _name = "report.bo_reports_suppliers.supplier_scorecard_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Supplier Scorecard XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, evaluations from %(date_from)s to %(date_to)s",
            company=wizard.company_id.name,
            date_from=format_date(self.env, wizard.date_from),
            date_to=format_date(self.env, wizard.date_to),
        )

    def _class_label(self, evaluation_class):
        selection = self.env["bo.supplier.evaluation"]._fields["evaluation_class"]
        return dict(selection._description_selection(self.env)).get(evaluation_class, "")

    def _write_score(self, sheet, row, col, value, score_format):
        if value is None:
            sheet.write_blank(row, col, None, score_format)
        else:
            sheet.write_number(row, col, value, score_format)

    def _write_scorecard(self, workbook, formats, wizard, evaluations, subtitle):
        criteria = wizard._bo_criteria()
        headers = [
            (self.env._("Supplier"), 36),
            (self.env._("Evaluations"), 12),
            (self.env._("Score"), 10),
            *((title, 12) for _criterion, title in criteria),
            (self.env._("Latest Class"), 10),
            (self.env._("Trend"), 10),
        ]
        title = self.env._("Scorecard")
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        rows = wizard._bo_scorecard(evaluations)
        first_row = row = self._header_row + 1
        last_score_col = 2 + len(criteria)
        for line in rows:
            sheet.write_string(row, 0, line["partner"])
            sheet.write_number(row, 1, line["count"])
            sheet.write_number(row, 2, line["score"], formats["score"])
            for col, (criterion, _title) in enumerate(criteria, start=3):
                self._write_score(sheet, row, col, line["criteria"][criterion], formats["score"])
            sheet.write_string(row, last_score_col + 1, self._class_label(line["evaluation_class"]))
            sheet.write_number(row, last_score_col + 2, line["trend"], formats["trend"])
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        if rows:
            sheet.conditional_format(
                first_row,
                2,
                row - 1,
                last_score_col,
                {
                    "type": "3_color_scale",
                    "min_type": "num",
                    "min_value": 0,
                    "mid_type": "num",
                    "mid_value": 65,
                    "max_type": "num",
                    "max_value": 100,
                },
            )
            sheet.write_string(row, 0, self.env._("Average"), formats["total_label"])
            for col in range(2, last_score_col + 1):
                values = [
                    line["score"] if col == 2 else line["criteria"][criteria[col - 3][0]]
                    for line in rows
                ]
                values = [value for value in values if value is not None]
                cells = f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(row - 1, col)}"
                sheet.write_formula(
                    row,
                    col,
                    f'=IF(COUNT({cells})=0,"",AVERAGE({cells}))',
                    formats["total_score"],
                    sum(values) / len(values) if values else "",
                )

    def _write_evaluations(self, workbook, formats, wizard, evaluations, subtitle):
        criteria = wizard._bo_criteria()
        headers = [
            (self.env._("Supplier"), 36),
            (self.env._("From"), 12),
            (self.env._("To"), 12),
            (self.env._("Score"), 10),
            (self.env._("Class"), 8),
            *((title, 12) for _criterion, title in criteria),
        ]

        def write_row(sheet, row, evaluation):
            values = wizard._bo_criterion_values(evaluation)
            sheet.write_string(row, 0, evaluation.partner_id.display_name)
            sheet.write_number(row, 1, self._excel_date(evaluation.date_from), formats["date"])
            sheet.write_number(row, 2, self._excel_date(evaluation.date_to), formats["date"])
            sheet.write_number(row, 3, evaluation.score, formats["score"])
            sheet.write_string(row, 4, self._class_label(evaluation.evaluation_class))
            for col, (criterion, _title) in enumerate(criteria, start=5):
                self._write_score(sheet, row, col, values.get(criterion), formats["score"])

        self._write_list_sheets(
            workbook,
            formats,
            self.env._("Evaluations"),
            subtitle,
            headers,
            evaluations,
            write_row,
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        formats["score"] = workbook.add_format({"num_format": "0.0"})
        formats["trend"] = workbook.add_format({"num_format": "+0.0;-0.0;0.0"})
        formats["total_score"] = workbook.add_format({"bold": True, "top": 1, "num_format": "0.0"})
        subtitle = self._subtitle(wizard)
        evaluations = wizard._bo_evaluations()
        self._write_scorecard(workbook, formats, wizard, evaluations, subtitle)
        self._write_evaluations(workbook, formats, wizard, evaluations, subtitle)
