from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_mailroom_alias_id = fields.Many2one(
        related="company_id.bo_mailroom_alias_id", readonly=False
    )
    bo_segnatura_certificate_id = fields.Many2one(
        related="company_id.bo_segnatura_certificate_id", readonly=False
    )
    bo_segnatura_aoo_code = fields.Char(related="company_id.bo_segnatura_aoo_code", readonly=False)
