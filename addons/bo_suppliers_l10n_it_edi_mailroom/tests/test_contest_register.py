from odoo.addons.bo_suppliers_l10n_it_edi.tests.test_contest import ContestCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestContestRegistered(ContestCommon):
    """The contest letter is outgoing correspondence of the bill: registered
    with a protocol number, printed with it and sent from the register; the
    supplier's credit note is noted on it."""

    def _entries(self, bill):
        return (
            self.env["bo.mail.register"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
        )

    def _contest(self, bill):
        form = self._contest_form(bill)
        form.save().action_send()
        entry = self._entries(bill)
        self.assertEqual(len(entry), 1)
        return entry

    def test_the_contest_letter_is_registered_and_sent_from_the_register(self):
        bill = self._blocked_bill()
        form = self._contest_form(bill)
        self.assertEqual(form.channel, "email")
        form.save().action_send()

        entry = self._entries(bill)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.direction, "outgoing")
        self.assertRegex(entry.name, r"^\d{4}/\d{7}$")
        self.assertEqual(entry.state, "assigned")
        self.assertEqual(entry.user_id, self.buyer)
        self.assertEqual(entry.partner_id, self.supplier)
        self.assertEqual(entry.channel, "email")
        self.assertIn("FT-106/2026", entry.subject)
        self.assertIn("Line 1 (Lamiera zincata 2 mm)", entry.summary)
        # the letter, printed with its protocol number, is the entry's document
        letter = entry.attachment_ids
        self.assertEqual(len(letter), 1)
        content = letter.raw.decode()
        self.assertIn(entry.name, content)
        self.assertIn("FT-106/2026", content)
        self.assertIn("Line 1 (Lamiera zincata 2 mm)", content)
        self.assertIn("TD04", content)
        self.assertEqual(entry.hash_ids.attachment_id, letter)
        # sent from the register to the supplier, with the letter
        self.assertEqual(entry.delivery_state, "sent")
        sent = entry.message_ids.filtered(lambda m: m.message_id == entry.email_message_id)
        self.assertIn(self.supplier, sent.partner_ids)
        self.assertEqual(sent.attachment_ids, letter)
        self.assertTrue(self._mail_to(self.supplier, sent))
        # the bill: contested, still blocked, its correspondence at hand
        self.assertTrue(bill.bo_payment_blocked)
        self.assertEqual(bill.bo_fpa_contest_user_id, self.buyer)
        self.assertFalse(bill.bo_fpa_can_contest)
        self.assertEqual(bill.with_user(self.buyer).bo_mail_register_count, 1)
        action = bill.with_user(self.buyer).action_view_bo_mail_register()
        self.assertEqual(
            self.env["bo.mail.register"].with_user(self.buyer).search(action["domain"]), entry
        )
        self.assertTrue(bill.message_ids.filtered(lambda m: entry.name in (m.body or "")))

    def test_the_registered_letter_reads_in_the_suppliers_language(self):
        self._italian()
        self.env["ir.module.module"]._load_module_terms(
            ["bo_mailroom", "bo_suppliers_l10n_it_edi_mailroom"], ["it_IT"], overwrite=True
        )
        self.supplier.lang = "it_IT"
        bill = self._blocked_bill()

        entry = self._contest(bill)

        self.assertIn("nota di credito", entry.subject)
        self.assertIn("Riga 1 (Lamiera zincata 2 mm)", entry.summary)
        content = entry.attachment_ids.raw.decode()
        self.assertIn("Gentili Signori", content)
        self.assertIn("Riga 1 (Lamiera zincata 2 mm)", content)

    def test_a_company_with_a_pec_mailbox_sends_the_letter_by_pec(self):
        self.env["fetchmail.server"].create(
            {
                "name": "PEC Officine Meccaniche Prova",
                "server": "imaps.pec.example.it",
                "server_type": "imap",
                "is_ssl": True,
                "port": 993,
                "user": "protocollo@pec.officineprova.example.it",
                "password": "pec",
                "bo_is_pec": True,
                "bo_company_id": self.it_company.id,
            }
        )
        bill = self._blocked_bill()

        form = self._contest_form(bill)
        self.assertEqual(form.channel, "pec")
        form.save().action_send()

        entry = self._entries(bill)
        self.assertEqual(entry.channel, "pec")
        self.assertEqual(entry.delivery_state, "sent")
        # no certificate: sent without a Segnatura, and the entry says why
        self.assertEqual(entry.segnatura_state, "missing")

    def test_the_credit_note_is_noted_on_the_contest_letter(self):
        bill = self._blocked_bill()
        bill.with_user(self.accountant).action_post()
        entry = self._contest(bill)

        self._import("IT00743110157_FPA07.xml")

        self.assertFalse(bill.bo_payment_blocked)
        note = entry.message_ids.filtered(lambda m: "NC-7/2026" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("payment block is lifted", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_a_partial_credit_note_is_noted_on_the_letter_with_what_is_still_off(self):
        bill = self._blocked_bill()
        entry = self._contest(bill)

        self._import("IT00743110157_FPA08.xml")

        self.assertTrue(bill.bo_payment_blocked)
        note = entry.message_ids.filtered(lambda m: "NC-8/2026" in (m.body or ""))
        self.assertIn("still blocked", note.body)
        self.assertIn("42.00", note.body)

    def test_a_bill_without_a_contest_letter_notes_the_credit_note_on_the_bill_only(self):
        bill = self._blocked_bill()
        other = (
            self.env["bo.mail.register.outgoing"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "subject": "Sollecito consegna",
                    "channel": "email",
                    "res_model": "account.move",
                    "res_id": bill.id,
                }
            )
        )
        entry = self.env["bo.mail.register"].sudo().browse(other.action_confirm()["res_id"])

        self._import("IT00743110157_FPA07.xml")

        self.assertFalse(entry.message_ids.filtered(lambda m: "NC-7/2026" in (m.body or "")))
