from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged

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


@tagged("post_install", "-at_install")
class TestPec(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pec_partner = cls.env["res.partner"].create(
            {"name": "Comune di Esempio", "email": "protocollo@pec.comune.example.it"}
        )

    def _daticert(self, kind, msgid="", error="nessuno", extra="", subject="Oggetto"):
        return DATICERT.format(
            kind=kind,
            error=error,
            sender="protocollo@pec.comune.example.it",
            subject=subject,
            msgid=msgid.replace("<", "&lt;").replace(">", "&gt;"),
            extra=extra,
        ).encode()

    def _envelope(self, inner):
        """A PEC provider's transport envelope around ``inner``."""
        envelope = EmailMessage()
        envelope["From"] = (
            "Per conto di: protocollo@pec.comune.example.it "
            "<posta-certificata@pec.gestore.example.it>"
        )
        envelope["To"] = self.alias_email
        envelope["Subject"] = f"POSTA CERTIFICATA: {inner['Subject']}"
        envelope["Message-Id"] = make_msgid(domain="pec.gestore.example.it")
        envelope["X-Trasporto"] = "posta-certificata"
        envelope["X-Riferimento-Message-ID"] = inner["Message-Id"]
        envelope.set_content(
            "Messaggio di posta certificata\n\nIl giorno 23/11/2026 alle ore 10:15:00 il messaggio "
            f'"{inner["Subject"]}" è stato inviato da "protocollo@pec.comune.example.it".'
        )
        envelope.add_attachment(inner, filename="postacert.eml")
        envelope.add_attachment(
            self._daticert("posta-certificata", inner["Message-Id"], subject=inner["Subject"]),
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

    def test_pec_envelope_registers_the_inner_message(self):
        inner = self._email(
            subject="Richiesta documenti",
            body="Si richiede la trasmissione dei documenti.",
            sender="Comune di Esempio <protocollo@pec.comune.example.it>",
            attachments=[("richiesta.pdf", b"%PDF-1.4 richiesta", "application/pdf")],
        )
        entry = self._process(self._envelope(inner))
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
                thread = self._process(self._receipt(kind, msgid))
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
                self._process(
                    self._receipt(
                        kind,
                        entry.email_message_id,
                        error="no-dest",
                        extra="<errore-esteso>5.1.1 - Casella inesistente</errore-esteso>",
                    )
                )
                self.assertEqual(entry.delivery_state, "failed")
                activity = entry.activity_ids
                self.assertEqual(activity.user_id, self.clerk)
                self.assertIn("Casella inesistente", str(activity.note))
                self.assertIn(
                    self.env.ref("bo_mailroom.mt_bo_mail_register_delivery_failed"),
                    entry.message_ids.subtype_id,
                )

    def test_delivery_is_not_downgraded_by_a_late_acceptance(self):
        entry = self._sent_pec()
        self._process(self._receipt("avvenuta-consegna", entry.email_message_id))
        self._process(self._receipt("accettazione", entry.email_message_id))
        self.assertEqual(entry.delivery_state, "delivered")

    def test_receipt_matching_nothing_is_kept_in_error(self):
        orphan = self._process(
            self._receipt("avvenuta-consegna", "<sconosciuto@altrove.example.it>")
        )
        self.assertEqual(orphan.state, "error")
        self.assertFalse(orphan.name)
        self.assertIn("matches no outgoing entry", orphan.error_reason)
        self.assertIn("original_email.eml", orphan.message_ids.attachment_ids.mapped("name"))
        # The intake goes on.
        self.assertEqual(self._process(self._email()).state, "registered")

    def test_receipt_threaded_as_a_reply_still_updates_the_entry(self):
        entry = self._sent_pec()
        receipt = self._receipt("avvenuta-consegna", entry.email_message_id)
        receipt["In-Reply-To"] = entry.email_message_id
        receipt["References"] = entry.email_message_id
        registered_before = self.Register.search_count([])
        self.env["mail.thread"].message_process(False, receipt.as_bytes())
        self.assertEqual(entry.delivery_state, "delivered")
        self.assertEqual(self.Register.search_count([]), registered_before)
        self.assertFalse(entry.reply_ids, "a receipt is not a reply")
