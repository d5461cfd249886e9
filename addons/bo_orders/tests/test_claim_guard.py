from datetime import datetime

from odoo import Command
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .claim_common import BoClaimCommon


@tagged("post_install", "-at_install")
class TestClaimGuardAttackKit(GuardAttackKit):
    """The attack kit on claims: the reference, the workflow's dates, the
    service level's deadlines and the documents made from the claim."""

    guarded_model = "bo.customer.claim"

    @classmethod
    def _guard_record(cls):
        cls.customer = cls.env["res.partner"].create(
            {"name": "Cliente Reclamante S.r.l.", "is_company": True}
        )
        claim = cls.env["bo.customer.claim"].create(
            {"title": "Reclamo attaccato", "partner_id": cls.customer.id}
        )
        claim.action_mark_answered()
        return claim

    @classmethod
    def _guard_create_values(cls):
        return {"title": "Reclamo di uno sportellista", "partner_id": cls.customer.id}


@tagged("post_install", "-at_install")
class TestClaimGuard(BoClaimCommon):
    """What only the claim's actions write, attacked as a clerk would."""

    def test_default_keys_cannot_forge_dates_deadlines_or_credit_notes(self):
        order, invoice = self._delivered_invoiced_order()
        refund = invoice._reverse_moves()
        forged = {
            "default_received_date": "2020-01-01 00:00:00",
            "default_first_response_date": "2020-01-02 00:00:00",
            "default_resolution_date": "2020-01-03 00:00:00",
            "default_first_response_deadline": "2099-01-01 00:00:00",
            "default_resolution_deadline": "2099-01-01",
            "default_deadline_date": "2099-01-01",
            "default_deadline_escalated_date": "2099-01-01",
            "default_resolution_days": 0.1,
            "default_name": "RCL/FALSO",
            "default_intake_error": "falso",
            "default_credit_note_ids": [Command.set(refund.ids)],
            "default_replacement_order_ids": [Command.set(order.ids)],
            "default_return_picking_ids": [Command.set(order.picking_ids.ids)],
        }
        before = datetime.now().replace(microsecond=0)
        claim = (
            self.Claim.with_user(self.clerk)
            .with_context(**forged)
            .create({"title": "Reclamo", "partner_id": self.customer.id})
        )
        self.assertGreaterEqual(claim.received_date, before)
        self.assertFalse(claim.first_response_date)
        self.assertFalse(claim.resolution_date)
        self.assertFalse(claim.resolution_days)
        self.assertFalse(claim.deadline_escalated_date)
        self.assertNotEqual(str(claim.resolution_deadline), "2099-01-01")
        self.assertNotEqual(str(claim.deadline_date), "2099-01-01")
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertFalse(claim.intake_error)
        self.assertFalse(claim.credit_note_ids)
        self.assertFalse(claim.replacement_order_ids)
        self.assertFalse(claim.return_picking_ids)

    def test_a_claim_cannot_start_closed_through_a_default_stage(self):
        for stage in (self.stage_done, self.env.ref("bo_orders.stage_bo_customer_claim_cancelled")):
            with self.subTest(stage=stage.name), self.assertRaises(UserError):
                self.Claim.with_user(self.clerk).with_context(default_stage_id=stage.id).create(
                    {"title": "Chiuso subito", "partner_id": self.customer.id}
                )

    def test_a_forged_context_does_not_pass_for_the_claim_s_actions(self):
        claim = self._claim_by_hand()
        for context in (
            {"bo_claim_privileged": True},
            {"bo_guard_grant": {"bo.customer.claim": ["*"]}},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                claim.with_user(self.manager).with_context(**context).write(
                    {"first_response_date": "2020-01-01 00:00:00"}
                )
        self.assertFalse(claim.first_response_date)

    def test_sudo_writes_no_guarded_value_either(self):
        claim = self._claim_by_hand()
        with self.assertRaises(AccessError):
            claim.sudo().write({"resolution_date": "2020-01-01 00:00:00"})
        self.assertFalse(claim.resolution_date)

    def test_odoobot_does_not_reopen_a_closed_claim(self):
        """Code running as the system is no manager's decision."""
        claim = self._claim_by_hand(root_cause="transport", resolution_note="Sostituita.")
        claim.action_resolve()
        with self.assertRaises(AccessError):
            claim.with_user(self.env.ref("base.user_root")).action_reopen()
        self.assertEqual(claim.state, "done")
        claim.with_user(self.manager).action_reopen()
        self.assertEqual(claim.state, "open")

    def test_the_claim_s_own_actions_still_write_what_they_own(self):
        """By hand, by email and through the outcomes: the guard lets the
        claim's own code through."""
        claim = self._claim_by_hand()
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertTrue(claim.first_response_deadline)
        claim.with_user(self.clerk).action_mark_answered()
        self.assertTrue(claim.first_response_date)
        by_email = self._claim_by_email(subject="Reclamo per email")
        self.assertTrue(by_email.name.startswith("RCL/"))
        self.assertEqual(by_email.title, "Reclamo per email")
        self.assertFalse(by_email.intake_error)
        by_email.write({"product_id": self.screws.id})
        action = by_email.with_user(self.clerk).action_create_replacement()
        self.assertEqual(by_email.replacement_order_ids.id, action["res_id"])

    def test_a_copy_is_a_new_claim_whatever_its_defaults(self):
        claim = self._claim_by_hand()
        claim.with_user(self.clerk).action_mark_answered()
        with self.assertRaises(AccessError):
            claim.with_user(self.clerk).copy({"first_response_date": "2020-01-01 00:00:00"})
        copy = claim.with_user(self.clerk).copy()
        self.assertFalse(copy.first_response_date)
        self.assertNotEqual(copy.name, claim.name)
