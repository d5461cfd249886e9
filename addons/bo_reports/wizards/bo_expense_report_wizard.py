from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.fields import Domain

from ..models.bo_expense_target import EXPENSE_TYPES


class BoExpenseReportWizard(models.TransientModel):
    """Vendor bills by expense account and analytic account against the
    targets of the period: the filters of the Expense Monitoring (XLSX) report
    and the figures behind it.

    Actuals are the balances of posted vendor bills and refunds on expense
    accounts, dated in the period; by analytic account, the analytic lines of
    those bill lines, for every analytic plan. Targets are those of the months
    that start in the period: by account and by month the targets of whole
    accounts (without analytic account), by analytic account the targets set for
    one. Everything is read with ``_read_group`` as the
    user, so record rules decide what is reported.
    """

    _name = "bo.expense.report.wizard"
    _inherit = ["bo.report.wizard.mixin", "bo.report.period.mixin"]
    _description = "Expense Monitoring Report"
    _bo_report_ref = "bo_reports.action_report_bo_expense_xlsx"

    def _bo_default_period(self):
        """The year to the end of this month."""
        today = fields.Date.context_today(self)
        return today.replace(month=1, day=1), today.replace(day=1) + relativedelta(
            months=1, days=-1
        )

    account_ids = fields.Many2many(
        "account.account",
        string="Expense Accounts",
        check_company=True,
        domain=[("account_type", "in", EXPENSE_TYPES)],
    )
    analytic_account_ids = fields.Many2many(
        "account.analytic.account",
        string="Analytic Accounts",
        check_company=True,
    )

    def _bo_bill_lines_domain(self):
        self.ensure_one()
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("in_invoice", "in_refund")),
                ("account_id.account_type", "in", EXPENSE_TYPES),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ]
        )
        if self.account_ids:
            domain &= Domain("account_id", "in", self.account_ids.ids)
        return domain

    def _bo_targets(self, groupby, analytic=False):
        """{group key: target} of the months starting in the period: targets of
        whole accounts, or with ``analytic`` those of analytic accounts."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("month", ">=", self.date_from),
            ("month", "<=", self.date_to),
            ("analytic_account_id", "!=" if analytic else "=", False),
        ]
        if self.account_ids:
            domain.append(("account_id", "in", self.account_ids.ids))
        if analytic and self.analytic_account_ids:
            domain.append(("analytic_account_id", "in", self.analytic_account_ids.ids))
        targets = self.env["bo.expense.target"].with_company(self.company_id)
        return {
            tuple(group[:-1]): group[-1]
            for group in targets._read_group(domain, groupby, ["amount:sum"])
        }

    def _bo_by_account(self):
        """Rows (account, target, actual), by account code."""
        lines = self.env["account.move.line"].with_company(self.company_id)
        actuals = {
            (account,): balance
            for account, balance in lines._read_group(
                self._bo_bill_lines_domain(), ["account_id"], ["balance:sum"]
            )
        }
        targets = self._bo_targets(["account_id"])
        keys = sorted(set(actuals) | set(targets), key=lambda key: key[0].code or "")
        return [(key[0], targets.get(key, 0.0), actuals.get(key, 0.0)) for key in keys]

    def _bo_by_month(self):
        """Rows (first day of the month, target, actual), by month."""
        lines = self.env["account.move.line"].with_company(self.company_id)
        actuals = {
            fields.Date.to_date(month): balance
            for month, balance in lines._read_group(
                self._bo_bill_lines_domain(), ["date:month"], ["balance:sum"]
            )
        }
        targets = {key[0]: amount for key, amount in self._bo_targets(["month:month"]).items()}
        months, month = [], self.date_from.replace(day=1)
        while month <= self.date_to:
            months.append(month)
            month += relativedelta(months=1)
        return [(month, targets.get(month, 0.0), actuals.get(month, 0.0)) for month in months]

    def _bo_by_analytic(self):
        """Rows (account, analytic account, target, actual) by account code and
        analytic account, over every analytic plan; None for users who do not
        work with analytic accounting."""
        if not self.env.user.has_group("analytic.group_analytic_accounting"):
            return None
        analytic_lines = self.env["account.analytic.line"].with_company(self.company_id)
        bill_lines = self.env["account.move.line"].with_company(self.company_id)
        domain = Domain("move_line_id", "in", bill_lines._search(self._bo_bill_lines_domain()))
        project_plan, other_plans = self.env["account.analytic.plan"]._get_all_plans()
        actuals = {}
        for plan in project_plan | other_plans:
            column = plan._column_name()
            plan_domain = domain & Domain(column, "!=", False)
            if self.analytic_account_ids:
                plan_domain &= Domain(column, "in", self.analytic_account_ids.ids)
            for account, analytic, amount in analytic_lines._read_group(
                plan_domain, ["general_account_id", column], ["amount:sum"]
            ):
                actuals[account, analytic] = -amount
        targets = self._bo_targets(["account_id", "analytic_account_id"], analytic=True)
        keys = sorted(
            set(actuals) | set(targets),
            key=lambda key: (key[0].code or "", key[1].display_name or ""),
        )
        return [(*key, targets.get(key, 0.0), actuals.get(key, 0.0)) for key in keys]
