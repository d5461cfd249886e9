from unittest.mock import patch

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.tests import tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestDocumentRendering(MailroomCommon):
    """A letter printed at install (demo data) must not wait on the server's
    own HTTP: wkhtmltopdf would fetch the stylesheets from a server that
    answers only once its registry is loaded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["bo.letter.template"].create(
            {"name": "Lettera", "body_html": "<p>Gentile cliente, la ringraziamo.</p>"}
        )
        cls.report = cls.env.ref("bo_mailroom.action_report_bo_letter")

    def _register_letter(self):
        entry = self._new_entry(direction="outgoing", letter_template_id=self.template.id)
        entry.with_user(self.clerk).action_register()
        return entry

    def test_letter_registered_while_loading_is_kept_as_html_without_pdf_engine(self):
        def no_pdf(*args, **kwargs):
            raise AssertionError("a PDF was rendered while the registry was loading")

        with (
            patch.object(self.registry, "ready", False),
            patch.object(IrActionsReport, "_render_qweb_pdf", no_pdf),
        ):
            entry = self._register_letter()
        self.assertEqual(entry.attachment_ids.name, f"{entry.name.replace('/', '-')}.html")
        self.assertIn(entry.name, entry.attachment_ids.raw.decode())

    def test_letter_registered_on_a_running_server_is_printed_as_pdf(self):
        def pdf(self, report_ref, res_ids=None, data=None):
            return b"%PDF-1.4 lettera", "pdf"

        with patch.object(IrActionsReport, "_render_qweb_pdf", pdf):
            entry = self._register_letter()
        self.assertTrue(self.registry.ready)
        self.assertEqual(entry.attachment_ids.name, f"{entry.name.replace('/', '-')}.pdf")
        self.assertEqual(entry.attachment_ids.raw, b"%PDF-1.4 lettera")
