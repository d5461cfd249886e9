from odoo import fields, models


class BoReportSchedule(models.Model):
    _inherit = "bo.report.schedule"

    report = fields.Selection(
        selection_add=[("claims", "Claims Statistics"), ("agents", "Agent Statements")],
        ondelete={"claims": "cascade", "agents": "cascade"},
    )

    def _wizard_claims(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.claim.report.wizard"].create(
            dict(self._common_wizard_values(), date_from=date_from, date_to=date_to)
        )

    def _wizard_agents(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.agent.report.wizard"].create(
            {"company_id": self.company_id.id, "date_from": date_from, "date_to": date_to}
        )
