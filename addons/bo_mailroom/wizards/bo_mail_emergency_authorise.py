from odoo import fields, models


class BoMailEmergencyAuthorise(models.TransientModel):
    _name = "bo.mail.emergency.authorise"
    _description = "Authorise an Emergency Register"

    emergency_register_id = fields.Many2one("bo.mail.emergency.register", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.emergency_register_id._bo_authorise(self.reason)
        return {"type": "ir.actions.act_window_close"}
