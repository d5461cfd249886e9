"""The Segnatura of protocol interoperability: written on the letters we send
by PEC, read and checked on the PEC we receive."""

import base64
import datetime
from unittest.mock import patch

import pytz
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID
from lxml import etree

from odoo import Command
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..tools import segnatura
from .test_pec import PecCommon

NS = {"prot": segnatura.NS, "ds": segnatura.DS}


def _self_signed(common_name):
    """A self-signed RSA certificate and its key, valid around today."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=10))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return certificate, key


class SegnaturaCommon(PecCommon):
    """A company that signs its Segnatura, and a sender that signs its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        certificate, key = _self_signed("Back Office Test S.r.l.")
        key_record = cls.env["certificate.key"].create(
            {
                "name": "Segnatura key",
                "content": base64.b64encode(
                    key.private_bytes(
                        encoding=serialization.Encoding.PEM,
                        format=serialization.PrivateFormat.PKCS8,
                        encryption_algorithm=serialization.NoEncryption(),
                    )
                ),
            }
        )
        cls.certificate = cls.env["certificate.certificate"].create(
            {
                "name": "Segnatura",
                "content": base64.b64encode(certificate.public_bytes(serialization.Encoding.PEM)),
                "private_key_id": key_record.id,
                "company_id": cls.company.id,
            }
        )
        cls.company.write(
            {
                "vat": "IT01234567890",
                "bo_segnatura_certificate_id": cls.certificate.id,
                "bo_segnatura_aoo_code": "AOO_PROT",
            }
        )
        cls.company.partner_id.tz = "Europe/Rome"
        # The sender of the PEC we receive: a town hall with its own key.
        cls.sender_certificate, cls.sender_key = _self_signed("Comune di Esempio")

    # ------------------------------------------------------------------
    # Outgoing
    # ------------------------------------------------------------------

    def _send_pec_letter(self, **values):
        """A clerk registers and sends a letter by PEC, with two files."""
        main = self._attachment(
            "lettera.pdf", b"%PDF-1.4 lettera", res_model="res.partner", res_id=self.pec_partner.id
        )
        annex = self._attachment(
            "allegato.pdf",
            b"%PDF-1.4 allegato",
            res_model="res.partner",
            res_id=self.pec_partner.id,
        )
        action = self.env["bo.mail.register.outgoing"]._action_open_for(self.pec_partner)
        form = Form(
            self.env["bo.mail.register.outgoing"]
            .with_user(self.clerk)
            .with_context(**action["context"])
        )
        form.subject = values.get("subject", "Trasmissione documentazione")
        form.channel = "pec"
        form.send_email = True
        form.category_id = values.get("category", self.cat_complaints)
        form.body = "<p>Trasmettiamo la documentazione richiesta.</p>"
        form.attachment_ids.add(main)
        form.attachment_ids.add(annex)
        result = form.save().action_confirm()
        return self.Register.browse(result["res_id"])

    def _sent_message(self, entry):
        return entry.message_ids.filtered(lambda m: m.message_id == entry.email_message_id)

    def _segnatura_of(self, entry):
        files = entry.attachment_ids.filtered(lambda a: a.name == segnatura.FILENAME)
        self.assertEqual(len(files), 1)
        return files, etree.fromstring(files.raw)

    # ------------------------------------------------------------------
    # Incoming
    # ------------------------------------------------------------------

    def _sender_segnatura(
        self, files, number="0000042", subject="Richiesta di parere", signer=None, **sign_options
    ):
        """The Segnatura a town hall signs for ``files`` (name, content):
        with its RSA key and exclusive c14n, or as ``signer`` and
        ``sign_options`` say."""
        root = segnatura.build(
            {
                "administration_code": "c_e999",
                "aoo_code": "AOO_COMUNE",
                "number": number,
                "date": datetime.date(2026, 11, 20),
                "time": "09:30:00+01:00",
                "subject": subject,
                "classification": {"name": "Pareri", "code": "6.3"},
                "case": None,
                "confidential": False,
                "sender": {"name": "Comune di Esempio", "vat": "00123450789"},
                "recipients": [{"name": "Back Office Test S.r.l.", "vat": "01234567890"}],
                "documents": [
                    {"name": name, "mimetype": "application/pdf", "content": content}
                    for name, content in files
                ],
            }
        )
        certificate, sign = signer or (
            self.sender_certificate,
            lambda data: base64.b64encode(
                self.sender_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
            ),
        )
        der = certificate.public_bytes(serialization.Encoding.DER)
        segnatura.sign(root, der, sign, **sign_options)
        return segnatura.tostring(root)

    def _receive_pec(self, files, segnatura_content, name="Segnatura.xml"):
        attachments = [(fname, content, "application/pdf") for fname, content in files]
        attachments.append((name, segnatura_content, "application/xml"))
        inner = self._email(
            subject="Oggetto della PEC",
            body="Si trasmette la richiesta.",
            sender="Comune di Esempio <protocollo@pec.comune.example.it>",
            attachments=attachments,
        )
        return self._fetch(self._envelope(inner), self.pec_box)

    def _notes(self, entry):
        return " ".join(entry.message_ids.mapped("body"))


