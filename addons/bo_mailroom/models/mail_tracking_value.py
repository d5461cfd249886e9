from odoo import api, models
from odoo.exceptions import UserError


class MailTrackingValue(models.Model):
    """Tracked changes of registered entries: the daily register's "changes"."""

    _inherit = "mail.tracking.value"

    def _bo_mailroom_evidence(self):
        messages = self.sudo().mail_message_id._bo_mailroom_evidence()
        return self.sudo().filtered(lambda t: t.mail_message_id in messages)

    def _bo_mailroom_check(self):
        if self._bo_mailroom_evidence():
            raise UserError(
                self.env._(
                    "The tracked changes of a registered entry are evidence: they cannot "
                    "be edited or deleted."
                )
            )

    def write(self, vals):
        self._bo_mailroom_check()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_mailroom_evidence(self):
        self._bo_mailroom_check()
