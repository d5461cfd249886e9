import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import make_email, new_bo_user
from odoo.tests import TransactionCase
from odoo.tools import SQL


class MailroomCommon(TransactionCase):
    """A company with a protocol alias, the back-office users and a filing plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "mailroom.example.com", "company_ids": [Command.link(cls.company.id)]}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.alias = cls.company.bo_mailroom_alias_id
        cls.alias.write({"alias_domain_id": cls.alias_domain.id, "alias_name": "protocollo"})
        cls.alias_email = cls.alias.alias_full_name

        clerk = "bo_base.group_bo_user"
        cls.clerk = new_bo_user(
            cls.env, "mr_clerk", "Mailroom Clerk", clerk, email="clerk@mailroom.example.com"
        )
        cls.clerk2 = new_bo_user(
            cls.env, "mr_clerk2", "Other Clerk", clerk, email="clerk2@mailroom.example.com"
        )
        cls.manager = new_bo_user(
            cls.env,
            "mr_manager",
            "Mailroom Manager",
            "bo_base.group_bo_manager",
            email="manager@mailroom.example.com",
        )
        cls.internal = new_bo_user(cls.env, "mr_employee", "Plain Employee", "base.group_user")
        cls.portal = new_bo_user(cls.env, "mr_portal", "Portal Customer", "base.group_portal")
        cls.company.bo_escalation_user_id = cls.manager

        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Ferramenta Verdi",
                "email": "ordini@ferramentaverdi.example.it",
                "lang": "en_US",
            }
        )
        Category = cls.env["bo.mail.category"]
        cls.cat_customers = Category.create(
            {"code": "92", "name": "Customers", "retention_years": 10}
        )
        cls.cat_complaints = Category.create(
            {
                "code": "2",
                "name": "Complaints",
                "parent_id": cls.cat_customers.id,
                "retention_years": 5,
            }
        )
        cls.Register = cls.env["bo.mail.register"]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _new_entry(self, **vals):
        values = {
            "direction": "incoming",
            "channel": "post",
            "partner_id": self.partner.id,
            "subject": "Richiesta di offerta",
            **vals,
        }
        return self.Register.create(values)

    def _attachment(self, name="offerta.pdf", content=b"%PDF-1.4 offerta", **vals):
        return self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(content), **vals}
        )

    def _registered_entry(self, **vals):
        entry = self._new_entry(**vals)
        entry.action_register()
        return entry

    @classmethod
    def _email(
        cls,
        subject="Richiesta di offerta",
        body="Buongiorno, vi chiediamo un'offerta.",
        sender="Ferramenta Verdi <ordini@ferramentaverdi.example.it>",
        to=None,
        **kwargs,
    ):
        """A real MIME message to the protocol alias (``bo_base``'s builder)."""
        return make_email(subject, body, sender, to or cls.alias_email, **kwargs)

    def _process(self, message):
        raw = message if isinstance(message, bytes) else message.as_bytes()
        thread_id = self.env["mail.thread"].message_process(False, raw)
        return self.Register.browse(thread_id)

    def _flush_tracking(self):
        """Write the tracking messages, as the end of a request does."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _files(self, entry):
        return sorted(entry.attachment_ids.mapped("name"))

    # ------------------------------------------------------------------
    # Intake helpers
    # ------------------------------------------------------------------

    @classmethod
    def _register_at_once_rule(cls, **vals):
        """A rule that registers every message at once, for any company."""
        return cls.env["bo.mail.routing.rule"].create(
            {
                "name": "Everything",
                "sequence": 1000,
                "company_id": False,
                "register_at_once": True,
                **vals,
            }
        )

    @classmethod
    def _mailbox(cls, **vals):
        """An incoming mail server fetching for the register."""
        return cls.env["fetchmail.server"].create(
            {
                "name": "Protocol mailbox",
                "server_type": "imap",
                "server": "imap.mailroom.example.com",
                "port": 993,
                "is_ssl": True,
                "user": "protocollo",
                "password": "secret",
                "object_id": cls.env["ir.model"]._get("bo.mail.register").id,
                **vals,
            }
        )

    def _fetch(self, message, server):
        """Process ``message`` as the fetching job of ``server`` does."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        thread_id = (
            self.env["mail.thread"]
            .sudo()
            .with_context(default_fetchmail_server_id=server.id)
            .message_process(server.object_id.model, raw)
        )
        return self.Register.browse(thread_id)


class SealedDaysCommon(MailroomCommon):
    """Three sealed days of a company of their own, from a fixed reference.

    Day 1: an incoming letter with a file and a received message (``.eml``),
    and an outgoing letter. Day 2: an incoming letter; the outgoing letter
    of day 1 is cancelled with its reason. Day 3: nothing. The company is
    new, so that its chain starts here whatever the database holds.
    """

    REFERENCE = date(2035, 3, 1)
    CANCEL_REASON = "Inviata al destinatario sbagliato"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Day = cls.env["bo.mail.register.day"]
        cls.chain_company = cls.env["res.company"].create({"name": "Registro Catena S.r.l."})
        cls.chain_company.partner_id.tz = "Europe/Rome"
        cls.chain_company.bo_escalation_user_id = cls.manager
        cls.manager.company_ids = [Command.link(cls.chain_company.id)]
        cls.dates = [cls.REFERENCE + timedelta(days=n) for n in range(3)]
        with freeze_time(f"{cls.dates[0]} 08:00:00"):
            cls.letter = cls._sealed_entry(
                subject="Richiesta di offerta",
                attachment_ids=[
                    Command.create({"name": "offerta.pdf", "raw": b"%PDF-1.4 offerta"}),
                    Command.create(
                        {"name": "original_email.eml", "raw": b"Subject: offerta\r\n\r\nCiao"}
                    ),
                ],
            )
            cls.outgoing = cls._sealed_entry(
                direction="outgoing", partner_id=False, partner_name="Mario Neri"
            )
        with freeze_time(f"{cls.dates[1]} 09:30:00"):
            cls.reply = cls._sealed_entry(subject="Sollecito")
            cls.outgoing.with_user(cls.manager).with_company(cls.chain_company)._cancel(
                cls.CANCEL_REASON
            )
            cls.env.flush_all()
            cls.env.cr.precommit.run()
        cls.sealed = cls.Day.browse()
        for day in cls.dates:
            cls.sealed |= cls.Day._generate(cls.chain_company, day)

    @classmethod
    def _sealed_entry(cls, **vals):
        """An entry of the chain company, registered now, its history written."""
        entry = cls.Register.create(
            {
                "company_id": cls.chain_company.id,
                "direction": "incoming",
                "channel": "post",
                "partner_id": cls.partner.id,
                "subject": "Lettera",
                **vals,
            }
        )
        entry.action_register()
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        return entry

    def _without_immutability(self):
        """Let this test rewrite sealed days, as someone with the database could."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "ALTER TABLE bo_mail_register_day DISABLE TRIGGER bo_mail_register_day_bo_immutable"
            )
        )
