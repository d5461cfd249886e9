from odoo import api, fields, models
from odoo.addons.bo_base.models.bo_mail_intake import clean_text
from odoo.tools import email_normalize


class BoOrderRequest(models.Model):
    """Order requests by email: every message the orders alias receives is kept.

    The request takes part in the Back Office email intake (``bo_base``): a
    request by email keeps the bytes received (``original_email.eml``), and a
    message that cannot become a request as it is (an unknown charset, a NUL
    byte in a header or an attachment name, a wrong alias default, text the
    database refuses) is rolled back and kept as a request with what can be
    read of it, the reason (``intake_error``) and the bytes received, for the
    desk; the escalation manager is told.
    """

    _name = "bo.order.request"
    _inherit = ["bo.order.request", "bo.mail.intake.mixin"]
    _bo_intake_error_field = "intake_error"
    _bo_intake_subject_field = "title"
    # a request kept in error came by email and waits for the desk to take it
    _bo_intake_kept_values = {"channel": "email", "user_id": False}

    intake_error = fields.Text(
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="Why the email could not become a request as it was: the message is kept "
        "here for the desk to complete.",
    )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request by email: the sender's company is the customer.

        What cannot become a request is kept by the intake (see the class).
        """
        email = email_normalize(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"]
        if email:
            partner = self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
        values = {
            # the placeholder keeps the gateway from naming the request after
            # the subject: the sequence gives the reference
            "name": self.env._("New"),
            "title": clean_text(msg_dict.get("subject"), 500) or self.env._("(no subject)"),
            "channel": "email",
            "description": msg_dict.get("body"),
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "user_id": False,
        }
        # Aliases and routes give defaults; never what only the request's code sets.
        values.update(self._bo_intake_custom_values(custom_values))
        return super().message_new(msg_dict, custom_values=values)
