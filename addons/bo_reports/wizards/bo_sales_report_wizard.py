from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL, split_every


class BoSalesReportWizard(models.TransientModel):
    """Sales performance of a period against the previous period and the same
    period last year: the filters of the Sales Performance (XLSX) report and
    the queries behind it.

    Totals come from ``sale.report``, the model of Odoo's Sales Analysis, read
    through the ORM's ``_search`` as the user: the spreadsheet shows the same
    numbers as the pivot view, and only the lines the user may see there.
    """

    _name = "bo.sales.report.wizard"
    _inherit = ["bo.sale.report.filter.mixin", "bo.report.period.mixin"]
    _description = "Sales Performance Report"
    _bo_report_ref = "bo_reports.action_report_bo_sales_xlsx"

    # Order lines fetched per query for the detail sheet.
    _detail_batch_size = 10000

    by_customer = fields.Boolean(default=True)
    by_product = fields.Boolean(default=True)
    by_category = fields.Boolean(string="By Product Category", default=True)
    by_salesperson = fields.Boolean(default=True)
    by_country = fields.Boolean(default=True)
    detail = fields.Boolean(
        string="Order Lines Sheet",
        help="Add a sheet with every order line of the period.",
    )

    # ------------------------------------------------------------------
    # Periods and dimensions
    # ------------------------------------------------------------------

    def _bo_periods(self):
        """{key: (first day, last day)} of the period, the previous period and
        the same period last year.

        A period of whole months is compared with as many whole months before
        it (March with February, a quarter with the quarter before); any other
        period with as many days before it.
        """
        self.ensure_one()
        start, end = self.date_from, self.date_to
        last_year_start = start - relativedelta(years=1)
        if start.day == 1 and (end + timedelta(days=1)).day == 1:
            months = relativedelta(
                months=(end.year - start.year) * 12 + end.month - start.month + 1
            )
            previous = (start - months, start - timedelta(days=1))
            # February last year may have a day more or less than this one.
            last_year = (last_year_start, last_year_start + months - timedelta(days=1))
        else:
            previous = (start - (end - start) - timedelta(days=1), start - timedelta(days=1))
            last_year = (last_year_start, end - relativedelta(years=1))
        return {"current": (start, end), "previous": previous, "last_year": last_year}

    def _bo_dimensions(self):
        """(key, ``sale.report`` field, sheet title) of the chosen dimensions.
        Extended by bridges that add a dimension (e.g. the sales agent)."""
        self.ensure_one()
        titles = {
            "customer": self.env._("By Customer"),
            "product": self.env._("By Product"),
            "category": self.env._("By Category"),
            "salesperson": self.env._("By Salesperson"),
            "country": self.env._("By Country"),
        }
        dimensions = [
            (key, fname, titles[key])
            for key, fname in (
                ("customer", "commercial_partner_id"),
                ("product", "product_id"),
                ("category", "categ_id"),
                ("salesperson", "user_id"),
                ("country", "country_id"),
            )
        ]
        return [dim for dim in dimensions if self[f"by_{dim[0]}"]]

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def _bo_report_lines(self):
        """``sale.report`` as the user, in the company's currency."""
        return self.env["sale.report"].with_company(self.company_id)

    def _bo_sales_summary(self):
        """Sales of the three periods, per value of each chosen dimension and
        per month.

        One query over ``sale.report`` (grouping sets), whatever the number of
        customers or products. Returns ``{dimension key or 'month': [row]}``
        where each row has ``key`` (an id, a month or None) and the amounts
        ``current``, ``previous``, ``last_year``, ``margin``, ``quantity``.
        """
        self.ensure_one()
        report = self._bo_report_lines()
        periods = {key: self._bo_period_bounds(p) for key, p in self._bo_periods().items()}
        in_periods = Domain.OR(
            Domain([("date", ">=", start), ("date", "<", stop)]) for start, stop in periods.values()
        )
        domain = (
            Domain("company_id", "=", self.company_id.id)
            & Domain("state", "in", report._get_done_states())
            & in_periods
            & self._bo_filter_domain()
        )
        report.flush_model()
        query = report._search(domain)
        # The month of each line's date in the report's time zone, as Odoo's
        # read_group groups by ``date:month``: an order of 1 March 00:30 in
        # Rome (28 February 23:30 UTC) is March's, as the period's bounds say.
        month = report.with_context(tz=self._bo_tz())._read_group_groupby(
            report._table, "date:month", query
        )
        columns = {
            fname: SQL.identifier(report._table, fname) for _k, fname, _t in self._bo_dimensions()
        }
        lines = query.select(
            *(SQL("%s AS %s", column, SQL.identifier(fname)) for fname, column in columns.items()),
            SQL("%s::date AS month", month),
            SQL.identifier(report._table, "date"),
            SQL.identifier(report._table, "price_subtotal"),
            SQL.identifier(report._table, "margin"),
            SQL.identifier(report._table, "product_uom_qty"),
        )
        group_columns = [SQL.identifier(fname) for fname in columns] + [SQL("month")]
        which = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN GROUPING(%s) = 0 THEN %s", column, name)
                for column, name in zip(group_columns, [*columns, "month"], strict=True)
            ),
        )
        key = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN GROUPING(%s) = 0 THEN %s", column, SQL("%s::text", column))
                for column in group_columns
            ),
        )
        sums = [
            SQL(
                "COALESCE(SUM(price_subtotal) FILTER (WHERE date >= %s AND date < %s), 0) AS %s",
                start,
                stop,
                SQL.identifier(name),
            )
            for name, (start, stop) in periods.items()
        ]
        current_start, current_stop = periods["current"]
        in_current = SQL("date >= %s AND date < %s", current_start, current_stop)
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH lines AS (%(lines)s)
                SELECT %(which)s AS dimension,
                       %(key)s AS key,
                       %(sums)s,
                       COALESCE(SUM(margin) FILTER (WHERE %(in_current)s), 0) AS margin,
                       COALESCE(SUM(product_uom_qty) FILTER (WHERE %(in_current)s), 0) AS quantity
                  FROM lines
                 GROUP BY GROUPING SETS (%(sets)s)
                """,
                lines=lines,
                which=which,
                key=key,
                sums=SQL(", ").join(sums),
                in_current=in_current,
                sets=SQL(", ").join(SQL("(%s)", column) for column in group_columns),
            )
        )
        fields_by_dimension = {fname: dim for dim, fname, _title in self._bo_dimensions()}
        summary = {dim: [] for dim in [*fields_by_dimension.values(), "month"]}
        for row in rows:
            dimension = fields_by_dimension.get(row["dimension"], row["dimension"])
            if dimension == "month":
                row["key"] = fields.Date.to_date(row["key"])
            elif row["key"] is not None:
                row["key"] = int(row["key"])
            summary[dimension].append(row)
        return summary

    def _bo_line_dimensions(self):
        """(key, sheet title) of the chosen dimensions that are not columns of
        ``sale.report`` (e.g. the sales agent, added by a bridge): each has its
        rows from ``_bo_line_dimension_summary(key)``, as those of
        ``_bo_sales_summary``, and its names from ``_bo_key_names(key, ids)``."""
        return []

    def _bo_line_dimension_summary(self, key):
        raise NotImplementedError(key)

    def _bo_key_names(self, dimension_field, ids):
        """{id: display name} of the values of a dimension.

        Read as superuser, as the pivot view does for the groups it shows: the
        user may read the order lines, hence what they are grouped by.
        """
        comodel = self.env["sale.report"]._fields[dimension_field].comodel_name
        records = self.env[comodel].sudo().with_context(active_test=False).browse(ids)
        return {record.id: record.display_name for record in records}

    def _bo_detail_lines(self):
        """Yield the order lines of the period one by one, by order date.

        The lines are found once through ``sale.order.line._search`` as the
        user (record rules apply), then read by primary key in batches of
        ``_detail_batch_size``: memory holds their ids and one batch at a time.
        Amounts are in the company's currency.
        """
        self.ensure_one()
        lines = self.env["sale.order.line"].with_company(self.company_id)
        start, stop = self._bo_period_bounds(self._bo_periods()["current"])
        domain = Domain(
            [
                ("order_id.company_id", "=", self.company_id.id),
                ("state", "in", self.env["sale.report"]._get_done_states()),
                ("order_id.date_order", ">=", start),
                ("order_id.date_order", "<", stop),
                ("display_type", "=", False),
                ("product_id", "!=", False),
            ]
        ) & self._bo_filter_domain(prefix="order_id.")
        for model in ("sale.order.line", "sale.order", "product.product", "res.partner"):
            self.env[model].flush_model()
        query = lines._search(domain)
        line_ids = [
            line_id
            for (line_id,) in self.env.execute_query(
                SQL(
                    """
                    SELECT line.id
                      FROM sale_order_line line
                      JOIN sale_order sale ON sale.id = line.order_id
                     WHERE line.id IN %s
                     ORDER BY sale.date_order, line.id
                    """,
                    query.subselect(),
                )
            )
        ]
        lang = self.env.lang or "en_US"
        tz = self._bo_tz()
        product_names = {}
        for done, batch in enumerate(split_every(self._detail_batch_size, line_ids, list)):
            self._bo_progress(done * self._detail_batch_size, len(line_ids))
            rows = self.env.execute_query_dict(
                SQL(
                    """
                    SELECT timezone(%(tz)s, timezone('UTC', sale.date_order))::date AS date,
                           sale.name AS order_name,
                           customer.complete_name AS customer,
                           line.product_id,
                           category.complete_name AS category,
                           salesperson.name AS salesperson,
                           COALESCE(country.name->>%(lang)s, country.name->>'en_US') AS country,
                           line.product_uom_qty AS quantity,
                           COALESCE(uom.name->>%(lang)s, uom.name->>'en_US') AS unit,
                           line.price_subtotal / %(rate)s AS amount,
                           COALESCE(line.margin, 0) / %(rate)s AS margin
                      FROM sale_order_line line
                      JOIN sale_order sale ON sale.id = line.order_id
                      JOIN res_partner customer ON customer.id = sale.partner_id
                      JOIN product_product product ON product.id = line.product_id
                      JOIN product_template template ON template.id = product.product_tmpl_id
                      LEFT JOIN product_category category ON category.id = template.categ_id
                      LEFT JOIN res_users users ON users.id = sale.user_id
                      LEFT JOIN res_partner salesperson ON salesperson.id = users.partner_id
                      LEFT JOIN res_country country ON country.id = customer.country_id
                      LEFT JOIN uom_uom uom ON uom.id = line.product_uom_id
                     WHERE line.id = ANY(%(batch)s)
                     ORDER BY sale.date_order, line.id
                    """,
                    tz=tz,
                    lang=lang,
                    rate=SQL(
                        "CASE COALESCE(sale.currency_rate, 0) WHEN 0 THEN 1.0 "
                        "ELSE sale.currency_rate END"
                    ),
                    batch=batch,
                )
            )
            yield from self._bo_name_products(rows, product_names)
