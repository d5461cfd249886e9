from odoo import fields, models
from odoo.fields import Domain


class BoSaleReportFilterMixin(models.AbstractModel):
    """The sales agents among the filters of the reports on sales."""

    _inherit = "bo.sale.report.filter.mixin"

    # Each report names its own table (``relation``): the customers are
    # partners too.
    agent_ids = fields.Many2many(
        "res.partner",
        relation="bo_sale_report_filter_agent_rel",
        column1="wizard_id",
        column2="agent_id",
        string="Agents",
        domain=[("agent", "=", True)],
        help="Leave empty for every agent. Otherwise only the orders with a line of one "
        "of these agents.",
    )

    def _bo_filter_domain(self, prefix=""):
        domain = super()._bo_filter_domain(prefix)
        if not self.agent_ids:
            return domain
        agent_ids = self.agent_ids.ids
        if prefix:
            return domain & Domain(f"{prefix}order_line.agent_ids.agent_id", "in", agent_ids)
        # sale.report has no agent: its lines are those of the agents' orders
        # the user may read.
        orders = self.env["sale.order"].search([("order_line.agent_ids.agent_id", "in", agent_ids)])
        return domain & Domain(
            "order_reference", "in", [f"sale.order,{order_id}" for order_id in orders.ids]
        )
