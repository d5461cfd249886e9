from odoo.addons.bo_base.tests.common import make_email, new_bo_user
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestClaimMailroomBridge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mail waits for triage unless a rule registers it at once.
        cls.env["bo.mail.routing.rule"].create(
            {"name": "Claims", "company_id": False, "register_at_once": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ferramenta Ponte S.r.l.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Paola Ponte",
                "parent_id": cls.customer.id,
                "email": "paola.reclami@ferramentaponte.example.it",
            }
        )

    def _email(self, subject, sender=None):
        return make_email(
            subject,
            "Le viti consegnate sono arrugginite.",
            f"Paola Ponte <{sender or self.contact.email}>",
            "reclami@bridge.example.com",
            attachments=[("ruggine.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
        ).as_bytes()

    def _entries_of(self, record):
        return self.env["bo.mail.register"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_claim_by_email_is_registered_with_the_original_message(self):
        raw = self._email("Reclamo viti arrugginite")
        claim_id = self.env["mail.thread"].message_process("bo.customer.claim", raw)
        claim = self.env["bo.customer.claim"].browse(claim_id)
        self.assertEqual(claim.partner_id, self.customer)
        entry = self._entries_of(claim)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "registered")
        self.assertTrue(entry.name)
        self.assertEqual(entry.subject, "Reclamo viti arrugginite")
        self.assertEqual(entry.record_ref, claim)
        original = entry.attachment_ids.filtered(lambda a: a.name == "original_email.eml")
        self.assertEqual(original.raw, raw, "the protocol keeps the bytes received")
        self.assertIn("ruggine.jpg", entry.attachment_ids.mapped("name"))
        self.assertIn(
            "ruggine.jpg",
            claim.message_ids.attachment_ids.mapped("name"),
            "the claim keeps its own copy",
        )
        self.assertEqual(claim.bo_mail_register_count, 1)
        action = claim.action_view_bo_mail_register()
        self.assertEqual(self.env["bo.mail.register"].search(action["domain"]), entry)

    @mute_logger("odoo.addons.bo_base.models.bo_mail_intake")
    def test_mail_that_cannot_become_a_claim_is_kept_in_both(self):
        raw = self._email("Reclamo con errore")
        with self.assertLogs("odoo.addons.bo_orders", level="WARNING"):
            claim_id = self.env["mail.thread"].message_process(
                "bo.customer.claim", raw, custom_values={"claim_type": "no_such_type"}
            )
        claim = self.env["bo.customer.claim"].browse(claim_id)
        self.assertTrue(claim.intake_error)
        entry = self._entries_of(claim)
        self.assertEqual(len(entry), 1)
        original = entry.attachment_ids.filtered(lambda a: a.name == "original_email.eml")
        self.assertEqual(original.raw, raw)

    def test_readers_of_a_claim_see_its_correspondence_count(self):
        raw = self._email("Reclamo letto da tutti")
        claim = self.env["bo.customer.claim"].browse(
            self.env["mail.thread"].message_process("bo.customer.claim", raw)
        )
        users = {
            "sales_team.group_sale_salesman": 0,
            "bo_orders.group_bo_order_desk": 1,
        }
        for group, expected in users.items():
            user = self.env["res.users"].create(
                {
                    "name": group,
                    "login": f"claim_reader_{group}",
                    "group_ids": [(4, self.env.ref(group).id)],
                }
            )
            with self.subTest(group=group):
                values = claim.with_user(user).read()[0]
                self.assertEqual(values["bo_mail_register_count"], expected)

    def test_clerk_turns_a_registered_letter_into_a_claim(self):
        clerk = new_bo_user(
            self.env, "claims_bridge_clerk", "Claims Clerk", "bo_orders.group_bo_order_desk"
        )
        entry = self.env["bo.mail.register"].create(
            {
                "direction": "incoming",
                "channel": "registered_letter",
                "subject": "Contestazione fattura 2026/145",
                "partner_id": self.contact.id,
                "summary": "Prezzo diverso da quello confermato.",
            }
        )
        with self.assertRaises(UserError):
            entry.with_user(clerk).action_create_customer_claim()  # not registered yet
        entry.action_register()
        action = entry.with_user(clerk).action_create_customer_claim()
        claim = self.env["bo.customer.claim"].browse(action["res_id"])
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(claim.contact_id, self.contact)
        self.assertEqual(claim.channel, "letter")
        self.assertEqual(claim.user_id, clerk)
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertEqual(entry.record_ref, claim)
        self.assertEqual(claim.bo_mail_register_count, 1)
        with self.assertRaises(UserError):
            entry.with_user(clerk).action_create_customer_claim()
