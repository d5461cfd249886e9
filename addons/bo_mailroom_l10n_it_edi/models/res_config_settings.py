from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_sdi_pec_senders = fields.Char(related="company_id.bo_sdi_pec_senders", readonly=False)
