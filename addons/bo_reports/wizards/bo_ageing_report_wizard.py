from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL

ACCOUNT_TYPES = {"receivable": "asset_receivable", "payable": "liability_payable"}


class BoAgeingReportWizard(models.TransientModel):
    """Receivables or payables still open on a date, by age: the filters of the
    Ageing (XLSX) report and the queries behind it.

    The open amount of an item is computed *as of* the chosen date: its balance
    less the reconciliations whose both sides are dated on or before that date
    (``account.partial.reconcile.max_date``), so a payment registered later does
    not close an item that was open then. Items are read through the ORM's
    ``_search`` as the user, so record rules decide which lines count.
    """

    _name = "bo.ageing.report.wizard"
    _inherit = "bo.report.wizard.mixin"
    _description = "Receivables and Payables Ageing"
    _bo_report_ref = "bo_reports.action_report_bo_ageing_xlsx"

    # Age limits (in days) of the ageing periods: (key, first day, last day).
    _ageing_periods = (
        ("not_due", None, 0),
        ("days_1_30", 1, 30),
        ("days_31_60", 31, 60),
        ("days_61_90", 61, 90),
        ("days_91_120", 91, 120),
        ("days_over_120", 121, None),
    )
    # Weeks of the due schedule after the as-of date; later dues go together.
    _schedule_weeks = 8
    # Open items fetched per query for the detail sheet.
    _detail_batch_size = 5000

    kind = fields.Selection(
        [("receivable", "Receivables"), ("payable", "Payables")],
        string="Report",
        required=True,
        default="receivable",
    )
    as_of_date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="Items are aged and their open amounts computed as they were on this date: "
        "payments and reconciliations dated later are not counted.",
    )
    basis = fields.Selection(
        [("due", "Due Date"), ("invoice", "Invoice Date")],
        string="Age by",
        required=True,
        default="due",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Partners",
        check_company=True,
        help="Leave empty to include every partner with open items. A company includes "
        "its contacts.",
    )
    detail = fields.Boolean(
        string="Open Items Sheet",
        help="Add a sheet with one row per open item.",
    )

    # ------------------------------------------------------------------
    # Periods and weeks
    # ------------------------------------------------------------------

    def _bo_ageing_period_labels(self):
        """Column titles of the ageing periods, in the user's language."""
        return {
            "not_due": self.env._("Not Due"),
            "days_1_30": self.env._("1-30 Days"),
            "days_31_60": self.env._("31-60 Days"),
            "days_61_90": self.env._("61-90 Days"),
            "days_91_120": self.env._("91-120 Days"),
            "days_over_120": self.env._("Over 120 Days"),
        }

    def _bo_schedule_columns(self):
        """(key, first due date, last due date) of the due schedule columns."""
        self.ensure_one()
        start = self.as_of_date
        columns = [("overdue", None, start - timedelta(days=1))]
        for week in range(self._schedule_weeks):
            first = start + timedelta(weeks=week)
            columns.append((f"week_{week}", first, first + timedelta(days=6)))
        columns.append(("later", start + timedelta(weeks=self._schedule_weeks), None))
        return columns

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def _bo_ageing_lines_domain(self):
        self.ensure_one()
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("account_id.account_type", "=", ACCOUNT_TYPES[self.kind]),
                ("parent_state", "=", "posted"),
                ("date", "<=", self.as_of_date),
            ]
        )
        if self.partner_ids:
            domain &= Domain("partner_id", "child_of", self.partner_ids.ids)
        # An item reconciled today was also settled on the as-of date unless one
        # of its reconciliations is dated later: skip the others early.
        domain &= Domain(
            [
                "|",
                "|",
                ("reconciled", "=", False),
                ("matched_debit_ids.max_date", ">", self.as_of_date),
                ("matched_credit_ids.max_date", ">", self.as_of_date),
            ]
        )
        return domain

    def _bo_open_items_sql(self, extra_domain=None):
        """SQL of the open items as of the date, one row per journal item."""
        self.ensure_one()
        lines = self.env["account.move.line"].with_company(self.company_id)
        lines.flush_model()
        self.env["account.partial.reconcile"].flush_model()
        domain = self._bo_ageing_lines_domain()
        if extra_domain:
            domain &= Domain(extra_domain)
        query = lines._search(domain)
        if self.basis == "due":
            age_date = SQL("COALESCE(aml.date_maturity, aml.date)")
        else:
            age_date = SQL("COALESCE(aml.invoice_date, aml.date)")
        # Payables are credit balances: show what is owed as a positive amount.
        sign = 1 if self.kind == "receivable" else -1
        return SQL(
            """
            SELECT aml.id,
                   aml.partner_id,
                   aml.move_name,
                   aml.ref,
                   COALESCE(aml.invoice_date, aml.date) AS invoice_date,
                   COALESCE(aml.date_maturity, aml.date) AS due_date,
                   %(age_date)s AS age_date,
                   %(as_of)s - %(age_date)s AS days,
                   %(sign)s * (
                       aml.balance
                       - COALESCE(paid_debit.amount, 0)
                       + COALESCE(paid_credit.amount, 0)
                   ) AS open_amount
              FROM account_move_line aml
              LEFT JOIN LATERAL (
                    SELECT SUM(partial.amount) AS amount
                      FROM account_partial_reconcile partial
                     WHERE partial.debit_move_id = aml.id
                       AND partial.max_date <= %(as_of)s
                   ) paid_debit ON TRUE
              LEFT JOIN LATERAL (
                    SELECT SUM(partial.amount) AS amount
                      FROM account_partial_reconcile partial
                     WHERE partial.credit_move_id = aml.id
                       AND partial.max_date <= %(as_of)s
                   ) paid_credit ON TRUE
             WHERE aml.id IN %(lines)s
            """,
            age_date=age_date,
            as_of=self.as_of_date,
            sign=sign,
            lines=query.subselect(),
        )

    def _bo_period_condition(self, first, last, column):
        conditions = []
        if first is not None:
            conditions.append(SQL("%s >= %s", column, first))
        if last is not None:
            conditions.append(SQL("%s <= %s", column, last))
        return SQL(" AND ").join(conditions)

    def _bo_ageing_summary(self):
        """Open amounts per partner, by ageing period and by due week.

        One query, whatever the number of partners. Each row has the partner
        (``partner_id``, ``partner_name``), a column per ageing period and per
        due schedule column, ``total`` and ``item_count``; sorted by partner name.
        """
        self.ensure_one()
        sums = [
            SQL(
                "COALESCE(SUM(open_amount) FILTER (WHERE %s), 0) AS %s",
                self._bo_period_condition(first, last, SQL("days")),
                SQL.identifier(key),
            )
            for key, first, last in self._ageing_periods
        ]
        sums += [
            SQL(
                "COALESCE(SUM(open_amount) FILTER (WHERE %s), 0) AS %s",
                self._bo_period_condition(first, last, SQL("due_date")),
                SQL.identifier(key),
            )
            for key, first, last in self._bo_schedule_columns()
        ]
        # The partner's name is read with the line: whoever can read the line
        # sees its partner in Odoo, even a partner of a company they cannot read.
        return self.env.execute_query_dict(
            SQL(
                """
                WITH open_items AS (%(open_items)s)
                SELECT open_items.partner_id,
                       partner.complete_name AS partner_name,
                       %(sums)s,
                       SUM(open_amount) AS total,
                       COUNT(*) AS item_count
                  FROM open_items
                  LEFT JOIN res_partner partner ON partner.id = open_items.partner_id
                 WHERE open_amount <> 0
                 GROUP BY open_items.partner_id, partner.complete_name
                 ORDER BY partner.complete_name NULLS LAST, open_items.partner_id
                """,
                open_items=self._bo_open_items_sql(),
                sums=SQL(", ").join(sums),
            )
        )

    def _bo_period_of(self, days):
        for key, first, last in self._ageing_periods:
            if (first is None or days >= first) and (last is None or days <= last):
                return key
        return None

    def _bo_open_items(self, summary):
        """Yield the open items one by one, in the order of the summary's partners.

        Partners are fetched in groups of about ``_detail_batch_size`` items
        (the summary tells how many each has), so that memory stays bounded
        however many items there are.
        """
        self.ensure_one()
        batch, size = [], 0
        for row in summary:
            batch.append(row["partner_id"])
            size += row["item_count"]
            if size >= self._detail_batch_size:
                yield from self._bo_open_items_of(batch)
                batch, size = [], 0
        if batch:
            yield from self._bo_open_items_of(batch)

    def _bo_open_items_of(self, partner_ids):
        partner_domain = [("partner_id", "in", [pid or False for pid in partner_ids])]
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH open_items AS (%(open_items)s)
                SELECT open_items.*, partner.complete_name AS partner_name
                  FROM open_items
                  LEFT JOIN res_partner partner ON partner.id = open_items.partner_id
                 WHERE open_amount <> 0
                 ORDER BY array_position(%(partners)s::int[], open_items.partner_id),
                          open_items.age_date,
                          open_items.id
                """,
                open_items=self._bo_open_items_sql(partner_domain),
                partners=list(partner_ids),
            )
        )
        for row in rows:
            row["period"] = self._bo_period_of(row["days"])
            yield row
