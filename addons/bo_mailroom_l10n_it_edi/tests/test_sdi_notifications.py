from odoo.tests import tagged

from .common import SdiPecCommon, data_file

RC = "IT01234560157_00A01_RC_001.xml"
NOTIFICATION = """<?xml version="1.0" encoding="UTF-8"?>
<ns3:{root} versione="1.0"
    xmlns:ns3="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/messaggi/v1.0">
  <IdentificativoSdI>1122334477</IdentificativoSdI>
  <NomeFile>IT01234560157_00A01.xml.p7m</NomeFile>
  {extra}
  <MessageId>987654323</MessageId>
</ns3:{root}>
"""
NS = "IT01234560157_00A02_NS_001.xml"


@tagged("post_install", "-at_install")
class TestSdiNotifications(SdiPecCommon):
    """The SdI's notifications about our invoices reach those invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivered = cls._sent_invoice("IT01234560157_00A01.xml")
        cls.refused = cls._sent_invoice("IT01234560157_00A02.xml")

    def _notify(self, name, content=None):
        message = self._sdi_message(
            [(name, content or data_file(name))], subject=f"Notifica {name}"
        )
        return self._fetch(message)

    def test_delivery_receipt_marks_the_invoice_forwarded(self):
        entry = self._notify(RC)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.bo_sdi_state, "done")
        self.assertEqual((entry.res_model, entry.res_id), ("account.move", self.delivered.id))
        self.assertEqual(self.delivered.l10n_it_edi_state, "forwarded")
        self.assertEqual(self.refused.l10n_it_edi_state, "processing")
        # The notification is on the invoice, with what it means.
        note = self.delivered.message_ids.filtered(lambda m: RC in m.attachment_ids.mapped("name"))
        self.assertEqual(len(note), 1)
        self.assertIn("was accepted and succesfully forwarded", note.body)
        self.assertEqual(self.delivered.bo_mail_register_count, 1)

    def test_rejection_marks_the_invoice_rejected_with_its_errors(self):
        entry = self._notify(NS)
        self.assertEqual(entry.bo_sdi_state, "done")
        self.assertEqual(entry.res_id, self.refused.id)
        self.assertEqual(self.refused.l10n_it_edi_state, "rejected")
        note = self.refused.message_ids.filtered(lambda m: NS in m.attachment_ids.mapped("name"))
        self.assertIn("refused by the SdI", note.body)
        self.assertIn("IdCodice non valido", note.body)
        self.assertIn("is duplicated", note.body)
        # As l10n_it_edi: the refused file is dropped, a corrected one will be sent.
        self.assertFalse(self.refused.l10n_it_edi_attachment_file)
        self.assertEqual(self.delivered.l10n_it_edi_state, "processing")

    def test_notification_about_another_companys_invoice_does_not_reach_it(self):
        # The same file name in another company's books: the mailbox's company only.
        self.delivered.l10n_it_edi_attachment_name = "IT01234560157_00A99.xml"
        foreign = self._sent_invoice("IT01234560157_00A01.xml", company=self.company_data)
        entry = self._notify(RC)
        self.assertEqual(foreign.l10n_it_edi_state, "processing")
        self.assertFalse(foreign.message_ids.attachment_ids.filtered(lambda a: a.name == RC))
        self.assertEqual(entry.bo_sdi_state, "failed")
        self.assertFalse(entry.res_model)
        self.assertIn("no invoice of Officine Meccaniche Prova S.r.l.", entry.bo_sdi_error)
        self.assertEqual(entry.activity_ids.user_id, self.manager)

    def test_notification_naming_an_unknown_invoice_is_flagged(self):
        content = data_file(RC).replace(b"00A01.xml", b"ZZZ99.xml")
        entry = self._notify(RC, content)
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.bo_sdi_state, "failed")
        self.assertIn("IT01234560157_ZZZ99.xml", entry.bo_sdi_error)
        self.assertEqual(self.delivered.l10n_it_edi_state, "processing")

    def test_broken_notification_is_flagged(self):
        entry = self._notify(RC, b"<RicevutaConsegna><NomeFile>")
        self.assertEqual(entry.bo_sdi_state, "failed")
        self.assertIn("not a notification the SdI writes", entry.bo_sdi_error)
        self.assertEqual(self.delivered.l10n_it_edi_state, "processing")

    def test_notification_with_entities_is_not_read(self):
        content = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<RicevutaConsegna><NomeFile>&x;IT01234560157_00A01.xml</NomeFile></RicevutaConsegna>"
        )
        entry = self._notify(RC, content)
        self.assertEqual(entry.bo_sdi_state, "failed")
        self.assertEqual(self.delivered.l10n_it_edi_state, "processing")

    def test_notes_are_written_in_the_language_of_who_reads_them(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_it_edi", "bo_mailroom_l10n_it_edi"], ["it_IT"], overwrite=True
        )
        self.manager.lang = "it_IT"
        salesperson = self.delivered.invoice_user_id
        salesperson.lang = "it_IT"
        unknown = self._notify(RC, data_file(RC).replace(b"00A01.xml", b"ZZZ99.xml"))
        self.assertIn("nessuna fattura di Officine Meccaniche Prova S.r.l.", unknown.bo_sdi_error)
        self.assertEqual(unknown.activity_ids.summary, "Messaggio SdI non recapitato")
        self._notify(RC)
        note = self.delivered.message_ids.filtered(lambda m: RC in m.attachment_ids.mapped("name"))
        self.assertIn("è stato accettato e inoltrato con successo", note.body)

    def test_each_kind_of_notification_moves_the_state_as_l10n_it_edi_does(self):
        cases = [
            ("MC", "NotificaMancataConsegna", "", "forward_failed"),
            ("NE", "NotificaEsitoCommittente",
             "<EsitoCommittente><Esito>EC02</Esito></EsitoCommittente>", "rejected_by_pa_partner"),
            ("NE", "NotificaEsitoCommittente",
             "<EsitoCommittente><Esito>EC01</Esito></EsitoCommittente>", "accepted_by_pa_partner"),
            ("DT", "NotificaDecorrenzaTermini", "", "accepted_by_pa_partner_after_expiry"),
            ("AT", "AttestazioneTrasmissioneFattura", "", "forward_failed"),
        ]  # fmt: skip
        for number, (code, root, extra, state) in enumerate(cases, start=1):
            with self.subTest(code=code, state=state):
                self.delivered.l10n_it_edi_state = "processing"
                name = f"IT01234560157_00A01_{code}_00{number}.xml"
                content = NOTIFICATION.format(root=root, extra=extra).encode()
                entry = self._notify(name, content)
                self.assertEqual(entry.bo_sdi_state, "done")
                self.assertEqual(entry.res_id, self.delivered.id)
                # The invoice was sent signed: the notification names the .p7m.
                self.assertEqual(self.delivered.l10n_it_edi_state, state)
                note = self.delivered.message_ids.filtered(
                    lambda m, name=name: name in m.attachment_ids.mapped("name")
                )
                self.assertIn("IT01234560157_00A01.xml.p7m", note.body)
                label = dict(
                    self.Move._fields["l10n_it_edi_state"]._description_selection(self.env)
                )[state]
                if state == "rejected_by_pa_partner":
                    # Explained by l10n_it_edi only for a public administration.
                    self.assertIn(label, note.body)
