from datetime import date

from odoo.tests import HttpCase, tagged

from .common import new_bo_user


@tagged("post_install", "-at_install")
class TestFollowUpTour(HttpCase):
    def test_clerk_opens_document_from_my_follow_ups(self):
        clerk = new_bo_user(
            self.env, "tour_clerk", "Tour Clerk", "bo_base.group_bo_user", password="tour_clerk_pw"
        )
        colleague = new_bo_user(
            self.env, "tour_colleague", "Tour Colleague", "bo_base.group_bo_user"
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
