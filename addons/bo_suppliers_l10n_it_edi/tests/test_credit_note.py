import psycopg2.errors

from odoo import Command
from odoo.addons.bo_base.models import bo_guard
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FatturaPACommon

ITALIAN_COMPANY_3_VAT = "IT02901250155"


class CreditNoteCommon(FatturaPACommon):
    """PO-FPA-060: 10 sheets at 40.00, all received; the supplier's invoice
    FT-106/2026 bills them at 44.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order("PO-FPA-060", [(cls.sheet, 10, 40.0)])
        cls._receive(cls.order, {cls.sheet: 10}, ddt="DDT-60")
        cls.subtype = cls.env.ref("bo_suppliers_l10n_it_edi.mt_bo_fpa_credit_note")

    def _blocked_bill(self):
        """FT-106/2026, posted and blocked for payment."""
        bill = self._import("IT00743110157_FPA06.xml")
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, self.order.order_line)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("PO-FPA-060", bill.bo_match_reasons)
        bill.with_user(self.accountant).action_post()
        return bill

    def _notes(self, bill):
        return bill.message_ids.filtered(lambda m: m.subtype_id == self.subtype)


@tagged("post_install", "-at_install")
class TestFatturaPACreditNote(CreditNoteCommon):
    """The supplier's credit note (TD04) naming a blocked bill: netted against
    it, the block lifts by itself when the bill is then within tolerance."""

    def _pay(self, bill):
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )
        return wizard.action_create_payments()

    def test_a_credit_note_bringing_the_bill_within_tolerance_lifts_the_block(self):
        bill = self._blocked_bill()

        credit_note = self._import("IT00743110157_FPA07.xml")

        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertEqual(credit_note.partner_id, self.supplier)
        self.assertEqual(credit_note.sudo().bo_fpa_credited_bill_id, bill)
        self.assertEqual(credit_note.reversed_entry_id, bill)
        self.assertEqual(bill.sudo().bo_fpa_credit_note_ids, credit_note)
        self.assertFalse(credit_note.bo_fpa_findings)
        # 10 x 44.00 billed, 10 x 4.00 credited: 40.00 a sheet, as ordered
        self.assertEqual(bill.bo_match_state, "matched")
        self.assertFalse(bill.bo_payment_blocked)
        self.assertFalse(bill.bo_fpa_findings)
        # lifted by the credit note, not by anyone's release
        self.assertEqual(bill.sudo().bo_fpa_lifted_by_id, credit_note)
        self.assertFalse(bill.sudo().bo_override_user_id)
        note = self._notes(bill)
        self.assertEqual(len(note), 1)
        self.assertIn("NC-7/2026", note.body)
        self.assertIn("payment block is lifted", note.body)

        # posting the credit note reconciles it with the bill: the rest is paid
        credit_note.with_user(self.accountant).action_post()
        self.assertAlmostEqual(bill.amount_residual, bill.amount_total - credit_note.amount_total)
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_the_bill_reads_the_company_language_in_its_history(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.it_company.partner_id.lang = "it_IT"
        bill = self._blocked_bill()

        self._import("IT00743110157_FPA07.xml")

        self.assertIn("il blocco del pagamento è tolto", self._notes(bill).body)

    def test_a_credit_note_for_goods_not_delivered_lifts_the_block(self):
        order = self._order("PO-FPA-090", [(self.sheet, 12, 40.0)])
        self._receive(order, {self.sheet: 10}, ddt="DDT-90")
        bill = self._import("IT00743110157_FPA09.xml")
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("PO-FPA-090", bill.bo_fpa_findings)

        credit_note = self._import("IT00743110157_FPA10.xml")

        # 12 billed, 2 credited at the bill's price: 10 billed, 10 received
        self.assertEqual(credit_note.sudo().bo_fpa_credited_bill_id, bill)
        self.assertFalse(bill.bo_payment_blocked)
        self.assertFalse(bill.bo_fpa_findings)
        self.assertEqual(bill.sudo().bo_fpa_lifted_by_id, credit_note)

    def test_a_partial_credit_note_leaves_the_block_and_says_what_is_still_off(self):
        bill = self._blocked_bill()

        credit_note = self._import("IT00743110157_FPA08.xml")

        # 44.00 - 2.00 = 42.00 a sheet, 40.00 ordered
        self.assertEqual(credit_note.sudo().bo_fpa_credited_bill_id, bill)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertFalse(bill.sudo().bo_fpa_lifted_by_id)
        self.assertIn("42.00", bill.bo_match_reasons)
        self.assertIn("42.00", bill.bo_fpa_findings)
        note = self._notes(bill)
        self.assertIn("NC-8/2026", note.body)
        self.assertIn("still blocked", note.body)
        self.assertIn("42.00", note.body)

    def test_the_same_credit_note_twice_is_netted_once(self):
        """Attack: the supplier (or the SdI and an upload) brings the same
        partial credit note twice; counted twice it would lift the block."""
        bill = self._blocked_bill()
        first = self._import("IT00743110157_FPA08.xml")

        again = self._import("IT00743110157_FPA08.xml")

        self.assertEqual(bill.sudo().bo_fpa_credit_note_ids, first)
        self.assertFalse(again.sudo().bo_fpa_credited_bill_id)
        self.assertIn("already netted", again.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("42.00", bill.bo_match_reasons)

    def test_two_imports_at_once_are_refused_by_the_database(self):
        """What the import checks first, the unique index holds for two
        imports running at once."""
        bill = self._blocked_bill()
        self._import("IT00743110157_FPA08.xml")
        again = self._import("IT00743110157_FPA08.xml")

        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            bo_guard.grant(again, "bo_fpa_credited_bill_id").write(
                {"bo_fpa_credited_bill_id": bill.id}
            )
            again.flush_recordset()

    def test_a_credit_note_of_another_supplier_lifts_nothing(self):
        """Attack: another supplier's credit note names our supplier's invoice."""
        bill = self._blocked_bill()

        credit_note = self._import(
            "IT00743110157_FPA07.xml",
            replace={
                "00743110157": "00465840031",
                "Acciai Brianza S.p.A.": "Trafilerie Lombarde S.r.l.",
            },
        )

        self.assertEqual(credit_note.partner_id, self.other_supplier)
        self.assertFalse(credit_note.sudo().bo_fpa_credited_bill_id)
        self.assertFalse(credit_note.reversed_entry_id)
        self.assertIn("FT-106/2026", credit_note.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertFalse(self._notes(bill))

    def test_a_credit_note_naming_the_invoice_with_another_date_lifts_nothing(self):
        bill = self._blocked_bill()

        credit_note = self._import(
            "IT00743110157_FPA07.xml",
            replace={"<Data>2026-11-20</Data>": "<Data>2025-11-20</Data>"},
        )

        self.assertFalse(credit_note.sudo().bo_fpa_credited_bill_id)
        self.assertTrue(bill.bo_payment_blocked)

    def test_a_credit_note_linked_by_hand_nets_nothing(self):
        """Attack: an accountant types a credit note of the supplier and links
        it to the blocked bill through Odoo's own Reversal of."""
        bill = self._blocked_bill()
        credit_note = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "in_refund",
                    "partner_id": self.supplier.id,
                    "ref": "NC-7/2026",
                    "invoice_date": "2026-11-27",
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.sheet.id, "quantity": 10, "price_unit": 4.0}
                        )
                    ],
                }
            )
        )
        credit_note.with_user(self.accountant).write({"reversed_entry_id": bill.id})

        self.assertTrue(bill.bo_payment_blocked)
        self.assertFalse(bill.sudo().bo_fpa_credit_note_ids)

    def test_the_block_comes_back_when_the_credit_note_is_cancelled(self):
        bill = self._blocked_bill()
        credit_note = self._import("IT00743110157_FPA07.xml")
        self.assertFalse(bill.bo_payment_blocked)

        credit_note.with_user(self.accountant).button_cancel()

        self.assertTrue(bill.bo_payment_blocked)
        self.assertFalse(bill.sudo().bo_fpa_lifted_by_id)
        self.assertIn("blocked for payment again", self._notes(bill)[0].body)

    def test_the_block_comes_back_when_the_credit_note_is_deleted(self):
        bill = self._blocked_bill()
        credit_note = self._import("IT00743110157_FPA07.xml")
        self.assertFalse(bill.bo_payment_blocked)

        credit_note.with_user(self.accountant).unlink()

        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("NC-7/2026", self._notes(bill)[0].body)

    def test_changing_the_credited_amount_matches_the_bill_again(self):
        bill = self._blocked_bill()
        credit_note = self._import("IT00743110157_FPA07.xml")
        self.assertFalse(bill.bo_payment_blocked)

        credit_note.with_user(self.accountant).write(
            {
                "invoice_line_ids": [
                    Command.update(credit_note.invoice_line_ids.id, {"price_unit": 1})
                ]
            }
        )

        self.assertTrue(bill.bo_payment_blocked)


