from odoo import Command, fields, models
from odoo.addons.bo_base.models import bo_guard


class BoMailRegister(models.Model):
    """Outgoing correspondence: the letter printed with its protocol number,
    and the email that sends it (PEC receipts follow it, see ``_pec.py``)."""

    _inherit = "bo.mail.register"

    letter_template_id = fields.Many2one("bo.letter.template")

    def _bo_attach_letter(self):
        """Print the letter, with its protocol number, among the entry's files.

        The number is already given: the letter is linked past the evidence
        rule, and its fingerprint is taken right after.
        """
        self.ensure_one()
        report = self.env.ref("bo_mailroom.action_report_bo_letter")
        content, extension = self.env["ir.actions.report"]._bo_render_document(report, self.ids)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.{extension}",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        bo_guard.grant(self, "attachment_ids").write(
            {"attachment_ids": [Command.link(attachment.id)]}
        )
        return attachment

    def _bo_send_by_email(self, body=None):
        """Email the entry and its files to the recipient; receipts will follow it."""
        self.ensure_one()
        message = self.message_post(
            body=body or self.env._("Please find attached our correspondence %s.", self.name),
            subject=self.env._("%(number)s - %(subject)s", number=self.name, subject=self.subject),
            partner_ids=self.partner_id.ids,
            attachment_ids=self.attachment_ids.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        bo_guard.grant(self, "email_message_id", "delivery_state").write(
            {"email_message_id": message.message_id, "delivery_state": "sent"}
        )
        return message

    def _bo_letter_body(self):
        """The letter text rendered from its template, in the recipient's language."""
        self.ensure_one()
        template = self.letter_template_id
        if not template:
            return ""
        return template._render_letter(self)
