"""One email intake for every alias of ours: no message is ever lost.

Odoo's incoming mail server marks a message that failed read (IMAP) or
deletes it (POP3): an exception escaping ``message_process`` is a lost
message. Here every message that one of our models receives (through its
alias, as the model a mailbox is fetched for, or as a reply to one of its
records) is processed in a savepoint; when anything fails (parsing, an
unknown charset, a NUL byte, routing, ``message_new``, the database
refusing a value) it is rolled back and each of our models it was meant for
keeps it through :meth:`BoMailIntakeMixin._bo_intake_keep`, with the bytes
received and the reason. A message processed as it should is kept with its
exact bytes too (``original_email.eml``).

A model takes part by inheriting ``bo.mail.intake.mixin``.
"""

import ast
import email
import email.header
import email.message
import email.parser
import email.policy
import logging
import re
import xmlrpc.client

from odoo import Command, api, models
from odoo.exceptions import UserError

from . import bo_guard

_logger = logging.getLogger(__name__)

MIXIN = "bo.mail.intake.mixin"
# The name of the bytes received, as Odoo's own ``save_original`` names them.
ORIGINAL_NAME = "original_email.eml"
# PostgreSQL refuses NUL in text; the other control characters are noise.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ADDRESS = re.compile(r"[^\s<>,;:\"'()\[\]\\]+@[^\s<>,;:\"'()\[\]\\]+")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# Where a mail server says whom a message is for.
RECIPIENT_HEADERS = (
    "To",
    "Cc",
    "Bcc",
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "Resent-To",
    "Resent-Cc",
)
# What of a parsed message the record and its chatter store as text.
_TEXT_KEYS = ("subject", "body", "email_from", "message_id", "to", "cc", "reply_to", "recipients")


def clean_text(text, limit=None):
    """``text`` without what the database refuses (NUL) nor control characters."""
    text = _CONTROL_CHARS.sub("", str(text or "")).strip()
    return text[:limit] if limit else text


def decode_header(value):
    """Decode a header as far as it can be decoded; never fails."""
    try:
        text = str(value)
    except Exception:  # an undecodable header is read as nothing
        return ""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        chunks = email.header.decode_header(text)
    except Exception:  # a broken encoded word is kept as it is
        return text
    decoded = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            decoded.append(chunk)
            continue
        try:
            decoded.append(chunk.decode(charset or "ascii"))
        except (LookupError, UnicodeDecodeError):
            decoded.append(chunk.decode("utf-8", "replace"))
    return "".join(decoded)


def safe_headers(raw):
    """What can be read of the headers of a message that may not parse at all.

    ``subject``, ``email_from`` and ``message_id`` as clean text, and the
    lists ``recipients`` (lower-case addresses) and ``references``
    (Message-IDs the message answers); empty when nothing is readable.
    """
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    except Exception:  # nothing readable: whoever keeps it says so
        return {"recipients": [], "references": []}
    recipients = []
    for name in RECIPIENT_HEADERS:
        for value in headers.get_all(name) or ():
            for address in _ADDRESS.findall(clean_text(decode_header(value))):
                address = address.lower()
                if address not in recipients:
                    recipients.append(address)
    references = []
    for name in ("In-Reply-To", "References"):
        for value in headers.get_all(name) or ():
            references += _MESSAGE_ID.findall(clean_text(decode_header(value)))
    return {
        "subject": clean_text(decode_header(headers.get("Subject", "")), 1000),
        "email_from": clean_text(decode_header(headers.get("From", "")), 500),
        "message_id": clean_text(decode_header(headers.get("Message-Id", "")), 500),
        "recipients": recipients,
        "references": references[-32:],
    }


def raw_bytes(message):
    """The bytes of a message as the gateway is handed it."""
    if isinstance(message, xmlrpc.client.Binary):
        return bytes(message.data)
    if isinstance(message, str):
        return message.encode("utf-8")
    if isinstance(message, bytes):
        return message
    if isinstance(message, email.message.Message):
        return message.as_bytes()
    return bytes(message)


