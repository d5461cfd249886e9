from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import NEW_IBAN, TRUSTED_IBAN, FatturaPACommon


class ContestCommon(FatturaPACommon):
    """A FatturaPA bill blocked for payment (10 sheets at 44.00, ordered at
    40.00) and a Back Office buyer to contest it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier.email = "amministrazione@acciaibrianza.example.it"
        cls.order = cls._order("PO-FPA-060", [(cls.sheet, 10, 40.0)])
        cls._receive(cls.order, {cls.sheet: 10}, ddt="DDT-60")

    def _blocked_bill(self):
        bill = self._import("IT00743110157_FPA06.xml")
        self.assertTrue(bill.bo_payment_blocked)
        return bill

    def _contest_form(self, bill, user=None):
        action = bill.with_user(user or self.buyer).action_bo_fpa_contest()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.buyer)
            .with_context(**action["context"], mail_notify_force_send=False)
        )

    def _letter_message(self, partner):
        """The email of the contest letter of FT-106/2026 to ``partner``: from
        the bill, or from its register entry where the mailroom sends it."""
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("partner_ids", "in", partner.ids),
                    ("message_type", "=", "comment"),
                    ("subject", "ilike", "FT-106/2026"),
                ]
            )
        )

    def _mail_to(self, partner, messages):
        """The email queued to ``partner`` for one of ``messages``."""
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)])
        return mails.filtered(lambda mail: partner in mail.recipient_ids)

    def _italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_suppliers_l10n_it_edi"], ["it_IT"], overwrite=True
        )


@tagged("post_install", "-at_install")
class TestFatturaPAContest(ContestCommon):
    """Contest: the letter to the supplier, in its language, listing what
    does not match and asking for a credit note; the bill stays blocked."""

    def test_contesting_writes_to_an_italian_supplier_in_italian(self):
        self._italian()
        self.supplier.lang = "it_IT"
        bill = self._blocked_bill()
        self.assertTrue(bill.with_user(self.buyer).bo_fpa_can_contest)

        form = self._contest_form(bill)
        self.assertEqual(form.partner_id, self.supplier)
        self.assertEqual(form.lang, "it_IT")
        self.assertIn("FT-106/2026", form.subject)
        self.assertIn("nota di credito", form.subject)
        self.assertIn("Gentili Signori", form.body)
        self.assertIn("Riga 1 (Lamiera zincata 2 mm)", form.body)
        self.assertIn("concordato nel nostro ordine PO-FPA-060", form.body)
        form.save().action_send()

        message = self._letter_message(self.supplier)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.author_id, self.buyer.partner_id)
        self.assertIn("Gentili Signori", message.body)
        self.assertIn("TD04", message.body)
        mail = self._mail_to(self.supplier, message)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("Riga 1 (Lamiera zincata 2 mm)", str(mail.body_html))
        # contested, and still blocked
        self.assertTrue(bill.bo_payment_blocked)
        self.assertTrue(bill.bo_fpa_contest_date)
        self.assertEqual(bill.bo_fpa_contest_user_id, self.buyer)
        self.assertFalse(bill.bo_fpa_can_contest)
        # (tracked: the contest is a subtype of its own followers may choose;
        # tracking is not written in the transaction that made the bill)
        self.assertEqual(
            bill._track_subtype({"bo_fpa_contest_date": False}),
            self.env.ref("bo_suppliers_l10n_it_edi.mt_bo_fpa_contested"),
        )

    def test_contesting_writes_to_an_english_supplier_in_english(self):
        self._italian()
        self.supplier.lang = "en_US"
        self.buyer.lang = "it_IT"
        bill = self._blocked_bill()

        form = self._contest_form(bill)
        self.assertEqual(form.lang, "en_US")
        self.assertIn("Dear Sir or Madam", form.body)
        self.assertIn("Line 1 (Lamiera zincata 2 mm)", form.body)
        self.assertIn("agreed in our order PO-FPA-060", form.body)
        form.save().action_send()

        mail = self._mail_to(self.supplier, self._letter_message(self.supplier))
        self.assertIn("request for a credit note", mail.subject)
        self.assertIn("Dear Sir or Madam", str(mail.body_html))

    def test_the_letter_goes_to_the_contact_chosen_among_the_suppliers(self):
        self.supplier.email = False
        accounts = self.env["res.partner"].create(
            {
                "name": "Ufficio Amministrazione",
                "type": "invoice",
                "parent_id": self.supplier.id,
                "email": "fatture@acciaibrianza.example.it",
            }
        )
        bill = self._blocked_bill()

        form = self._contest_form(bill)
        self.assertEqual(form.partner_id, accounts)
        form.save().action_send()

        self.assertTrue(self._mail_to(accounts, self._letter_message(accounts)))
        self.assertFalse(self._letter_message(self.supplier))

    def test_the_letter_never_goes_outside_the_supplier(self):
        """Attack: the recipient is changed to someone else's address."""
        stranger = self.env["res.partner"].create(
            {"name": "Indirizzo Estraneo", "email": "raccolta@estraneo.example.com"}
        )
        bill = self._blocked_bill()
        wizard = self._contest_form(bill).save()

        wizard.partner_id = stranger
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(bill.bo_fpa_contest_date)

    def test_the_same_differences_are_not_contested_twice(self):
        bill = self._blocked_bill()
        self._contest_form(bill).save().action_send()

        with self.assertRaises(UserError):
            bill.with_user(self.buyer).action_bo_fpa_contest()
        with self.assertRaises(UserError):
            bill.with_user(self.buyer)._bo_fpa_contest(self.supplier)

    def test_a_partial_credit_note_lets_the_rest_be_contested_again(self):
        bill = self._blocked_bill()
        self._contest_form(bill).save().action_send()
        first_date = bill.bo_fpa_contest_date

        self._import("IT00743110157_FPA08.xml")

        self.assertTrue(bill.bo_payment_blocked)
        self.assertTrue(bill.bo_fpa_can_contest)
        form = self._contest_form(bill)
        self.assertIn("42.00", form.body)
        form.save().action_send()
        self.assertGreaterEqual(bill.bo_fpa_contest_date, first_date)
        self.assertFalse(bill.bo_fpa_can_contest)

    def test_a_bill_that_is_not_blocked_is_not_contested(self):
        order = self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        self._receive(order, {self.sheet: 10})
        bill = self._import("IT00743110157_FPA04.xml", replace={NEW_IBAN: TRUSTED_IBAN})
        self.assertFalse(bill.bo_payment_blocked)

        self.assertFalse(bill.bo_fpa_can_contest)
        with self.assertRaises(UserError):
            bill.with_user(self.buyer).action_bo_fpa_contest()

    def test_only_the_suppliers_differences_are_contested(self):
        """An IBAN to check by phone is no matter for a credit note."""
        order = self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        self._receive(order, {self.sheet: 10})
        bill = self._import("IT00743110157_FPA04.xml")
        self.assertTrue(bill.bo_payment_blocked)

        self.assertFalse(bill.bo_fpa_can_contest)
        with self.assertRaises(UserError):
            bill.with_user(self.buyer).action_bo_fpa_contest()


