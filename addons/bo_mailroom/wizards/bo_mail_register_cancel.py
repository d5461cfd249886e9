from odoo import fields, models


class BoMailRegisterCancel(models.TransientModel):
    _name = "bo.mail.register.cancel"
    _description = "Cancel a Registration"

    register_ids = fields.Many2many("bo.mail.register", string="Entries", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.register_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
