from babel.dates import format_date as babel_format_date
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import fields, models
from odoo.tools.misc import format_date, get_lang


class BoClaimXlsx(models.AbstractModel):
    """Claims statistics as a spreadsheet, from the claims statistics wizard.

    Sheets: *By Type*, *By Root Cause*, *By Product* and *By Month* (claims
    received, open, resolved, cancelled, past their service level, average
    days to resolve; totals as formulas) and *Claims* (every claim of the
    period, continued on new sheets past Excel's row limit).
    """

    _name = "report.bo_reports_orders.claim_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Claims Statistics XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, claims received from %(date_from)s to %(date_to)s",
            company=wizard.company_id.name,
            date_from=format_date(self.env, wizard.date_from),
            date_to=format_date(self.env, wizard.date_to),
        )

    def _labels(self, fname):
        selection = self.env["bo.customer.claim"]._fields[fname]
        return dict(selection._description_selection(self.env))

    def _group_label(self, groupby, value):
        if groupby == "received_date:month":
            locale = get_lang(self.env).code
            return babel_format_date(value, format="MMMM yyyy", locale=locale).capitalize()
        if groupby == "product_id":
            return value.display_name if value else self.env._("No product")
        if not value:
            return self.env._("Not set")
        return self._labels(groupby)[value]

    def _write_statistics(self, workbook, formats, wizard, groupby, title, subtitle):
        headers = [
            (self._dimension_title(groupby), 36),
            (self.env._("Claims"), 10),
            (self.env._("Open"), 10),
            (self.env._("Resolved"), 10),
            (self.env._("Cancelled"), 10),
            (self.env._("Past Service Level"), 12),
            (self.env._("Average Days to Resolve"), 14),
        ]
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        rows = wizard._bo_claim_statistics(groupby)
        if groupby == "received_date:month":
            rows.sort(key=lambda item: item[0])
        else:
            rows.sort(key=lambda item: -item[1]["count"])
        first_row = row = self._header_row + 1
        totals = dict.fromkeys(range(1, 6), 0)
        resolved_days = 0
        for value, figures in rows:
            sheet.write_string(row, 0, self._group_label(groupby, value))
            for col, key in enumerate(("count", "open", "done", "cancelled", "overdue"), start=1):
                sheet.write_number(row, col, figures[key])
                totals[col] += figures[key]
            sheet.write_number(row, 6, figures["days"], formats["days"])
            resolved_days += figures["days"] * figures["done"]
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        self._write_totals(
            sheet, row, first_row, dict(formats, total=formats["count_total"]), totals
        )
        # The average of the period weighs each group by its resolved claims.
        average = resolved_days / totals[3] if totals[3] else 0
        if row > first_row:
            done = f"{xl_rowcol_to_cell(first_row, 3)}:{xl_rowcol_to_cell(row - 1, 3)}"
            days = f"{xl_rowcol_to_cell(first_row, 6)}:{xl_rowcol_to_cell(row - 1, 6)}"
            formula = f"=IF(SUM({done})=0,0,SUMPRODUCT({done},{days})/SUM({done}))"
            sheet.write_formula(row, 6, formula, formats["days_total"], average)

    def _dimension_title(self, groupby):
        return {
            "claim_type": self.env._("Type"),
            "root_cause": self.env._("Root Cause"),
            "product_id": self.env._("Product"),
            "received_date:month": self.env._("Month"),
        }[groupby]

    def _write_claims(self, workbook, formats, wizard, subtitle):
        headers = [
            (self.env._("Reference"), 16),
            (self.env._("Received on"), 12),
            (self.env._("Customer"), 32),
            (self.env._("Subject"), 40),
            (self.env._("Type"), 20),
            (self.env._("Priority"), 10),
            (self.env._("Stage"), 16),
            (self.env._("Product"), 32),
            (self.env._("Root Cause"), 24),
            (self.env._("Days to Resolve"), 12),
            (self.env._("Deadline"), 12),
            (self.env._("Past Service Level"), 12),
        ]
        labels = {fname: self._labels(fname) for fname in ("claim_type", "priority", "root_cause")}
        yes = self.env._("Yes")

        def write_row(sheet, row, claim):
            sheet.write_string(row, 0, claim.name or "")
            received = fields.Datetime.context_timestamp(wizard, claim.received_date)
            sheet.write_number(row, 1, self._excel_date(received.date()), formats["date"])
            sheet.write_string(row, 2, claim.partner_id.display_name or "")
            sheet.write_string(row, 3, claim.title or "")
            sheet.write_string(row, 4, labels["claim_type"][claim.claim_type])
            sheet.write_string(row, 5, labels["priority"][claim.priority])
            sheet.write_string(row, 6, claim.stage_id.name or "")
            sheet.write_string(row, 7, claim.product_id.display_name or "")
            sheet.write_string(row, 8, labels["root_cause"].get(claim.root_cause, ""))
            if claim.resolution_days:
                sheet.write_number(row, 9, claim.resolution_days, formats["days"])
            if claim.deadline_date:
                sheet.write_number(row, 10, self._excel_date(claim.deadline_date), formats["date"])
            if claim.deadline_state == "overdue":
                sheet.write_string(row, 11, yes, formats["late"])

        self._write_list_sheets(
            workbook,
            formats,
            self.env._("Claims"),
            subtitle,
            headers,
            wizard._bo_claims(),
            write_row,
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        formats["days"] = workbook.add_format({"num_format": "0.0"})
        formats["days_total"] = workbook.add_format({"bold": True, "top": 1, "num_format": "0.0"})
        formats["count_total"] = workbook.add_format({"bold": True, "top": 1})
        formats["late"] = workbook.add_format({"font_color": "#C00000", "bold": True})
        subtitle = self._subtitle(wizard)
        for groupby, title in wizard._bo_dimensions():
            self._write_statistics(workbook, formats, wizard, groupby, title, subtitle)
        self._write_claims(workbook, formats, wizard, subtitle)
