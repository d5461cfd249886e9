from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_request_answer_days = fields.Integer(
        related="company_id.bo_request_answer_days", readonly=False
    )
    bo_quotation_reminder = fields.Boolean(
        related="company_id.bo_quotation_reminder", readonly=False
    )
