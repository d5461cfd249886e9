from odoo import fields, models


class BoReportSchedule(models.Model):
    _inherit = "bo.report.schedule"

    report = fields.Selection(
        selection_add=[("register", "Correspondence Register")],
        ondelete={"register": "cascade"},
    )

    def _wizard_register(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.mail.register.report.wizard"].create(
            {"company_id": self.company_id.id, "date_from": date_from, "date_to": date_to}
        )