@tagged("post_install", "-at_install")
class TestFatturaPACreditNoteOtherCompany(CreditNoteCommon):
    """Attack: a credit note to another of our companies names the invoice of
    this one (same supplier, same number)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # another Italian company of ours (made in all of the user's companies)
        restricted = cls.env
        cls.env = restricted(
            context={k: v for k, v in restricted.context.items() if k != "allowed_company_ids"}
        )
        cls.company_data_3 = cls.setup_other_company(
            name="Officine Lombarde S.r.l.",
            vat=ITALIAN_COMPANY_3_VAT,
            l10n_it_codice_fiscale=ITALIAN_COMPANY_3_VAT[2:],
            l10n_it_tax_system="RF01",
        )
        cls.env = restricted

    def test_a_credit_note_naming_another_companys_invoice_lifts_nothing(self):
        company_3 = self.company_data_3
        bill = self._blocked_bill()

        credit_note = self._import(
            "IT00743110157_FPA07.xml",
            user=self.env.user,
            replace={
                "01234560157": ITALIAN_COMPANY_3_VAT[2:],
                "Officine Meccaniche Prova S.r.l.": "Officine Lombarde S.r.l.",
            },
            journal=company_3["default_journal_purchase"],
        )

        self.assertEqual(credit_note.company_id, company_3["company"])
        self.assertEqual(credit_note.partner_id, self.supplier)
        self.assertFalse(credit_note.sudo().bo_fpa_credited_bill_id)
        self.assertIn("FT-106/2026", credit_note.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertFalse(bill.sudo().bo_fpa_credit_note_ids)

    def test_a_credit_note_counts_only_for_a_bill_of_its_own_supplier(self):
        """Attack: once the credit note is linked, the draft bill is given
        another supplier; the credit note no longer nets against it."""
        bill = self._import("IT00743110157_FPA06.xml")
        self._import("IT00743110157_FPA07.xml")
        self.assertFalse(bill.bo_payment_blocked)

        bill.with_user(self.accountant).partner_id = self.other_supplier

        self.assertFalse(bill._bo_fpa_netted_credit_notes())
        self.assertTrue(bill.bo_payment_blocked)