def clean_msg_dict(msg_dict):
    """Take NUL bytes out of a parsed message, attachment names included.

    No mail may carry NUL (RFC 5322) and PostgreSQL refuses it in text: the
    record, its chatter and its files get the message without it (the bytes
    received keep it).
    """
    for key in _TEXT_KEYS:
        value = msg_dict.get(key)
        if isinstance(value, str) and "\x00" in value:
            msg_dict[key] = value.replace("\x00", "")
    attachments = msg_dict.get("attachments")
    if attachments:
        cleaned = []
        for attachment in attachments:
            name = attachment[0]
            if isinstance(name, str) and _CONTROL_CHARS.search(name):
                attachment = (clean_text(name) or "attachment", *attachment[1:])
            cleaned.append(attachment)
        msg_dict["attachments"] = cleaned
    return msg_dict


def intake_reason(env, error):
    """Why a message could not be processed, in words a manager reads."""
    if isinstance(error, UserError) and error.args:
        reason = str(error.args[0])
    else:
        reason = f"{type(error).__name__}: {error}"
    return clean_text(reason, 2000) or env._("The message could not be processed.")


class MailIntake:
    """The message the gateway is processing, as our models see it.

    Handed down in the context as a Python object: the context of an RPC call
    is JSON and cannot hold one, so no client can make up what a mailbox
    received nor which mailbox it came from.
    """

    CONTEXT_KEY = "bo_mail_intake"

    def __init__(self, raw, model, server):
        self.raw = raw  # the bytes received, before any parsing
        self.model = model  # the fallback model the gateway was given
        self.server = server  # the fetchmail.server that fetched them (may be empty)
        self.routes = None  # [(model, thread id, alias)] once the gateway has routed it
        self.keeping_alias = None  # the alias whose model keeps a failed message now
        self.save_original = False  # whether the gateway was asked to keep the original
        self.threads = []  # [(model, id)] of our records made or updated from it
        self.memo = {}  # what each model remembers of this message, by model name
        self._headers = None

    @classmethod
    def of(cls, env):
        intake = env.context.get(cls.CONTEXT_KEY)
        return intake if type(intake) is cls else None

    def remember(self, model_name):
        """The scratch space of ``model_name`` for this message (a dict)."""
        return self.memo.setdefault(model_name, {})

    def forget(self):
        """What was made of the message is gone: its processing was rolled back."""
        self.threads = []
        self.memo = {}

    def route_models(self):
        return [route[0] for route in self.routes or ()]

    def headers(self):
        """:func:`safe_headers` of the bytes received."""
        if self._headers is None:
            self._headers = safe_headers(self.raw)
        return self._headers

    def parsed(self):
        """A fresh parse of the bytes received: the gateway's own copy is rewritten."""
        return email.message_from_bytes(self.raw, policy=email.policy.SMTP)

    def header_block(self):
        """The header section of the message, as received."""
        match = re.search(rb"\r?\n\r?\n", self.raw)
        return self.raw[: match.start()] if match else self.raw

    def body_block(self):
        match = re.search(rb"\r?\n\r?\n", self.raw)
        return self.raw[match.end() :] if match else b""


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """Never lose a message meant for one of our models.

        The message is processed in a savepoint; when anything fails, each of
        our models it was meant for keeps it, with the bytes received and the
        reason. A message for no model of ours fails as in Odoo.
        """
        if MailIntake.of(self.env):
            # a message processed while processing another: the outer intake keeps both
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        raw = raw_bytes(message)
        intake = self._bo_intake_new(raw, model)
        intake.save_original = save_original
        thread = self.with_context(**{MailIntake.CONTEXT_KEY: intake})
        try:
            with self.env.cr.savepoint():
                thread._bo_intake_check_all(intake)
                return super(MailThread, thread).message_process(
                    model,
                    raw,
                    custom_values=custom_values,
                    save_original=save_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except Exception as error:
            intake.forget()
            try:
                with self.env.cr.savepoint():
                    keepers = thread._bo_intake_keepers(intake)
            except Exception:  # the aliases cannot be read: the mailbox's model keeps it
                _logger.exception("Email intake: the aliases of a failed message cannot be read")
                ours = self._bo_intake_models()
                keepers = [(intake.model, None)] if intake.model in ours else []
            if not keepers:
                raise
            _logger.warning(
                "Email intake kept an unprocessable message for %s: %s",
                ", ".join(name for name, _alias in keepers),
                error,
            )
            kept = thread._bo_intake_keep_all(keepers, intake, error)
            if not kept:
                raise
            return kept.id

    @api.model
    def _bo_intake_new(self, raw, model):
        """The intake of the bytes ``raw`` fetched for (or falling back to) ``model``."""
        return MailIntake(raw, model, self.env["fetchmail.server"])

    @api.model
    def _bo_intake_models(self):
        """Our models that receive email: those inheriting the intake mixin."""
        return [
            name
            for name in self.env.registry.descendants([MIXIN], "_inherit")
            if name != MIXIN and not self.env[name]._abstract
        ]

    @api.model
    def _bo_intake_check_all(self, intake):
        for name in self._bo_intake_models():
            self.env[name]._bo_intake_check(intake)

    @api.model
    def _bo_intake_keepers(self, intake):
        """Who keeps a message whose processing failed: ``[(model, alias)]``.

        Its routes when the gateway got that far; else the aliases it is
        addressed to and the thread it answers, and failing those the model
        the mailbox is fetched for. Only our models; each alias keeps it.
        """
        ours = self._bo_intake_models()
        if intake.routes is not None:
            keepers = [(model, alias) for model, _thread, alias in intake.routes]
        else:
            keepers = self._bo_intake_addressed(intake)
            if intake.model and not any(model in ours for model, _alias in keepers):
                keepers.append((intake.model, None))
        unique = {}
        for model, alias in keepers:
            if model in ours:
                unique.setdefault((model, alias.id if alias else None), (model, alias or None))
        return list(unique.values())

    @api.model
    def _bo_intake_addressed(self, intake):
        """``[(model, alias)]`` of the aliases a message is addressed to, and
        ``(model, None)`` of the thread it answers."""
        headers = intake.headers()
        keepers = []
        addresses = headers["recipients"]
        if addresses:
            # sudo: the gateway reads every alias to tell where a message goes
            aliases = (
                self.env["mail.alias"]
                .sudo()
                .search(
                    [
                        "|",
                        ("alias_full_name", "in", addresses),
                        "&",
                        ("alias_name", "in", [address.split("@")[0] for address in addresses]),
                        ("alias_incoming_local", "=", True),
                    ]
                )
            )
            keepers += [(alias.alias_model_id.model, alias) for alias in aliases]
        if headers["references"]:
            # sudo: the thread a message answers, whoever may read it
            replied = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [("message_id", "in", headers["references"]), ("model", "!=", False)],
                    order="id desc",
                    limit=1,
                )
            )
            if replied:
                keepers.append((replied.model, None))
        return keepers

    @api.model
    def _bo_intake_keep_all(self, keepers, intake, error):
        """Each keeper keeps the message; the last record kept is returned."""
        kept = None
        for name, alias in keepers:
            intake.keeping_alias = alias
            try:
                with self.env.cr.savepoint():
                    kept = self.env[name]._bo_intake_keep(intake, error) or kept
            except Exception:
                _logger.exception("Email intake: %s could not keep a message", name)
        intake.keeping_alias = None
        return kept

    def _message_route_process(self, message, message_dict, routes):
        """Remember the routes of the message; keep its exact bytes on our records."""
        intake = MailIntake.of(self.env)
        if intake is None:
            return super()._message_route_process(message, message_dict, routes)
        intake.routes = [
            (route[0], route[1], route[4] if len(route) > 4 else None) for route in routes or ()
        ]
        ours = self._bo_intake_models()
        if set(intake.route_models()).intersection(ours):
            clean_msg_dict(message_dict)
        attachments = message_dict.get("attachments") or []
        if (
            intake.save_original
            and set(intake.route_models()) <= set(ours)
            and attachments
            and attachments[0][0] == ORIGINAL_NAME
            and isinstance(attachments[0][1], str)
        ):
            # Odoo's copy of the original (first) is the message as it parsed
            # it: our records keep the bytes received instead
            message_dict["attachments"] = attachments[1:]
        thread_id = super()._message_route_process(message, message_dict, routes)
        self._bo_intake_attach_originals(intake, message_dict.get("message_id"))
        return thread_id

    @api.model
    def _bo_intake_attach_originals(self, intake, message_id):
        """Attach the bytes received to each record of ours made or updated from
        them, and to the message posted there."""
        if not intake.threads:
            return
        # sudo: the gateway files what it received on the records it made
        Attachment = self.env["ir.attachment"].sudo()
        originals = Attachment.create(
            [
                {"name": ORIGINAL_NAME, "raw": intake.raw, "res_model": model, "res_id": res_id}
                for model, res_id in dict.fromkeys(intake.threads)
            ]
        )
        if not message_id:
            return
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("message_id", "=", message_id),
                    ("model", "in", list({model for model, _id in intake.threads})),
                    ("res_id", "in", list({res_id for _model, res_id in intake.threads})),
                ]
            )
        )
        for message in messages:
            original = originals.filtered(
                lambda a, m=message: a.res_model == m.model and a.res_id == m.res_id
            )
            if original:
                message.attachment_ids = [Command.link(original[:1].id)]


