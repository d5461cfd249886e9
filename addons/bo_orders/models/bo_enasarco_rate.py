from odoo import api, fields, models


class BoEnasarcoRate(models.Model):
    """Yearly Enasarco figures for one kind of mandate.

    The contribution rates, the yearly commission ceiling and the yearly
    minimum contribution change every year (ISTAT revaluation), and differ for
    single-mandate and multi-mandate agents: they are data that administrators
    update each year, never figures written in the code.
    """

    _name = "bo.enasarco.rate"
    _description = "Enasarco Yearly Rates"
    _order = "year desc, mandate_type"

    name = fields.Char(compute="_compute_name")
    year = fields.Integer(required=True)
    mandate_type = fields.Selection(
        [("single", "Single-mandate"), ("multi", "Multi-mandate")],
        required=True,
    )
    agent_rate = fields.Float(
        string="Agent's Share (%)",
        required=True,
        digits=(5, 2),
        help="Part of the contribution withheld from the agent's commissions.",
    )
    principal_rate = fields.Float(
        string="Principal's Share (%)",
        required=True,
        digits=(5, 2),
        help="Part of the contribution paid by the company on top of the commissions.",
    )
    ceiling = fields.Float(
        string="Yearly Commission Ceiling",
        required=True,
        help="Commissions of the year above this amount bear no contribution.",
    )
    minimum = fields.Float(
        string="Yearly Minimum Contribution",
        help="Contribution due for the year at least (agent's and principal's share "
        "together); the principal pays the difference.",
    )
    firr_bracket_ids = fields.One2many(
        "bo.enasarco.firr.bracket", "rate_id", string="FIRR Brackets", copy=True
    )
    source = fields.Char(help="Where the figures come from (circular, communication, year).")

    _year_mandate_unique = models.Constraint(
        "UNIQUE(year, mandate_type)",
        "There is already a line of Enasarco rates for this year and kind of mandate.",
    )
    _rates_positive = models.Constraint(
        "CHECK(agent_rate >= 0 AND principal_rate >= 0 AND ceiling > 0 AND minimum >= 0)",
        "Enasarco rates, ceiling and minimum cannot be negative.",
    )

    @api.depends("year", "mandate_type")
    def _compute_name(self):
        labels = dict(self._fields["mandate_type"]._description_selection(self.env))
        for rate in self:
            rate.name = f"{rate.year} {labels.get(rate.mandate_type, '')}".strip()

    def _firr_on(self, amount):
        """FIRR accrued on ``amount`` of commissions of the year, bracket by bracket."""
        self.ensure_one()
        total = 0.0
        for bracket in self.firr_bracket_ids.sorted("amount_from"):
            upper = bracket.amount_to or float("inf")
            covered = min(amount, upper) - bracket.amount_from
            if covered > 0:
                total += covered * bracket.percent / 100.0
        return total
