from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class BoSalesReportWizard(models.TransientModel):
    """The sales performance by sales agent: the revenue of the order lines
    of each agent (OCA's agents on order lines; a line with two agents counts
    for each of them)."""

    _inherit = "bo.sales.report.wizard"

    agent_ids = fields.Many2many(relation="bo_sales_report_wizard_agent_rel")
    by_agent = fields.Boolean(help="Add a sheet of the revenue of each sales agent's order lines.")

    def _bo_line_dimensions(self):
        dimensions = super()._bo_line_dimensions()
        if self.by_agent:
            dimensions.append(("agent", self.env._("By Agent")))
        return dimensions

    def _bo_line_dimension_summary(self, key):
        if key != "agent":
            return super()._bo_line_dimension_summary(key)
        return self._bo_agent_summary()

    def _bo_key_names(self, dimension_field, ids):
        if dimension_field != "agent":
            return super()._bo_key_names(dimension_field, ids)
        # sudo: the name of an agent of a line the user may read
        agents = self.env["res.partner"].sudo().with_context(active_test=False).browse(ids)
        return {agent.id: agent.display_name for agent in agents}

    def _bo_agent_summary(self):
        """Rows of the agents, as those of ``_bo_sales_summary``: the order
        lines are found through ``sale.order.line._search`` as the user
        (record rules apply), in the company's currency; one query."""
        self.ensure_one()
        periods = {key: self._bo_period_bounds(p) for key, p in self._bo_periods().items()}
        lines = self.env["sale.order.line"].with_company(self.company_id)
        in_periods = Domain.OR(
            Domain([("order_id.date_order", ">=", start), ("order_id.date_order", "<", stop)])
            for start, stop in periods.values()
        )
        domain = (
            Domain(
                [
                    ("order_id.company_id", "=", self.company_id.id),
                    ("state", "in", self.env["sale.report"]._get_done_states()),
                    ("display_type", "=", False),
                    ("product_id", "!=", False),
                ]
            )
            & in_periods
            & self._bo_filter_domain(prefix="order_id.")
        )
        for model in ("sale.order.line", "sale.order", "sale.order.line.agent"):
            self.env[model].flush_model()
        query = lines._search(domain)
        rate = SQL(
            "CASE COALESCE(sale.currency_rate, 0) WHEN 0 THEN 1.0 ELSE sale.currency_rate END"
        )
        current_start, current_stop = periods["current"]
        in_current = SQL(
            "sale.date_order >= %s AND sale.date_order < %s", current_start, current_stop
        )
        sums = SQL(", ").join(
            SQL(
                "COALESCE(SUM(line.price_subtotal / %s) FILTER "
                "(WHERE sale.date_order >= %s AND sale.date_order < %s), 0) AS %s",
                rate,
                start,
                stop,
                SQL.identifier(name),
            )
            for name, (start, stop) in periods.items()
        )
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT agent.agent_id AS key,
                       %(sums)s,
                       COALESCE(SUM(COALESCE(line.margin, 0) / %(rate)s)
                                FILTER (WHERE %(in_current)s), 0) AS margin,
                       COALESCE(SUM(line.product_uom_qty) FILTER (WHERE %(in_current)s), 0)
                           AS quantity
                  FROM sale_order_line line
                  JOIN sale_order sale ON sale.id = line.order_id
                  JOIN sale_order_line_agent agent ON agent.object_id = line.id
                 WHERE line.id IN %(lines)s %(agents)s
                 GROUP BY agent.agent_id
                """,
                sums=sums,
                rate=rate,
                in_current=in_current,
                lines=query.subselect(),
                agents=SQL("AND agent.agent_id = ANY(%s)", self.agent_ids.ids)
                if self.agent_ids
                else SQL(),
            )
        )
