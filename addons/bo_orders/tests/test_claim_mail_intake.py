"""The claims and order-request aliases keep every message, with its exact bytes.

Written as the attacks that used to lose mail on the claims alias: the
failure happened before ``message_new`` (parsing, routing) or after it
(posting), where the claim's own intake could not catch it.
"""

from odoo import Command
from odoo.addons.bo_base.tests.common import make_email, make_raw_email, original_email
from odoo.tests import tagged
from odoo.tools import mute_logger

from .claim_common import BoClaimCommon

MUTED = (
    "odoo.addons.bo_base.models.bo_mail_intake",
    "odoo.addons.bo_orders.models.bo_customer_claim_mail",
    "odoo.addons.mail.models.mail_thread",
    "odoo.addons.bo_mailroom.models.bo_mail_register_intake",
    "odoo.sql_db",
)


@tagged("post_install", "-at_install")
class TestClaimMailIntake(BoClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create(
            {"name": "desk-intake.example.com", "company_ids": [Command.link(cls.company.id)]}
        )
        cls.claims_alias = cls.env.ref("bo_orders.mail_alias_bo_customer_claim")
        cls.orders_alias = cls.env.ref("bo_orders.mail_alias_bo_order_request")
        (cls.claims_alias | cls.orders_alias).write({"alias_domain_id": domain.id})
        cls.Request = cls.env["bo.order.request"]
        cls.desks = {
            "claims": (cls.Claim, cls.claims_alias),
            "requests": (cls.Request, cls.orders_alias),
        }
        cls.sender = f"Anna Rossi <{cls.contact.email}>"

    def _process(self, raw):
        """Process ``raw`` as the gateway does: what each desk made of it."""
        before = {desk: Model.search([]) for desk, (Model, _alias) in self.desks.items()}
        self.env["mail.thread"].message_process(False, raw)
        return {desk: Model.search([]) - before[desk] for desk, (Model, _a) in self.desks.items()}

    def _assert_kept(self, record, raw, in_error):
        """``record`` keeps ``raw`` exactly: in error (with the reason, a
        manager told), processed, or either when ``in_error`` is None."""
        self.assertEqual(len(record), 1, "the message must be kept, once")
        self.assertEqual(original_email(record).raw, raw, "the bytes received, exactly")
        if in_error is None:
            in_error = bool(record.intake_error)
        if in_error:
            self.assertTrue(record.intake_error)
            self.assertIn(self.manager, record.activity_ids.user_id, "a manager is told")
        else:
            self.assertFalse(record.intake_error)

    def _attack(self, make, in_error):
        """Send the message ``make(address)`` to each desk; return what each kept."""
        kept = {}
        for desk, (_Model, alias) in self.desks.items():
            with self.subTest(desk=desk):
                raw = make(alias.alias_full_name)
                record = self._process(raw)[desk]
                self._assert_kept(record, raw, in_error=in_error)
                kept[desk] = record
        return kept

    def test_claim_and_request_by_email_keep_the_exact_bytes(self):
        kept = self._attack(
            lambda to: make_email(
                "Viti difettose",
                "Metà delle viti ha la filettatura rovinata.",
                self.sender,
                to,
                attachments=[("foto.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
            ).as_bytes(),
            in_error=False,
        )
        self.assertEqual(kept["claims"].partner_id, self.customer)
        self.assertEqual(kept["requests"].partner_id, self.customer)
        for record in kept.values():
            email = record.message_ids.filtered(lambda m: m.message_type == "email")
            self.assertEqual(
                sorted(email.attachment_ids.mapped("name")), ["foto.jpg", "original_email.eml"]
            )

    @mute_logger(*MUTED)
    def test_mail_in_an_unknown_charset_is_kept_for_the_desk(self):
        kept = self._attack(
            lambda to: make_raw_email(
                "Fattura sbagliata",
                "Perch\xe8 la fattura?".encode("latin-1"),
                self.sender,
                to,
                charset="x-unknown-zz",
            ),
            in_error=True,
        )
        for record in kept.values():
            self.assertEqual(record.title, "Fattura sbagliata")
            self.assertIn("x-unknown-zz", record.intake_error)
            self.assertIn(self.contact.email, record.email_from)

    @mute_logger(*MUTED)
    def test_mail_with_a_broken_charset_in_an_encoded_subject_is_kept(self):
        kept = self._attack(
            lambda to: make_raw_email(
                "=?x-broken?q?Reclamo_urgente?=",
                "Testo.",
                self.sender,
                to,
                attachments=[("scheda.txt", "\xe8\xe8".encode("latin-1"), "text/plain")],
                headers=[(b"X-Note", b"=?utf-8?b?not base64?=")],
            ),
            in_error=None,
        )
        for record in kept.values():
            self.assertTrue(record.title)

    @mute_logger(*MUTED)
    def test_mail_with_a_nul_byte_in_a_header_is_kept(self):
        cases = {
            "subject": {"subject": "Reclamo\x00 urgente"},
            "sender": {"sender": f"Anna Rossi <anna\x00{self.contact.email}>"},
            "message id": {"msgid": "<nul\x00id@ferramentarossi.example.it>"},
            "unknown header": {"headers": [b"X-Mailer: rotto\x00"]},
        }
        for case, values in cases.items():
            with self.subTest(header=case):
                values = {"subject": "Reclamo urgente", "sender": self.sender, **values}
                kept = self._attack(
                    lambda to, v=values: make_raw_email(to=to, body="Testo.", **v),
                    in_error=None,
                )
                for record in kept.values():
                    self.assertNotIn("\x00", record.title + (record.email_from or ""))

    @mute_logger(*MUTED)
    def test_mail_with_a_nul_byte_in_an_attachment_name_is_kept(self):
        kept = self._attack(
            lambda to: make_raw_email(
                "Foto del danno",
                "In allegato.",
                self.sender,
                to,
                attachments=[("foto\x00.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
            ),
            in_error=None,
        )
        for record in kept.values():
            files = self.env["ir.attachment"].search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            )
            self.assertFalse([name for name in files.mapped("name") if "\x00" in name])

    @mute_logger(*MUTED)
    def test_mail_that_fails_in_message_new_is_kept_and_not_bounced(self):
        self.claims_alias.alias_defaults = repr({"claim_type": "no_such_type"})
        self.orders_alias.alias_defaults = repr({"channel": "no_such_channel"})
        kept = self._attack(
            lambda to: make_email(
                "Reclamo urgente",
                "Il testo del reclamo.",
                self.sender,
                to,
                attachments=[("foto.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
            ).as_bytes(),
            in_error=True,
        )
        self.assertIn("no_such_type", kept["claims"].intake_error)
        self.assertIn("no_such_channel", kept["requests"].intake_error)
        for record in kept.values():
            self.assertEqual(record.title, "Reclamo urgente")
            posted = record.message_ids.filtered(lambda m: m.message_type == "email")
            self.assertIn("Il testo del reclamo", posted.body)
            self.assertIn("foto.jpg", posted.attachment_ids.mapped("name"))
        # the message is kept: the sender gets no bounce, the alias is not marked broken
        self.assertEqual(self.claims_alias.alias_status, "not_tested")
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", self.contact.email)]))

    @mute_logger(*MUTED)
    def test_mail_to_both_desks_is_kept_by_each(self):
        to = f"{self.claims_alias.alias_full_name}, {self.orders_alias.alias_full_name}"
        for in_error, raw in (
            (False, make_email("A tutti e due", "Testo.", self.sender, to).as_bytes()),
            (True, make_raw_email("A tutti e due", "Testo.", self.sender, to, charset="x-zz")),
        ):
            with self.subTest(in_error=in_error):
                kept = self._process(raw)
                for desk, record in kept.items():
                    with self.subTest(desk=desk):
                        self._assert_kept(record, raw, in_error=in_error)

    @mute_logger(*MUTED)
    def test_alias_defaults_never_write_what_only_the_intake_writes(self):
        self.claims_alias.alias_defaults = repr({"intake_error": "forged"})
        self.orders_alias.alias_defaults = repr({"intake_error": "forged", "state": "won"})
        kept = self._attack(
            lambda to: make_email("Richiesta", "Testo.", self.sender, to).as_bytes(),
            in_error=False,
        )
        self.assertEqual(kept["requests"].state, "new")
