import hashlib
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MailroomCommon

MUTED = (
    "odoo.addons.bo_base.models.bo_mail_intake",
    "odoo.addons.bo_mailroom.models.bo_mail_register_intake",
    "odoo.addons.bo_mailroom.models.mail_thread",
    "odoo.addons.mail.models.mail_thread",
)


@tagged("post_install", "-at_install")
class TestIntakeRobustness(MailroomCommon):
    """No message addressed to the register is ever lost."""

    def _raw(self, headers=b"Subject: Ordine\r\n", content_type=None, body=b"Buongiorno.\r\n"):
        return (
            b"From: Mario Neri <mario.neri@sconosciuto.example.org>\r\n"
            b"To: " + self.alias_email.encode() + b"\r\n"
            b"Message-Id: <"
            + hashlib.md5(headers + body).hexdigest().encode()
            + b"@x.example>\r\n"
            + headers
            + b"MIME-Version: 1.0\r\n"
            + (content_type or b"Content-Type: text/plain; charset=utf-8\r\n")
            + b"\r\n"
            + body
        )

    def _assert_kept_in_error(self, entry, raw):
        self.assertTrue(entry, "the message must become an entry")
        self.assertEqual(entry.state, "error")
        self.assertFalse(entry.name)
        self.assertTrue(entry.error_reason)
        originals = entry.attachment_ids.filtered(lambda a: a.name == "original_email.eml")
        self.assertEqual(len(originals), 1)
        self.assertEqual(originals.raw, raw, "the bytes received are kept exactly")
        self.assertEqual(entry.activity_ids.user_id, self.manager)

    @mute_logger(*MUTED)
    def test_each_malformed_message_is_kept_in_error_with_its_bytes(self):
        cases = {
            "unknown charset": self._raw(
                content_type=b"Content-Type: text/plain; charset=x-unknown-zz\r\n"
                b"Content-Transfer-Encoding: 8bit\r\n",
                body="Perch\xe8 la fattura?\r\n".encode("latin-1"),
            ),
            "broken MIME parameter": self._raw(
                content_type=b"Content-Type: text/plain; charset*=utf-8''%FF%FE; format=\"\r\n"
            ),
            "unknown charset in an attachment": self._raw(
                content_type=b'Content-Type: multipart/mixed; boundary="b"\r\n',
                body=b"--b\r\nContent-Type: text/plain\r\n\r\nciao\r\n--b\r\n"
                b"Content-Type: text/plain; charset=x-foo\r\n"
                b"Content-Disposition: attachment; filename=a.txt\r\n\r\n\xe8\xe8\r\n--b--\r\n",
            ),
            "NUL byte in the subject": self._raw(headers=b"Subject: Ordine\x00urgente\r\n"),
            "NUL byte in the sender": self._raw().replace(b"mario.neri@", b"mario\x00neri@"),
            "long subject with an encoded word in an unknown charset": self._raw(
                headers=b"Subject: "
                + b"\r\n ".join(b"=?x-unknown?q?Oggetto_=E8_" + b"%d?=" % i for i in range(40))
                + b"\x00\r\n",
                content_type=b"Content-Type: text/plain; charset=x-unknown\r\n",
            ),
        }
        for kind, raw in cases.items():
            with self.subTest(kind=kind):
                before = self.Register.search([])
                entry = self._process(raw)
                self.assertEqual(self.Register.search([]) - before, entry)
                self._assert_kept_in_error(entry, raw)
                self.assertNotIn("\x00", entry.subject + (entry.email_from or ""))

    @mute_logger(*MUTED)
    def test_readable_header_values_are_kept_on_the_error_entry(self):
        raw = self._raw(
            headers=b"Subject: =?iso-8859-1?q?Fattura_n=B0_12?=\r\n",
            content_type=b"Content-Type: text/plain; charset=x-unknown-zz\r\n",
        )
        entry = self._process(raw)
        self._assert_kept_in_error(entry, raw)
        self.assertEqual(entry.subject, "Fattura n° 12")
        self.assertIn("mario.neri@sconosciuto.example.org", entry.email_from)
        self.assertIn("x-unknown-zz", entry.error_reason)
        # A manager checks and registers it.
        entry.with_user(self.manager).action_register()
        self.assertTrue(entry.name)

    @mute_logger(*MUTED)
    def test_serialization_conflict_keeps_the_reply_in_error(self):
        entry = self._registered_entry(channel="email")
        raw = self._raw(headers=b"Subject: Re: offerta\r\nIn-Reply-To: <conflict@x.example>\r\n")
        entry.message_post(body="sent", message_id="<conflict@x.example>")
        conflict = SerializationFailure("could not serialize access due to concurrent update")
        with patch.object(type(self.Register), "message_update", side_effect=conflict):
            kept = self._process(raw)
        self.assertNotEqual(kept, entry)
        self._assert_kept_in_error(kept, raw)
        self.assertIn("SerializationFailure", kept.error_reason)

    def test_stored_original_is_the_exact_bytes_received_and_fingerprinted(self):
        self._register_at_once_rule()
        # Bare LF line ends, a folded header, 8-bit Latin-1 text and a
        # quoted-printable attachment: the parser rewrites all of them.
        raw = (
            b"From: Ferramenta Verdi <ordini@ferramentaverdi.example.it>\n"
            b"To: " + self.alias_email.encode() + b"\n"
            b"Subject: Ordine\n  piegato\n"
            b"Message-Id: <exact-bytes@ferramentaverdi.example.it>\n"
            b"DKIM-Signature: v=1; a=rsa-sha256; d=ferramentaverdi.example.it; b=abc\n"
            b"MIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="XX"\n\n'
            b"--XX\nContent-Type: text/plain; charset=iso-8859-1\n"
            b"Content-Transfer-Encoding: 8bit\n\nPerch\xe8 no?\n"
            b"--XX\nContent-Type: text/csv; name=a.csv\n"
            b"Content-Disposition: attachment; filename=a.csv\n"
            b"Content-Transfer-Encoding: quoted-printable\n\na;b=3Dc\n--XX--\n"
        )
        entry = self._process(raw)
        self.assertEqual(entry.state, "registered")
        original = entry.attachment_ids.filtered(lambda a: a.name == "original_email.eml")
        self.assertEqual(original.raw, raw)
        fingerprint = entry.hash_ids.filtered(lambda h: h.name == "original_email.eml")
        self.assertEqual(fingerprint.sha256, hashlib.sha256(raw).hexdigest())

    def test_message_to_two_aliases_gets_one_number(self):
        self._register_at_once_rule()
        other = self.env["mail.alias"].create(
            {
                "alias_name": "ufficio-posta",
                "alias_model_id": self.env["ir.model"]._get("bo.mail.register").id,
                "alias_defaults": repr({"company_id": self.company.id}),
                "alias_contact": "everyone",
                "alias_domain_id": self.alias_domain.id,
            }
        )
        before = self.Register.search([])
        entry = self._process(self._email(to=f"{self.alias_email}, {other.alias_full_name}"))
        created = self.Register.search([]) - before
        self.assertEqual(created, entry)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(len(entry.message_ids.filtered(lambda m: m.message_type == "email")), 1)

    @mute_logger(*MUTED)
    def test_duplicate_message_id_with_other_content_is_kept(self):
        first = self._email(subject="Offerta", body="Prezzo 100 euro.")
        entry = self._process(first)
        forged = self._email(
            subject="Offerta", body="Prezzo 1 euro.", msgid=first["Message-Id"]
        ).as_bytes()
        kept = self._process(forged)
        self.assertNotEqual(kept, entry)
        self._assert_kept_in_error(kept, forged)
        self.assertIn("same Message-ID", kept.error_reason)
        # The very same message delivered again is a duplicate, not a letter.
        before = self.Register.search([])
        self._process(first)
        self.assertFalse(self.Register.search([]) - before)

    @mute_logger(*MUTED)
    def test_forged_fetchmail_context_over_rpc_is_not_a_mailbox(self):
        """A clerk calling message_process cannot pretend to be a fetching job."""
        pec_box = self._mailbox(name="PEC box", bo_is_pec=True)
        thread = self.env["mail.thread"].with_user(self.clerk)
        server = (
            thread.with_context(default_fetchmail_server_id=pec_box.id)
            .env["fetchmail.server"]
            ._bo_fetching_server()
        )
        self.assertFalse(server)

    @mute_logger(*MUTED)
    def test_custom_values_cannot_number_or_register_an_entry(self):
        """message_new is public: a clerk calling it cannot pass evidence fields."""
        entry = self.Register.with_user(self.clerk).message_new(
            {
                "subject": "Finta",
                "email_from": "mario.neri@sconosciuto.example.org",
                "message_id": "<forged-values@x.example>",
                "body": "",
            },
            {
                "state": "registered",
                "name": "2026/9999999",
                "protocol_seq": 9999999,
                "delivery_state": "delivered",
                "deadline_reminded_date": "2001-02-03",
            },
        )
        self.assertIn(entry.state, ("draft", "error"), "never registered by the caller's values")
        self.assertFalse(entry.name)
        self.assertFalse(entry.protocol_seq)
        self.assertFalse(entry.delivery_state)
        self.assertFalse(entry.deadline_reminded_date)
