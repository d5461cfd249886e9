from odoo import api, fields, models
from odoo.exceptions import ValidationError

EXPENSE_TYPES = ("expense", "expense_depreciation", "expense_direct_cost")


class BoExpenseTarget(models.Model):
    """What a company means to spend in a month on an expense account, and
    optionally on an analytic account: the yardstick of Expense Monitoring
    (Odoo Community has no budgets)."""

    _name = "bo.expense.target"
    _description = "Expense Target"
    _order = "month desc, account_id, analytic_account_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The first day of the month the target is for.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        required=True,
        check_company=True,
        domain=[("account_type", "in", EXPENSE_TYPES)],
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        help="Leave empty for a target of the whole account.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Target", required=True)

    @api.constrains("month")
    def _check_month(self):
        for target in self:
            if target.month.day != 1:
                raise ValidationError(
                    self.env._("A target is for a whole month: set the first day of the month.")
                )

    @api.constrains("account_id")
    def _check_expense_account(self):
        for target in self:
            if target.account_id.account_type not in EXPENSE_TYPES:
                raise ValidationError(
                    self.env._(
                        "%(account)s is not an expense account.",
                        account=target.account_id.display_name,
                    )
                )

    @api.constrains("company_id", "month", "account_id", "analytic_account_id")
    def _check_unique(self):
        for target in self:
            duplicates = self.search_count(
                [
                    ("id", "!=", target.id),
                    ("company_id", "=", target.company_id.id),
                    ("month", "=", target.month),
                    ("account_id", "=", target.account_id.id),
                    ("analytic_account_id", "=", target.analytic_account_id.id),
                ]
            )
            if duplicates:
                raise ValidationError(
                    self.env._(
                        "There is already a target for %(account)s in this month.",
                        account=target.account_id.display_name,
                    )
                )
