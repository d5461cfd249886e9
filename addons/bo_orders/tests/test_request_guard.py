from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install")
class TestRequestGuardAttackKit(GuardAttackKit):
    """The attack kit on order requests: the reference, the state and its
    lost reason, the deadline follow-up."""

    guarded_model = "bo.order.request"

    @classmethod
    def _guard_record(cls):
        cls.customer = cls.env["res.partner"].create(
            {"name": "Cliente Richiedente S.r.l.", "is_company": True}
        )
        request = cls.env["bo.order.request"].create(
            {"title": "Richiesta attaccata", "partner_id": cls.customer.id}
        )
        request.action_start()
        return request

    @classmethod
    def _guard_create_values(cls):
        return {"title": "Richiesta di uno sportellista", "partner_id": cls.customer.id}


@tagged("post_install", "-at_install")
class TestRequestGuard(BoOrdersCommon):
    """A request's state follows its actions and its quotations only."""

    def _new_request(self, **context):
        form = Form(self.env["bo.order.request"].with_user(self.clerk).with_context(**context))
        form.title = "Offerta viti"
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.screws
            line.quantity = 10
        return form.save()

    def test_a_clerk_cannot_mark_a_request_won_or_lost_by_hand(self):
        request = self._new_request()
        for vals in (
            {"state": "won"},
            {"state": "quoted"},
            {"lost_reason": "riscritto"},
            {"name": "RIC/FALSA"},
            {"deadline_escalated_date": "2030-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                request.with_user(self.clerk).write(vals)
        self.assertEqual(request.state, "new")

    def test_default_keys_cannot_create_a_won_request(self):
        request = self._new_request(
            default_state="won", default_name="RIC/FALSA", default_lost_reason="falso"
        )
        self.assertEqual(request.state, "new")
        self.assertNotEqual(request.name, "RIC/FALSA")
        self.assertFalse(request.lost_reason)

    def test_a_forged_context_does_not_pass_for_the_request_s_actions(self):
        request = self._new_request()
        for context in (
            {"bo_request_privileged": True},
            {"bo_guard_grant": {"bo.order.request": ["state"]}},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                request.with_user(self.manager).with_context(**context).write({"state": "won"})
        self.assertEqual(request.state, "new")

    def test_the_request_s_actions_still_move_it(self):
        request = self._new_request()
        request.with_user(self.clerk).action_start()
        self.assertEqual(request.state, "in_progress")
        action = request.with_user(self.clerk).action_create_quotation()
        self.assertEqual(request.state, "quoted")
        order = self.env["sale.order"].browse(action["res_id"])
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(request.state, "won")
