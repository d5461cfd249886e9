"""Claims and requests by email are correspondence: kept by the register too,
even when the message cannot be read (bo_base's intake)."""

from odoo import Command
from odoo.addons.bo_base.tests.common import make_email, make_raw_email, original_email
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

MUTED = (
    "odoo.addons.bo_base.models.bo_mail_intake",
    "odoo.addons.bo_orders.models.bo_customer_claim_mail",
    "odoo.addons.bo_mailroom.models.bo_mail_register_intake",
    "odoo.addons.mail.models.mail_thread",
)


@tagged("post_install", "-at_install")
class TestIntakeBridge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        domain = cls.env["mail.alias.domain"].create(
            {"name": "bridge-intake.example.com", "company_ids": [Command.link(company.id)]}
        )
        company.alias_domain_id = domain
        cls.claims = cls.env.ref("bo_orders.mail_alias_bo_customer_claim")
        cls.orders = cls.env.ref("bo_orders.mail_alias_bo_order_request")
        cls.protocol = company.bo_mailroom_alias_id
        (cls.claims | cls.orders | cls.protocol).write({"alias_domain_id": domain.id})
        cls.models = {
            "claim": cls.env["bo.customer.claim"],
            "request": cls.env["bo.order.request"],
            "entry": cls.env["bo.mail.register"],
        }

    def _process(self, raw):
        before = {name: Model.search([]) for name, Model in self.models.items()}
        self.env["mail.thread"].message_process(False, raw)
        return {name: Model.search([]) - before[name] for name, Model in self.models.items()}

    @mute_logger(*MUTED)
    def test_unreadable_claim_is_kept_as_a_claim_and_in_the_register(self):
        raw = make_raw_email(
            "Reclamo",
            "Perch\xe8?".encode("latin-1"),
            "a@b.example.it",
            self.claims.alias_full_name,
            charset="x-zz",
        )
        made = self._process(raw)
        self.assertTrue(made["claim"].intake_error)
        self.assertEqual(made["entry"].state, "error")
        self.assertEqual(made["entry"].record_ref, made["claim"])
        for record in (made["claim"], made["entry"]):
            self.assertEqual(original_email(record).raw, raw)

    @mute_logger(*MUTED)
    def test_unreadable_mail_to_every_desk_is_kept_by_each_and_registered_once(self):
        to = ", ".join(a.alias_full_name for a in (self.claims, self.orders, self.protocol))
        raw = make_raw_email("A tutti", "Testo.", "a@b.example.it", to, charset="x-zz")
        made = self._process(raw)
        self.assertEqual(len(made["claim"]), 1)
        self.assertEqual(len(made["request"]), 1)
        self.assertEqual(len(made["entry"]), 1, "one entry per company")
        self.assertTrue(made["claim"].intake_error and made["request"].intake_error)
        self.assertEqual(made["entry"].state, "error")
        self.assertIn(made["entry"].record_ref, (made["claim"], made["request"]))
        for record in made.values():
            self.assertEqual(original_email(record).raw, raw)

    def test_mail_to_every_desk_is_kept_by_each_and_registered_once(self):
        to = ", ".join(a.alias_full_name for a in (self.claims, self.orders, self.protocol))
        raw = make_email("A tutti", "Testo.", "a@b.example.it", to).as_bytes()
        made = self._process(raw)
        self.assertEqual(len(made["claim"]), 1)
        self.assertEqual(len(made["request"]), 1)
        self.assertEqual(len(made["entry"]), 1, "one entry per company")
        self.assertFalse(made["claim"].intake_error or made["request"].intake_error)
        for record in made.values():
            self.assertEqual(original_email(record).raw, raw)