@tagged("post_install", "-at_install")
class TestSegnaturaOutgoing(SegnaturaCommon):
    def test_pec_letter_carries_a_signed_segnatura_valid_against_agid_schema(self):
        entry = self._send_pec_letter()
        self.assertEqual(entry.segnatura_state, "sent")
        attachment, root = self._segnatura_of(entry)
        self.assertEqual(segnatura.schema_errors(root), [])
        self.assertTrue(segnatura.schema().validate(etree.fromstring(attachment.raw)))

        def text(path):
            return root.findtext(path, namespaces=NS)

        ident = "prot:Intestazione/prot:Identificatore/prot:"
        local = pytz.utc.localize(entry.registration_date).astimezone(pytz.timezone("Europe/Rome"))
        self.assertEqual(text(ident + "CodiceAmministrazione"), "01234567890")
        self.assertEqual(text(ident + "CodiceAOO"), "AOO_PROT")
        self.assertEqual(text(ident + "CodiceRegistro"), "PROTOCOLLO")
        self.assertEqual(text(ident + "NumeroRegistrazione"), f"{entry.protocol_seq:07d}")
        self.assertTrue(entry.name.endswith("/" + text(ident + "NumeroRegistrazione")))
        self.assertEqual(text(ident + "DataRegistrazione"), local.date().isoformat())
        self.assertEqual(text("prot:Intestazione/prot:Oggetto"), "Trasmissione documentazione")
        self.assertEqual(text("prot:Intestazione/prot:Classifica/prot:CodiceFlat"), "92.2")
        self.assertEqual(text("prot:Intestazione/prot:Classifica/prot:Denominazione"), "Complaints")
        company = "prot:Descrizione/prot:Mittente/prot:PersonaGiuridica/prot:"
        self.assertEqual(text(company + "Denominazione"), self.company.name)
        self.assertEqual(text(company + "PIVAoCF"), "01234567890")
        # Each file's fingerprint is the SHA-256 of the very file sent.
        sent = self._sent_message(entry)
        self.assertIn(attachment, sent.attachment_ids)
        declared = {
            element.get(f"{{{segnatura.NS}}}nomeFile"): element.findtext(
                "prot:Impronta", namespaces=NS
            )
            for element in root.xpath(
                "prot:Descrizione/prot:DocumentoPrimario | prot:Descrizione/prot:Allegato",
                namespaces=NS,
            )
        }
        self.assertEqual(set(declared), {"lettera.pdf", "allegato.pdf"})
        for file in sent.attachment_ids - attachment:
            self.assertEqual(declared[file.name], segnatura.fingerprint(file.raw))
        primary = root.find("prot:Descrizione/prot:DocumentoPrimario", namespaces=NS)
        # The primary document is the entry's first file (the printed letter if any).
        self.assertEqual(
            primary.get(f"{{{segnatura.NS}}}nomeFile"), entry._bo_segnatura_files()[0].name
        )
        # The Segnatura is a registered file like the others: fingerprinted.
        self.assertIn(attachment, entry.hash_ids.attachment_id)

    def test_signature_covers_the_document_and_its_properties(self):
        entry = self._send_pec_letter()
        attachment, root = self._segnatura_of(entry)
        signed, reason, certificate = segnatura.verify_signature(root)
        self.assertTrue(signed, reason)
        self.assertEqual(
            certificate.fingerprint(hashes.SHA256()),
            base64.b64decode(self.certificate._get_fingerprint_bytes(formatting="base64")),
        )
        document_reference = root.find("ds:Signature/ds:SignedInfo/ds:Reference", namespaces=NS)
        self.assertEqual(document_reference.get("URI"), "")
        # Any change of what was signed breaks it: the subject, a fingerprint.
        for old, new in ((b"Trasmissione", b"Trasmissiona"), (b"92.2", b"92.3")):
            with self.subTest(change=old):
                forged = etree.fromstring(attachment.raw.replace(old, new))
                self.assertFalse(segnatura.verify_signature(forged)[0])

    def test_the_printed_letter_is_the_primary_document(self):
        template = self.env["bo.letter.template"].create(
            {"name": "Trasmissione", "body_html": "<p>Trasmettiamo quanto richiesto.</p>"}
        )
        entry = self._registered_entry(
            direction="outgoing",
            channel="pec",
            partner_id=self.pec_partner.id,
            category_id=self.cat_complaints.id,
            letter_template_id=template.id,
            attachment_ids=[Command.create({"name": "allegato.pdf", "raw": b"%PDF-1.4 a"})],
        )
        entry._bo_send_by_email()
        _attachment, root = self._segnatura_of(entry)
        primary = root.find("prot:Descrizione/prot:DocumentoPrimario", namespaces=NS)
        annex = root.find("prot:Descrizione/prot:Allegato", namespaces=NS)
        self.assertTrue(
            primary.get(f"{{{segnatura.NS}}}nomeFile").startswith(entry.name.replace("/", "-"))
        )
        self.assertEqual(annex.get(f"{{{segnatura.NS}}}nomeFile"), "allegato.pdf")

    def test_a_file_of_the_letter_cannot_pass_for_its_segnatura(self):
        entry = self._registered_entry(
            direction="outgoing",
            channel="pec",
            partner_id=self.pec_partner.id,
            category_id=self.cat_complaints.id,
            attachment_ids=[
                Command.create({"name": "lettera.pdf", "raw": b"%PDF-1.4 lettera"}),
                Command.create({"name": "segnatura.xml", "raw": b"<forged/>"}),
            ],
        )
        with self.assertRaisesRegex(UserError, "rename it"):
            entry._bo_send_by_email()
        self.assertFalse(entry.email_message_id)

    def test_without_certificate_the_letter_is_sent_without_segnatura_and_says_why(self):
        self.company.bo_segnatura_certificate_id = False
        entry = self._send_pec_letter()
        self.assertEqual(entry.delivery_state, "sent")
        self.assertEqual(entry.segnatura_state, "missing")
        self.assertNotIn(segnatura.FILENAME, entry.attachment_ids.mapped("name"))
        self.assertEqual(
            sorted(self._sent_message(entry).attachment_ids.mapped("name")),
            ["allegato.pdf", "lettera.pdf"],
        )
        self.assertIn("Sent without a Segnatura", self._notes(entry))
        self.assertIn("no certificate", self._notes(entry))

    def test_only_managers_see_the_signing_certificate(self):
        self.assertEqual(
            self.company.with_user(self.manager).bo_segnatura_certificate_id, self.certificate
        )
        with self.assertRaises(AccessError):
            self.company.with_user(self.clerk).bo_segnatura_certificate_id  # noqa: B018
        with self.assertRaises(AccessError):
            self.company.with_user(self.clerk).write({"bo_segnatura_certificate_id": False})

    def test_unclassified_pec_letter_is_refused_before_it_is_sent(self):
        with self.assertRaisesRegex(UserError, "Classify"):
            self._send_pec_letter(category=self.env["bo.mail.category"])

    def test_a_segnatura_against_the_schema_is_never_sent(self):
        entry = self._registered_entry(
            direction="outgoing",
            channel="pec",
            partner_id=self.pec_partner.id,
            category_id=self.cat_complaints.id,
            attachment_ids=[Command.create({"name": "lettera.pdf", "raw": b"%PDF-1.4 lettera"})],
        )
        values = entry._bo_segnatura_values()
        values["number"] = "12"  # fewer than the 7 digits the schema wants
        Register = self.registry["bo.mail.register"]
        with (
            patch.object(Register, "_bo_segnatura_values", lambda self: values),
            self.assertRaisesRegex(UserError, "does not follow AgID"),
        ):
            entry._bo_send_by_email()
        self.assertFalse(entry.email_message_id)
        self.assertFalse(entry.delivery_state)


