from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError, ValidationError

AGREEMENT_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
]
# state reached: the states it may come from
# The actions that move an agreement, and the states each one starts from.
AGREEMENT_TRANSITIONS = {
    "activate": ("draft",),
    "expire": ("active",),
    "terminate": ("active",),
}
# What an agreement in force agreed with the customer: changed only by a
# renewal, never in place.
AGREEMENT_LOCKED_FIELDS = frozenset(
    (
        "partner_id",
        "company_id",
        "currency_id",
        "agreement_type",
        "date_start",
        "date_end",
        "line_ids",
    )
)


class BoSaleAgreement(models.Model):
    """What a customer agreed with us for a period: prices or discounts per
    product or category, a yearly volume, payment terms and incoterm."""

    _name = "bo.sale.agreement"
    _inherit = ["bo.deadline.mixin", "bo.transition.mixin"]
    _bo_transitions = AGREEMENT_TRANSITIONS
    _description = "Customer Agreement"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Gets the reminder before the agreement ends.",
    )
    agreement_type = fields.Selection(
        [
            ("framework", "Framework Agreement"),
            ("price", "Price Agreement"),
            ("volume", "Annual Volume"),
        ],
        string="Type",
        required=True,
        default="price",
        tracking=True,
    )
    # The state, the links between versions (set by the renewal wizard) and
    # the deadline follow-up are the agreement's own actions' to write.
    state = fields.Selection(
        AGREEMENT_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        bo_guarded=True,
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    reminder_days = fields.Integer(
        string="Remind Days Before End",
        default=30,
        help="The salesperson gets an activity this many days before the end date.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    line_ids = fields.One2many(
        "bo.sale.agreement.line", "agreement_id", string="Agreed Prices", copy=True
    )
    # what was agreed is kept: the terms and incoterm are not deleted under it
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    incoterm_id = fields.Many2one("account.incoterms", tracking=True, ondelete="restrict")
    volume_target = fields.Monetary(
        help="Untaxed amount of confirmed sales the customer commits to in the period.",
    )
    volume_achieved = fields.Monetary(
        string="Confirmed Sales",
        compute="_compute_volume",
        help="Untaxed amount of the customer's confirmed orders dated within the period.",
    )
    volume_progress = fields.Float(string="Volume Progress (%)", compute="_compute_volume")
    previous_id = fields.Many2one(
        "bo.sale.agreement",
        string="Renews",
        copy=False,
        index="btree_not_null",
        check_company=True,
        readonly=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    next_ids = fields.One2many("bo.sale.agreement", "previous_id", string="Renewals")
    next_id = fields.Many2one(
        "bo.sale.agreement",
        string="Renewed By",
        compute="_compute_next_id",
        store=True,
        bo_guarded=True,
    )
    note = fields.Html(string="Terms")
    deadline_date = fields.Date(
        string="Ends On",
        compute="_compute_deadline_date",
        store=True,
        tracking=False,
        bo_guarded=True,
    )

    _check_dates = models.Constraint(
        "CHECK(date_start <= date_end)",
        "An agreement cannot end before it starts.",
    )
    _check_figures = models.Constraint(
        "CHECK(volume_target >= 0 AND reminder_days >= 0)",
        "The volume target and the reminder days cannot be negative.",
    )

    @api.depends("date_end")
    def _compute_deadline_date(self):
        for agreement in self:
            agreement.deadline_date = agreement.date_end

    @api.depends("next_ids.state")
    def _compute_next_id(self):
        for agreement in self:
            renewals = agreement.next_ids.filtered(lambda a: a.state != "terminated")
            agreement.next_id = renewals[:1]

    @api.depends("reminder_days", "next_id", "state")
    def _compute_deadline_state(self):
        res = super()._compute_deadline_state()
        today = fields.Date.context_today(self)
        for agreement in self:
            if agreement.deadline_state == "on_time" and agreement.deadline_date <= today + (
                timedelta(days=agreement.reminder_days)
            ):
                agreement.deadline_state = "due_soon"
        return res

    def _deadline_is_done(self):
        """Nothing to remind of a draft, a terminated agreement or one that
        has been renewed."""
        return self.state in ("draft", "terminated") or bool(self.next_id)

    @api.model
    def _deadline_open_records(self, horizon=None):
        # Each agreement has its own reminder days: the horizon of the
        # company's 'due soon' days would skip them. Agreements are few.
        return super()._deadline_open_records()

    @api.model
    def _deadline_process(self):
        self._cron_bo_expire()
        return super()._deadline_process()

    @api.depends(
        "partner_id", "company_id", "date_start", "date_end", "currency_id", "volume_target"
    )
    def _compute_volume(self):
        # sudo: the progress is a figure of the agreement; its readers need not
        # read every order of the customer. One query for all agreements.
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("state", "=", "sale"),
                    ("partner_id", "child_of", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("date_order", ">=", min(self.mapped("date_start"), default=False)),
                    (
                        "date_order",
                        "<",
                        max(self.mapped("date_end"), default=False) + timedelta(days=1),
                    ),
                ]
            )
            if self.partner_id and all(self.mapped("date_end"))
            else self.env["sale.order"]
        )
        for agreement in self:
            total = 0.0
            for order in orders:
                day = order.date_order.date()
                if (
                    order.company_id == agreement.company_id
                    and order.partner_id.commercial_partner_id == agreement.partner_id
                    and agreement.date_start <= day <= agreement.date_end
                ):
                    total += order.currency_id._convert(
                        order.amount_untaxed, agreement.currency_id, agreement.company_id, day
                    )
            agreement.volume_achieved = total
            target = agreement.volume_target
            agreement.volume_progress = total / target * 100.0 if target else 0.0

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in ("active", "expired", "terminated"):
            return self.env.ref(f"bo_orders.mt_bo_sale_agreement_{self.state}")
        return super()._track_subtype(init_values)

    # ------------------------------------------------------------------
    # What was agreed
    # ------------------------------------------------------------------

    def _bo_check_not_in_force(self, fields_changed=None):
        """Agreements in force, expired or terminated keep what was agreed."""
        if fields_changed is not None and not AGREEMENT_LOCKED_FIELDS.intersection(fields_changed):
            return
        locked = self.filtered(lambda a: a.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Agreements %(names)s are no longer drafts: what was agreed (customer, "
                    "dates, prices) cannot be changed. Renew the agreement instead.",
                    names=", ".join(locked.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        agreements = super().create(vals_list)
        self.env.registry.clear_cache()
        return agreements

    def write(self, vals):
        self._bo_check_not_in_force(vals)
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        self._bo_check_not_in_force()
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.constrains("line_ids", "agreement_type")
    def _check_price_lines(self):
        for agreement in self:
            products = agreement.line_ids.product_id
            categories = agreement.line_ids.filtered(lambda line: not line.product_id).categ_id
            lines = agreement.line_ids
            if len(products) + len(categories) != len(lines):
                raise ValidationError(
                    self.env._(
                        "Agreement %(name)s lists a product or a category twice.",
                        name=agreement.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _bo_transition_labels(self):
        return {
            "activate": self.env._("activated"),
            "expire": self.env._("expired"),
            "terminate": self.env._("terminated"),
        }

    def action_activate(self):
        self.check_access("write")
        for agreement in self:
            if agreement.agreement_type == "volume":
                if not agreement.volume_target:
                    raise UserError(
                        self.env._(
                            "Set the volume target of %(name)s before activating it.",
                            name=agreement.display_name,
                        )
                    )
            elif not agreement.line_ids:
                raise UserError(
                    self.env._(
                        "Add the agreed prices or discounts of %(name)s before activating it.",
                        name=agreement.display_name,
                    )
                )
        self._bo_transition("activate", {"state": "active"})
        self._bo_check_overlap()
        # a renewal starting today or earlier replaces its previous version now
        today = fields.Date.context_today(self)
        started = self.filtered(lambda a: a.date_start <= today)
        started.previous_id._bo_can_transition("expire")._bo_transition(
            "expire", {"state": "expired"}
        )
        return True

    def action_terminate(self):
        # a manager deciding in person: never OdooBot (crons, scripts)
        user = self.env.user
        if user._is_superuser() or not user.has_group("bo_base.group_bo_manager"):
            raise AccessError(self.env._("Only a Back Office manager can terminate an agreement."))
        self._bo_transition("terminate", {"state": "terminated"})
        return True

    def action_renew(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renew Agreement"),
            "res_model": "bo.sale.agreement.renew",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agreement_id": self.id},
        }

    def action_view_sale_orders(self):
        self.ensure_one()
        domain = [
            ("state", "=", "sale"),
            ("partner_id", "child_of", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("date_order", ">=", self.date_start),
            ("date_order", "<", self.date_end + timedelta(days=1)),
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirmed Sales"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": domain,
        }

    def _bo_check_overlap(self):
        """Two agreements with prices in force for the same customer at the same
        time would make the price of an order depend on chance."""
        priced = self.filtered("line_ids")
        if not priced:
            return
        others = self.search(
            [
                ("id", "not in", priced.ids),
                ("state", "=", "active"),
                ("partner_id", "in", priced.partner_id.ids),
                ("company_id", "in", priced.company_id.ids),
                ("line_ids", "!=", False),
            ]
        )
        for agreement in priced:
            clash = others.filtered(
                lambda o, a=agreement: (
                    o.partner_id == a.partner_id
                    and o.company_id == a.company_id
                    and o.date_start <= a.date_end
                    and a.date_start <= o.date_end
                )
            )
            if clash:
                raise UserError(
                    self.env._(
                        "%(name)s overlaps %(other)s, already active for the same customer: "
                        "the price of an order would be ambiguous.",
                        name=agreement.display_name,
                        other=clash[0].display_name,
                    )
                )

    def _bo_renew(self, date_start, date_end):
        """The next version of this agreement, in draft, with the same lines."""
        self.ensure_one()
        if self.state not in ("active", "expired") or self.next_id:
            raise UserError(
                self.env._(
                    "Only an active or expired agreement that has not been renewed yet "
                    "can be renewed."
                )
            )
        if date_start <= self.date_start:
            raise UserError(self.env._("The renewal must start after the current agreement."))
        renewal = bo_guard.grant(self, "previous_id").copy(
            {
                "previous_id": self.id,
                "date_start": date_start,
                "date_end": date_end,
            }
        )
        return renewal.with_env(self.env)

    @api.model
    def _cron_bo_expire(self):
        """Nightly: agreements past their end, and those whose renewal has
        started, expire."""
        today = fields.Date.context_today(self)
        ended = self.search([("state", "=", "active"), ("date_end", "<", today)])
        renewed = self.search(
            [
                ("state", "=", "active"),
                ("next_id.state", "=", "active"),
                ("next_id.date_start", "<=", today),
            ]
        )
        (ended | renewed)._bo_transition("expire", {"state": "expired"})

    # ------------------------------------------------------------------
    # Prices on sales order lines
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache("company_id")
    def _bo_priced_partner_ids(self, company_id):
        """Customers with an active agreement with prices in the company,
        cached: pricing an order of anybody else costs no query."""
        # sudo: see _bo_for_orders
        agreements = self.sudo().search(
            [("state", "=", "active"), ("company_id", "=", company_id), ("line_ids", "!=", False)]
        )
        return frozenset(agreements.partner_id.ids)

    @api.model
    def _bo_for_orders(self, orders):
        """The active agreement with prices of each order's company and
        customer covering the order date, with one search for all orders.

        sudo: salespeople, portal customers signing online and integrations
        price orders without reading agreements.

        :return: ``{order: bo.sale.agreement}`` for the orders covered
        """
        orders = orders.filtered(
            lambda o: (
                o.partner_id.commercial_partner_id.id
                in self._bo_priced_partner_ids(o.company_id.id or self.env.company.id)
            )
        )
        if not orders:
            return {}
        agreements = self.sudo().search(
            [
                ("state", "=", "active"),
                ("partner_id", "in", orders.partner_id.commercial_partner_id.ids),
                ("company_id", "in", orders.company_id.ids),
                ("line_ids", "!=", False),
            ]
        )
        found = {}
        if not agreements:
            return found
        for order in orders:
            day = fields.Date.context_today(order, order.date_order)
            agreement = agreements.filtered(
                lambda a, o=order, d=day: (
                    a.company_id == o.company_id
                    and a.partner_id == o.partner_id.commercial_partner_id
                    and a.date_start <= d <= a.date_end
                )
            )[:1]
            if agreement:
                found[order] = agreement
        return found

    @api.model
    def _bo_lines_for_sale_lines(self, sale_lines):
        """The agreement line in force for each sale order line: a line of its
        product wins over one of its category, the nearest category over its
        parents.

        :return: ``{sale line: bo.sale.agreement.line}`` for the lines covered
        """
        sale_lines = sale_lines.filtered(lambda line: line.product_id and not line.display_type)
        agreements = self._bo_for_orders(sale_lines.order_id)
        found = {}
        for line in sale_lines:
            agreement = agreements.get(line.order_id)
            match = agreement and agreement.line_ids._bo_match(line.product_id)
            if match:
                found[line] = match
        return found
