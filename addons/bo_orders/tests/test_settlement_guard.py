from datetime import date

from odoo import Command
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .agents_common import BoAgentsCommon


@tagged("post_install", "-at_install")
class TestSettlementGuardAttackKit(GuardAttackKit):
    """The attack kit on settlements: the Enasarco and FIRR accruals."""

    guarded_model = "commission.settlement"

    @classmethod
    def _guard_record(cls):
        cls.company.partner_id.country_id = cls.env.ref("base.it")
        commission = cls.env["commission"].create({"name": "10% kit", "fix_qty": 10.0})
        cls.agent = cls.env["res.partner"].create(
            {
                "name": "Agente Attaccato",
                "agent": True,
                "commission_id": commission.id,
                "bo_enasarco_mandate_type": "single",
            }
        )
        settlement = cls.env["commission.settlement"].create(
            {
                **cls._guard_create_values(),
                "line_ids": [
                    Command.create(
                        {
                            "date": date(2025, 3, 31),
                            "settled_amount": 1000.0,
                            "commission_id": commission.id,
                        }
                    )
                ],
            }
        )
        settlement.action_bo_compute_enasarco()
        return settlement

    @classmethod
    def _guard_create_values(cls):
        return {
            "agent_id": cls.agent.id,
            "date_from": date(2025, 1, 1),
            "date_to": date(2025, 3, 31),
            "company_id": cls.company.id,
        }


@tagged("post_install", "-at_install", "bo_dates")
class TestSettlementGuard(BoAgentsCommon):
    """The accruals are the computation's: a manager, a forged context and
    ``default_`` keys are refused or ignored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for amount, day in ((200000.0, date(2025, 2, 10)), (240050.0, date(2025, 5, 12))):
            cls._invoice(cls.customer, amount, day)
        cls.settlements = cls._settle_class(cls.agent)

    @classmethod
    def _settle_class(cls, agent):
        wizard = cls.env["commission.make.settle"].create(
            {
                "settlement_type": "sale_invoice",
                "date_to": date(2026, 1, 15),
                "agent_ids": [Command.set(agent.ids)],
            }
        )
        wizard.action_settle()
        return cls.env["commission.settlement"].search(
            [("agent_id", "=", agent.id)], order="date_from, id"
        )

    def _accruals(self, settlement):
        return (
            settlement.bo_enasarco_base,
            settlement.bo_enasarco_agent_amount,
            settlement.bo_enasarco_principal_amount,
            settlement.bo_firr_amount,
        )

    def test_a_manager_with_the_old_compute_flag_cannot_rewrite_the_accruals(self):
        settlement = self.settlements[0]
        before = self._accruals(settlement)
        self.assertEqual(before[1], 1700.0)
        for context in ({"bo_enasarco_compute": True}, {"bo_guard_grant": {"*": ["*"]}}):
            with self.subTest(context=context), self.assertRaises(AccessError):
                settlement.with_user(self.manager).with_context(**context).write(
                    {"bo_enasarco_agent_amount": 1.0, "bo_firr_amount": 0.0}
                )
        self.assertEqual(self._accruals(settlement), before)

    def test_default_keys_cannot_create_a_settlement_with_forged_accruals(self):
        forged = {
            "default_bo_enasarco_base": 99999.0,
            "default_bo_enasarco_agent_amount": 1.0,
            "default_bo_enasarco_principal_amount": 1.0,
            "default_bo_firr_amount": 99999.0,
            "default_bo_enasarco_rate_id": self.env.ref("bo_orders.enasarco_rate_2025_multi").id,
        }
        settlement = (
            self.env["commission.settlement"]
            .with_user(self.manager)
            .with_context(**forged)
            .create(
                {
                    "agent_id": self.agent.id,
                    "date_from": date(2025, 10, 1),
                    "date_to": date(2025, 12, 31),
                }
            )
        )
        self.assertEqual(self._accruals(settlement), (0.0, 0.0, 0.0, 0.0))
        self.assertFalse(settlement.bo_enasarco_rate_id)
        with self.assertRaises(AccessError):
            self.env["commission.settlement"].with_user(self.manager).create(
                {
                    "agent_id": self.agent.id,
                    "date_from": date(2025, 10, 1),
                    "date_to": date(2025, 12, 31),
                    "bo_firr_amount": 99999.0,
                }
            )

    def test_the_compute_flag_no_longer_skips_the_year_s_recomputation(self):
        """Cancelling under the old flag still gives the room under the
        ceiling back: the flag carried a privilege, now it carries nothing."""
        first, second = self.settlements
        first.with_context(bo_enasarco_compute=True).action_cancel()
        self.assertEqual(self._accruals(first), (0.0, 0.0, 0.0, 0.0))
        self.assertEqual(second.bo_enasarco_base, 24005.0)
        self.assertEqual(second.bo_firr_amount, 496.0 + 124.0 + 54.05)
