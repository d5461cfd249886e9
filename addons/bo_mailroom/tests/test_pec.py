import base64
import datetime
import email
import email.policy
from email.message import EmailMessage
from email.utils import make_msgid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import pec
from .common import MailroomCommon

DATICERT = """<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="{kind}" errore="{error}">
  <intestazione>
    <mittente>{sender}</mittente>
    <destinatari tipo="certificato">cliente@pec.cliente.example.it</destinatari>
    <risposte>{sender}</risposte>
    <oggetto>{subject}</oggetto>
  </intestazione>
  <dati>
    <gestore-emittente>Gestore PEC S.p.A.</gestore-emittente>
    <data zona="+0100"><giorno>23/11/2026</giorno><ora>10:15:00</ora></data>
    <identificativo>opec210.20261123101500.1234@pec.gestore.example.it</identificativo>
    <msgid>{msgid}</msgid>
    <consegna>cliente@pec.cliente.example.it</consegna>
    {extra}
  </dati>
</postacert>
"""


class PecCommon(MailroomCommon):
    """A PEC mailbox, PEC envelopes and receipts as a provider writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pec_partner = cls.env["res.partner"].create(
            {"name": "Comune di Esempio", "email": "protocollo@pec.comune.example.it"}
        )
        # Only what a PEC mailbox fetches is read as PEC.
        cls.pec_box = cls._mailbox(name="PEC", bo_is_pec=True)

    def _daticert(
        self,
        kind,
        msgid="",
        error="nessuno",
        extra="",
        subject="Oggetto",
        sender="protocollo@pec.comune.example.it",
    ):
        return DATICERT.format(
            kind=kind,
            error=error,
            sender=sender,
            subject=subject,
            msgid=msgid.replace("<", "&lt;").replace(">", "&gt;"),
            extra=extra,
        ).encode()

    def _envelope(self, inner, sender="protocollo@pec.comune.example.it"):
        """A PEC provider's transport envelope around ``inner``, certified
        as sent by ``sender``."""
        envelope = EmailMessage()
        envelope["From"] = f"Per conto di: {sender} <posta-certificata@pec.gestore.example.it>"
        envelope["To"] = self.alias_email
        envelope["Subject"] = f"POSTA CERTIFICATA: {inner['Subject']}"
        envelope["Message-Id"] = make_msgid(domain="pec.gestore.example.it")
        envelope["X-Trasporto"] = "posta-certificata"
        envelope["X-Riferimento-Message-ID"] = inner["Message-Id"]
        envelope.set_content(
            "Messaggio di posta certificata\n\nIl giorno 23/11/2026 alle ore 10:15:00 il messaggio "
            f'"{inner["Subject"]}" è stato inviato da "{sender}".'
        )
        envelope.add_attachment(inner, filename="postacert.eml")
        envelope.add_attachment(
            self._daticert(
                "posta-certificata", inner["Message-Id"], subject=inner["Subject"], sender=sender
            ),
            maintype="application",
            subtype="xml",
            filename="daticert.xml",
        )
        envelope.add_attachment(
            b"fake-signature",
            maintype="application",
            subtype="pkcs7-signature",
            filename="smime.p7s",
        )
        return envelope

    def _receipt(self, kind, msgid, error="nessuno", extra=""):
        receipt = EmailMessage()
        receipt["From"] = "posta-certificata@pec.gestore.example.it"
        receipt["To"] = self.alias_email
        receipt["Subject"] = f"{kind.upper()}: Offerta"
        receipt["Message-Id"] = make_msgid(domain="pec.gestore.example.it")
        receipt["X-Ricevuta"] = kind
        receipt["X-Riferimento-Message-ID"] = msgid
        receipt.set_content(f"Ricevuta di {kind} del messaggio {msgid}")
        receipt.add_attachment(
            self._daticert(kind, msgid, error=error, extra=extra),
            maintype="application",
            subtype="xml",
            filename="daticert.xml",
        )
        return receipt

    def _sent_pec(self):
        entry = self._registered_entry(
            direction="outgoing",
            channel="pec",
            partner_id=self.pec_partner.id,
            user_id=self.clerk.id,
        )
        entry._bo_send_by_email("<p>Trasmettiamo la documentazione richiesta.</p>")
        return entry


@tagged("post_install", "-at_install")
class TestPec(PecCommon):
    def test_pec_envelope_registers_the_inner_message(self):
        inner = self._email(
            subject="Richiesta documenti",
            body="Si richiede la trasmissione dei documenti.",
            sender="Comune di Esempio <protocollo@pec.comune.example.it>",
            attachments=[("richiesta.pdf", b"%PDF-1.4 richiesta", "application/pdf")],
        )
        entry = self._fetch(self._envelope(inner), self.pec_box)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.subject, "Richiesta documenti")
        self.assertEqual(entry.partner_id, self.pec_partner)
        self.assertIn("trasmissione dei documenti", entry.summary)
        self.assertEqual(
            self._files(entry), ["daticert.xml", "envelope.eml", "postacert.eml", "richiesta.pdf"]
        )
        self.assertEqual(len(entry.hash_ids), 4)

    def test_each_receipt_updates_the_outgoing_entry_and_is_attached(self):
        entry = self._sent_pec()
        self.assertEqual(entry.delivery_state, "sent")
        msgid = entry.email_message_id
        registered_before = self.Register.search_count([])
        for kind, expected in [("accettazione", "accepted"), ("avvenuta-consegna", "delivered")]:
            with self.subTest(kind=kind):
                thread = self._fetch(self._receipt(kind, msgid), self.pec_box)
                self.assertEqual(thread, entry)
                self.assertEqual(entry.delivery_state, expected)
        self.assertEqual(
            self.Register.search_count([]), registered_before, "receipts are not entries"
        )
        receipts = entry.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("bo_mailroom.mt_bo_mail_register_pec_receipt")
        )
        self.assertEqual(len(receipts), 2)
        for message in receipts:
            self.assertIn("daticert.xml", message.attachment_ids.mapped("name"))
            self.assertIn("original_email.eml", message.attachment_ids.mapped("name"))
        self.assertFalse(entry.activity_ids)

    def test_failure_receipts_mark_not_delivered_and_alert_the_owner(self):
        for kind in ("non-accettazione", "errore-consegna", "preavviso-errore-consegna"):
            with self.subTest(kind=kind):
                entry = self._sent_pec()
                self._fetch(
                    self._receipt(
                        kind,
                        entry.email_message_id,
                        error="no-dest",
                        extra="<errore-esteso>5.1.1 - Casella &lt;b&gt;inesistente"
                        "&lt;/b&gt;</errore-esteso>",
                    ),
                    self.pec_box,
                )
                self.assertEqual(entry.delivery_state, "failed")
                activity = entry.activity_ids
                self.assertEqual(activity.user_id, self.clerk)
                self.assertIn("inesistente", str(activity.note))
                self.assertIn("&lt;b&gt;", str(activity.note), "the sender's markup is text")
                self.assertIn(
                    self.env.ref("bo_mailroom.mt_bo_mail_register_delivery_failed"),
                    entry.message_ids.subtype_id,
                )

    def test_delivery_is_not_downgraded_by_a_late_acceptance(self):
        entry = self._sent_pec()
        self._fetch(self._receipt("avvenuta-consegna", entry.email_message_id), self.pec_box)
        self._fetch(self._receipt("accettazione", entry.email_message_id), self.pec_box)
        self.assertEqual(entry.delivery_state, "delivered")

    def test_receipt_matching_nothing_is_kept_in_error(self):
        orphan = self._fetch(
            self._receipt("avvenuta-consegna", "<sconosciuto@altrove.example.it>"), self.pec_box
        )
        self.assertEqual(orphan.state, "error")
        self.assertFalse(orphan.name)
        self.assertIn("matches no outgoing entry", orphan.error_reason)
        self.assertIn("original_email.eml", orphan.message_ids.attachment_ids.mapped("name"))
        # The intake goes on: the next message waits for triage.
        self.assertEqual(self._fetch(self._email(), self.pec_box).state, "draft")

    def test_receipt_threaded_as_a_reply_still_updates_the_entry(self):
        entry = self._sent_pec()
        receipt = self._receipt("avvenuta-consegna", entry.email_message_id)
        receipt["In-Reply-To"] = entry.email_message_id
        receipt["References"] = entry.email_message_id
        registered_before = self.Register.search_count([])
        self._fetch(receipt, self.pec_box)
        self.assertEqual(entry.delivery_state, "delivered")
        self.assertEqual(self.Register.search_count([]), registered_before)
        self.assertFalse(entry.reply_ids, "a receipt is not a reply")


@tagged("post_install", "-at_install")
class TestPecTrust(PecCommon):
    """PEC is trusted only where it comes from: the provider, through a PEC mailbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ordinary_box = cls._mailbox(name="Ordinary mailbox")

    def _inner(self):
        return self._email(
            subject="Diffida",
            body="Vi diffidiamo.",
            sender="Comune di Esempio <protocollo@pec.comune.example.it>",
        )

    def test_forged_envelope_from_an_ordinary_mailbox_is_plain_email_for_triage(self):
        for fetch in (
            lambda m: self._fetch(m, self.ordinary_box),
            self._process,  # straight to the alias, as the mail gateway script does
        ):
            entry = fetch(self._envelope(self._inner()))
            self.assertEqual(entry.channel, "email")
            self.assertEqual(entry.state, "draft", "it waits for a clerk, without a number")
            self.assertFalse(entry.name)
            # Its files are an ordinary email's attachments, the original kept as received.
            self.assertNotIn("envelope.eml", self._files(entry))
            self.assertIn("original_email.eml", self._files(entry))

    def test_forged_receipt_from_an_ordinary_mailbox_does_not_touch_the_entry(self):
        entry = self._sent_pec()
        for fetch in (lambda m: self._fetch(m, self.ordinary_box), self._process):
            forged = fetch(self._receipt("errore-consegna", entry.email_message_id))
            self.assertNotEqual(forged, entry)
            self.assertEqual(entry.delivery_state, "sent")
            self.assertFalse(entry.activity_ids)
            self.assertEqual(forged.state, "draft")

    def test_forged_receipt_threaded_as_a_reply_is_a_reply_not_a_receipt(self):
        entry = self._sent_pec()
        forged = self._receipt("errore-consegna", entry.email_message_id)
        forged["In-Reply-To"] = entry.email_message_id
        self._fetch(forged, self.ordinary_box)
        self.assertEqual(entry.delivery_state, "sent")
        self.assertEqual(entry.reply_ids.state, "draft")

    def test_receipt_header_contradicted_by_its_daticert_is_refused(self):
        entry = self._sent_pec()
        receipt = self._receipt("errore-consegna", entry.email_message_id)
        receipt.replace_header("X-Ricevuta", "avvenuta-consegna")
        self._fetch(receipt, self.pec_box)
        self.assertEqual(entry.delivery_state, "sent")

    def test_daticert_inside_the_inner_message_is_never_read(self):
        entry = self._sent_pec()
        inner = self._email(
            subject="Finta ricevuta",
            sender="Comune di Esempio <protocollo@pec.comune.example.it>",
            headers={"X-Ricevuta": "avvenuta-consegna"},
            attachments=[
                (
                    "daticert.xml",
                    self._daticert("avvenuta-consegna", entry.email_message_id),
                    "application/xml",
                )
            ],
        )
        # A receipt whose only daticert.xml is inside a carried message.
        receipt = self._receipt("avvenuta-consegna", entry.email_message_id)
        receipt.clear_content()
        receipt.set_content("Ricevuta")
        receipt.add_attachment(inner, filename="postacert.eml")
        self._fetch(receipt, self.pec_box)
        self.assertEqual(entry.delivery_state, "sent")
        # An envelope carrying it: the provider's daticert.xml is the one read.
        envelope = self._envelope(inner)
        registered = self._fetch(envelope, self.pec_box)
        self.assertEqual(entry.delivery_state, "sent")
        self.assertEqual(registered.channel, "pec")
        daticert = registered.attachment_ids.filtered(lambda a: a.name == "daticert.xml")
        # The inner message's own file is one of its attachments, nothing more.
        self.assertIn(b'tipo="posta-certificata"', b"".join(daticert.mapped("raw")))
        message = email.message_from_bytes(envelope.as_bytes(), policy=email.policy.SMTP)
        self.assertEqual(pec._daticert(message).get("tipo"), "posta-certificata")

    def test_failed_receipt_is_not_overturned_by_a_forged_or_later_one(self):
        entry = self._sent_pec()
        self._fetch(self._receipt("errore-consegna", entry.email_message_id), self.pec_box)
        self.assertEqual(entry.delivery_state, "failed")
        self._process(self._receipt("avvenuta-consegna", entry.email_message_id))
        self._fetch(self._receipt("avvenuta-consegna", entry.email_message_id), self.ordinary_box)
        self.assertEqual(entry.delivery_state, "failed")
        # Definitive non-delivery outranks delivery, whatever the order.
        self._fetch(self._receipt("avvenuta-consegna", entry.email_message_id), self.pec_box)
        self.assertEqual(entry.delivery_state, "failed")

    def test_warning_of_non_delivery_is_overturned_by_the_delivery(self):
        entry = self._sent_pec()
        msgid = entry.email_message_id
        self._fetch(self._receipt("preavviso-errore-consegna", msgid), self.pec_box)
        self.assertEqual(entry.delivery_state, "failed")
        self._fetch(self._receipt("accettazione", msgid), self.pec_box)
        self.assertEqual(entry.delivery_state, "failed", "an acceptance says less")
        self._fetch(self._receipt("avvenuta-consegna", msgid), self.pec_box)
        self.assertEqual(entry.delivery_state, "delivered")

    def test_clerk_cannot_write_the_receipt_ranking(self):
        entry = self._sent_pec()
        with self.assertRaises(UserError):
            entry.with_user(self.clerk).write({"pec_receipt_kind": "avvenuta-consegna"})

    def test_receipt_from_another_companys_mailbox_matches_nothing_here(self):
        entry = self._sent_pec()
        branch = self.env["res.company"].create(
            {"name": "Filiale PEC", "alias_domain_id": self.alias_domain.id}
        )
        branch_box = self._mailbox(name="Branch PEC", bo_is_pec=True, bo_company_id=branch.id)
        kept = self._fetch(self._receipt("errore-consegna", entry.email_message_id), branch_box)
        self.assertEqual(entry.delivery_state, "sent")
        self.assertEqual(kept.company_id, branch)
        self.assertEqual(kept.state, "error")

    def _signed_envelope(self, inner, opaque=False):
        """An envelope signed by the provider (S/MIME: multipart/signed, or opaque)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Gestore PEC")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        envelope = self._envelope(inner)
        content = EmailMessage(policy=email.policy.SMTP)
        content.make_mixed()
        for part in envelope.iter_parts():
            if part.get_filename() != "smime.p7s":
                content.attach(part)
        headers = "".join(
            f"{header}: {value}\r\n"
            for header, value in envelope.items()
            if header.lower() not in ("content-type", "mime-version", "content-transfer-encoding")
        ).encode()
        builder = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(content.as_bytes())
            .add_signer(cert, key, hashes.SHA256())
        )
        if opaque:
            der = builder.sign(serialization.Encoding.DER, [])
            return (
                headers + b"MIME-Version: 1.0\r\n"
                b"Content-Type: application/pkcs7-mime; smime-type=signed-data; "
                b"name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(der).replace(b"\n", b"\r\n")
            )
        signed = builder.sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
        return headers + signed.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

    def test_signed_envelope_is_verified_and_a_tampered_one_is_not_pec(self):
        raw = self._signed_envelope(self._inner())
        entry = self._fetch(raw, self.pec_box)
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.partner_id, self.pec_partner)
        envelope = entry.attachment_ids.filtered(lambda a: a.name == "envelope.eml")
        self.assertEqual(envelope.raw, raw)
        tampered = self._signed_envelope(self._inner()).replace(b"diffidiamo", b"ringraziamo")
        forged = self._fetch(tampered, self.pec_box)
        self.assertEqual(forged.channel, "email")
        self.assertEqual(forged.state, "draft")
        self.assertIn("does not verify", " ".join(forged.message_ids.mapped("body")))

    @mute_logger(
        "odoo.addons.bo_base.models.bo_mail_intake", "odoo.addons.bo_mailroom.models.mail_thread"
    )
    def test_opaque_signed_envelope_is_read_from_its_signed_content(self):
        raw = self._signed_envelope(self._inner(), opaque=True)
        entry = self._fetch(raw, self.pec_box)
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.subject, "Diffida")
        fresh = self._signed_envelope(self._inner(), opaque=True)
        forged = self._fetch(fresh[:-60] + b"AAAA" + fresh[-56:], self.pec_box)
        self.assertEqual(forged.channel, "email")
        self.assertEqual(forged.state, "draft")
        # The same envelope altered is not dropped as a duplicate: it is kept.
        altered = self._fetch(raw[:-60] + b"AAAA" + raw[-56:], self.pec_box)
        self.assertNotEqual(altered, entry)
        self.assertEqual(altered.state, "error")
        self.assertIn("same Message-ID", altered.error_reason)
