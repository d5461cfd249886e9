from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import NEW_IBAN, TRUSTED_IBAN, FatturaPACommon


@tagged("post_install", "-at_install")
class TestFatturaPAIban(FatturaPACommon):
    """Invoice redirection: the FatturaPA asks the payment to a bank account
    that is not a trusted account of the supplier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order("PO-FPA-001", [(cls.sheet, 10, 40.0)])
        cls._receive(cls.order, {cls.sheet: 10}, ddt="DDT-1")

    def _accounts(self):
        banks = self.env["res.partner.bank"].sudo().search([("partner_id", "=", self.supplier.id)])
        return [(bank.id, bank.acc_number, bank.allow_out_payment) for bank in banks]

    def _pay(self, bill):
        # (created without the form: its QR code needs a reportlab backend
        # this machine may lack)
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )
        return wizard.action_create_payments()

    def test_a_new_iban_blocks_the_bill_until_a_manager_releases_it(self):
        before = self._accounts()

        bill = self._import("IT00743110157_FPA04.xml")

        # the header-level order reference covers every line
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, self.order.order_line)
        self.assertEqual(bill.sudo().bo_fpa_iban, NEW_IBAN)
        self.assertTrue(bill.bo_fpa_iban_untrusted)
        self.assertIn(NEW_IBAN, bill.bo_fpa_findings)
        self.assertIn(NEW_IBAN, bill.bo_match_reasons)
        self.assertTrue(bill.bo_payment_blocked)
        # the import changed none of the supplier's accounts, and made none
        self.assertEqual(self._accounts(), before)
        self.assertFalse(
            self.env["res.partner.bank"].sudo().search([("acc_number", "=", NEW_IBAN)])
        )
        self.assertNotEqual(bill.partner_bank_id.acc_number, NEW_IBAN)

        bill.with_user(self.accountant).action_post()
        with self.assertRaises(UserError):
            self._pay(bill)

        form = Form(
            self.env["bo.bill.payment.release"]
            .with_user(self.manager)
            .with_context(default_move_ids=bill.ids)
        )
        form.reason = "IBAN confermato al telefono con l'amministrazione del fornitore"
        form.save().action_release()
        self.assertFalse(bill.bo_payment_blocked)
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_the_trusted_iban_passes(self):
        bill = self._import("IT00743110157_FPA04.xml", replace={NEW_IBAN: TRUSTED_IBAN})

        self.assertFalse(bill.bo_fpa_iban_untrusted)
        self.assertFalse(bill.bo_fpa_findings)
        self.assertEqual(bill.bo_match_state, "matched")
        self.assertFalse(bill.bo_payment_blocked)
        self.assertEqual(bill.partner_bank_id, self.trusted_bank)

    def test_a_known_but_untrusted_account_stays_untrusted_and_blocks(self):
        """The account the invoice names was registered, not trusted: the
        import uses it as the bill's account but trusts nothing."""
        known = self.env["res.partner.bank"].create(
            {"partner_id": self.supplier.id, "acc_number": NEW_IBAN, "allow_out_payment": False}
        )
        before = self._accounts()

        bill = self._import("IT00743110157_FPA04.xml")

        self.assertEqual(self._accounts(), before)
        self.assertFalse(known.allow_out_payment)
        self.assertTrue(bill.bo_payment_blocked)

        # trusting the account (an accountant's decision on the supplier) lifts the block
        known.sudo().allow_out_payment = True
        self.assertFalse(bill.bo_fpa_iban_untrusted)
        self.assertFalse(bill.bo_payment_blocked)

    def test_registering_the_new_account_as_trusted_lifts_the_block(self):
        bill = self._import("IT00743110157_FPA04.xml")
        bill.with_user(self.accountant).action_post()
        self.assertTrue(bill.bo_payment_blocked)

        # checked with the supplier by phone, registered and trusted
        self.env["res.partner.bank"].sudo().create(
            {"partner_id": self.supplier.id, "acc_number": NEW_IBAN, "allow_out_payment": True}
        )

        self.assertFalse(bill.bo_payment_blocked)
        self.assertEqual(bill.bo_match_state, "matched")

    def test_a_trusted_first_instalment_hides_no_new_iban_of_another(self):
        """Attack: the first instalment to the known account, the second elsewhere."""
        second = (
            "</DettaglioPagamento>\n      <DettaglioPagamento>\n"
            "        <ModalitaPagamento>MP05</ModalitaPagamento>\n"
            "        <ImportoPagamento>244.00</ImportoPagamento>\n"
            f"        <IBAN>{NEW_IBAN}</IBAN>\n      </DettaglioPagamento>"
        )
        bill = self._import(
            "IT00743110157_FPA04.xml",
            replace={NEW_IBAN: TRUSTED_IBAN, "</DettaglioPagamento>": second},
        )

        self.assertEqual(bill.sudo().bo_fpa_iban, f"{TRUSTED_IBAN} {NEW_IBAN}")
        self.assertIn(NEW_IBAN, bill.bo_fpa_findings)
        self.assertNotIn(TRUSTED_IBAN, bill.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)
