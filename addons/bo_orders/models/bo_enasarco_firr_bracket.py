from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BoEnasarcoFirrBracket(models.Model):
    """One bracket of the FIRR (end-of-mandate indemnity fund) of a year."""

    _name = "bo.enasarco.firr.bracket"
    _description = "FIRR Bracket"
    _order = "rate_id, amount_from"

    rate_id = fields.Many2one(
        "bo.enasarco.rate", string="Enasarco Rates", required=True, ondelete="cascade", index=True
    )
    amount_from = fields.Float(string="Commissions From", required=True)
    amount_to = fields.Float(
        string="Commissions Up To", help="Leave empty for the last bracket (no upper limit)."
    )
    percent = fields.Float(string="FIRR (%)", required=True, digits=(5, 2))

    _percent_positive = models.Constraint(
        "CHECK(percent >= 0 AND amount_from >= 0)",
        "FIRR brackets cannot have negative amounts or rates.",
    )

    @api.constrains("amount_from", "amount_to")
    def _check_amounts(self):
        for bracket in self:
            if bracket.amount_to and bracket.amount_to <= bracket.amount_from:
                raise ValidationError(
                    self.env._("The upper limit of a FIRR bracket must exceed its lower limit.")
                )