class BoMailIntakeMixin(models.AbstractModel):
    """A model of ours that receives email: it keeps every message.

    A message processed as it should is kept with its exact bytes
    (``original_email.eml`` on the record and on the message posted there).
    A message that fails anywhere (parsing, charset, routing, ``message_new``,
    the database) is rolled back and kept by :meth:`_bo_intake_keep`: by
    default a record made of :meth:`_bo_intake_error_values` with the reason
    in ``_bo_intake_error_field``, the bytes received attached, what can be
    read of the message in its chatter and an activity for the escalation
    manager of its company.
    """

    _name = MIXIN
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Back Office Email Intake"

    # The (guarded) text field that says why a kept message was not processed.
    _bo_intake_error_field = None
    # The field that a kept message's subject goes to.
    _bo_intake_subject_field = None
    # Further values of every record keeping a failed message.
    _bo_intake_kept_values = {}
    # Whether the intake attaches the bytes received to what the model makes
    # of a message (a model that files them itself says no).
    _bo_intake_keeps_original = True

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    @api.model
    def _bo_intake_check(self, intake):
        """Refuse a message before the gateway processes it, by raising: it is
        then kept as any failed message. Every message is checked by every
        model of ours: a check decides whether the message concerns it."""

    @api.model
    def _bo_intake_custom_values(self, custom_values):
        """The values of an alias or a route that ``message_new`` may use:
        defaults for fields of the model, never what only our actions write."""
        guarded = self._bo_guarded_fields()
        return {
            key: value
            for key, value in (custom_values or {}).items()
            if key in self._fields and key not in guarded
        }

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        record = super().message_new(msg_dict, custom_values=custom_values)
        record._bo_intake_note_thread()
        return record

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._bo_intake_note_thread()
        return res

    def _bo_intake_note_thread(self):
        intake = MailIntake.of(self.env)
        if intake and self._bo_intake_keeps_original:
            intake.threads += [(self._name, record.id) for record in self]

    # ------------------------------------------------------------------
    # Keeping what could not be processed
    # ------------------------------------------------------------------

    @api.model
    def _bo_intake_error_values(self, headers, reason):
        """Values of the record that keeps a message that failed.

        ``headers`` is what could be read of it (:func:`safe_headers`, maybe
        empty): its subject goes to ``_bo_intake_subject_field``, its sender to
        the model's primary email field; the reason goes to
        ``_bo_intake_error_field`` by itself.
        """
        values = dict(self._bo_intake_kept_values)
        if self._bo_intake_subject_field:
            values[self._bo_intake_subject_field] = clean_text(
                headers.get("subject"), 500
            ) or self.env._("(unreadable message)")
        email_field = self._mail_get_primary_email_field()
        if email_field:
            values[email_field] = clean_text(headers.get("email_from"), 500) or False
        return values

    @api.model
    def _bo_intake_keep(self, intake, error):
        """Keep a message whose processing failed; return the record keeping it."""
        reason = intake_reason(self.env, error)
        values = self._bo_intake_error_values(intake.headers(), reason)
        company = self._bo_intake_alias_company(intake.keeping_alias)
        if company:
            values.setdefault("company_id", company.id)
        try:
            with self.env.cr.savepoint():
                record = self._bo_intake_create_kept(values, reason)
        except Exception:
            # what was read of the headers is refused: the bytes are kept all the same
            _logger.warning("Email intake: %s refused the headers of a message", self._name)
            record = self._bo_intake_create_kept(self._bo_intake_error_values({}, reason), reason)
        original = record._bo_intake_attach_original(intake)
        for tell in (
            lambda: record._bo_intake_post_kept(intake, reason, original),
            lambda: record._bo_intake_escalate(reason),
        ):
            try:
                with self.env.cr.savepoint():
                    tell()
            except Exception:  # the record and the bytes received are what matters
                _logger.exception("Email intake: %s could not tell about a kept message", record)
        return record

    @api.model
    def _bo_intake_alias_company(self, alias):
        """The company an alias gives the records it makes, if it says one."""
        if not (alias and "company_id" in self._fields):
            return None
        try:
            defaults = ast.literal_eval(alias.sudo().alias_defaults or "{}")
        except (ValueError, SyntaxError):
            return None
        company_id = defaults.get("company_id") if isinstance(defaults, dict) else None
        if not isinstance(company_id, int):
            return None
        return self.env["res.company"].sudo().browse(company_id).exists() or None

    @api.model
    def _bo_intake_create_kept(self, values, reason):
        """Create the record keeping a failed message, with its reason."""
        if self._bo_intake_error_field:
            values = {**values, self._bo_intake_error_field: reason}
        # sudo: the gateway keeps what it received, whoever runs it; granted
        # the reason, which only the intake writes
        Model = self.sudo()
        if self._bo_intake_error_field:
            Model = bo_guard.grant(Model, self._bo_intake_error_field)
        return Model.create([values]).with_env(self.env)

    def _bo_intake_attach_original(self, intake):
        self.ensure_one()
        # sudo: the gateway files what it received on the record keeping it
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": ORIGINAL_NAME,
                    "raw": intake.raw,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _bo_intake_post_kept(self, intake, reason, original):
        """Show the desk what can be read of the message, with the bytes received."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                msg_dict = clean_msg_dict(self.env["mail.thread"].message_parse(intake.parsed()))
                self.sudo().message_post(
                    body=msg_dict.get("body") or "",
                    subject=msg_dict.get("subject"),
                    email_from=msg_dict.get("email_from"),
                    author_id=msg_dict.get("author_id"),
                    message_type="email",
                    subtype_xmlid="mail.mt_note",
                    attachments=msg_dict.get("attachments") or [],
                    attachment_ids=original.ids,
                )
                return
        except Exception:  # unreadable: the note and the bytes received say it all
            _logger.info("Email intake: the message kept on %s cannot be read", self)
        self.sudo().message_post(
            body=self.env._(
                "This email could not be processed: %(reason)s. The message as "
                "received is attached (%(name)s).",
                reason=reason,
                name=ORIGINAL_NAME,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
            attachment_ids=original.ids,
        )

    def _bo_intake_escalate(self, reason):
        """Tell the escalation manager of the record's company."""
        for record in self:
            company = record["company_id"] if "company_id" in record._fields else None
            manager = (company or self.env.company).sudo()._bo_escalation_user()
            if manager:
                record.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Email intake error"),
                    note=reason,
                    user_id=manager.id,
                )


class MailAlias(models.Model):
    _inherit = "mail.alias"

    def _alias_bounce_incoming_email(self, message, message_dict, set_invalid=True):
        """A message that one of our models keeps is not bounced as undeliverable.

        Odoo bounces a message whose ``message_new`` failed to its sender and
        marks the alias invalid: our intake keeps that message and tells a
        manager instead. Read from the routes in memory: Odoo calls this on
        a cursor of its own.
        """
        intake = MailIntake.of(self.env)
        if set_invalid and intake:
            ours = self.env["mail.thread"]._bo_intake_models()
            if any(
                model in ours and alias and alias.id in self.ids
                for model, _thread, alias in intake.routes or ()
            ):
                return
        return super()._alias_bounce_incoming_email(message, message_dict, set_invalid=set_invalid)
