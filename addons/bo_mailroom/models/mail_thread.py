import email
import email.policy
import logging
import re
import xmlrpc.client

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class MailIntake:
    """The message the gateway is processing, as the register's intake sees it.

    Handed down in the context as a Python object: the context of an RPC call
    is JSON and cannot hold one, so no client can make up what the mailbox
    received or which mailbox it came from.
    """

    def __init__(self, raw, server, model):
        self.raw = raw  # the bytes received, before any parsing
        self.server = server  # the fetchmail.server that fetched them, if any
        self.model = model  # the fallback model the gateway was given
        self.routed = False  # whether the register is one of the routes
        self.entries = {}  # company id: id of the entry made for this message

    @classmethod
    def of(cls, env):
        intake = env.context.get("bo_mailroom_intake")
        return intake if isinstance(intake, cls) else None

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


def _raw_bytes(message):
    if isinstance(message, xmlrpc.client.Binary):
        return bytes(message.data)
    if isinstance(message, str):
        return message.encode("utf-8")
    if isinstance(message, bytes):
        return message
    return bytes(message)


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
        """Never lose a message meant for the register.

        Odoo's incoming mail server marks a message that failed read (IMAP) or
        deletes it (POP3): when the parsing, the routing or the registration
        of a message fetched for the register or addressed to one of its
        aliases fails, it is rolled back and kept as an entry in error, with
        the bytes received and the reason, for a manager.
        """
        raw = _raw_bytes(message)
        intake = MailIntake(raw, self.env["fetchmail.server"]._bo_fetching_server(), model)
        thread = self.with_context(bo_mailroom_intake=intake)
        Register = self.env["bo.mail.register"]
        try:
            with self.env.cr.savepoint():
                if b"\x00" in raw and Register._bo_intake_company(intake):
                    # No mail may carry a NUL byte (RFC 5322) and PostgreSQL
                    # refuses it in text: the message is not read at all.
                    raise UserError(
                        self.env._("The message contains NUL bytes, which no email may carry.")
                    )
                duplicate = Register._bo_intake_duplicate(intake)
                if duplicate:
                    raise duplicate
                return super(MailThread, thread).message_process(
                    model,
                    raw,
                    custom_values=custom_values,
                    save_original=save_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except Exception as error:
            company = getattr(error, "bo_company", None) or Register._bo_intake_company(intake)
            if not company:
                raise
            _logger.warning("Mailroom kept an unprocessable message in error: %s", error)
            return Register._bo_keep_unprocessable(intake, company, error).id

    def _message_route_process(self, message, message_dict, routes):
        """Give a message one entry per company, however many aliases it reached.

        The gateway makes one route per alias the message is addressed to:
        the register takes only the first route of each company.
        """
        intake = MailIntake.of(self.env)
        if intake and routes:
            kept, companies = [], set()
            for route in routes:
                if route[0] == "bo.mail.register":
                    intake.routed = True
                    if not route[1]:
                        company = (route[2] or {}).get("company_id")
                        if company in companies:
                            continue
                        companies.add(company)
                kept.append(route)
            routes = kept
        return super()._message_route_process(message, message_dict, routes)
