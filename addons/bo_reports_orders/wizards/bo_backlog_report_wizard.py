from odoo import fields, models


class BoBacklogReportWizard(models.TransientModel):
    _inherit = "bo.backlog.report.wizard"

    agent_ids = fields.Many2many(relation="bo_backlog_report_wizard_agent_rel")
