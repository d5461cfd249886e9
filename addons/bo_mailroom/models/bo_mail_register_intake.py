import email.message
import logging

from odoo import Command, api, fields, models
from odoo.addons.bo_base.models.bo_mail_intake import (
    ORIGINAL_NAME,
    MailIntake,
    clean_msg_dict,
    clean_text,
    intake_reason,
    safe_headers,
)
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, html2plaintext

from ..tools import pec

# The intake logs under the register's logger, as it did before it had a file
# of its own: logging configurations and tests that mute it keep working.
_logger = logging.getLogger(__name__)

# Names of the stored original: the message received, or the PEC envelope.
ORIGINAL_NAMES = (ORIGINAL_NAME, "envelope.eml")


class BoDuplicateMessage(UserError):
    """A Message-ID already received, with other content."""

    def __init__(self, message, company):
        super().__init__(message)
        self.bo_company = company


class BoMailRegister(models.Model):
    """Mail gateway intake: incoming messages registered, waiting for triage,
    acknowledged or kept in error.

    The register takes part in the Back Office email intake (``bo_base``):
    a message that fails anywhere is kept as an entry in error with the bytes
    received. The register adds its own rules: a message carrying NUL bytes
    or reusing a Message-ID with other content is refused before it is read,
    one entry per company, PEC envelopes and receipts from a PEC mailbox.
    """

    _name = "bo.mail.register"
    _inherit = ["bo.mail.register", "bo.mail.intake.mixin"]
    # The register files the bytes received itself, fingerprinted at registration.
    _bo_intake_keeps_original = False

    # ------------------------------------------------------------------
    # Gateway entry points
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Make an entry of each message received by the protocol alias.

        Nothing is lost: when the message cannot be registered, an entry in
        state ``error`` keeps the original and the reason for a manager. A
        message that reached two aliases of the company is one entry.
        """
        intake = MailIntake.of(self.env)
        values = dict(custom_values or {})
        company = self._bo_intake_target_company(intake, values)
        entries = intake.remember(self._name) if intake else {}
        if company.id in entries:
            entry = self.browse(entries[company.id])
            if values.get("res_model") and not entry.res_model:
                entry.write({"res_model": values["res_model"], "res_id": values.get("res_id")})
            msg_dict["attachments"] = []
            return entry
        try:
            with self.env.cr.savepoint():
                entry = self._bo_intake_message(msg_dict, intake, values, company)
        except Exception as error:  # whatever fails, the message is kept
            _logger.warning(
                "Mailroom intake failed for %s", msg_dict.get("message_id"), exc_info=True
            )
            entry = self._bo_keep_unprocessable(intake, company, error, msg_dict=msg_dict)
            # The gateway posts the message on the entry next: only the original
            # is attached, and what PostgreSQL would refuse is taken out.
            msg_dict["attachments"] = []
            msg_dict["attachment_ids"] = entry.attachment_ids.ids
            clean_msg_dict(msg_dict)
        entries[company.id] = entry.id
        return entry

    def message_update(self, msg_dict, update_vals=None):
        """A receipt updates the outgoing entry; a reply is registered as a new entry."""
        intake = MailIntake.of(self.env)
        receipt, _envelope, _status = self._bo_read_pec(intake)
        if receipt:
            company = intake.server.bo_company_id or self.company_id
            self._bo_pec_receipt_intake(msg_dict, intake.raw, receipt, company)
        elif msg_dict.get("email_from") and not msg_dict.get("is_internal"):
            author = self.env["res.partner"].browse(msg_dict.get("author_id"))
            if not author.user_ids.filtered(lambda u: not u.share):
                values = {"company_id": self.company_id.id, "reply_to_id": self.id}
                self.message_new(msg_dict, values)
                msg_dict["attachments"] = []
        return super().message_update(msg_dict, update_vals=update_vals)

    # ------------------------------------------------------------------
    # The Back Office intake: what the register refuses, how it keeps
    # ------------------------------------------------------------------

    @api.model
    def _bo_intake_check(self, intake):
        """Refuse, before it is read, a message with NUL bytes meant for the
        register, and a Message-ID already received with other content."""
        if b"\x00" in intake.raw and self._bo_intake_company(intake):
            # No mail may carry a NUL byte (RFC 5322) and PostgreSQL refuses
            # it in text: the message is not read at all.
            raise UserError(self.env._("The message contains NUL bytes, which no email may carry."))
        duplicate = self._bo_intake_duplicate(intake)
        if duplicate:
            raise duplicate

    @api.model
    def _bo_intake_keep(self, intake, error):
        """Keep a message that failed as an entry in error of the company it
        is for (the one of the duplicate it repeats, of the alias, or of the
        mailbox): one entry per company, however many aliases it reached."""
        company = (
            getattr(error, "bo_company", None)
            or self._bo_intake_alias_company(intake.keeping_alias)
            or self._bo_intake_company(intake)
            or self.env.company
        )
        return self._bo_intake_keep_for(intake, error, company)

    @api.model
    def _bo_intake_keep_for(self, intake, error, company, record=None):
        """The entry in error of ``company`` keeping a message that failed,
        made once per company and linked to ``record`` (the document another
        model of ours kept the same message as), if any."""
        entries = intake.remember(self._name)
        entry = self.browse(entries.get(company.id)).exists()
        if not entry:
            entry = self._bo_keep_unprocessable(intake, company, error)
            entries[company.id] = entry.id
        if record and not entry.res_model:
            # sudo: the gateway links what it kept to the document made of it
            entry.sudo().write({"res_model": record._name, "res_id": record.id})
        return entry

    # ------------------------------------------------------------------
    # Where the message comes from
    # ------------------------------------------------------------------

    @api.model
    def _bo_intake_target_company(self, intake, values):
        company = self.env["res.company"].browse(values.get("company_id"))
        if not company and intake:
            company = intake.server.bo_company_id
        return company or self.env.company

    @api.model
    def _bo_addressed_companies(self, intake):
        """Companies whose protocol alias the message is addressed to."""
        headers = intake.header_block().decode("latin-1").lower()
        # sudo: the gateway reads the aliases of every company to route a message
        companies = self.env["res.company"].sudo().search([("bo_mailroom_alias_id", "!=", False)])
        return companies.filtered(
            lambda c: (
                c.bo_mailroom_alias_id.alias_full_name
                and c.bo_mailroom_alias_id.alias_full_name.lower() in headers
            )
        )

    @api.model
    def _bo_intake_company(self, intake):
        """The company whose register must keep a message that failed, or None.

        A message concerns the register when it was fetched for it, routed to
        it or addressed to one of its aliases.
        """
        companies = self._bo_addressed_companies(intake)
        if companies:
            return companies[:1]
        server = intake.server
        if (server and server.object_id.model == self._name) or intake.model == self._name:
            return server.bo_company_id or self.env.company
        if self._name in intake.route_models():
            return self.env.company
        return None

    @api.model
    def _bo_read_pec(self, intake):
        """Return ``(receipt, envelope, status)`` of a message from a PEC mailbox.

        Only a mailbox marked as PEC is believed: anyone can write the headers
        and files of a PEC message in an ordinary email.
        """
        if not (intake and intake.server.bo_is_pec):
            return None, None, "untrusted"
        message = intake.parsed()
        content, status = pec.signed_content(message, intake.raw)
        if status == "invalid":
            return None, None, status
        receipt = pec.parse_receipt(message, content)
        envelope = None if receipt else pec.parse_envelope(message, content)
        return receipt, envelope, status

    @api.model
    def _bo_intake_duplicate(self, intake):
        """Refuse a Message-ID already received with other content.

        Odoo's gateway drops a message whose Message-ID it has seen: a second
        message reusing it would be lost. Only the very same content (bytes
        after the headers, which relays rewrite) is a duplicate.
        """
        msgid = intake.headers().get("message_id")
        if not msgid:
            return None
        # sudo: the gateway compares with every entry received under this
        # Message-ID (its own, or that of the PEC envelope that carried it),
        # whoever may read it; the messages are a subquery: one query in all
        messages = (
            self.env["mail.message"]
            .sudo()
            ._search([("message_id", "=", msgid), ("model", "=", self._name)])
        )
        entries = self.sudo().search(
            [
                "|",
                ("email_message_id", "=", msgid),
                ("id", "in", messages.subselect(SQL.identifier(messages.table, "res_id"))),
                ("direction", "=", "incoming"),
            ]
        )
        if not entries:
            return None
        body = intake.body_block()
        originals = entries.attachment_ids.filtered(lambda a: a.name in ORIGINAL_NAMES)
        for original in originals:
            if MailIntake(original.raw, None, None).body_block() == body:
                return None
        return BoDuplicateMessage(
            self.env._(
                "A message with the same Message-ID %(msgid)s was already received "
                "(%(entries)s) with different content: check which one is genuine.",
                msgid=msgid,
                entries=", ".join(entries.mapped("display_name")),
            ),
            entries[:1].company_id,
        )

    # ------------------------------------------------------------------
    # Registration
    # ------------------------------------------------------------------

    @api.model
    def _bo_intake_message(self, msg_dict, intake, values, company):
        receipt, envelope, status = self._bo_read_pec(intake)
        raw = intake.raw if intake else None
        if receipt:
            # A receipt is about the mailbox company's own mail, whatever alias it reached.
            company = intake.server.bo_company_id or company
            return self._bo_pec_receipt_intake(msg_dict, raw, receipt, company)
        entry = self._bo_gateway_intake(msg_dict, raw, values, company, envelope)
        if envelope:
            entry._bo_pec_envelope_received(envelope)
        if status == "invalid":
            entry.message_post(
                body=self.env._(
                    "The PEC provider's signature of this message does not verify: "
                    "it is not treated as certified email."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return entry

    def _bo_pec_envelope_received(self, envelope):
        """Hook: the certified message ``envelope`` (``pec.parse_envelope``)
        is registered as this entry, its files attached.

        Addons that know what a certified sender's messages carry act on them
        here (the SdI's e-invoices, for one). Whatever fails in an override
        fails the whole intake, which keeps the message as an entry in error.
        """
        self.ensure_one()

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
    def _bo_gateway_values(self, msg_dict, company, email_from=None):
        email_from = email_from or msg_dict.get("email_from") or ""
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
    def _bo_gateway_intake(self, msg_dict, raw, values, company, envelope=None):
        """Make the entry of a message: registered at once, or waiting for triage.

        A certified message from a PEC mailbox and a message matching a
        routing rule that registers at once get their number now; the rest
        waits, without a number, for a clerk to register or discard it.
        """
        Attachment = self.env["mail.thread"]._Attachment
        if envelope:
            inner_dict = self.env["mail.thread"].message_parse(envelope["message"])
            # The sender is the one the provider certifies, not the inner From.
            vals = self._bo_gateway_values(inner_dict, company, email_from=envelope["sender"])
            vals["channel"] = "pec"
            files = [
                *inner_dict.get("attachments", []),
                Attachment("postacert.eml", envelope["raw_inner"], {}),
                Attachment("daticert.xml", envelope["daticert"], {}),
            ]
            msg_dict["body"] = inner_dict.get("body") or msg_dict.get("body")
            if vals["partner_id"]:
                msg_dict["author_id"] = vals["partner_id"]
        else:
            vals = self._bo_gateway_values(msg_dict, company)
            files = list(msg_dict.get("attachments") or [])
        if raw is not None:
            # The bytes received, exactly: their fingerprint is the evidence.
            files.append(Attachment("envelope.eml" if envelope else "original_email.eml", raw, {}))
        # Custom values come from aliases and routes, or from whoever calls
        # message_new over RPC: never what only the register's actions set.
        guarded = self._bo_guarded_fields()
        vals.update(
            {k: v for k, v in self._bo_intake_custom_values(values).items() if k not in guarded}
        )
        rule = self.env["bo.mail.routing.rule"]._bo_match(vals, msg_dict)
        vals.update(rule._prepare_register_vals())
        vals.update(self._bo_reply_inherited_vals(vals))
        entry = self._bo_create_received([vals])
        attachments = entry._bo_create_attachments(files)
        if envelope:
            # Before registration: a trusted Segnatura fills the draft.
            entry._bo_segnatura_receive(attachments)
        msg_dict["attachments"] = []
        msg_dict["attachment_ids"] = attachments.ids
        if not vals.get("email_from"):
            entry._bo_mark_error(self.env._("The message has no sender address."))
            return entry
        if envelope or rule.register_at_once:
            entry.action_register()
            if rule.send_acknowledgement:
                entry._bo_send_acknowledgement()
        return entry

    @api.model
    def _bo_reply_inherited_vals(self, vals):
        """A reply is as confidential as the entry it answers, and goes to its assignee."""
        replied = self.browse(vals.get("reply_to_id")).exists()
        if not replied:
            return {}
        inherited = {}
        if replied.confidentiality == "confidential":
            inherited["confidentiality"] = "confidential"
        if replied.user_id:
            inherited["user_id"] = replied.user_id.id
        return inherited

    def _bo_create_attachments(self, files):
        self.ensure_one()
        vals_list = []
        for file in files:
            name, content, info = file[0], file[1], (file[2] if len(file) > 2 else {}) or {}
            if isinstance(content, email.message.Message):
                # A forwarded message, as the parser hands it over.
                content = content.as_bytes()
            elif isinstance(content, str):
                try:
                    content = content.encode(info.get("encoding") or "utf-8")
                except (LookupError, UnicodeEncodeError):
                    content = content.encode("utf-8", errors="replace")
            vals_list.append(
                {
                    "name": clean_text(name, 250) or "attachment",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        attachments = self.env["ir.attachment"].create(vals_list)
        self.attachment_ids = [Command.link(a.id) for a in attachments]
        return attachments

    def _bo_mark_error(self, reason):
        """Keep the entry for a manager, with the reason, and tell one."""
        self._bo_keep_in_error(reason)
        for entry in self:
            manager = entry.company_id._bo_escalation_user()
            if manager:
                entry.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Mailroom intake error"),
                    note=reason,
                    user_id=manager.id,
                )

    @api.model
    def _bo_keep_unprocessable(self, intake, company, error, msg_dict=None):
        """Keep a message that could not be processed as an entry in error.

        Its values are what can be read of the headers, cleaned of what the
        database refuses; the bytes received are its attachment. When even
        that fails, the entry keeps the bytes under a neutral subject.
        """
        reason = intake_reason(self.env, error)
        raw = intake.raw if intake else None
        headers = safe_headers(raw) if raw is not None else {}
        if msg_dict and not headers.get("subject"):
            headers = {
                key: clean_text(msg_dict.get(key), 1000)
                for key in ("subject", "email_from", "message_id")
            }
        readable = {
            "subject": headers.get("subject") or self.env._("(no subject)"),
            "email_from": headers.get("email_from") or False,
            "email_message_id": headers.get("message_id") or False,
        }
        try:
            with self.env.cr.savepoint():
                return self._bo_keep_in_error_entry(company, readable, raw, reason)
        except Exception:
            _logger.warning("Mailroom could not keep the headers of a message", exc_info=True)
        neutral = {"subject": self.env._("(unreadable message)")}
        return self._bo_keep_in_error_entry(company, neutral, raw, reason)

    @api.model
    def _bo_keep_in_error_entry(self, company, vals, raw, reason):
        # sudo: the gateway keeps what it received, whoever runs it
        entry = self.sudo()._bo_create_received(
            [{"direction": "incoming", "channel": "email", "company_id": company.id, **vals}]
        )
        if raw is not None:
            entry._bo_create_attachments([("original_email.eml", raw, {})])
        entry._bo_mark_error(reason)
        return entry.with_env(self.env)

    # ------------------------------------------------------------------
    # Acknowledgement
    # ------------------------------------------------------------------

    def _bo_ack_email_values(self):
        """Where the acknowledgement of a registered entry may go, or None.

        Only to an address that is known: the contact's own email, or the
        sender certified by the PEC provider; never to the From or Reply-To
        an unknown sender wrote.
        """
        self.ensure_one()
        if not self.name:
            return None
        if self.partner_id.email_normalized:
            return {
                "email_to": False,
                "email_cc": False,
                "recipient_ids": [Command.set(self.partner_id.ids)],
            }
        if self.channel == "pec" and email_normalize(self.email_from or ""):
            return {"email_to": self.email_from, "email_cc": False, "recipient_ids": []}
        return None

    def _bo_send_acknowledgement(self):
        template = self.env.ref("bo_mailroom.mail_template_bo_mail_register_ack")
        for entry in self:
            email_values = entry._bo_ack_email_values()
            if not email_values:
                continue
            template.send_mail(
                entry.id,
                email_layout_xmlid="mail.mail_notification_light",
                email_values=email_values,
            )
            entry.message_post(
                body=self.env._(
                    "Acknowledgement of receipt sent to %s.",
                    entry.partner_id.email
                    if entry.partner_id.email_normalized
                    else entry.email_from,
                ),
                subtype_xmlid="mail.mt_note",
            )
