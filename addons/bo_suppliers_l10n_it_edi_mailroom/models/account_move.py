"""A contested FatturaPA bill in the correspondence register: the contest
letter is registered as outgoing correspondence of the bill and sent from
the register, through the mailroom's own outgoing registration (protocol
number, the letter printed with it, PEC and its receipts); what the
supplier's credit note did to the block is noted on that letter too."""

from odoo import models

LETTER = "bo_suppliers_l10n_it_edi_mailroom.bo_letter_template_fpa_contest"


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "bo.mail.register.linked.mixin"]

    def _bo_fpa_contest_channel(self):
        """Certified email (PEC) when the company receives it, through a
        *PEC Mailbox* of the mailroom (where the PEC receipts come back),
        else email."""
        self.ensure_one()
        # sudo: mail servers are the administrators'; only whether the company
        # has a PEC mailbox is read
        pec = (
            self.env["fetchmail.server"]
            .sudo()
            .search_count(
                [("bo_is_pec", "=", True), ("bo_company_id", "=", self.company_id.id)], limit=1
            )
        )
        return "pec" if pec else "email"

    def _bo_fpa_contest_send(self, partner, subject, body, lines, category=None, **options):
        """Register the letter as outgoing correspondence of the bill, and
        send it from the register entry."""
        self.ensure_one()
        letter = self.env.ref(LETTER, raise_if_not_found=False)
        wizard = self.env["bo.mail.register.outgoing"].create(
            {
                "company_id": self.company_id.id,
                "partner_id": partner.id,
                "subject": subject,
                # the differences as the letter lists them, kept with the entry
                "summary": "\n".join(lines),
                "channel": self._bo_fpa_contest_channel(),
                "category_id": category.id if category else False,
                "res_model": self._name,
                "res_id": self.id,
                "letter_template_id": letter.id if letter else False,
                "send_email": True,
                "body": body,
            }
        )
        action = wizard.action_confirm()
        return self.env["bo.mail.register"].browse(action["res_id"])

    def _bo_fpa_contest_entries(self):
        """The register entries of the letters that contested the bill."""
        self.ensure_one()
        letter = self.env.ref(LETTER, raise_if_not_found=False)
        if not letter:
            return self.env["bo.mail.register"]
        # sudo: whoever brings in the supplier's credit note (OdooBot for the
        # SdI, an accountant) notes it on the letter that asked for it
        return (
            self.env["bo.mail.register"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("direction", "=", "outgoing"),
                    ("letter_template_id", "=", letter.id),
                    ("state", "!=", "cancelled"),
                ]
            )
        )

    def _bo_fpa_post_credit_note_note(self, body):
        message = super()._bo_fpa_post_credit_note_note(body)
        for entry in self._bo_fpa_contest_entries():
            entry.message_post(body=body, subtype_xmlid="mail.mt_note")
        return message
