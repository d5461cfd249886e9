import hashlib

from odoo import Command
from odoo.addons.bo_base.tests.common import make_email, new_bo_user
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrdersMailroomBridge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_bo_user(
            cls.env,
            "bridge_clerk",
            "Desk Clerk",
            "bo_orders.group_bo_order_desk",
            email="desk@bridge.example.com",
        )
        # Mail waits for triage unless a rule registers it at once.
        cls.rule = cls.env["bo.mail.routing.rule"].create(
            {"name": "Order requests", "company_id": False, "register_at_once": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ferramenta Ponte S.r.l.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Paola Ponte",
                "parent_id": cls.customer.id,
                "email": "paola@ferramentaponte.example.it",
            }
        )

    def _email(self, subject):
        return make_email(
            subject,
            "Vi chiediamo un'offerta per 200 viti M8.",
            f"Paola Ponte <{self.contact.email}>",
            "orders@bridge.example.com",
            attachments=[("richiesta.pdf", b"%PDF-1.4 richiesta", "application/pdf")],
        ).as_string()

    def _entries_of(self, record):
        return self.env["bo.mail.register"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_request_by_email_gets_a_protocol_number_and_links_both_ways(self):
        request_id = self.env["mail.thread"].message_process(
            "bo.order.request", self._email("Richiesta offerta viti")
        )
        request = self.env["bo.order.request"].browse(request_id)
        self.assertEqual(request.partner_id, self.customer)
        entry = self._entries_of(request)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "registered")
        self.assertTrue(entry.name)
        self.assertEqual(entry.direction, "incoming")
        self.assertEqual(entry.subject, "Richiesta offerta viti")
        self.assertEqual(entry.record_ref, request)
        self.assertIn("richiesta.pdf", entry.attachment_ids.mapped("name"))
        self.assertEqual(request.bo_mail_register_count, 1)
        self.assertIn(
            "richiesta.pdf",
            self.env["ir.attachment"]
            .search([("res_model", "=", request._name), ("res_id", "=", request.id)])
            .mapped("name"),
            "the request keeps its own copy of the attachment",
        )
        action = request.action_view_bo_mail_register()
        self.assertEqual(self.env["bo.mail.register"].search(action["domain"]), entry)

    def test_request_by_email_keeps_the_exact_bytes_received(self):
        raw = self._email("Richiesta con originale").encode()
        raw = raw.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
        request_id = self.env["mail.thread"].message_process("bo.order.request", raw)
        entry = self._entries_of(self.env["bo.order.request"].browse(request_id))
        original = entry.attachment_ids.filtered(lambda a: a.name == "original_email.eml")
        self.assertEqual(original.raw, raw)
        fingerprint = entry.hash_ids.filtered(lambda h: h.name == "original_email.eml")
        self.assertEqual(fingerprint.sha256, hashlib.sha256(raw).hexdigest())

    def test_request_by_email_without_a_rule_waits_for_triage(self):
        self.rule.active = False
        request_id = self.env["mail.thread"].message_process(
            "bo.order.request", self._email("Richiesta da smistare")
        )
        entry = self._entries_of(self.env["bo.order.request"].browse(request_id))
        self.assertEqual(entry.state, "draft")
        self.assertFalse(entry.name)
        self.assertIn("original_email.eml", entry.attachment_ids.mapped("name"))

    def test_request_also_sent_to_the_protocol_alias_is_one_entry(self):
        company = self.env.company
        domain = self.env["mail.alias.domain"].create(
            {"name": "bridge.example.com", "company_ids": [Command.link(company.id)]}
        )
        company.alias_domain_id = domain
        company.bo_mailroom_alias_id.write({"alias_domain_id": domain.id})
        orders = self.env["mail.alias"].create(
            {
                "alias_name": "richieste-ordini",
                "alias_model_id": self.env["ir.model"]._get("bo.order.request").id,
                "alias_contact": "everyone",
                "alias_domain_id": domain.id,
            }
        )
        message = self._email("Richiesta in copia al protocollo").replace(
            "To: orders@bridge.example.com",
            f"To: {orders.alias_full_name}, {company.bo_mailroom_alias_id.alias_full_name}",
        )
        before = self.env["bo.mail.register"].search([])
        self.env["mail.thread"].message_process(False, message)
        entries = self.env["bo.mail.register"].search([]) - before
        self.assertEqual(len(entries), 1, "one number for one message")
        self.assertEqual(entries.res_model, "bo.order.request")

    def _registered_letter(self):
        entry = self.env["bo.mail.register"].create(
            {
                "direction": "incoming",
                "channel": "post",
                "subject": "Ordine per lettera",
                "partner_id": self.contact.id,
                "summary": "200 viti M8, consegna entro fine mese.",
            }
        )
        entry.action_register()
        return entry

    def test_clerk_turns_a_registered_letter_into_an_order_request(self):
        entry = self._registered_letter().with_user(self.clerk)
        action = entry.action_create_order_request()
        request = self.env["bo.order.request"].browse(action["res_id"])
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.title, "Ordine per lettera")
        self.assertEqual(request.channel, "other")
        self.assertEqual(entry.record_ref, request)
        self.assertEqual(request.bo_mail_register_count, 1)
        with self.assertRaises(UserError):
            entry.action_create_order_request()

    def test_draft_or_outgoing_entry_cannot_become_a_request(self):
        draft = self.env["bo.mail.register"].create(
            {"direction": "incoming", "channel": "post", "subject": "Bozza"}
        )
        with self.assertRaises(UserError):
            draft.action_create_order_request()

    def test_sale_order_shows_its_correspondence(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.bo_mail_register_count, 0)
        entry = self._registered_letter()
        entry.record_ref = order
        order.invalidate_recordset(["bo_mail_register_count"])
        self.assertEqual(order.bo_mail_register_count, 1)
