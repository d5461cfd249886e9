from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class BoBacklogReportWizard(models.TransientModel):
    """What confirmed orders still have to deliver, and how late it is: the
    filters of the Order Backlog (XLSX) report and the queries behind it.

    A line's promised date is the order's delivery date (commitment date) when
    the customer was promised one, otherwise the order date plus the line's
    lead time, as Odoo computes the expected date. Lines are read through the
    ORM's ``_search`` as the user, so record rules decide what is reported.
    """

    _name = "bo.backlog.report.wizard"
    _inherit = "bo.sale.report.filter.mixin"
    _description = "Order Backlog Report"
    _bo_report_ref = "bo_reports.action_report_bo_backlog_xlsx"

    # Open lines fetched per query for the backlog sheet.
    _detail_batch_size = 5000

    as_of_date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="Days late are counted up to this date.",
    )
    late_only = fields.Boolean(
        string="Late Lines Only",
        help="Only lines whose promised date is before the as-of date.",
    )

    def _bo_open_lines_sql(self):
        """SQL of the open lines, one row per order line still to deliver."""
        self.ensure_one()
        lines = self.env["sale.order.line"].with_company(self.company_id)
        domain = Domain(
            [
                ("order_id.company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("display_type", "=", False),
                ("product_id.type", "=", "consu"),
            ]
        ) & self._bo_filter_domain(prefix="order_id.")
        for model in ("sale.order.line", "sale.order", "product.product"):
            self.env[model].flush_model()
        query = lines._search(domain)
        tz = self._bo_tz()
        promised = SQL(
            "timezone(%s, timezone('UTC', COALESCE(sale.commitment_date, "
            "sale.date_order + line.customer_lead * interval '1 day')))::date",
            tz,
        )
        late_only = SQL("AND %s < %s", promised, self.as_of_date) if self.late_only else SQL()
        return SQL(
            """
            SELECT line.id,
                   sale.partner_id,
                   sale.name AS order_name,
                   timezone(%(tz)s, timezone('UTC', sale.date_order))::date AS order_date,
                   %(promised)s AS promised_date,
                   GREATEST(%(as_of)s - %(promised)s, 0) AS days_late,
                   line.product_uom_qty AS ordered,
                   line.qty_delivered AS delivered,
                   line.product_uom_qty - line.qty_delivered AS to_deliver,
                   CASE WHEN line.product_uom_qty = 0 THEN 0
                        ELSE line.price_subtotal * (line.product_uom_qty - line.qty_delivered)
                             / line.product_uom_qty
                   END / CASE COALESCE(sale.currency_rate, 0) WHEN 0 THEN 1.0
                              ELSE sale.currency_rate END AS open_amount,
                   line.product_id,
                   line.product_uom_id,
                   sale.user_id
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
             WHERE line.id IN %(lines)s
               AND line.qty_delivered < line.product_uom_qty
               %(late_only)s
            """,
            tz=tz,
            promised=promised,
            as_of=self.as_of_date,
            lines=query.subselect(),
            late_only=late_only,
        )

    def _bo_backlog_summary(self):
        """Open and late amounts per customer (a company with its contacts), in
        one query."""
        self.ensure_one()
        return self.env.execute_query_dict(
            SQL(
                """
                WITH open_lines AS (%(open_lines)s)
                SELECT customer.id AS partner_id,
                       customer.complete_name AS partner_name,
                       COUNT(*) AS line_count,
                       SUM(open_amount) AS open_amount,
                       COALESCE(SUM(open_amount) FILTER (WHERE days_late > 0), 0) AS late_amount,
                       MAX(days_late) AS max_days_late
                  FROM open_lines
                  JOIN res_partner partner ON partner.id = open_lines.partner_id
                  JOIN res_partner customer ON customer.id = partner.commercial_partner_id
                 GROUP BY customer.id, customer.complete_name
                 ORDER BY SUM(open_amount) FILTER (WHERE days_late > 0) DESC NULLS LAST,
                          customer.complete_name
                """,
                open_lines=self._bo_open_lines_sql(),
            )
        )

    def _bo_backlog_lines(self):
        """Yield the open lines, earliest promise (the latest delivery) first, in batches of
        ``_detail_batch_size``."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        last, product_names = None, {}
        while True:
            after = SQL()
            if last:
                after = SQL(
                    "WHERE (open_lines.promised_date, open_lines.id) > (%s, %s)",
                    last["promised_date"],
                    last["id"],
                )
            rows = self.env.execute_query_dict(
                SQL(
                    """
                    WITH open_lines AS (%(open_lines)s)
                    SELECT open_lines.*,
                           customer.complete_name AS customer,
                           salesperson.name AS salesperson,
                           COALESCE(uom.name->>%(lang)s, uom.name->>'en_US') AS unit
                      FROM open_lines
                      JOIN res_partner customer ON customer.id = open_lines.partner_id
                      LEFT JOIN uom_uom uom ON uom.id = open_lines.product_uom_id
                      LEFT JOIN res_users users ON users.id = open_lines.user_id
                      LEFT JOIN res_partner salesperson ON salesperson.id = users.partner_id
                      %(after)s
                     ORDER BY open_lines.promised_date, open_lines.id
                     LIMIT %(limit)s
                    """,
                    open_lines=self._bo_open_lines_sql(),
                    lang=lang,
                    after=after,
                    limit=self._detail_batch_size,
                )
            )
            yield from self._bo_name_products(rows, product_names)
            if len(rows) < self._detail_batch_size:
                return
            last = rows[-1]
