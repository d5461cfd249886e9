from odoo import fields, models


class BoAgentReportWizard(models.TransientModel):
    """The statements of the sales agents for a period, side by side: the
    filters of the Agent Statements (XLSX) report.

    Each agent's figures are those of the agent statement of bo_orders
    (orders, invoiced, paid, commissions earned and settled, Enasarco, FIRR,
    commission due), computed as the user.
    """

    _name = "bo.agent.report.wizard"
    _inherit = ["bo.report.wizard.mixin", "bo.report.period.mixin"]
    _description = "Agent Statements Report"
    _bo_report_ref = "bo_reports_orders.action_report_bo_agent_xlsx"

    agent_ids = fields.Many2many(
        "res.partner",
        string="Agents",
        domain=[("agent", "=", True)],
        help="Leave empty for every agent.",
    )

    def _bo_default_period(self):
        """The year to date."""
        today = fields.Date.context_today(self)
        return today.replace(month=1, day=1), today

    def _bo_agents(self):
        if self.agent_ids:
            return self.agent_ids
        return self.env["res.partner"].search([("agent", "=", True)], order="name, id")

    def _bo_statements(self):
        """Yield the statement of each agent (in memory, never stored)."""
        self.ensure_one()
        agents = self._bo_agents()
        # The statement bounds the order dates (datetimes) by its dates at
        # midnight in the context's time zone: the report's.
        statements = self.env["bo.agent.statement"].with_context(tz=self._bo_tz())
        for done, agent in enumerate(agents):
            self._bo_progress(done, len(agents))
            yield statements.new(
                {
                    "agent_id": agent.id,
                    "company_id": self.company_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                }
            )
