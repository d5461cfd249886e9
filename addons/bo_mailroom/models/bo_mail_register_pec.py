from odoo import api, fields, models
from odoo.tools import plaintext2html

from ..tools import pec


class BoMailRegister(models.Model):
    """PEC receipts: delivery status of outgoing certified email."""

    _inherit = "bo.mail.register"

    pec_receipt_kind = fields.Char(
        string="Strongest PEC Receipt",
        readonly=True,
        copy=False,
        help="The receipt the delivery status comes from: a later receipt changes the "
        "status only when it says more (acceptance < warning of non-delivery < "
        "delivery < definitive non-delivery).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._bo_is_privileged() and any(v.get("pec_receipt_kind") for v in vals_list):
            raise self._bo_action_fields_error({"pec_receipt_kind"})
        return super().create(vals_list)

    def write(self, vals):
        if "pec_receipt_kind" in vals and not self._bo_is_privileged():
            raise self._bo_action_fields_error({"pec_receipt_kind"})
        return super().write(vals)

    @api.model
    def _bo_pec_receipt_intake(self, msg_dict, raw, receipt, company):
        """Attach a PEC receipt to the outgoing entry of ``company`` it refers to.

        Called only for receipts fetched from a PEC mailbox; the company is
        the mailbox's: a receipt never reaches another company's entries.
        """
        msg_dict["attachments"] = [
            *list(msg_dict.get("attachments") or []),
            self.env["mail.thread"]._Attachment("original_email.eml", raw, {}),
        ]
        entry = self.browse()
        if receipt.get("msgid"):
            entry = self.search(
                [
                    ("direction", "=", "outgoing"),
                    ("email_message_id", "=", receipt["msgid"]),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        if not entry:
            entry = self._bo_create_received(
                [
                    {
                        "direction": "incoming",
                        "channel": "pec",
                        "company_id": company.id,
                        "subject": (msg_dict.get("subject") or "").strip()
                        or self.env._("(no subject)"),
                        "email_from": msg_dict.get("email_from") or False,
                        "email_message_id": msg_dict.get("message_id"),
                    }
                ]
            )
            entry._bo_mark_error(
                self.env._(
                    "PEC receipt '%(kind)s' for message %(msgid)s matches no outgoing entry.",
                    kind=receipt["kind"],
                    msgid=receipt.get("msgid") or "?",
                )
            )
            return entry
        entry._bo_apply_pec_receipt(receipt)
        return entry.with_context(bo_mailroom_pec_receipt=receipt["kind"])

    def _bo_apply_pec_receipt(self, receipt):
        """Take the receipt's status when it says more than the one the entry has."""
        self.ensure_one()
        kind = receipt["kind"]
        current = pec.RECEIPT_STRENGTH.get(self.pec_receipt_kind or "", 0)
        if pec.RECEIPT_STRENGTH[kind] <= current:
            return False
        self._bo_write_privileged(
            {"delivery_state": pec.RECEIPT_DELIVERY_STATES[kind], "pec_receipt_kind": kind}
        )
        if pec.RECEIPT_DELIVERY_STATES[kind] == "failed":
            owner = self.user_id or self.create_uid
            if owner and not owner.share and owner.active:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=self.env._("PEC not delivered"),
                    # The provider's error text is the sender's: plain text, escaped.
                    note=plaintext2html(
                        self.env._(
                            "The provider reports '%(kind)s'%(error)s for %(entry)s.",
                            kind=kind,
                            error=f" ({receipt['error']})" if receipt.get("error") else "",
                            entry=self.display_name,
                        )
                    ),
                    user_id=owner.id,
                )
        return True