@tagged("post_install", "-at_install")
class TestSegnaturaIncoming(SegnaturaCommon):
    FILES = (("richiesta.pdf", b"%PDF-1.4 richiesta"), ("planimetria.pdf", b"%PDF-1.4 pianta"))

    def test_pec_with_matching_segnatura_fills_the_entry(self):
        entry = self._receive_pec(self.FILES, self._sender_segnatura(self.FILES))
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.segnatura_state, "valid")
        self.assertEqual(entry.document_ref, "c_e999/AOO_COMUNE/PROTOCOLLO/0000042")
        self.assertEqual(entry.document_date, datetime.date(2026, 11, 20))
        self.assertEqual(entry.subject, "Richiesta di parere")
        notes = self._notes(entry)
        self.assertIn("The Segnatura is valid", notes)
        self.assertIn("richiesta.pdf: matches its fingerprint", notes)
        self.assertIn("planimetria.pdf: matches its fingerprint", notes)
        self.assertIn(segnatura.FILENAME, entry.attachment_ids.mapped("name"))

    def test_altered_attachment_is_noted_and_flags_the_entry(self):
        content = self._sender_segnatura(self.FILES)
        altered = (self.FILES[0], ("planimetria.pdf", b"%PDF-1.4 pianta modificata"))
        entry = self._receive_pec(altered, content)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.segnatura_state, "mismatch")
        notes = self._notes(entry)
        self.assertIn("does not match the files received", notes)
        self.assertIn("planimetria.pdf: the file received does NOT match", notes)
        self.assertIn("richiesta.pdf: matches its fingerprint", notes)
        # A missing file is a mismatch too.
        entry = self._receive_pec(self.FILES[:1], content)
        self.assertEqual(entry.segnatura_state, "mismatch")
        self.assertIn(
            "planimetria.pdf: declared in the Segnatura, not received", self._notes(entry)
        )

    def test_segnatura_signed_as_other_software_signs_verifies(self):
        """ECDSA and inclusive c14n, as other protocol software may sign."""
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(self.sender_certificate.subject)
            .issuer_name(self.sender_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(datetime.datetime.now(datetime.UTC))
            .not_valid_after(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )

        def sign(data):
            r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
            return base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

        content = self._sender_segnatura(
            self.FILES,
            signer=(certificate, sign),
            canonicalisation=segnatura.C14N,
            signature_method=f"{segnatura.XMLDSIG_MORE}ecdsa-sha256",
        )
        entry = self._receive_pec(self.FILES, content)
        self.assertEqual(entry.segnatura_state, "valid")
        self.assertEqual(entry.subject, "Richiesta di parere")

    def test_segnatura_not_following_the_schema_is_kept_and_not_trusted(self):
        content = self._sender_segnatura(self.FILES, number="42")
        entry = self._receive_pec(self.FILES, content, name="segnatura.XML")
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.segnatura_state, "invalid")
        self.assertEqual(entry.subject, "Oggetto della PEC", "nothing is taken from it")
        self.assertFalse(entry.document_ref)
        self.assertIn("segnatura.XML", entry.attachment_ids.mapped("name"))
        self.assertIn("does not follow AgID", self._notes(entry))

    def test_segnatura_whose_signature_does_not_verify_is_not_trusted(self):
        content = self._sender_segnatura(self.FILES).replace(
            b"Richiesta di parere", b"Richiesta di pagamento"
        )
        entry = self._receive_pec(self.FILES, content)
        self.assertEqual(entry.segnatura_state, "invalid")
        self.assertEqual(entry.subject, "Oggetto della PEC")
        self.assertIn("signature does not verify", self._notes(entry))

    def test_unreadable_segnatura_is_noted_and_the_message_registered(self):
        entry = self._receive_pec(self.FILES, b"<SegnaturaInformatica><non chiuso>")
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.segnatura_state, "invalid")
        self.assertIn("not well-formed", self._notes(entry))

    def test_our_own_segnatura_round_trips_through_our_intake(self):
        sent = self._send_pec_letter()
        message = self._sent_message(sent)
        files = [(a.name, a.raw) for a in message.attachment_ids if a.name != segnatura.FILENAME]
        ours = message.attachment_ids.filtered(lambda a: a.name == segnatura.FILENAME)
        received = self._receive_pec(files, ours.raw)
        self.assertEqual(received.segnatura_state, "valid")
        self.assertEqual(received.subject, sent.subject)
        self.assertEqual(
            received.document_ref, f"01234567890/AOO_PROT/PROTOCOLLO/{sent.protocol_seq:07d}"
        )
        local = pytz.utc.localize(sent.registration_date).astimezone(pytz.timezone("Europe/Rome"))
        self.assertEqual(received.document_date, local.date())


@tagged("post_install", "-at_install")
class TestSegnaturaGuard(GuardAttackKit):
    """The Segnatura's verdict is the register's: no client sets it, through
    create, write, a ``default_`` key, a copy or an import."""

    guarded_model = "bo.mail.register"

    @classmethod
    def _guard_record(cls):
        entry = cls.env["bo.mail.register"].create(cls._guard_create_values())
        entry.action_register()
        return entry

    @classmethod
    def _guard_create_values(cls):
        return {
            "direction": "incoming",
            "channel": "pec",
            "partner_name": "Comune di Esempio",
            "subject": "Richiesta di parere",
        }

    def _guard_fields(self):
        return ["segnatura_state"]
