from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .agents_common import BoAgentsCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestEnasarco(BoAgentsCommon):
    """A single-mandate agent's 2025 with the official 2025 figures shipped as
    data: ceiling EUR 45,085; FIRR 4% to 12,400, 2% to 18,600, 1% above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # commissions of 10%: 20,000.00, 24,005.00, 10,000.00, 5,000.00 by quarter
        for amount, day in (
            (200000.0, date(2025, 2, 10)),
            (240050.0, date(2025, 5, 12)),
            (100000.0, date(2025, 8, 20)),
            (50000.0, date(2025, 11, 3)),
        ):
            cls._invoice(cls.customer, amount, day)

    def _accruals(self, settlements):
        return [
            (
                s.total,
                s.bo_enasarco_base,
                s.bo_enasarco_agent_amount,
                s.bo_enasarco_principal_amount,
                s.bo_firr_amount,
            )
            for s in settlements
        ]

    def test_year_crossing_the_ceiling_accrues_the_remainder_then_nothing(self):
        settlements = self._settle(self.agent)
        self.assertEqual(len(settlements), 4)
        self.assertEqual(
            self._accruals(settlements),
            [
                # total, base, agent 8.5%, principal 8.5%, FIRR
                (20000.0, 20000.0, 1700.0, 1700.0, 634.0),  # 496 + 124 + 14
                (24005.0, 24005.0, 2040.43, 2040.43, 240.05),
                (10000.0, 1080.0, 91.8, 91.8, 100.0),  # only up to 45,085
                (5000.0, 0.0, 0.0, 0.0, 50.0),
            ],
        )
        self.assertEqual(
            settlements.bo_enasarco_rate_id, self.env.ref("bo_orders.enasarco_rate_2025_single")
        )

    def test_cancelling_a_settlement_gives_its_room_under_the_ceiling_to_the_next(self):
        settlements = self._settle(self.agent)
        settlements[1].action_cancel()
        self.assertEqual(
            self._accruals(settlements)[1:],
            [
                (24005.0, 0.0, 0.0, 0.0, 0.0),
                (10000.0, 10000.0, 850.0, 850.0, 100.0),
                (5000.0, 5000.0, 425.0, 425.0, 50.0),
            ],
        )

    def test_deleting_a_settlement_gives_its_room_under_the_ceiling_to_the_next(self):
        settlements = self._settle(self.agent)
        settlements[0].unlink()
        self.assertEqual(
            self._accruals(settlements[1:]),
            [
                (24005.0, 24005.0, 2040.43, 2040.43, 674.05),  # 496 + 124 + 54.05
                (10000.0, 10000.0, 850.0, 850.0, 100.0),
                (5000.0, 5000.0, 425.0, 425.0, 50.0),
            ],
        )

    def test_multi_mandate_agent_uses_its_own_ceiling_and_brackets(self):
        self.agent.bo_enasarco_mandate_type = "multi"
        settlements = self._settle(self.agent)
        # ceiling 30,057; FIRR 4% to 6,200, 2% to 9,300, 1% above
        self.assertEqual(settlements[0].bo_enasarco_base, 20000.0)
        self.assertEqual(settlements[0].bo_firr_amount, 248.0 + 62.0 + 107.0)
        self.assertEqual(settlements[1].bo_enasarco_base, 10057.0)
        self.assertEqual(settlements[2].bo_enasarco_base, 0.0)

    def test_agent_not_enrolled_or_company_abroad_accrues_nothing(self):
        self.agent.bo_enasarco_mandate_type = False
        settlements = self._settle(self.agent)
        self.assertFalse(settlements.bo_enasarco_rate_id)
        self.assertFalse(any(settlements.mapped("bo_enasarco_agent_amount")))

        self.agent.bo_enasarco_mandate_type = "single"
        self.company.partner_id.country_id = self.env.ref("base.fr")
        settlements.action_bo_compute_enasarco()
        self.assertFalse(any(settlements.mapped("bo_firr_amount")))

    def test_year_without_rates_refuses_to_settle_with_a_clear_message(self):
        self.env["bo.enasarco.rate"].search([("year", "=", 2025)]).unlink()
        with self.assertRaisesRegex(UserError, "no Enasarco rates for 2025"):
            self._settle(self.agent)

    def test_accruals_cannot_be_written_by_hand(self):
        settlement = self._settle(self.agent)[:1]
        with self.assertRaises(UserError):
            settlement.with_user(self.manager).write({"bo_enasarco_agent_amount": 1.0})
        with self.assertRaises(UserError):
            settlement.copy({"bo_firr_amount": 5.0})
        copy = settlement.copy()
        self.assertFalse(copy.bo_firr_amount)
