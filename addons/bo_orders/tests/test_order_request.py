from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon

REQUEST_EMAIL = """Return-Path: <{email_from}>
To: orders@example.com
From: {sender} <{email_from}>
Subject: {subject}
Date: Thu, 12 Mar 2026 09:15:00 +0100
Message-ID: <{msg_id}@ferramentarossi.example.it>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Buongiorno, vi chiediamo un'offerta per 200 viti inox M6 e 500 tasselli.
Consegna entro fine mese. Grazie, Anna

--BOUNDARY
Content-Type: text/csv; name="elenco.csv"
Content-Disposition: attachment; filename="elenco.csv"
Content-Transfer-Encoding: base64

cHJvZG90dG8scXVhbnRpdGEKVklULU02LDIwMApUQVMtOCw1MDAK
--BOUNDARY--
"""


@tagged("post_install", "-at_install", "bo_dates")
class TestOrderRequest(BoOrdersCommon):
    def _process_email(
        self, email_from, sender="Anna Rossi", subject="Richiesta offerta", msg_id="req1"
    ):
        message = REQUEST_EMAIL.format(
            email_from=email_from, sender=sender, subject=subject, msg_id=msg_id
        )
        request_id = self.env["mail.thread"].message_process("bo.order.request", message)
        return self.env["bo.order.request"].browse(request_id)

    def _new_request(self, user=None, **values):
        form = Form(self.env["bo.order.request"].with_user(user or self.clerk))
        form.title = values.get("title", "Offerta viti")
        form.partner_id = values.get("partner", self.customer)
        form.channel = values.get("channel", "phone")
        for product, name, qty in values.get("lines", [(self.screws, False, 10)]):
            with form.line_ids.new() as line:
                if product:
                    line.product_id = product
                if name:
                    line.name = name
                line.quantity = qty
        return form.save()

    @freeze_time("2026-03-12")  # a Thursday
    def test_manual_request_gets_reference_and_deadline_in_working_days(self):
        request = self._new_request(channel="agent")
        self.assertTrue(request.name.startswith("REQ/2026/"))
        self.assertEqual(request.state, "new")
        self.assertEqual(request.user_id, self.clerk)
        # two working days from Thursday skip the weekend
        self.assertEqual(request.deadline_date, date(2026, 3, 16))
        self.assertEqual(request.line_ids.uom_id, self.screws.uom_id)

    def test_email_from_known_contact_becomes_request_with_attachment(self):
        request = self._process_email("anna.rossi@ferramentarossi.example.it")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.title, "Richiesta offerta")
        self.assertIn("tasselli", str(request.description))
        self.assertIn("elenco.csv", request.message_ids.attachment_ids.mapped("name"))
        self.assertTrue(request.deadline_date)

    def test_email_from_unknown_sender_is_kept_and_needs_a_customer(self):
        request = self._process_email("nuovo@cliente.example.it", sender="Nuovo Cliente")
        self.assertTrue(request.exists())
        self.assertFalse(request.partner_id)
        self.assertIn("nuovo@cliente.example.it", request.email_from)
        request.line_ids = [(0, 0, {"product_id": self.screws.id, "quantity": 1})]
        with self.assertRaisesRegex(UserError, "customer"):
            request.action_create_quotation()

    def test_second_request_from_same_customer_is_flagged_as_duplicate(self):
        first = self._new_request()
        second = self._new_request(title="Ancora viti")
        self.assertIn(first, second.duplicate_request_ids)
        other = self._new_request(partner=self.foreign_customer)
        self.assertFalse(other.duplicate_request_ids)

    def test_quotation_copies_lines_and_proposes_products_for_free_text(self):
        request = self._new_request(
            lines=[
                (self.screws, False, 10),
                (False, "Tasselli nylon", 500),
                (False, "Guarnizioni speciali su disegno", 3),
            ]
        )
        self.assertEqual(request.line_ids[1].proposed_product_id, self.plugs)
        self.assertFalse(request.line_ids[2].proposed_product_id)
        action = request.with_user(self.clerk).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(request.state, "quoted")
        self.assertEqual(order.bo_request_id, request)
        self.assertEqual(request.sale_order_ids, order)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.origin, request.name)
        product_lines = order.order_line.filtered("product_id")
        self.assertEqual(product_lines.mapped("product_id"), self.screws | self.plugs)
        self.assertEqual(product_lines.mapped("product_uom_qty"), [10, 500])
        note = order.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertIn("Guarnizioni speciali", note.name)

    def _commit_tracking(self):
        """Post the pending tracking messages, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_request_is_won_when_its_quotation_is_confirmed(self):
        request = self._new_request()
        request.action_create_quotation()
        self._commit_tracking()
        # a salesperson outside the back office confirms it
        request.sale_order_ids.user_id = self.salesman
        request.sale_order_ids.with_user(self.salesman).action_confirm()
        self.assertEqual(request.state, "won")
        self.assertEqual(request.deadline_state, "done")
        self._commit_tracking()
        won = self.env.ref("bo_orders.mt_bo_order_request_won")
        self.assertIn(won, request.sudo().message_ids.subtype_id, "followers hear it was won")

    def test_request_is_lost_when_its_quotation_is_cancelled(self):
        request = self._new_request()
        request.action_create_quotation()
        request.sale_order_ids.with_user(self.clerk)._action_cancel()
        self.assertEqual(request.state, "lost")
        self.assertTrue(request.lost_reason)

    def test_marking_lost_needs_a_reason(self):
        request = self._new_request()
        action = request.with_user(self.clerk).action_mark_lost()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        wizard.reason = "   "
        with self.assertRaisesRegex(UserError, "why"):
            wizard.save().action_mark_lost()
        wizard.reason = "Prezzo troppo alto"
        wizard.save().action_mark_lost()
        self.assertEqual(request.state, "lost")
        self.assertEqual(request.lost_reason, "Prezzo troppo alto")
        request.action_reopen()
        self.assertEqual(request.state, "in_progress")

    def test_cancelled_request_cannot_be_quoted(self):
        request = self._new_request()
        request.action_cancel()
        with self.assertRaises(UserError):
            request.action_create_quotation()

    def test_unanswered_request_reminds_clerk_then_escalates_to_manager(self):
        with freeze_time("2026-03-12"):
            request = self._new_request()
        reminder = self.env.ref("bo_base.mail_activity_type_bo_deadline")
        escalation = self.env.ref("bo_base.mail_activity_type_bo_escalation")
        with freeze_time("2026-03-13"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        self.assertEqual(request.activity_ids.activity_type_id, reminder)
        self.assertEqual(request.activity_ids.user_id, self.clerk)
        with freeze_time("2026-03-18"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        escalated = request.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertEqual(escalated.user_id, self.manager)

    def test_answer_days_come_from_the_settings(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.bo_request_answer_days = 5
        with freeze_time("2026-03-12"):
            request = self._new_request()
        self.assertEqual(request.deadline_date, date(2026, 3, 19))
