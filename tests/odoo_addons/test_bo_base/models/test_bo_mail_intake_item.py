from odoo import api, fields, models
from odoo.exceptions import UserError


class TestBoMailIntakeItem(models.Model):
    """A minimal model receiving email through the Back Office intake: its
    tests give it an alias. A subject asking it to explode makes its
    ``message_new`` fail, as a wrong alias default or a broken rule would."""

    _name = "test.bo.mail.intake.item"
    _inherit = ["bo.mail.intake.mixin"]
    _description = "Back Office Mail Intake Test Item"
    _bo_intake_error_field = "intake_error"
    _bo_intake_subject_field = "name"
    _primary_email = "email_from"

    name = fields.Char(required=True)
    email_from = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    intake_error = fields.Text(readonly=True, copy=False, bo_guarded=True)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        if "explode" in (msg_dict.get("subject") or ""):
            raise UserError(self.env._("The test item refuses to be made of this message."))
        values = {
            "name": msg_dict.get("subject") or "(no subject)",
            **self._bo_intake_custom_values(custom_values),
        }
        return super().message_new(msg_dict, custom_values=values)
