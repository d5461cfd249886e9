from datetime import date, timedelta

from odoo import Command, fields
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_agreements import BoAgreementCommon


@tagged("post_install", "-at_install")
class TestAgreementGuardAttackKit(GuardAttackKit):
    """The attack kit on agreements: the state, the links between versions
    and the deadline follow-up."""

    guarded_model = "bo.sale.agreement"

    @classmethod
    def _guard_record(cls):
        cls.customer = cls.env["res.partner"].create(
            {"name": "Cliente con Accordo S.r.l.", "is_company": True}
        )
        product = cls.env["product.product"].create({"name": "Articolo concordato"})
        today = fields.Date.context_today(cls.env.user)
        agreement = cls.env["bo.sale.agreement"].create(
            {
                "name": "Accordo attaccato",
                "partner_id": cls.customer.id,
                "date_start": today - timedelta(days=10),
                "date_end": today + timedelta(days=100),
                "line_ids": [Command.create({"product_id": product.id, "price_unit": 5.0})],
            }
        )
        agreement.action_activate()
        agreement._bo_renew(today + timedelta(days=101), today + timedelta(days=200))
        return agreement

    @classmethod
    def _guard_create_values(cls):
        return {
            "name": "Accordo di uno sportellista",
            "partner_id": cls.customer.id,
            "date_end": fields.Date.context_today(cls.env.user) + timedelta(days=30),
        }


@tagged("post_install", "-at_install")
class TestAgreementGuard(BoAgreementCommon):
    """What only the agreement's actions write, attacked as a clerk would."""

    def _create(self, user, **context):
        return (
            self.env["bo.sale.agreement"]
            .with_user(user)
            .with_context(**context)
            .create(
                {
                    "name": "Accordo forzato",
                    "partner_id": self.customer.id,
                    "date_start": date(2031, 1, 1),
                    "date_end": date(2031, 12, 31),
                }
            )
        )

    def test_default_keys_cannot_create_an_agreement_in_force_or_renewing_another(self):
        for state in ("active", "terminated", "expired"):
            with self.subTest(state=state):
                agreement = self._create(
                    self.manager,
                    default_state=state,
                    default_previous_id=self.agreement.id,
                    default_deadline_escalated_date="2031-12-31",
                )
                self.assertEqual(agreement.state, "draft")
                self.assertFalse(agreement.previous_id)
                self.assertFalse(agreement.deadline_escalated_date)
        self.assertFalse(self.agreement.next_id, "still renewed by nobody")

    def test_a_forged_context_does_not_pass_for_the_agreement_s_actions(self):
        draft = self._create(self.clerk)
        for context in (
            {"bo_agreement_privileged": True},
            {"bo_guard_grant": {"bo.sale.agreement": ["state"]}},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                draft.with_user(self.manager).with_context(**context).write({"state": "active"})
        self.assertEqual(draft.state, "draft")

    def test_odoobot_does_not_terminate_an_agreement(self):
        """Code running as the system is no manager's decision."""
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.env.ref("base.user_root")).action_terminate()
        self.assertEqual(self.agreement.state, "active")
        self.agreement.with_user(self.manager).action_terminate()
        self.assertEqual(self.agreement.state, "terminated")

    def test_the_renewal_still_links_the_versions(self):
        renewal = self.agreement.with_user(self.clerk)._bo_renew(
            self.agreement.date_end + timedelta(days=1),
            self.agreement.date_end + timedelta(days=365),
        )
        self.assertEqual(renewal.previous_id, self.agreement)
        self.assertEqual(self.agreement.next_id, renewal)
        with self.assertRaises(AccessError):
            renewal.with_user(self.manager).write({"previous_id": False})
