from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestOutgoingAccess(MailroomCommon):
    """The wizard is aimed at a document by the client: only at one the user may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Consociata Estera S.A."})
        cls.foreign_partner = cls.env["res.partner"].create(
            {"name": "Cliente della consociata", "company_id": cls.other_company.id}
        )
        cls.secret = cls._secret_entry()

    @classmethod
    def _secret_entry(cls):
        entry = cls.env["bo.mail.register"].create(
            {
                "direction": "incoming",
                "channel": "post",
                "partner_id": cls.partner.id,
                "subject": "Contenzioso riservato",
                "confidentiality": "confidential",
                "user_id": cls.clerk2.id,
            }
        )
        entry.action_register()
        return entry

    def _attack(self, res_model, res_id, **vals):
        """What a crafted RPC does: create the wizard on any document and confirm it."""
        Wizard = self.env["bo.mail.register.outgoing"].with_user(self.clerk)
        wizard = Wizard.create(
            {
                "partner_id": self.partner.id,
                "subject": "Lettera",
                "channel": "post",
                "res_model": res_model,
                "res_id": res_id,
                **vals,
            }
        )
        return wizard.action_confirm()

    def _assert_refused(self, exception, res_model, res_id, document=None, **vals):
        entries_before = self.Register.search_count([])
        messages_before = len(document.message_ids) if document else 0
        with self.assertRaises(exception):
            self._attack(res_model, res_id, **vals)
        self.assertEqual(self.Register.search_count([]), entries_before)
        if document:
            document.invalidate_recordset(["message_ids"])
            self.assertEqual(len(document.message_ids), messages_before, "nothing posted on it")

    def test_clerk_cannot_aim_the_wizard_at_another_company_record(self):
        self._assert_refused(
            AccessError, "res.partner", self.foreign_partner.id, self.foreign_partner
        )

    def test_clerk_cannot_aim_the_wizard_at_a_confidential_entry(self):
        self._assert_refused(AccessError, "bo.mail.register", self.secret.id, self.secret)

    def test_clerk_cannot_aim_the_wizard_at_a_model_they_cannot_read(self):
        blacklisted = self.env["mail.blacklist"].create({"email": "spam@example.com"})
        self._assert_refused(AccessError, "mail.blacklist", blacklisted.id, blacklisted)

    def test_clerk_cannot_aim_the_wizard_at_a_sale_order_they_cannot_read(self):
        if "sale.order" not in self.env:
            self.skipTest("Sales is not installed")
        order = self.env["sale.order"].create({"partner_id": self.partner.id})
        self._assert_refused(AccessError, "sale.order", order.id, order)

    def test_wizard_refuses_unknown_models_records_and_non_threads(self):
        country = self.env.ref("base.it")
        for res_model, res_id in (
            ("no.such.model", 1),
            ("res.partner", 0),
            ("res.partner", 999_999_999),
            ("res.country", country.id),
            ("bo.mail.register.outgoing", 1),
        ):
            with self.subTest(res_model=res_model, res_id=res_id):
                self._assert_refused(UserError, res_model, res_id)

    def test_clerk_cannot_reply_to_an_entry_they_cannot_read(self):
        self._assert_refused(AccessError, False, False, reply_to_id=self.secret.id)

    def test_clerk_registers_for_a_document_they_can_read(self):
        result = self._attack("res.partner", self.partner.id)
        entry = self.Register.browse(result["res_id"])
        self.assertEqual((entry.res_model, entry.res_id), ("res.partner", self.partner.id))
        self.assertIn(entry.name, self.partner.message_ids[0].body)

    def test_open_for_document_refuses_another_company_record(self):
        with self.assertRaises(AccessError):
            self.env["bo.mail.register.outgoing"].with_user(self.clerk).action_open_for_document(
                "res.partner", self.foreign_partner.id
            )

    def test_form_on_a_foreign_record_lists_none_of_its_files(self):
        self._attachment(
            "contratto-estero.pdf", res_model="res.partner", res_id=self.foreign_partner.id
        )
        form = Form(
            self.env["bo.mail.register.outgoing"]
            .with_user(self.clerk)
            .with_context(default_res_model="res.partner", default_res_id=self.foreign_partner.id)
        )
        self.assertFalse(form.available_attachment_ids)
        form.subject = "Tentativo"
        form.partner_id = self.partner
        with self.assertRaises(AccessError):
            form.save()

    def test_attachments_of_another_document_are_not_copied(self):
        foreign_file = self._attachment(
            "riservato.pdf", res_model="res.partner", res_id=self.foreign_partner.id
        )
        self._assert_refused(
            AccessError,
            "res.partner",
            self.partner.id,
            attachment_ids=[Command.set(foreign_file.ids)],
        )
