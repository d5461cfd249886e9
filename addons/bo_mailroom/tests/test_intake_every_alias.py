"""The register keeps every message through the Back Office intake (bo_base).

The same attacks as on the claims and requests aliases (bo_orders), on the
protocol alias: each message is kept with its exact bytes.
"""

from unittest.mock import patch

from odoo.addons.bo_base.tests.common import make_raw_email, original_email
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MailroomCommon

MUTED = (
    "odoo.addons.bo_base.models.bo_mail_intake",
    "odoo.addons.bo_mailroom.models.bo_mail_register_intake",
    "odoo.addons.mail.models.mail_thread",
    "odoo.sql_db",
)


@tagged("post_install", "-at_install")
class TestIntakeEveryAlias(MailroomCommon):
    SENDER = "Mario Neri <mario.neri@sconosciuto.example.org>"

    def _process_all(self, raw):
        """The entries the register made of ``raw``."""
        before = self.Register.search([])
        self.env["mail.thread"].message_process(False, raw)
        return self.Register.search([]) - before

    def _assert_kept(self, entries, raw, in_error=True):
        self.assertTrue(entries, "the message must be kept")
        for entry in entries:
            self.assertEqual(original_email(entry).raw, raw, "the bytes received, exactly")
            if in_error:
                self.assertEqual(entry.state, "error")
                self.assertTrue(entry.error_reason)
                self.assertEqual(entry.activity_ids.user_id, self.manager)

    @mute_logger(*MUTED)
    def test_mail_in_an_unknown_charset_is_kept_with_its_bytes(self):
        raw = make_raw_email(
            "Fattura", "Perch\xe8?".encode("latin-1"), self.SENDER, self.alias_email, charset="x-zz"
        )
        entry = self._process_all(raw)
        self.assertEqual(len(entry), 1)
        self._assert_kept(entry, raw)
        self.assertEqual(entry.subject, "Fattura")

    @mute_logger(*MUTED)
    def test_mail_with_a_nul_byte_in_a_header_is_kept_with_its_bytes(self):
        cases = {
            "subject": {"subject": "Ordine\x00urgente"},
            "sender": {"sender": "Mario <mario\x00neri@sconosciuto.example.org>"},
            "message id": {"msgid": "<nul\x00id@sconosciuto.example.org>"},
            "other header": {"headers": [b"X-Mailer: rotto\x00"]},
        }
        for case, values in cases.items():
            with self.subTest(header=case):
                values = {"subject": "Ordine", "sender": self.SENDER, **values}
                raw = make_raw_email(to=self.alias_email, body="Testo.", **values)
                entry = self._process_all(raw)
                self.assertEqual(len(entry), 1)
                self._assert_kept(entry, raw)
                self.assertNotIn("\x00", entry.subject + (entry.email_from or ""))

    @mute_logger(*MUTED)
    def test_mail_with_a_nul_byte_in_an_attachment_name_is_kept_with_its_bytes(self):
        raw = make_raw_email(
            "Ordine",
            "In allegato.",
            self.SENDER,
            self.alias_email,
            attachments=[("ordine\x00.pdf", b"%PDF-1.4 ordine", "application/pdf")],
        )
        entry = self._process_all(raw)
        self.assertEqual(len(entry), 1)
        self._assert_kept(entry, raw)
        self.assertFalse([name for name in entry.attachment_ids.mapped("name") if "\x00" in name])

    @mute_logger(*MUTED)
    def test_mail_that_fails_in_message_new_is_kept_with_its_bytes(self):
        raw = make_raw_email("Ordine", "Testo.", self.SENDER, self.alias_email)
        with patch.object(
            type(self.Register),
            "_bo_intake_target_company",
            side_effect=RuntimeError("the register's code failed"),
        ):
            entry = self._process_all(raw)
        self.assertEqual(len(entry), 1)
        self._assert_kept(entry, raw)
        self.assertIn("the register's code failed", entry.error_reason)
        self.assertEqual(entry.company_id, self.company)

    @mute_logger(*MUTED)
    def test_mail_to_the_aliases_of_two_companies_is_kept_by_each(self):
        branch = self.env["res.company"].create(
            {"name": "Filiale Nord", "alias_domain_id": self.alias_domain.id}
        )
        branch.bo_escalation_user_id = self.manager
        to = f"{self.alias_email}, {branch.bo_mailroom_alias_id.alias_full_name}"
        raw = make_raw_email("A due protocolli", "Testo.", self.SENDER, to, charset="x-zz")
        entries = self._process_all(raw)
        self.assertEqual(entries.company_id, self.company | branch)
        self.assertEqual(len(entries), 2, "one entry per company")
        self._assert_kept(entries, raw)
