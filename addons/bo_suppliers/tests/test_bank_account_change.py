from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_payment import BoSuppliersPaymentCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestBankAccountChange(BoSuppliersPaymentCommon):
    def _bank(self, number="IT60X0542811101000000123456"):
        return self.env["res.partner.bank"].create(
            {"partner_id": self.supplier.id, "acc_number": number, "allow_out_payment": True}
        )

    def _wizard(self, bill):
        return (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )

    def test_new_bank_account_warns_on_bill_and_payment(self):
        bill = self._bill("FT-BANK", 100.0)
        bill.action_post()
        self.assertFalse(bill.with_user(self.accountant).bo_bank_change_warning)
        self._bank()
        bill.invalidate_recordset(["bo_bank_change_warning"])
        warning = bill.with_user(self.accountant).bo_bank_change_warning
        self.assertIn(self.supplier.name, warning)
        self.assertIn("3456", warning)
        self.assertIn("3456", self._wizard(bill).bo_bank_change_warning)

    def test_contact_bill_warns_for_commercial_partner_account(self):
        contact = self.env["res.partner"].create(
            {"name": "Ufficio amministrazione", "parent_id": self.supplier.id}
        )
        self._bank()
        bill = self._bill("FT-CONTACT", 100.0, partner=contact)
        self.assertTrue(bill.bo_bank_change_warning)

    def test_old_account_no_warning_until_changed(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=60)):
            bank = self._bank()
        bill = self._bill("FT-OLD", 100.0)
        bill.action_post()
        self.assertFalse(bill.bo_bank_change_warning)
        self.assertFalse(self._wizard(bill).bo_bank_change_warning)
        bank.acc_number = "IT02L1234512345123456789999"
        bill.invalidate_recordset(["bo_bank_change_warning"])
        self.assertIn("9999", bill.bo_bank_change_warning)

    def test_change_date_cannot_be_backdated(self):
        bank = self._bank()
        old = fields.Datetime.now() - timedelta(days=90)
        with self.assertRaises(AccessError):
            bank.write({"bo_changed_date": old})
        with self.assertRaises(AccessError):
            self.env["res.partner.bank"].create(
                {"partner_id": self.supplier.id, "acc_number": "X1", "bo_changed_date": old}
            )

    def test_warning_off_when_days_zero(self):
        self.company.bo_bank_change_days = 0
        self._bank()
        bill = self._bill("FT-ZERO", 100.0)
        self.assertFalse(bill.bo_bank_change_warning)
