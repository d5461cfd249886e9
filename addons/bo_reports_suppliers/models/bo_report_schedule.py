from odoo import fields, models


class BoReportSchedule(models.Model):
    _inherit = "bo.report.schedule"

    report = fields.Selection(
        selection_add=[("scorecard", "Supplier Scorecard")],
        ondelete={"scorecard": "cascade"},
    )

    def _wizard_scorecard(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.supplier.scorecard.wizard"].create(
            dict(self._common_wizard_values(), date_from=date_from, date_to=date_to)
        )
