from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestOutgoing(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["bo.letter.template"].create(
            {
                "name": "Risposta",
                "body_html": '<p>Gentile <t t-out="object.partner_id.name"/>, '
                'confermiamo la ricezione della vostra <t t-out="object.reply_to_id.name"/>.</p>',
            }
        )

    def _wizard_form(self, **context):
        return Form(
            self.env["bo.mail.register.outgoing"].with_user(self.clerk).with_context(**context)
        )

    def test_register_outgoing_from_a_document_with_its_files(self):
        document_file = self._attachment(
            "preventivo.pdf",
            b"%PDF-1.4 preventivo",
            res_model="res.partner",
            res_id=self.partner.id,
        )
        action = self.env["bo.mail.register.outgoing"]._action_open_for(self.partner)
        form = self._wizard_form(**action["context"])
        self.assertEqual(form.partner_id, self.partner)
        form.subject = "Invio preventivo"
        form.channel = "registered_letter"
        form.attachment_ids.add(document_file)
        result = form.save().action_confirm()
        entry = self.Register.browse(result["res_id"])
        self.assertEqual(entry.direction, "outgoing")
        self.assertEqual(entry.state, "assigned")
        self.assertEqual(entry.user_id, self.clerk)
        self.assertEqual((entry.res_model, entry.res_id), ("res.partner", self.partner.id))
        self.assertEqual(entry.attachment_ids.name, "preventivo.pdf")
        self.assertNotEqual(entry.attachment_ids, document_file, "the register keeps its own copy")
        self.assertEqual(entry.hash_ids.name, "preventivo.pdf")
        self.assertIn(entry.name, self.partner.message_ids[0].body)
        # The document file stays free to delete; the register's copy does not.
        document_file.unlink()
        with self.assertRaises(UserError):
            entry.attachment_ids.unlink()

    def test_reply_with_letter_prints_the_protocol_number_and_sends_it(self):
        incoming = self._registered_entry(user_id=self.clerk.id)
        action = incoming.with_user(self.clerk).action_reply()
        form = self._wizard_form(**action["context"])
        self.assertEqual(form.reply_to_id, incoming)
        form.letter_template_id = self.template
        form.send_email = True
        form.body = "<p>In allegato la nostra risposta.</p>"
        result = form.save().action_confirm()
        reply = self.Register.browse(result["res_id"])
        self.assertEqual(incoming.state, "answered")
        letter = reply.attachment_ids
        self.assertEqual(len(letter), 1)
        content = letter.raw.decode()
        self.assertIn(reply.name, content)
        self.assertIn(incoming.name, content)
        self.assertIn("Ferramenta Verdi", content)
        self.assertEqual(reply.hash_ids.attachment_id, letter)
        self.assertEqual(reply.delivery_state, "sent")
        sent = reply.message_ids.filtered(lambda m: m.message_id == reply.email_message_id)
        self.assertEqual(sent.attachment_ids, letter)
        self.assertIn(self.partner, sent.partner_ids)

    def test_sending_needs_the_recipient_address(self):
        no_mail = self.env["res.partner"].create({"name": "Senza Email"})
        form = self._wizard_form()
        form.partner_id = no_mail
        form.subject = "Lettera"
        form.send_email = True
        with self.assertRaises(UserError):
            form.save().action_confirm()

    def test_letter_is_rendered_in_the_recipient_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.template.with_context(
            lang="it_IT"
        ).body_html = '<p>Testo italiano per <t t-out="object.partner_id.name"/></p>'
        self.template.with_context(
            lang="en_US"
        ).body_html = '<p>English text for <t t-out="object.partner_id.name"/></p>'
        entry = self._new_entry(direction="outgoing", letter_template_id=self.template.id)
        self.assertIn("English text", str(entry._bo_letter_body()))
        self.partner.lang = "it_IT"
        self.assertIn("Testo italiano", str(entry._bo_letter_body()))
