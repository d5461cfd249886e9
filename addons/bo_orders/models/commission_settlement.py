from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError

ENASARCO_FIELDS = (
    "bo_enasarco_rate_id",
    "bo_enasarco_base",
    "bo_enasarco_agent_amount",
    "bo_enasarco_principal_amount",
    "bo_firr_amount",
)


class CommissionSettlement(models.Model):
    """Enasarco contribution and FIRR indemnity accrued on each settlement.

    For an Italian company and an agent enrolled with Enasarco, every
    settlement of the year accrues the contribution on its commissions, as long
    as the year's commissions stay under the yearly ceiling, and the FIRR on
    the year's brackets. The amounts depend on the settlements before it in the
    year, so they are computed over the agent's whole year, in order of date,
    whenever a settlement is made, cancelled or restored. Like the Enasarco
    figures, they are in euros. Only that computation writes them (guarded):
    nobody sets them by hand, a manager and a forged context included.
    """

    _inherit = "commission.settlement"

    bo_enasarco_currency_id = fields.Many2one(
        "res.currency", string="Enasarco Currency", compute="_compute_bo_enasarco_currency_id"
    )
    # the rates a settlement accrued with are kept: not deleted under it
    bo_enasarco_rate_id = fields.Many2one(
        "bo.enasarco.rate",
        string="Enasarco Rates",
        readonly=True,
        copy=False,
        ondelete="restrict",
        bo_guarded=True,
    )
    bo_enasarco_base = fields.Monetary(
        string="Enasarco Base",
        currency_field="bo_enasarco_currency_id",
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="Commissions of this settlement that fall under the yearly ceiling.",
    )
    bo_enasarco_agent_amount = fields.Monetary(
        string="Enasarco (Agent)",
        readonly=True,
        copy=False,
        currency_field="bo_enasarco_currency_id",
        bo_guarded=True,
    )
    bo_enasarco_principal_amount = fields.Monetary(
        string="Enasarco (Principal)",
        readonly=True,
        copy=False,
        currency_field="bo_enasarco_currency_id",
        bo_guarded=True,
    )
    bo_firr_amount = fields.Monetary(
        string="FIRR",
        readonly=True,
        copy=False,
        currency_field="bo_enasarco_currency_id",
        bo_guarded=True,
    )

    def _compute_bo_enasarco_currency_id(self):
        # Enasarco figures and contributions are in euros, whatever the company's currency
        self.bo_enasarco_currency_id = self.env.ref("base.EUR")

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self._bo_compute_enasarco()
        return res

    def unlink(self):
        """The settlements after a deleted one in its year get its room under the ceiling."""
        keys = self._bo_enasarco_keys()
        res = super().unlink()
        self._bo_compute_enasarco_years(keys)
        return res

    def action_bo_compute_enasarco(self):
        self._bo_compute_enasarco()
        return True

    def _bo_enasarco_applies(self):
        self.ensure_one()
        return bool(
            self.company_id.country_id.code == "IT" and self.agent_id.bo_enasarco_mandate_type
        )

    def _bo_enasarco_keys(self):
        return {(s.agent_id.id, s.company_id.id, s.date_to.year) for s in self if s.date_to}

    def _bo_compute_enasarco(self):
        """Recompute the accruals of the whole year of each agent and company in ``self``."""
        self._bo_compute_enasarco_years(self._bo_enasarco_keys())

    @api.model
    def _bo_compute_enasarco_years(self, keys):
        """Recompute the accruals of each (agent id, company id, year) of ``keys``."""
        for agent_id, company_id, year in keys:
            year_settlements = self.search(
                [
                    ("agent_id", "=", agent_id),
                    ("company_id", "=", company_id),
                    ("date_to", ">=", fields.Date.to_date(f"{year}-01-01")),
                    ("date_to", "<=", fields.Date.to_date(f"{year}-12-31")),
                ],
                order="date_from, id",
            )
            year_settlements._bo_accrue_year(year)

    @bo_guard.writes(*ENASARCO_FIELDS)
    def _bo_accrue_year(self, year):
        """Accrue the settlements ``self`` (one agent, company and year, in date order)."""
        zero = dict.fromkeys(ENASARCO_FIELDS, 0.0)
        zero["bo_enasarco_rate_id"] = False
        first = self[:1]
        if not first or not first._bo_enasarco_applies():
            self.filtered(lambda s: s.bo_enasarco_rate_id or s.bo_firr_amount).write(zero)
            return
        rate = self.env["bo.enasarco.rate"].search(
            [("year", "=", year), ("mandate_type", "=", first.agent_id.bo_enasarco_mandate_type)],
            limit=1,
        )
        if not rate:
            raise UserError(
                self.env._(
                    "There are no Enasarco rates for %(year)s: add them in the Enasarco "
                    "rates table before settling the commissions of %(agent)s.",
                    year=year,
                    agent=first.agent_id.display_name,
                )
            )
        company = first.company_id
        euro = self.env.ref("base.EUR")
        cumulated = 0.0
        for settlement in self:
            if settlement.state == "cancel":
                settlement.write(zero)
                continue
            amount = settlement.currency_id._convert(
                settlement.total, euro, company, settlement.date_to
            )
            before, cumulated = cumulated, cumulated + amount
            base = min(max(cumulated, 0.0), rate.ceiling) - min(max(before, 0.0), rate.ceiling)
            firr = rate._firr_on(max(cumulated, 0.0)) - rate._firr_on(max(before, 0.0))
            settlement.write(
                {
                    "bo_enasarco_rate_id": rate.id,
                    "bo_enasarco_base": euro.round(base),
                    "bo_enasarco_agent_amount": euro.round(base * rate.agent_rate / 100),
                    "bo_enasarco_principal_amount": euro.round(base * rate.principal_rate / 100),
                    "bo_firr_amount": euro.round(firr),
                }
            )
