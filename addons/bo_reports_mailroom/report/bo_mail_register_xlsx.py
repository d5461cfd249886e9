from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models
from odoo.tools.misc import format_date


class BoMailRegisterXlsx(models.AbstractModel):
    """The correspondence register of a period as a spreadsheet, from the
    register report wizard.

    Sheets: *Summary* (entries per classification and direction, totals as
    formulas) and *Register* (every entry in protocol order, continued on new
    sheets past Excel's row limit).
    """

    _name = "report.bo_reports_mailroom.mail_register_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Correspondence Register XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, entries registered from %(date_from)s to %(date_to)s",
            company=wizard.company_id.name,
            date_from=format_date(self.env, wizard.date_from),
            date_to=format_date(self.env, wizard.date_to),
        )

    def _labels(self, fname):
        selection = self.env["bo.mail.register"]._fields[fname]
        return dict(selection._description_selection(self.env))

    def _write_summary(self, workbook, formats, wizard, subtitle):
        directions = list(self._labels("direction").items())
        headers = [
            (self.env._("Classification"), 40),
            *((label, 12) for _key, label in directions),
            (self.env._("Total"), 12),
        ]
        title = self.env._("Summary")
        sheet = self._write_sheet_start(workbook, formats, title, title, subtitle, headers)
        summary = wizard._bo_register_summary()
        categories = sorted(summary, key=lambda c: (not c, c.display_name or ""))
        first_row = row = self._header_row + 1
        totals = dict.fromkeys(range(1, len(directions) + 2), 0)
        for category in categories:
            counts = summary[category]
            label = category.display_name if category else self.env._("Not classified")
            sheet.write_string(row, 0, label)
            for col, (key, _label) in enumerate(directions, start=1):
                sheet.write_number(row, col, counts.get(key, 0))
                totals[col] += counts.get(key, 0)
            total_col = len(directions) + 1
            first, last = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, total_col - 1)
            sheet.write_formula(row, total_col, f"=SUM({first}:{last})", None, sum(counts.values()))
            totals[total_col] += sum(counts.values())
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        self._write_totals(
            sheet, row, first_row, dict(formats, total=formats["count_total"]), totals
        )

    def _write_register(self, workbook, formats, wizard, subtitle):
        headers = [
            (self.env._("Protocol Number"), 18),
            (self.env._("Registered on"), 16),
            (self.env._("Direction"), 12),
            (self.env._("Channel"), 16),
            (self.env._("Correspondent"), 32),
            (self.env._("Subject"), 48),
            (self.env._("Classification"), 28),
            (self.env._("Assignee"), 20),
            (self.env._("State"), 14),
            (self.env._("Reply Deadline"), 14),
            (self.env._("Days Late"), 10),
        ]
        labels = {fname: self._labels(fname) for fname in ("direction", "channel", "state")}

        def write_row(sheet, row, item):
            entry = item["entry"]
            sheet.write_string(row, 0, entry.name or "")
            sheet.write_datetime(row, 1, item["date"].replace(tzinfo=None), formats["datetime"])
            sheet.write_string(row, 2, labels["direction"][entry.direction])
            sheet.write_string(row, 3, labels["channel"][entry.channel])
            sheet.write_string(row, 4, entry.correspondent or "")
            sheet.write_string(row, 5, entry.subject or "")
            sheet.write_string(row, 6, entry.category_id.display_name or "")
            sheet.write_string(row, 7, entry.user_id.name or "")
            sheet.write_string(row, 8, labels["state"][entry.state])
            if entry.deadline_date:
                sheet.write_number(row, 9, self._excel_date(entry.deadline_date), formats["date"])
            sheet.write_number(
                row, 10, item["days_late"], formats["late"] if item["days_late"] else None
            )

        self._write_list_sheets(
            workbook,
            formats,
            self.env._("Register"),
            subtitle,
            headers,
            wizard._bo_register_entries(),
            write_row,
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        formats["datetime"] = workbook.add_format(
            {"num_format": f"{self._excel_date_format()} hh:mm"}
        )
        formats["late"] = workbook.add_format({"font_color": "#C00000", "bold": True})
        formats["count_total"] = workbook.add_format({"bold": True, "top": 1})
        subtitle = self._subtitle(wizard)
        self._write_summary(workbook, formats, wizard, subtitle)
        self._write_register(workbook, formats, wizard, subtitle)