@tagged("post_install", "-at_install")
class TestFatturaPAContestAccess(ContestCommon):
    """Attack: whoever is not a Back Office user cannot contest, by the
    button, the wizard or the method."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_bo_user(
            cls.env, "fpa_contest_portal", "Rita Vendite", "base.group_portal", cls.it_company
        )
        cls.portal.partner_id.parent_id = cls.supplier

    def _refused(self, bill, user):
        with self.assertRaises(AccessError):
            bill.with_user(user).action_bo_fpa_contest()
        with self.assertRaises(AccessError):
            self.env["bo.fpa.contest"].with_user(user).create({"move_id": bill.id})
        with self.assertRaises(AccessError):
            bill.with_user(user)._bo_fpa_contest(self.supplier)
        self.assertFalse(bill.bo_fpa_contest_date)

    def test_an_accountant_outside_the_back_office_cannot_contest(self):
        bill = self._blocked_bill()
        self._refused(bill, self.accountant)

    def test_the_suppliers_portal_user_cannot_contest(self):
        bill = self._blocked_bill()
        bill.with_user(self.accountant).action_post()
        self._refused(bill, self.portal)

    def test_odoobot_cannot_contest(self):
        bill = self._blocked_bill()
        with self.assertRaises(AccessError):
            bill.with_user(self.env.ref("base.user_root"))._bo_fpa_contest(self.supplier)
