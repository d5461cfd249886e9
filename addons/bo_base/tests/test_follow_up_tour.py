from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFollowUpTour(HttpCase):
    def test_clerk_opens_document_from_my_follow_ups(self):
        users = self.env["res.users"].with_context(no_reset_password=True)
        clerk = users.create(
            {
                "name": "Tour Clerk",
                "login": "tour_clerk",
                "password": "tour_clerk_pw",
                "group_ids": [Command.set([self.env.ref("bo_base.group_bo_user").id])],
            }
        )
        colleague = users.create(
            {
                "name": "Tour Colleague",
                "login": "tour_colleague",
                "group_ids": [Command.set([self.env.ref("bo_base.group_bo_user").id])],
            }
        )
        partner = self.env["res.partner"].create({"name": "Ferramenta Tour S.r.l."})
        partner.activity_schedule(
            "bo_base.mail_activity_type_bo_escalation",
            date_deadline=date(2026, 1, 10),
            summary="Call back about the late order",
            user_id=clerk.id,
        )
        partner.activity_schedule(
            "bo_base.mail_activity_type_bo_deadline",
            date_deadline=date(2026, 1, 12),
            summary="Reply to the tax office",
            user_id=colleague.id,
        )
        self.start_tour(
            "/odoo/action-bo_base.action_bo_follow_up",
            "bo_follow_up_tour",
            login="tour_clerk",
            password="tour_clerk_pw",
        )
