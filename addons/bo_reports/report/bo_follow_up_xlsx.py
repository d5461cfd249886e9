from odoo import fields, models


class BoFollowUpXlsx(models.AbstractModel):
    """The back office's open follow-ups (activities) as a spreadsheet."""

    _name = "report.bo_reports.follow_up_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Back Office Follow-ups XLSX"

    def get_workbook_options(self):
        # Stream rows to disk instead of keeping the whole sheet in memory.
        # Names and summaries are typed by users or come from emails: a text
        # starting with "=" stays text, never a formula or a link to follow.
        return {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

    def _follow_up_columns(self):
        return [
            (self.env._("Document"), 40),
            (self.env._("Activity Type"), 22),
            (self.env._("Summary"), 40),
            (self.env._("Assigned to"), 24),
            (self.env._("Deadline"), 12),
            (self.env._("Days Late"), 10),
        ]

    def generate_xlsx_report(self, workbook, data, activities):
        sheet = workbook.add_worksheet(self.env._("Follow-ups"))
        bold = workbook.add_format({"bold": True, "bottom": 1})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        late_format = workbook.add_format({"font_color": "#C00000", "bold": True})
        for col, (title, width) in enumerate(self._follow_up_columns()):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        today = fields.Date.context_today(self)
        for row, activity in enumerate(activities.sorted("date_deadline"), start=1):
            days_late = max((today - activity.date_deadline).days, 0)
            sheet.write_string(row, 0, activity.res_name or "")
            sheet.write_string(row, 1, activity.activity_type_id.name or "")
            sheet.write_string(row, 2, activity.summary or "")
            sheet.write_string(row, 3, activity.user_id.name or "")
            sheet.write_datetime(row, 4, activity.date_deadline, date_format)
            sheet.write_number(row, 5, days_late, late_format if days_late else None)
        sheet.freeze_panes(1, 0)
