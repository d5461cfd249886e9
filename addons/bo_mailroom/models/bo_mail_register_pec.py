from odoo import api, fields, models

from ..tools import pec


class BoMailRegister(models.Model):
    """PEC receipts: delivery status of outgoing certified email."""

    _inherit = "bo.mail.register"

    @api.model
    def _bo_pec_receipt_intake(self, msg_dict, original, receipt, values, entry=None):
        """Attach a PEC receipt to the outgoing entry it refers to."""
        msg_dict.setdefault("attachments", [])
        msg_dict["attachments"] = [
            *list(msg_dict["attachments"]),
            self.env["mail.thread"]._Attachment("original_email.eml", original.as_bytes(), {}),
        ]
        if not entry and receipt.get("msgid"):
            entry = self.search(
                [("direction", "=", "outgoing"), ("email_message_id", "=", receipt["msgid"])],
                limit=1,
            )
        if not entry:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            entry = self.create(
                {
                    "direction": "incoming",
                    "channel": "pec",
                    "company_id": company.id,
                    "subject": (msg_dict.get("subject") or "").strip()
                    or self.env._("(no subject)"),
                    "email_from": msg_dict.get("email_from") or False,
                    "email_message_id": msg_dict.get("message_id"),
                }
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
        self.ensure_one()
        new_state = pec.RECEIPT_DELIVERY_STATES.get(receipt["kind"])
        rank = {False: 0, "sent": 1, "accepted": 2, "delivered": 3, "failed": 4}
        if new_state and rank[new_state] > rank[self.delivery_state or False]:
            self.delivery_state = new_state
        if new_state == "failed":
            owner = self.user_id or self.create_uid
            if owner and not owner.share and owner.active:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=self.env._("PEC not delivered"),
                    note=self.env._(
                        "The provider reports '%(kind)s'%(error)s for %(entry)s.",
                        kind=receipt["kind"],
                        error=f" ({receipt['error']})" if receipt.get("error") else "",
                        entry=self.display_name,
                    ),
                    user_id=owner.id,
                )
