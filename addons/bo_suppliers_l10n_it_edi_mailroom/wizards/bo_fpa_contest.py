from odoo import api, fields, models
from odoo.addons.bo_mailroom.models.bo_mail_register import CHANNELS


class BoFpaContest(models.TransientModel):
    _inherit = "bo.fpa.contest"

    channel = fields.Selection(
        CHANNELS,
        string="Sent By",
        compute="_compute_channel",
        help="Certified email (PEC) when the company has a PEC mailbox, else email. The "
        "letter is registered as outgoing correspondence of the bill.",
    )
    category_id = fields.Many2one(
        "bo.mail.category",
        string="Classification",
        domain="[('company_id', 'in', (company_id, False))]",
        help="The classification of the letter in the correspondence register; a letter "
        "sent by PEC with a Segnatura must be classified.",
    )
    company_id = fields.Many2one(related="move_id.company_id")

    @api.depends("move_id")
    def _compute_channel(self):
        for wizard in self:
            wizard.channel = wizard.move_id._bo_fpa_contest_channel() if wizard.move_id else False

    def _prepare_send_options(self):
        return {**super()._prepare_send_options(), "category": self.category_id}
