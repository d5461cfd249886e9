import logging

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import email_normalize, html2plaintext

from ..tools import pec

# The intake logs under the register's logger, as it did before it had a file
# of its own: logging configurations and tests that mute it keep working.
_logger = logging.getLogger(__name__)


class BoMailRegister(models.Model):
    """Mail gateway intake: incoming messages registered, routed, acknowledged
    or kept in error."""

    _inherit = "bo.mail.register"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Register each message received by the protocol alias.

        Nothing is lost: when the message cannot be registered, an entry in
        state ``error`` keeps the original and the reason for a manager.
        """
        original = msg_dict.pop("bo_original", None)
        values = dict(custom_values or {})
        receipt = pec.parse_receipt(original) if original else None
        try:
            with self.env.cr.savepoint():
                if receipt:
                    return self._bo_pec_receipt_intake(msg_dict, original, receipt, values)
                return self._bo_gateway_intake(msg_dict, original, values)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            # A concurrent update: let the gateway retry the whole message.
            raise
        except Exception as error:
            # Whatever else fails, the message must be kept, never dropped.
            _logger.exception("Mailroom intake failed for %s", msg_dict.get("message_id"))
            return self._bo_gateway_keep_error(msg_dict, original, values, str(error))

    def message_update(self, msg_dict, update_vals=None):
        """A receipt updates the outgoing entry; a reply is registered as a new entry."""
        original = msg_dict.pop("bo_original", None)
        receipt = pec.parse_receipt(original) if original else None
        if receipt:
            self._bo_pec_receipt_intake(msg_dict, original, receipt, {}, entry=self)
        elif msg_dict.get("email_from") and not msg_dict.get("is_internal"):
            author = self.env["res.partner"].browse(msg_dict.get("author_id"))
            if not author.user_ids.filtered(lambda u: not u.share):
                values = {"company_id": self.company_id.id, "reply_to_id": self.id}
                self.message_new(dict(msg_dict, bo_original=original), values)
                msg_dict["attachments"] = []
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _bo_find_partner(self, email, company):
        normalized = email_normalize(email or "")
        if not normalized:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [
                ("email_normalized", "=", normalized),
                ("company_id", "in", [False, company.id]),
            ],
            order="is_company desc, id",
            limit=1,
        )

    @api.model
    def _bo_gateway_values(self, msg_dict, company):
        email_from = msg_dict.get("email_from") or ""
        partner = self._bo_find_partner(email_from, company)
        body_text = html2plaintext(msg_dict.get("body") or "").strip()
        date = msg_dict.get("date")
        return {
            "direction": "incoming",
            "channel": "email",
            "company_id": company.id,
            "subject": (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"),
            "summary": body_text[:4000],
            "email_from": email_from,
            "partner_id": partner.id,
            "partner_name": False if partner else (email_from or False),
            "document_date": fields.Datetime.to_datetime(date).date() if date else False,
            "email_message_id": msg_dict.get("message_id"),
        }

    @api.model
    def _bo_gateway_intake(self, msg_dict, original, values):
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        envelope = pec.parse_envelope(original) if original else None
        if envelope:
            inner_dict = self.env["mail.thread"].message_parse(envelope["message"])
            vals = self._bo_gateway_values(inner_dict, company)
            vals["channel"] = "pec"
            files = [
                *inner_dict.get("attachments", []),
                self.env["mail.thread"]._Attachment("postacert.eml", envelope["raw_inner"], {}),
                self.env["mail.thread"]._Attachment("daticert.xml", envelope["daticert"], {}),
            ]
            msg_dict["body"] = inner_dict.get("body") or msg_dict.get("body")
            if vals["partner_id"]:
                msg_dict["author_id"] = vals["partner_id"]
        else:
            vals = self._bo_gateway_values(msg_dict, company)
            files = list(msg_dict.get("attachments") or [])
        original_name = "envelope.eml" if envelope else "original_email.eml"
        if original is not None:
            files.append(
                self.env["mail.thread"]._Attachment(original_name, original.as_bytes(), {})
            )
        vals.update({k: v for k, v in values.items() if k in self._fields})
        rule = self.env["bo.mail.routing.rule"]._bo_match(vals, msg_dict)
        vals.update(rule._prepare_register_vals())
        entry = self.create(vals)
        attachments = entry._bo_create_attachments(files)
        msg_dict["attachments"] = []
        msg_dict["attachment_ids"] = attachments.ids
        if not vals.get("email_from"):
            entry._bo_mark_error(self.env._("The message has no sender address."))
            return entry
        entry.action_register()
        if rule.send_acknowledgement:
            entry._bo_send_acknowledgement()
        return entry

    def _bo_create_attachments(self, files):
        self.ensure_one()
        vals_list = []
        for file in files:
            name, content, info = file[0], file[1], (file[2] if len(file) > 2 else {}) or {}
            if isinstance(content, str):
                try:
                    content = content.encode(info.get("encoding") or "utf-8")
                except (LookupError, UnicodeEncodeError):
                    content = content.encode("utf-8", errors="replace")
            vals_list.append(
                {
                    "name": name or "attachment",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        attachments = self.env["ir.attachment"].create(vals_list)
        self.attachment_ids = [fields.Command.link(a.id) for a in attachments]
        return attachments

    def _bo_mark_error(self, reason):
        """Keep the entry for a manager, with the reason, and tell one."""
        for entry in self:
            entry.write({"state": "error", "error_reason": reason})
            manager = entry.company_id._bo_escalation_user()
            if manager:
                entry.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Mailroom intake error"),
                    note=reason,
                    user_id=manager.id,
                )

    @api.model
    def _bo_gateway_keep_error(self, msg_dict, original, values, reason):
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        vals = {
            "direction": "incoming",
            "channel": "email",
            "company_id": company.id,
            "subject": (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"),
            "email_from": msg_dict.get("email_from") or False,
            "email_message_id": msg_dict.get("message_id"),
        }
        entry = self.create(vals)
        files = []
        if original is not None:
            files.append(("original_email.eml", original.as_bytes(), {}))
        attachments = entry._bo_create_attachments(files)
        # The attachments may be what failed: keep only the original.
        msg_dict["attachments"] = []
        msg_dict["attachment_ids"] = attachments.ids
        entry._bo_mark_error(reason)
        return entry

    def _bo_send_acknowledgement(self):
        template = self.env.ref("bo_mailroom.mail_template_bo_mail_register_ack")
        for entry in self.filtered(lambda e: e.email_from or e.partner_id.email):
            template.send_mail(entry.id, email_layout_xmlid="mail.mail_notification_light")
            entry.message_post(
                body=self.env._(
                    "Acknowledgement of receipt sent to %s.",
                    entry.email_from or entry.partner_id.email,
                ),
                subtype_xmlid="mail.mt_note",
            )
