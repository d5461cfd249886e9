import base64

from odoo import Command
from odoo.addons.bo_base.tests.common import make_email, new_bo_user
from odoo.tests import TransactionCase


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
