from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.tools import plaintext2html

from ..tools import pec


class PecReceipt:
    """The PEC receipt the gateway is processing (its kind): the message it
    posts on the entry is a receipt. A Python object in the context: an RPC
    client cannot make a message of its own pass for a provider's receipt."""

    __slots__ = ("kind",)

    def __init__(self, kind):
        self.kind = kind

    @classmethod
    def of(cls, env):
        receipt = env.context.get("bo_mailroom_pec_receipt")
        return receipt if isinstance(receipt, cls) else None


class BoMailRegister(models.Model):
    """PEC receipts: delivery status of outgoing certified email."""

    _inherit = "bo.mail.register"

    pec_receipt_kind = fields.Char(
        string="Strongest PEC Receipt",
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="The receipt the delivery status comes from: a later receipt changes the "
        "status only when it says more (acceptance < warning of non-delivery < "
        "delivery < definitive non-delivery).",
    )

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
        # The gateway posts the receipt on the entry next, with the subtype of
        # a PEC receipt: said by an object, not a value an RPC context could carry.
        return entry.with_context(bo_mailroom_pec_receipt=PecReceipt(receipt["kind"]))

    def _bo_apply_pec_receipt(self, receipt):
        """Take the receipt's status when it says more than the one the entry has."""
        self.ensure_one()
        kind = receipt["kind"]
        current = pec.RECEIPT_STRENGTH.get(self.pec_receipt_kind or "", 0)
        if pec.RECEIPT_STRENGTH[kind] <= current:
            return False
        bo_guard.grant(self, "delivery_state", "pec_receipt_kind").write(
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

    def _creation_subtype(self):
        if PecReceipt.of(self.env):
            return self.env.ref("bo_mailroom.mt_bo_mail_register_pec_receipt")
        return super()._creation_subtype()
