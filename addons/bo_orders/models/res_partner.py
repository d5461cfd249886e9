from odoo import api, fields, models

DESK = "bo_orders.group_bo_order_desk"


class ResPartner(models.Model):
    """What the order desk needs on a sales agent (OCA's ``agent`` partners),
    and the counts of a customer's claims and agreements.

    The agent's worklist counts only exist for the order desk (``groups``):
    salespeople, accountants and portal users read partners without them.
    """

    _inherit = "res.partner"

    # OCA's settlements of an agent: only those who may read settlements get them,
    # so that salespeople, accountants and portal users read partners as before
    settlement_ids = fields.One2many(
        groups="commission_oca.group_commission_user,"
        "account_commission_oca.group_invoicing_commission"
    )
    bo_enasarco_mandate_type = fields.Selection(
        [("single", "Single-mandate"), ("multi", "Multi-mandate")],
        string="Enasarco Mandate",
        help="For Italian companies: the agent is enrolled with Enasarco as a "
        "single-mandate or multi-mandate agent. Leave empty for agents that are "
        "not enrolled (foreign agents, companies).",
    )
    bo_agent_currency_id = fields.Many2one(
        "res.currency",
        string="Agent's Currency",
        help="Currency in which the agent's statement also shows the amounts, for agents abroad.",
    )
    bo_commission_invoice_state = fields.Selection(
        related="commission_id.invoice_state",
        string="Commission Earned On",
        help="Commissions are earned on invoiced amounts or on paid amounts, as set "
        "on the agent's commission: choose a commission of the wanted kind.",
    )
    bo_agent_request_count = fields.Integer(
        string="Open Requests", compute="_compute_bo_agent_counts", groups=DESK
    )
    bo_agent_order_count = fields.Integer(
        string="Open Orders", compute="_compute_bo_agent_counts", groups=DESK
    )
    bo_agent_late_delivery_count = fields.Integer(
        string="Late Deliveries", compute="_compute_bo_agent_counts", groups=DESK
    )
    bo_agent_overdue_invoice_count = fields.Integer(
        string="Overdue Invoices", compute="_compute_bo_agent_counts", groups=DESK
    )
    bo_claim_count = fields.Integer(string="Claims", compute="_compute_bo_claim_count")
    bo_agreement_count = fields.Integer(
        string="Agreements",
        compute="_compute_bo_agreement_count",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_bo_agent_counts(self):
        self.update(
            {
                "bo_agent_request_count": 0,
                "bo_agent_order_count": 0,
                "bo_agent_late_delivery_count": 0,
                "bo_agent_overdue_invoice_count": 0,
            }
        )
        for agent in self.filtered(lambda p: p.agent and p.id):
            agent.bo_agent_request_count = self.env["bo.order.request"].search_count(
                agent._bo_agent_request_domain()
            )
            agent.bo_agent_order_count = self.env["sale.order"].search_count(
                agent._bo_agent_order_domain()
            )
            agent.bo_agent_late_delivery_count = self.env["stock.picking"].search_count(
                agent._bo_agent_late_delivery_domain()
            )
            agent.bo_agent_overdue_invoice_count = self.env["account.move"].search_count(
                agent._bo_agent_overdue_invoice_domain()
            )

    def _bo_agent_request_domain(self):
        return [("agent_id", "=", self.id), ("state", "in", ("new", "in_progress", "quoted"))]

    def _bo_agent_order_domain(self):
        return [
            ("partner_agent_ids", "in", self.ids),
            ("state", "=", "sale"),
            ("invoice_status", "!=", "invoiced"),
        ]

    def _bo_agent_late_delivery_domain(self):
        return [
            ("picking_type_code", "=", "outgoing"),
            ("state", "not in", ("done", "cancel")),
            ("scheduled_date", "<", fields.Datetime.now()),
            ("sale_id.partner_agent_ids", "in", self.ids),
        ]

    def _bo_agent_overdue_invoice_domain(self):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
            "|",
            ("partner_agent_ids", "in", self.ids),
            ("commercial_partner_id.commission_agent_ids", "in", self.ids),
        ]

    def _bo_agent_action(self, xmlid, domain, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(
            {
                "name": self.env._("%(list)s of %(agent)s", list=name, agent=self.display_name),
                "domain": domain,
                "context": {"create": False},
            }
        )
        return action

    def action_bo_agent_requests(self):
        return self._bo_agent_action(
            "bo_orders.action_bo_order_request",
            self._bo_agent_request_domain(),
            self.env._("Open requests"),
        )

    def action_bo_agent_orders(self):
        return self._bo_agent_action(
            "sale.action_orders", self._bo_agent_order_domain(), self.env._("Open orders")
        )

    def action_bo_agent_late_deliveries(self):
        return self._bo_agent_action(
            "stock.action_picking_tree_all",
            self._bo_agent_late_delivery_domain(),
            self.env._("Late deliveries"),
        )

    def action_bo_agent_overdue_invoices(self):
        return self._bo_agent_action(
            "account.action_move_out_invoice_type",
            self._bo_agent_overdue_invoice_domain(),
            self.env._("Overdue invoices"),
        )

    def action_bo_agent_statement(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_orders.action_bo_agent_statement"
        )
        action["context"] = {"default_agent_id": self.id}
        return action

    @api.depends_context("uid")
    def _compute_bo_claim_count(self):
        # Computed for whoever reads the partner (a portal customer, a stock
        # user): the claims they may read are counted, none without access.
        Claim = self.env["bo.customer.claim"]
        counts = {}
        if Claim.has_access("read"):
            commercial = self.commercial_partner_id
            counts = dict(
                Claim._read_group(
                    [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.bo_claim_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_bo_claims(self):
        self.ensure_one()
        return self.env["bo.customer.claim"]._action_for_domain(
            [("partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.commercial_partner_id.id},
        )

    def _compute_bo_agreement_count(self):
        # the reader's own rights: salespeople read the agreements of their companies
        groups = self.env["bo.sale.agreement"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.bo_agreement_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_bo_agreements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("bo_orders.action_bo_sale_agreement")
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action
