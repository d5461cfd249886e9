from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChatterTour(HttpCase):
    def test_register_views_render(self):
        self.env["bo.mail.register"].create(
            {
                "partner_name": "Mittente tour",
                "subject": "Giro views tour",
                "deadline_date": "2026-12-01",
            }
        ).action_register()
        self.start_tour(
            "/odoo/action-bo_mailroom.action_bo_mail_register",
            "bo_mailroom_views_tour",
            login="admin",
        )

    def test_clerk_registers_outgoing_from_a_document_chatter(self):
        new_bo_user(
            self.env,
            "mr_chatter_clerk",
            "Chatter Clerk",
            "bo_base.group_bo_user",
            password="mr_chatter_clerk_pw",
        )
        partner = self.env["res.partner"].create(
            {"name": "Ferramenta Chatter", "email": "chatter@ferramenta.example.it"}
        )
        self.start_tour(
            f"/odoo/res.partner/{partner.id}",
            "bo_mailroom_register_outgoing_tour",
            login="mr_chatter_clerk",
            password="mr_chatter_clerk_pw",
        )
        entry = self.env["bo.mail.register"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(entry.subject, "Offerta registrata dal chatter")
        self.assertEqual(entry.direction, "outgoing")
        self.assertEqual(entry.partner_id, partner)
        self.assertTrue(entry.name)
