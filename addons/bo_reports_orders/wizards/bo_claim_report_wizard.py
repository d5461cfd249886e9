from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import split_every


class BoClaimReportWizard(models.TransientModel):
    """Statistics of the customer claims received in a period: the filters of
    the Claims Statistics (XLSX) report and the queries behind it.

    Counts come from ``_read_group`` on the claims as the user: the same
    numbers as the claims' pivot view, for the claims the user may read.
    """

    _name = "bo.claim.report.wizard"
    _inherit = ["bo.report.wizard.mixin", "bo.report.period.mixin"]
    _description = "Claims Statistics Report"
    _bo_report_ref = "bo_reports_orders.action_report_bo_claim_xlsx"

    # Claims read per query for the claims sheet.
    _claim_batch_size = 2000

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        check_company=True,
        help="Leave empty for every customer. A company includes its contacts.",
    )
    product_ids = fields.Many2many("product.product", string="Products", check_company=True)

    def _bo_claim_domain(self):
        self.ensure_one()
        start, stop = self._bo_period_bounds((self.date_from, self.date_to))
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("received_date", ">=", start),
                ("received_date", "<", stop),
            ]
        )
        if self.partner_ids:
            domain &= Domain("partner_id", "child_of", self.partner_ids.ids)
        if self.product_ids:
            domain &= Domain("product_id", "in", self.product_ids.ids)
        return domain

    def _bo_dimensions(self):
        """(groupby, sheet title) of the statistics sheets."""
        titles = [
            self.env._("By Type"),
            self.env._("By Root Cause"),
            self.env._("By Product"),
            self.env._("By Month"),
        ]
        groupbys = ["claim_type", "root_cause", "product_id", "received_date:month"]
        return list(zip(groupbys, titles, strict=True))

    def _bo_claim_statistics(self, groupby):
        """[(group value, figures)] of the period's claims grouped by
        ``groupby``: ``count``, ``open``, ``done``, ``cancelled``, ``overdue``
        and ``days`` (the average days to resolve of the resolved claims)."""
        self.ensure_one()
        # ``received_date:month`` in the report's time zone, as the period's
        # bounds: _read_group groups datetimes in the context's, if any.
        claims = self.env["bo.customer.claim"].with_context(tz=self._bo_tz())
        domain = self._bo_claim_domain()
        figures = {}

        def figures_of(value):
            return figures.setdefault(
                value, {"count": 0, "open": 0, "done": 0, "cancelled": 0, "overdue": 0, "days": 0}
            )

        for value, state, count in claims._read_group(domain, [groupby, "state"], ["__count"]):
            group = figures_of(value)
            group["count"] += count
            group["open" if state in ("new", "open") else state] += count
        overdue = domain & Domain("deadline_state", "=", "overdue")
        for value, count in claims._read_group(overdue, [groupby], ["__count"]):
            figures_of(value)["overdue"] = count
        resolved = domain & Domain("resolution_date", "!=", False)
        for value, days in claims._read_group(resolved, [groupby], ["resolution_days:avg"]):
            figures_of(value)["days"] = days or 0
        return list(figures.items())

    def _bo_claims(self):
        """Yield the period's claims by date received, read in batches."""
        self.ensure_one()
        claims = self.env["bo.customer.claim"].search(
            self._bo_claim_domain(), order="received_date, id"
        )
        names = [
            "name",
            "received_date",
            "partner_id",
            "title",
            "claim_type",
            "priority",
            "stage_id",
            "product_id",
            "root_cause",
            "resolution_days",
            "deadline_date",
            "deadline_state",
        ]
        for done, batch in enumerate(split_every(self._claim_batch_size, claims.ids)):
            self._bo_progress(done * self._claim_batch_size, len(claims))
            batch = claims.browse(batch)
            batch.fetch(names)
            yield from batch
            batch.invalidate_recordset()
