"""The email intake on a test model: every message kept, with its exact bytes.

The model (``test.bo.mail.intake.item``) comes with the test addon
``test_bo_base``: without it these tests are skipped.
"""

import unittest

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BoUsersCommon, GuardAttackKit, make_email, make_raw_email, original_email

ITEM = "test.bo.mail.intake.item"
MUTED = (
    "odoo.addons.bo_base.models.bo_mail_intake",
    "odoo.addons.mail.models.mail_thread",
    "odoo.sql_db",
)


def _skip_without_test_model(env):
    if ITEM not in env:
        raise unittest.SkipTest("the test addon test_bo_base is not installed")


class MailIntakeCommon(BoUsersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _skip_without_test_model(cls.env)
        cls.Item = cls.env[ITEM]
        cls.manager = cls.users["bo_manager"]
        cls.company.bo_escalation_user_id = cls.manager
        domain = cls.env["mail.alias.domain"].create(
            {"name": "intake.example.com", "company_ids": [Command.link(cls.company.id)]}
        )
        cls.company.alias_domain_id = domain
        model = cls.env["ir.model"]._get(ITEM)
        cls.alias, cls.other_alias = cls.env["mail.alias"].create(
            [
                {
                    "alias_name": name,
                    "alias_model_id": model.id,
                    "alias_contact": "everyone",
                    "alias_domain_id": domain.id,
                }
                for name in ("prove", "altre-prove")
            ]
        )
        cls.address = cls.alias.alias_full_name

    def _process(self, raw, model=False):
        before = self.Item.search([])
        self.env["mail.thread"].message_process(model, raw)
        return self.Item.search([]) - before

    def _assert_kept(self, items, raw, in_error=True):
        self.assertTrue(items, "the message must be kept")
        for item in items:
            originals = original_email(item)
            self.assertEqual(len(originals), 1)
            self.assertEqual(originals.raw, raw, "the bytes received are kept exactly")
            if in_error:
                self.assertTrue(item.intake_error)
                self.assertEqual(item.activity_ids.user_id, self.manager)
            else:
                self.assertFalse(item.intake_error)


@tagged("post_install", "-at_install")
class TestMailIntake(MailIntakeCommon):
    def test_message_processed_is_kept_with_its_exact_bytes_on_record_and_message(self):
        raw = make_email(
            subject="Prova",
            to=self.address,
            attachments=[("nota.txt", b"ciao", "text/plain")],
        ).as_bytes()
        item = self._process(raw)
        self.assertEqual(item.name, "Prova")
        self._assert_kept(item, raw, in_error=False)
        email = item.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(
            sorted(email.attachment_ids.mapped("name")), ["nota.txt", "original_email.eml"]
        )

    def test_mailbox_keeping_the_original_keeps_the_exact_bytes_once(self):
        """Odoo's own copy (``save_original``) is the message as it parsed it:
        the exact bytes replace it."""
        raw = make_raw_email("Originale", "Perch\xe8 no?".encode("latin-1"), to=self.address)
        raw = raw.replace(b"charset=utf-8", b"charset=iso-8859-1").replace(b"\r\n", b"\n")
        before = self.Item.search([])
        self.env["mail.thread"].message_process(False, raw, save_original=True)
        item = self.Item.search([]) - before
        self._assert_kept(item, raw, in_error=False)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", ITEM), ("res_id", "=", item.id)]
        )
        self.assertEqual(files.mapped("name"), ["original_email.eml"])

    @mute_logger(*MUTED)
    def test_unknown_charset_is_kept_in_error_with_its_exact_bytes(self):
        raw = make_raw_email(
            subject="Fattura",
            to=self.address,
            charset="x-unknown-zz",
            body="Perch\xe8 la fattura?".encode("latin-1"),
        )
        item = self._process(raw)
        self._assert_kept(item, raw)
        self.assertEqual(item.name, "Fattura")
        self.assertIn("x-unknown-zz", item.intake_error)

    @mute_logger(*MUTED)
    def test_nul_byte_in_a_header_is_kept_with_its_exact_bytes(self):
        for header in ("subject", "sender", "message_id"):
            raw = make_raw_email(
                subject="Ordine\x00urgente" if header == "subject" else "Ordine",
                sender="Mario <mario\x00neri@example.org>" if header == "sender" else "m@x.it",
                msgid="<id\x00nul@example.org>" if header == "message_id" else None,
                to=self.address,
            )
            with self.subTest(header=header):
                item = self._process(raw)
                self.assertEqual(len(item), 1)
                self._assert_kept(item, raw, in_error=bool(item.intake_error))
                self.assertNotIn("\x00", item.name + (item.email_from or ""))

    @mute_logger(*MUTED)
    def test_nul_byte_in_an_attachment_name_is_kept_with_its_exact_bytes(self):
        raw = make_raw_email(
            subject="Allegato",
            to=self.address,
            attachments=[("fattura\x00.pdf", b"%PDF-1.4 fattura", "application/pdf")],
        )
        item = self._process(raw)
        self.assertEqual(len(item), 1)
        self._assert_kept(item, raw, in_error=bool(item.intake_error))
        names = self.env["ir.attachment"].search(
            [("res_model", "=", ITEM), ("res_id", "=", item.id)]
        )
        self.assertFalse([name for name in names.mapped("name") if "\x00" in name])

    @mute_logger(*MUTED)
    def test_failure_in_message_new_is_kept_with_the_reason_and_what_can_be_read(self):
        raw = make_email(
            subject="Please explode",
            body="Il testo del messaggio.",
            to=self.address,
            attachments=[("foto.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
        ).as_bytes()
        item = self._process(raw)
        self._assert_kept(item, raw)
        self.assertIn("refuses", item.intake_error)
        self.assertEqual(item.name, "Please explode")
        posted = item.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("Il testo del messaggio", posted.body)
        self.assertIn("foto.jpg", posted.attachment_ids.mapped("name"))
        # kept, so neither bounced to the sender nor the alias marked broken
        self.assertEqual(self.alias.alias_status, "not_tested")
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "ferramentaverdi")]))

    @mute_logger(*MUTED, "odoo.sql_db")
    def test_database_refusal_is_kept(self):
        self.alias.alias_defaults = repr({"company_id": 999999999})
        raw = make_email(subject="Azienda inesistente", to=self.address).as_bytes()
        item = self._process(raw)
        self._assert_kept(item, raw)
        self.assertEqual(item.company_id, self.company)

    @mute_logger(*MUTED)
    def test_message_to_two_aliases_of_ours_is_kept_by_each(self):
        to = f"{self.address}, {self.other_alias.alias_full_name}"
        good = make_email(subject="Due indirizzi", to=to).as_bytes()
        items = self._process(good)
        self.assertEqual(len(items), 2)
        self._assert_kept(items, good, in_error=False)
        broken = make_raw_email(subject="Due indirizzi, rotto", to=to, charset="x-unknown-zz")
        items = self._process(broken)
        self.assertEqual(len(items), 2)
        self._assert_kept(items, broken)

    @mute_logger(*MUTED)
    def test_mailbox_fetched_for_our_model_keeps_what_no_alias_takes(self):
        raw = make_raw_email(
            subject="Casella", to="nessuno@altrove.example.org", charset="x-unknown-zz"
        )
        item = self._process(raw, model=ITEM)
        self._assert_kept(item, raw)

    @mute_logger(*MUTED)
    def test_bytes_that_are_no_message_are_kept_as_received(self):
        raw = b"\x00\xff\xfe not a message at all \x00"
        item = self._process(raw, model=ITEM)
        self._assert_kept(item, raw, in_error=bool(item.intake_error))

    @mute_logger(*MUTED)
    def test_message_for_no_model_of_ours_fails_as_in_odoo(self):
        raw = make_raw_email(subject="Nessuno", to="nessuno@altrove.example.org")
        with self.assertRaises(ValueError):
            self.env["mail.thread"].message_process(False, raw)

    @mute_logger(*MUTED)
    def test_intake_sent_in_the_context_is_not_believed(self):
        """An RPC client cannot hand the intake made-up bytes: a context value is no intake."""
        raw = make_email(subject="Vera", to=self.address).as_bytes()
        forged = {"raw": b"forged", "threads": [], "memo": {}, "routes": None}
        created = (
            self.env["mail.thread"].with_context(bo_mail_intake=forged).message_process(False, raw)
        )
        item = self.Item.browse(created)
        self.assertEqual(original_email(item).raw, raw)


@tagged("post_install", "-at_install")
class TestMailIntakeItemGuard(GuardAttackKit):
    """The reason a message was kept is written by the intake alone."""

    guarded_model = ITEM

    @classmethod
    def _guard_record(cls):
        _skip_without_test_model(cls.env)
        raw = make_raw_email(subject="Guardia", to="x@y.example.org", charset="x-unknown-zz")
        with mute_logger(*MUTED):
            item_id = cls.env["mail.thread"].message_process(ITEM, raw)
        return cls.env[ITEM].browse(item_id)

    @classmethod
    def _guard_create_values(cls):
        return {"name": "Typed by a clerk"}
