import logging

from odoo import api, models
from odoo.addons.bo_base.models.bo_mail_intake import clean_text
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)


class BoCustomerClaim(models.Model):
    """Claims by email: every message the claims alias receives is kept.

    The claim takes part in the Back Office email intake (``bo_base``): a
    claim by email keeps the bytes received (``original_email.eml``), and a
    message that cannot become a claim as it is (an unknown charset, a NUL
    byte in a header or an attachment name, a wrong alias default, text the
    database refuses) is rolled back and kept as a claim with what can be
    read of it, the reason (``intake_error``) and the bytes received, for
    the desk; the escalation manager is told.
    """

    _name = "bo.customer.claim"
    _inherit = ["bo.customer.claim", "bo.mail.intake.mixin"]
    _bo_intake_error_field = "intake_error"
    _bo_intake_subject_field = "title"
    # a claim kept in error came by email and waits for the desk to take it
    _bo_intake_kept_values = {"channel": "email", "user_id": False}

    @api.model
    def _mail_values(self, msg_dict, custom_values):
        email = email_normalize(msg_dict.get("email_from") or "")
        company = self.env["res.company"].browse((custom_values or {}).get("company_id"))
        company = company or self.env.company
        partner = self.env["res.partner"]
        if email:
            partner = partner.search(
                [("email_normalized", "=", email), ("company_id", "in", [False, company.id])],
                order="is_company desc, id",
                limit=1,
            )
        values = {
            "title": clean_text(msg_dict.get("subject"), 500) or self.env._("(no subject)"),
            "channel": "email",
            "email_from": msg_dict.get("email_from"),
            "description": msg_dict.get("body"),
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "user_id": False,
        }
        # Aliases and routes give defaults; never what only the claim's code
        # sets, nor a stage (a claim starts in the first one).
        custom = self._bo_intake_custom_values(custom_values)
        custom.pop("stage_id", None)
        values.update(custom)
        return values

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim by email, acknowledged to a known customer.

        What cannot become a claim is kept by the intake (see the class).
        """
        # granted: the gateway fills the reference with the subject, which
        # the sequence replaces
        claim = (
            super(BoCustomerClaim, self._privileged())
            .message_new(msg_dict, custom_values=self._mail_values(msg_dict, custom_values))
            .with_env(self.env)
        )
        if claim._ack_recipient():
            try:
                with self.env.cr.savepoint():
                    claim.action_send_acknowledgement()
            except Exception:  # the claim is kept without its acknowledgement
                _logger.warning("Claim acknowledgement failed for %s", claim.name, exc_info=True)
        return claim

    @api.model
    def _bo_intake_keep(self, intake, error):
        _logger.warning("Claim intake failed, the message is kept for the desk: %s", error)
        return super()._bo_intake_keep(intake, error)
