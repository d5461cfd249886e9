import base64

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import INVOICE, METADATA, SdiPecCommon, data_file, sign_p7m


@tagged("post_install", "-at_install")
class TestSdiInvoices(SdiPecCommon):
    """The SdI's PEC with an invoice is registered and becomes a vendor bill
    through l10n_it_edi's own import."""

    def _assert_flagged(self, entry, reason):
        self.assertEqual(entry.bo_sdi_state, "failed")
        self.assertIn(reason, entry.bo_sdi_error)
        self.assertTrue(entry.message_ids.filtered(lambda m: reason in m.body))
        activity = entry.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn(reason, activity.note)

    def test_invoice_pec_is_registered_and_becomes_a_bill_linked_to_its_entry(self):
        entry = self._fetch(
            self._sdi_message([(INVOICE, data_file(INVOICE)), (METADATA, data_file(METADATA))])
        )
        # Registered at once, as any PEC: nothing waits in triage.
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.company_id, self.it_company)
        self.assertEqual(entry.email_from, "sdi01@pec.fatturapa.it")
        self.assertEqual(entry.bo_sdi_state, "pending")
        self.assertFalse(self._bills())

        self.Register._cron_bo_sdi_import()

        bill = self._bills()
        self.assertEqual(len(bill), 1, "one bill: the metadata file is not an invoice")
        self.assertEqual(entry.bo_sdi_state, "done")
        self.assertEqual((entry.res_model, entry.res_id), ("account.move", bill.id))
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.journal_id, self.company_data_2["default_journal_purchase"])
        self.assertEqual(bill.ref, "TL-2026/0815")
        self.assertEqual(bill.partner_id.vat, self.supplier.vat)
        self.assertEqual(len(bill.invoice_line_ids), 2)
        self.assertAlmostEqual(bill.amount_total, 305.0)
        self.assertEqual(base64.b64decode(bill.l10n_it_edi_attachment_file), data_file(INVOICE))
        # The bill shows its register entry, to the Back Office.
        bill_as_clerk = bill.with_user(self.clerk)
        self.assertEqual(bill_as_clerk.bo_mail_register_count, 1)
        action = bill.action_view_bo_mail_register()
        self.assertEqual(self.Register.search(action["domain"]), entry)
        # The register keeps what was received, the invoice and its metadata included.
        self.assertTrue(
            {INVOICE, METADATA, "envelope.eml"} <= set(entry.attachment_ids.mapped("name"))
        )

    def test_signed_p7m_invoice_becomes_a_bill(self):
        name = f"{INVOICE}.p7m"
        entry = self._receive_invoice([(name, sign_p7m(data_file(INVOICE)))])
        bill = self._bills()
        self.assertEqual(entry.bo_sdi_state, "done")
        self.assertEqual(entry.res_id, bill.id)
        self.assertEqual(bill.ref, "TL-2026/0815")
        self.assertAlmostEqual(bill.amount_total, 305.0)

    def test_same_invoice_sent_twice_is_one_bill(self):
        first = self._receive_invoice()
        again = self._receive_invoice()
        bill = self._bills()
        self.assertEqual(len(bill), 1)
        self.assertNotEqual(first, again, "each PEC is registered")
        self.assertEqual(again.bo_sdi_state, "done")
        self.assertEqual((again.res_model, again.res_id), ("account.move", bill.id))
        self.assertTrue(again.message_ids.filtered(lambda m: "already the vendor bill" in m.body))
        self.assertEqual(bill.bo_mail_register_count, 2)

    def test_broken_invoice_is_registered_and_flagged_without_a_bill(self):
        broken = data_file(INVOICE)[:900]
        entry = self._receive_invoice([(INVOICE, broken)])
        self.assertEqual(entry.state, "registered")
        self.assertFalse(self._bills())
        self._assert_flagged(entry, "not a readable FatturaPA file")
        self.assertIn(INVOICE, entry.attachment_ids.mapped("name"), "the file is kept")

    @mute_logger("odoo.addons.l10n_it_edi.models.account_move")
    def test_unsigned_p7m_is_registered_and_flagged_without_a_bill(self):
        entry = self._receive_invoice([(f"{INVOICE}.p7m", b"not a signed file")])
        self.assertFalse(self._bills())
        self._assert_flagged(entry, "not a readable FatturaPA file")

    def test_invoice_for_another_company_is_flagged_without_a_bill(self):
        other = data_file(INVOICE, {"01234560157": "09876543210"})
        entry = self._receive_invoice([(INVOICE, other)])
        self.assertFalse(self._bills())
        self._assert_flagged(entry, "is not Officine Meccaniche Prova S.r.l.")

    @mute_logger("odoo.addons.bo_mailroom_l10n_it_edi.models.bo_mail_register")
    def test_bill_that_cannot_be_made_leaves_the_entry_flagged(self):
        # No purchase journal to make the bill in.
        self.Move.search([("company_id", "=", self.it_company.id)]).unlink()
        self.env["account.journal"].search(
            [("company_id", "=", self.it_company.id), ("type", "=", "purchase")]
        ).action_archive()
        entry = self._receive_invoice()
        self.assertFalse(self._bills())
        self._assert_flagged(entry, f"{INVOICE} was not imported")
        # Not imported again and again by the job: the manager sees to it.
        self.Register.sudo()._cron_bo_sdi_import()
        self.assertEqual(len(entry.activity_ids), 1)

    def test_sdi_message_without_sdi_files_is_flagged(self):
        entry = self._fetch(self._sdi_message([("avviso.txt", b"Comunicazione di servizio")]))
        self.assertEqual(entry.state, "registered")
        self._assert_flagged(entry, "carries no invoice nor notification file")


@tagged("post_install", "-at_install")
class TestSdiTrust(SdiPecCommon):
    """Only what a PEC mailbox fetches, certified as sent by the SdI, is the SdI's."""

    def test_sdi_invoice_from_an_ordinary_mailbox_is_plain_email_for_triage(self):
        entry = self._receive_invoice(server=self.ordinary_box)
        self.assertEqual(entry.channel, "email")
        self.assertEqual(entry.state, "draft")
        self.assertFalse(entry.bo_sdi_state)
        self.assertFalse(self._bills())

    def test_invoice_from_another_certified_sender_is_an_ordinary_pec(self):
        files = [(INVOICE, data_file(INVOICE))]
        message = self._sdi_message(files, sender="sdi01@pec.fatturapa.example.it")
        entry = self._fetch(message)
        self.Register._cron_bo_sdi_import()
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.state, "registered")
        self.assertFalse(entry.bo_sdi_state)
        self.assertFalse(entry.res_model)
        self.assertFalse(self._bills())

    def test_company_setting_names_the_sdi_senders(self):
        self.it_company.bo_sdi_pec_senders = (
            "sdi*@pec.fatturapa.it, fatture@pec.intermediario.example.it"
        )
        self.assertTrue(self.it_company._bo_is_sdi_sender("SDI27@pec.fatturapa.it"))
        self.assertTrue(self.it_company._bo_is_sdi_sender("fatture@pec.intermediario.example.it"))
        self.assertFalse(self.it_company._bo_is_sdi_sender("sdi01@pec.fatturapa.it.example.com"))
        self.assertFalse(self.it_company._bo_is_sdi_sender("x-sdi01@pec.fatturapa.it"))
        self.assertFalse(self.it_company._bo_is_sdi_sender(""))
