from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_mailroom_alias_id = fields.Many2one(
        related="company_id.bo_mailroom_alias_id", readonly=False
    )
