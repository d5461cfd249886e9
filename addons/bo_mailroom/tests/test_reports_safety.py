import base64
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MailroomCommon

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src="x" onerror="alert(1)">'


@tagged("post_install", "-at_install")
class TestReportsSafety(MailroomCommon):
    """Text written by users or senders is printed as text, never as HTML."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evil_partner = cls.env["res.partner"].create(
            {"name": f"Mittente {IMG}", "email": "mittente@example.com", "lang": "en_US"}
        )
        cls.template = cls.env["bo.letter.template"].create(
            {
                "name": "Conferma",
                "body_html": '<p>Gentile <t t-out="object.partner_id.name"/>, '
                'oggetto: <t t-out="object.subject"/>.</p>',
            }
        )

    def _assert_escaped(self, html):
        html = str(html)
        self.assertNotIn(SCRIPT, html)
        self.assertNotIn(IMG, html)
        self.assertIn("&lt;script&gt;alert(", html)

    def test_letter_template_escapes_subject_and_correspondent(self):
        entry = self._new_entry(
            direction="outgoing",
            partner_id=self.evil_partner.id,
            subject=f"Risposta {SCRIPT}",
            letter_template_id=self.template.id,
        )
        body = str(entry._bo_letter_body())
        self._assert_escaped(body)
        self.assertIn("&lt;img", body)

    def test_printed_letter_escapes_subject_and_summary(self):
        entry = self._new_entry(
            direction="outgoing",
            partner_id=self.evil_partner.id,
            subject=f"Risposta {SCRIPT}",
            summary=f"Riassunto {SCRIPT}",
        )
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            "bo_mailroom.action_report_bo_letter", entry.ids
        )
        self._assert_escaped(html.decode())

    def test_daily_register_files_escape_subject_and_correspondent(self):
        self.company.partner_id.tz = "Europe/Rome"
        with freeze_time("2033-10-03 09:00:00"):
            self._registered_entry(partner_id=self.evil_partner.id, subject=f"Ordine {SCRIPT}")
        register_day = self.env["bo.mail.register.day"]._generate(self.company, date(2033, 10, 3))
        for field_name in ("register_file", "complete_file"):
            html = base64.b64decode(register_day[field_name]).decode()
            self._assert_escaped(html)

    def test_chatter_note_of_the_outgoing_wizard_is_text(self):
        wizard = (
            self.env["bo.mail.register.outgoing"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": self.partner.id,
                    "subject": f"Invio {SCRIPT}",
                    "channel": "post",
                    "res_model": "res.partner",
                    "res_id": self.partner.id,
                }
            )
        )
        wizard.action_confirm()
        for message in (
            self.partner.message_ids[:1]
            | self.Register.search([("subject", "=", f"Invio {SCRIPT}")]).message_ids
        ):
            self.assertNotIn(SCRIPT, str(message.body))
