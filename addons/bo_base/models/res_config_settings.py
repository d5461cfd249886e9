from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_due_soon_days = fields.Integer(related="company_id.bo_due_soon_days", readonly=False)
    bo_escalation_user_id = fields.Many2one(
        related="company_id.bo_escalation_user_id", readonly=False
    )
