"""A sealed day mailed to the conservator, and the receipt in their reply."""

import hashlib

from odoo.addons.bo_base.tests.common import make_email
from odoo.tests import tagged

from .preservation_common import PreservationCommon
from .test_pec import PecCommon

CONSERVATOR = "versamenti@conservatore.example.it"


@tagged("post_install", "-at_install", "bo_dates")
class TestPreservationMail(PreservationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.destination = cls._destination(kind="email", folder_path=False, email=CONSERVATOR)

    def _sent_mail(self, transmission):
        return self.env["mail.mail"].search(
            [
                ("model", "=", transmission._name),
                ("res_id", "=", transmission.id),
            ]
        )

    def _reply(
        self,
        mail,
        attachments,
        body="In allegato il rapporto di versamento.",
        sender=f"Conservatore <{CONSERVATOR}>",
    ):
        raw = make_email(
            subject=f"Re: {mail.subject}",
            body=body,
            sender=sender,
            to=self.chain_company.email,
            attachments=attachments,
            headers={"In-Reply-To": mail.message_id, "References": mail.message_id},
        ).as_bytes()
        self.env["mail.thread"].message_process(False, raw)
        self.env.invalidate_all()

    def test_package_is_mailed_to_the_conservator_from_the_company(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        self.assertEqual(transmission.state, "sent")
        mail = self._sent_mail(transmission)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids.email, CONSERVATOR)
        self.assertEqual(mail.email_from, self.chain_company.email_formatted)
        self.assertEqual(mail.attachment_ids.name, transmission.package_name)
        self.assertEqual(mail.attachment_ids.raw, self._package(transmission))
        code, printed = self._verify(mail.attachment_ids.raw)
        self.assertEqual(code, 0, printed)

    def test_reply_with_the_receipt_attaches_it_and_keeps_the_message(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        mail = self._sent_mail(transmission)
        receipt = b'<?xml version="1.0"?><RapportoDiVersamento esito="OK"/>'
        self._reply(mail, [("rapporto_di_versamento.xml", receipt, "application/xml")])
        self.assertEqual(transmission.state, "received")
        self.assertEqual(transmission.receipt_name, "rapporto_di_versamento.xml")
        self.assertEqual(transmission.receipt_sha256, hashlib.sha256(receipt).hexdigest())
        replies = transmission.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(replies), 1, "the reply is in the chatter")

    def test_reply_without_a_receipt_stays_in_the_chatter(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        mail = self._sent_mail(transmission)
        self._reply(mail, [("lettera.pdf", b"%PDF-1.4 lettera")], body="Abbiamo un problema.")
        self.assertEqual(transmission.state, "sent")
        self.assertFalse(transmission.receipt_file)
        replies = transmission.message_ids.filtered(lambda m: "problema" in (m.body or ""))
        self.assertEqual(len(replies), 1)
        self.assertEqual(replies.attachment_ids.name, "lettera.pdf")

    def test_receipt_from_someone_else_is_only_a_message(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        mail = self._sent_mail(transmission)
        self._reply(
            mail,
            [("rapporto_di_versamento.xml", b"<RapportoDiVersamento/>", "application/xml")],
            body="Rapporto falso.",
            sender="Impostore <impostore@altrove.example.org>",
        )
        self.assertEqual(transmission.state, "sent")
        self.assertFalse(transmission.receipt_file)
        replies = transmission.message_ids.filtered(lambda m: "falso" in (m.body or ""))
        self.assertEqual(len(replies), 1, "kept in the chatter")

    def test_undelivered_mail_is_sent_again(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        mail = self._sent_mail(transmission)
        # The conservator's server refused it.
        mail.notification_ids.write(
            {
                "notification_status": "bounce",
                "failure_type": "mail_bounce",
                "failure_reason": "550 5.1.1 mailbox unavailable",
            }
        )
        self._run("2035-03-24 11:00:00")
        self.assertEqual(transmission.state, "failed")
        self.assertIn("550 5.1.1", transmission.last_error)
        self._run("2035-03-24 12:00:00")
        self.assertEqual(transmission.state, "sent")
        self.assertEqual(transmission.attempt_count, 2)
        self.assertEqual(len(self._sent_mail(transmission)), 2)

    def test_company_without_email_fails_and_says_why(self):
        self.chain_company.email = False
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        self.assertEqual(transmission.state, "failed")
        self.assertIn("no email address", transmission.last_error)


CONSERVATOR_PEC = "versamenti@pec.conservatore.example.it"


@tagged("post_install", "-at_install", "bo_dates")
class TestPreservationPecReceipt(PreservationCommon, PecCommon):
    """The conservator answers by PEC: the provider's envelope is a new
    message around the certified reply, which alone refers to the package's
    mail. It is registered as every PEC is, and gives the receipt."""

    RECEIPT = b'<?xml version="1.0"?><RapportoDiVersamento esito="OK"/>'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.destination = cls._destination(kind="email", folder_path=False, email=CONSERVATOR_PEC)
        cls.pec_box.bo_company_id = cls.chain_company
        cls.company_pec = "protocollo@pec.registrocatena.example.it"

    def _sent(self):
        self._run("2035-03-24 10:00:00")
        transmission = self._transmissions()[0]
        self.assertEqual(transmission.state, "sent")
        message = transmission.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(message), 1)
        return transmission, message

    def _certified_reply(self, message, sender=CONSERVATOR_PEC, threaded=False):
        """The conservator's reply with the receipt, in its provider's envelope."""
        reply = make_email(
            subject=f"Re: {message.subject}",
            body="In allegato il rapporto di versamento.",
            sender=sender,
            to=self.company_pec,
            attachments=[("rapporto_di_versamento.xml", self.RECEIPT, "application/xml")],
            headers={"In-Reply-To": message.message_id, "References": message.message_id},
        )
        envelope = self._envelope(reply, sender=sender)
        envelope.replace_header("To", self.company_pec)
        if threaded:
            # A provider that copies the threading headers onto its envelope.
            envelope["In-Reply-To"] = message.message_id
            envelope["References"] = message.message_id
        return envelope

    def _pec_entries(self, company):
        """The PEC entries of ``company`` made of the conservator's replies."""
        return self.Register.search(
            [
                ("company_id", "=", company.id),
                ("channel", "=", "pec"),
                ("subject", "=like", "Re: %"),
            ]
        )

    def _assert_received_and_registered(self, transmission):
        self.env.invalidate_all()
        self.assertEqual(transmission.state, "received")
        self.assertEqual(transmission.receipt_name, "rapporto_di_versamento.xml")
        self.assertEqual(transmission.receipt_sha256, hashlib.sha256(self.RECEIPT).hexdigest())
        entry = self._pec_entries(self.chain_company)
        self.assertEqual(len(entry), 1, "the PEC is registered, once")
        self.assertEqual(entry.state, "registered")
        self.assertTrue(entry.name)
        self.assertEqual(entry.record_ref, transmission)
        self.assertIn("rapporto_di_versamento.xml", entry.attachment_ids.mapped("name"))
        self.assertIn("envelope.eml", entry.attachment_ids.mapped("name"))
        notes = transmission.message_ids.filtered(lambda m: entry.name in (m.body or ""))
        self.assertEqual(len(notes), 1, "the transmission says where the PEC is registered")

    def test_receipt_by_pec_is_registered_and_received(self):
        transmission, message = self._sent()
        self._fetch(self._certified_reply(message), self.pec_box)
        self._assert_received_and_registered(transmission)

    def test_envelope_threaded_on_the_transmission_is_registered_and_received(self):
        transmission, message = self._sent()
        self._fetch(self._certified_reply(message, threaded=True), self.pec_box)
        self._assert_received_and_registered(transmission)
        envelopes = transmission.message_ids.filtered(
            lambda m: (m.subject or "").startswith("POSTA CERTIFICATA")
        )
        self.assertEqual(len(envelopes), 1, "the envelope stays in the chatter too")

    def test_certified_reply_from_someone_else_gives_no_receipt(self):
        transmission, message = self._sent()
        self._fetch(
            self._certified_reply(message, sender="impostore@pec.altrove.example.org"),
            self.pec_box,
        )
        self.env.invalidate_all()
        self.assertEqual(transmission.state, "sent")
        self.assertFalse(transmission.receipt_file)
        entry = self._pec_entries(self.chain_company)
        self.assertEqual(len(entry), 1, "registered all the same: it is correspondence")
        self.assertFalse(entry.record_ref)

    def test_reply_fetched_by_another_companys_pec_box_gives_no_receipt(self):
        transmission, message = self._sent()
        self.pec_box.bo_company_id = self.company
        self._fetch(self._certified_reply(message), self.pec_box)
        self.env.invalidate_all()
        self.assertEqual(transmission.state, "sent")
        self.assertFalse(self._pec_entries(self.chain_company))
        entry = self._pec_entries(self.company)
        self.assertEqual(len(entry), 1)
        self.assertFalse(entry.record_ref, "never linked to another company's transmission")

    def test_same_reply_from_an_ordinary_mailbox_is_not_certified(self):
        transmission, message = self._sent()
        self.pec_box.bo_is_pec = False
        self._fetch(self._certified_reply(message), self.pec_box)
        self.env.invalidate_all()
        self.assertEqual(transmission.state, "sent", "an unverified envelope certifies nothing")
        self.assertFalse(transmission.receipt_file)
