from odoo import models


class AccountMove(models.Model):
    """Bills received and invoices notified through the SdI's PEC show their
    register entries."""

    _name = "account.move"
    _inherit = ["account.move", "bo.mail.register.linked.mixin"]

    def _bo_sdi_write_send_state(self, transformed_notification, message, notification):
        """Write what an SdI notification received by PEC says, as l10n_it_edi
        writes what its proxy reports (``_l10n_it_edi_write_send_state``, which
        also commits: the gateway's intake, one transaction per message, must
        not), and attach the notification to the invoice."""
        self.ensure_one()
        new_state = transformed_notification["l10n_it_edi_state"]
        self.write(
            {
                "l10n_it_edi_state": new_state,
                "l10n_it_edi_transaction": transformed_notification["l10n_it_edi_transaction"],
                "l10n_it_edi_header": message or False,
            }
        )
        self.message_post(body=message, attachments=[(notification.name, notification.raw)])
        if new_state == "rejected":
            # As l10n_it_edi: the file refused is dropped, a corrected one will be sent.
            self.l10n_it_edi_attachment_file = False
