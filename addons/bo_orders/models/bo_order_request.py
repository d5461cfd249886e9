from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError

# A request from the same customer within these days may be the same one again.
DUPLICATE_DAYS = 3
OPEN_STATES = ("new", "in_progress", "quoted")
# The actions that move a request, and the states each one starts from.
REQUEST_TRANSITIONS = {
    "start": ("new",),
    "quote": OPEN_STATES,
    "win": OPEN_STATES,
    "lose": OPEN_STATES,
    "cancel": OPEN_STATES,
    "reopen": ("lost", "cancelled"),
    "unquote": ("quoted",),
}
# What each action writes besides the state.
REQUEST_TRANSITION_WRITES = {
    "lose": ("state", "lost_reason"),
    "reopen": ("state", "lost_reason"),
}


class BoOrderRequest(models.Model):
    """A customer's request for an offer or an order, as it reaches the desk."""

    _name = "bo.order.request"
    _inherit = ["bo.deadline.mixin", "bo.transition.mixin"]
    _bo_transitions = REQUEST_TRANSITIONS
    _bo_transition_writes = REQUEST_TRANSITION_WRITES
    _description = "Order Request"
    _order = "id desc"
    _check_company_auto = True
    _primary_email = "email_from"
    _deadline_done_states = ("quoted", "won", "lost", "cancelled")

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        bo_guarded=True,
    )
    title = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
        help="Empty when the request came by email from an unknown sender: set it "
        "before making the quotation.",
        ondelete="restrict",
    )
    contact_id = fields.Many2one(
        "res.partner",
        check_company=True,
        domain="[('id', 'child_of', partner_id)]",
        ondelete="restrict",
    )
    email_from = fields.Char(string="Email")
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("phone", "Phone"),
            ("agent", "Agent"),
            ("fair", "Fair"),
            ("web", "Web"),
            ("other", "Other"),
        ],
        required=True,
        default="phone",
        tracking=True,
    )
    agent_id = fields.Many2one(
        "res.partner",
        check_company=True,
        tracking=True,
        compute="_compute_agent_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        help="The sales agent who brought the request, by default the customer's "
        "first agent. Agents are usually external and paid on commission, so they "
        "are contacts rather than users. The quotation's lines get this agent.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Clerk",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    # The state moves through the request's actions and its quotations; the
    # reason it was lost is written with it.
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("quoted", "Quoted"),
            ("won", "Won"),
            ("lost", "Lost"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        readonly=True,
        tracking=True,
        index=True,
        bo_guarded=True,
    )
    lost_reason = fields.Text(tracking=True, copy=False, readonly=True, bo_guarded=True)
    description = fields.Html(string="Notes")
    line_ids = fields.One2many("bo.order.request.line", "request_id", string="Lines", copy=True)
    sale_order_ids = fields.One2many("sale.order", "bo_request_id", string="Quotations")
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    deadline_date = fields.Date(
        string="Answer By", default=lambda self: self._default_deadline_date()
    )
    duplicate_request_ids = fields.Many2many(
        "bo.order.request",
        string="Possible Duplicates",
        compute="_compute_duplicate_request_ids",
    )

    @api.model
    def _default_deadline_date(self):
        """Today plus the company's answer days, counting Monday to Friday only."""
        day = fields.Date.context_today(self)
        remaining = self.env.company.bo_request_answer_days
        while remaining > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                remaining -= 1
        return day

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        for request in self:
            request.sale_order_count = len(request.sale_order_ids)

    @api.depends("partner_id", "create_date")
    def _compute_duplicate_request_ids(self):
        partners = self.partner_id.commercial_partner_id
        if not partners:
            self.duplicate_request_ids = False
            return
        now = fields.Datetime.now()
        window = timedelta(days=DUPLICATE_DAYS)
        dates = [request.create_date or now for request in self]
        candidates = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "not in", ("lost", "cancelled")),
                ("create_date", ">=", min(dates) - window),
                ("create_date", "<=", max(dates) + window),
            ]
        )
        for request in self:
            request.duplicate_request_ids = candidates.filtered_domain(
                [
                    ("partner_id", "=", request.partner_id.commercial_partner_id.id),
                    ("id", "!=", request._origin.id),
                    ("create_date", ">=", (request.create_date or now) - window),
                    ("create_date", "<=", (request.create_date or now) + window),
                ]
            )

    @api.depends("partner_id")
    def _compute_agent_id(self):
        for request in self:
            agents = request.partner_id.commercial_partner_id.commission_agent_ids
            if agents and request.agent_id not in agents:
                request.agent_id = agents[:1]
            else:
                # no agent on the customer, or one of theirs chosen: keep it
                request.agent_id = request.agent_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in ("quoted", "won", "lost"):
            return self.env.ref(f"bo_orders.mt_bo_order_request_{self.state}")
        return super()._track_subtype(init_values)

    @api.model_create_multi
    def create(self, vals_list):
        placeholder = self.env._("New")
        for vals in vals_list:
            # the placeholder the mail gateway sends (else it would use the
            # subject) is the code default: the sequence replaces it
            if vals.get("name") == placeholder:
                del vals["name"]
            # the caller's values, before the request adds its reference
            self._bo_guard_check(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = (
                self.env["ir.sequence"].with_company(company).next_by_code("bo.order.request")
                or placeholder
            )
        requests = super(BoOrderRequest, bo_guard.grant(self, "name")).create(vals_list)
        return requests.with_env(self.env)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_quoted(self):
        """A request that made quotations stays with them: cancelled, not deleted."""
        # sudo: the quotations count whoever deletes the request
        quoted = self.env["sale.order"].sudo().search([("bo_request_id", "in", self.ids)], limit=1)
        if quoted:
            raise UserError(
                self.env._(
                    "Request %(request)s made the quotation %(order)s: cancel the request "
                    "instead of deleting it, so the quotation keeps where it came from.",
                    request=quoted.bo_request_id.name,
                    order=quoted.name,
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _bo_transition_labels(self):
        return {
            "start": self.env._("started"),
            "quote": self.env._("quoted"),
            "win": self.env._("won"),
            "lose": self.env._("marked as lost"),
            "cancel": self.env._("cancelled"),
            "reopen": self.env._("reopened"),
            "unquote": self.env._("put back in progress"),
        }

    def action_start(self):
        self._bo_check_transition("start")
        for request in self:
            request._bo_transition(
                "start", {"state": "in_progress", "user_id": request.user_id.id or self.env.uid}
            )
        return True

    def action_cancel(self):
        self._bo_transition("cancel", {"state": "cancelled"})
        return True

    def action_reopen(self):
        self._bo_transition("reopen", {"state": "in_progress", "lost_reason": False})
        return True

    def action_mark_lost(self):
        self._bo_check_transition("lose")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Lost"),
            "res_model": "bo.order.request.lost",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def _set_lost(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the request was lost."))
        self._bo_transition("lose", {"state": "lost", "lost_reason": reason.strip()})

    def _bo_follow_quotations(self):
        """Follow the outcome of the quotations: one confirmed wins the request,
        all of them cancelled loses it."""
        for request in self._bo_can_transition("win"):
            states = set(request.sale_order_ids.mapped("state"))
            if "sale" in states:
                request._bo_transition("win", {"state": "won"})
            elif states == {"cancel"}:
                request._set_lost(self.env._("The quotation was cancelled."))

    def _prepare_sale_order_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.title,
            "bo_request_id": self.id,
            "order_line": [
                Command.create(self._bo_with_agent(line._prepare_sale_order_line_vals()))
                for line in self.line_ids
            ],
        }

    def _bo_with_agent(self, line_vals):
        """The quotation's lines earn the request's agent a commission, when the
        agent is not the customer's own (the lines get the customer's agents)."""
        agent = self.agent_id
        customer_agents = self.partner_id.commercial_partner_id.commission_agent_ids
        if agent.agent and agent not in customer_agents and not line_vals.get("display_type"):
            line_vals["agent_ids"] = [
                Command.create({"agent_id": agent.id, "commission_id": agent.commission_id.id})
            ]
        return line_vals

    def action_create_quotation(self):
        self.ensure_one()
        self._bo_check_transition("quote")
        if not self.partner_id:
            raise UserError(self.env._("Set the customer before making the quotation."))
        if not self.line_ids:
            raise UserError(self.env._("Add at least one requested line."))
        order = self.env["sale.order"].create(self._prepare_sale_order_vals())
        self._bo_transition("quote", {"state": "quoted"})
        order.message_post(
            body=Markup(self.env._("Made from the order request %s.")) % self._get_html_link()
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _bo_quotations_deleted(self, orders):
        """Quotations ``orders`` are being deleted: noted on their requests; a
        quoted request left without quotations is in progress again, so that
        its deadline counts."""
        for request in self:
            deleted = orders.filtered(lambda o, r=request: o.bo_request_id == r)
            request.message_post(
                body=self.env._(
                    "Quotation %(names)s deleted.", names=", ".join(deleted.mapped("name"))
                ),
                subtype_xmlid="mail.mt_note",
            )
            if request._bo_can_transition("unquote") and not request.sale_order_ids - deleted:
                request._bo_transition("unquote", {"state": "in_progress"})

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            {
                "domain": [("bo_request_id", "=", self.id)],
                "context": {
                    "default_bo_request_id": self.id,
                    "default_partner_id": self.partner_id.id,
                },
            }
        )
        if self.sale_order_count == 1:
            action.update(
                {"view_mode": "form", "views": [(False, "form")], "res_id": self.sale_order_ids.id}
            )
        return action
