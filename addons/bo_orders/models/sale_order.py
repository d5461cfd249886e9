import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

BO_STAGES = [
    ("to_check", "To Check"),
    ("blocked", "Blocked"),
    ("ready", "Ready to Confirm"),
    ("to_ship", "To Ship"),
    ("partial", "Partially Delivered"),
    ("to_invoice", "To Invoice"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
CHECK_STATES = [
    ("to_check", "To Check"),
    ("passed", "Passed"),
    ("warning", "Warnings"),
    ("blocked", "Blocked"),
    ("overridden", "Blocks Overridden"),
]
QUOTATION_STATES = ("draft", "sent")
# What the back office alone writes on an order: the manager's override
# (through its wizard) and the results of the checks (computed).
BO_PROTECTED_FIELDS = frozenset(
    (
        "bo_override_user_id",
        "bo_override_reason",
        "bo_override_date",
        "bo_override_digest",
        "bo_held_for_desk",
        "bo_check_state",
        "bo_stage",
    )
)
# The order as the checks see it: an override covers exactly these values.
BO_CHECKED_ORDER_FIELDS = (
    "company_id",
    "partner_id",
    "partner_shipping_id",
    "payment_term_id",
    "incoterm",
    "pricelist_id",
    "currency_id",
    "commitment_date",
)
BO_CHECKED_LINE_FIELDS = (
    "product_id",
    "product_uom_id",
    "product_uom_qty",
    "price_unit",
    "discount",
    "display_type",
    "is_downpayment",
)


BO_CHECKED_VALUES = frozenset((*BO_CHECKED_ORDER_FIELDS, "order_line"))
# Marks the back office's own writes in the context. A Python object, not a
# value: the context of an RPC call is JSON and cannot hold it.
_PRIVILEGED = object()


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["bo.deadline.mixin", "sale.order"]

    # The commitment is kept once the goods have left: from then on only
    # invoicing is left, which accounting follows.
    _deadline_state_field = "bo_stage"
    _deadline_done_states = ("to_invoice", "done", "cancelled")

    # OCA's agents of an order, computed for whoever reads the order (a stock
    # user may not read commission lines).
    partner_agent_ids = fields.Many2many(compute_sudo=True)
    bo_request_id = fields.Many2one(
        "bo.order.request",
        string="Order Request",
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    bo_agreement_id = fields.Many2one(
        "bo.sale.agreement",
        string="Customer Agreement",
        compute="_compute_bo_agreement_id",
        groups="sales_team.group_sale_salesman",
        help="The customer's active agreement with prices in force on the order date.",
    )
    bo_check_state = fields.Selection(
        CHECK_STATES,
        string="Checks",
        compute="_compute_bo_check_state",
        store=True,
        copy=False,
        help="Result of the back-office checks on this quotation, computed whenever the "
        "order changes and every night (credit, receivables and stock change too).",
    )
    bo_check_banner = fields.Html(
        string="Check Results",
        compute="_compute_bo_check_banner",
        sanitize=False,
        groups="sales_team.group_sale_salesman",
    )
    bo_check_level = fields.Selection(
        [("warn", "Warnings"), ("block", "Blocked")],
        string="Check Level",
        compute="_compute_bo_check_banner",
        groups="sales_team.group_sale_salesman",
    )
    bo_override_user_id = fields.Many2one(
        "res.users",
        string="Checks Overridden By",
        copy=False,
        readonly=True,
        tracking=True,
        help="The Back Office manager who released this order despite its blocks.",
    )
    bo_override_reason = fields.Text(
        string="Override Reason",
        copy=False,
        readonly=True,
        tracking=True,
        groups="sales_team.group_sale_salesman",
    )
    bo_override_date = fields.Datetime(string="Overridden On", copy=False, readonly=True)
    bo_override_digest = fields.Char(
        string="Override Fingerprint",
        copy=False,
        readonly=True,
        help="Fingerprint of the order as the manager released it: the override "
        "covers the order only while it is unchanged.",
    )
    bo_held_for_desk = fields.Boolean(
        string="Waiting for the Order Desk",
        copy=False,
        readonly=True,
        help="The customer accepted or paid this quotation online while the back-office "
        "checks blocked it: the order desk decides.",
    )
    bo_stage = fields.Selection(
        BO_STAGES,
        string="Back Office Stage",
        compute="_compute_bo_stage",
        store=True,
        index=True,
        group_expand="_group_expand_bo_stage",
    )
    deadline_date = fields.Date(
        string="Commitment Deadline",
        compute="_compute_deadline_date",
        store=True,
        tracking=False,
        help="Quotations: the end of their validity. Confirmed orders: the earliest "
        "of the commitment date and the scheduled dates of the open deliveries.",
    )

    @api.model
    def _group_expand_bo_stage(self, stages, domain):
        return [key for key, _label in BO_STAGES]

    @api.depends("partner_id", "company_id", "date_order")
    def _compute_bo_agreement_id(self):
        agreements = self.env["bo.sale.agreement"]._bo_for_orders(self)
        for order in self:
            order.bo_agreement_id = agreements.get(order, False)

    @api.depends("state", "bo_check_state", "delivery_status", "invoice_status")
    def _compute_bo_stage(self):
        for order in self:
            if order.state == "cancel":
                stage = "cancelled"
            elif order.state in QUOTATION_STATES:
                if order.bo_check_state in ("passed", "warning", "overridden"):
                    stage = "ready"
                elif order.bo_check_state == "blocked":
                    stage = "blocked"
                else:
                    stage = "to_check"
            elif order.delivery_status in ("pending", "started"):
                stage = "to_ship"
            elif order.delivery_status == "partial":
                stage = "partial"
            elif order.invoice_status == "to invoice":
                stage = "to_invoice"
            else:
                stage = "done"
            order.bo_stage = stage

    @api.depends(
        "state",
        "validity_date",
        "commitment_date",
        "picking_ids.state",
        "picking_ids.scheduled_date",
    )
    def _compute_deadline_date(self):
        for order in self:
            if order.state in QUOTATION_STATES:
                order.deadline_date = order.validity_date
            elif order.state == "sale":
                dates = [
                    picking.scheduled_date.date()
                    for picking in order.picking_ids
                    if picking.picking_type_code == "outgoing"
                    and picking.state not in ("done", "cancel")
                ]
                if dates and order.commitment_date:
                    dates.append(order.commitment_date.date())
                order.deadline_date = min(dates) if dates else False
            else:
                order.deadline_date = False

    @api.depends(
        "state",
        "bo_override_digest",
        *BO_CHECKED_ORDER_FIELDS,
        *(f"order_line.{fname}" for fname in BO_CHECKED_LINE_FIELDS),
    )
    def _compute_bo_check_state(self):
        quotations = self.filtered(lambda o: o.state in QUOTATION_STATES and o.partner_id)
        results = quotations._bo_run_checks()
        for order in self:
            if order not in quotations:
                order.bo_check_state = "to_check" if order.state in QUOTATION_STATES else False
                continue
            order.bo_check_state = order._bo_check_state_from(results[order])

    @api.depends("bo_check_state")
    def _compute_bo_check_banner(self):
        # Only orders whose stored result has something to say run the checks
        # again, for their messages in the reader's language.
        flagged = self.filtered(
            lambda o: (
                o.state in QUOTATION_STATES
                and o.bo_check_state in ("warning", "blocked", "overridden")
            )
        )
        results = flagged._bo_run_checks()
        for order in self:
            failures = results.get(order) or []
            if not failures:
                order.bo_check_banner = False
                order.bo_check_level = False
                continue
            blocked = any(check.severity == "block" for check, _msg in failures)
            order.bo_check_level = "block" if blocked else "warn"
            order.bo_check_banner = order._bo_format_failures(failures)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _bo_run_checks(self, check_types=None, severity=None):
        if not self:
            return {}
        checks = self.env["bo.order.check"]._for_companies(
            self.company_id, check_types=check_types, severity=severity
        )
        return checks._run(self)

    def _bo_override_fingerprint(self):
        """What the checks see of the order, as a digest: the override covers it."""
        self.ensure_one()
        lines = sorted(
            (
                tuple(
                    getattr(value, "id", value)
                    for value in (line._origin.id, *(line[f] for f in BO_CHECKED_LINE_FIELDS))
                )
                for line in self.order_line
            ),
            key=repr,
        )
        content = repr(([getattr(self[f], "id", self[f]) for f in BO_CHECKED_ORDER_FIELDS], lines))
        return hashlib.sha256(content.encode()).hexdigest()

    def _bo_override_covers(self):
        """Whether the manager's override still covers the order as it is."""
        self.ensure_one()
        digest = self.bo_override_digest
        return bool(
            self.bo_override_user_id and digest and digest == self._bo_override_fingerprint()
        )

    @api.model
    def _bo_format_failures(self, failures):
        items = Markup("").join(
            Markup("<li><b>%s</b>%s: %s</li>")
            % (
                check.name,
                self.env._(" (blocks)") if check.severity == "block" else "",
                message,
            )
            for check, message in failures
        )
        return Markup("<ul>%s</ul>") % items

    @api.model
    def _bo_format_errors(self, order, failures):
        """Plain text for the error message listing an order's blocks."""
        lines = "\n".join(f"- {check.name}: {message}" for check, message in failures)
        return f"{order.name}:\n{lines}"

    def _bo_check_state_from(self, failures):
        self.ensure_one()
        if any(check.severity == "block" for check, _msg in failures):
            return "overridden" if self._bo_override_covers() else "blocked"
        return "warning" if failures else "passed"

    def action_bo_check(self):
        """Run the checks again now: credit, receivables and stock change
        without the order changing."""
        self.env.add_to_compute(self._fields["bo_check_state"], self)
        # the stage and the deadline state follow the new result
        self.modified(["bo_check_state"])
        self.flush_recordset(["bo_check_state", "bo_stage"])
        return True

    @api.model
    def _cron_bo_refresh_checks(self):
        """Nightly: the checks of open quotations, for the order desk's worklist."""
        quotations = self.search([("state", "in", QUOTATION_STATES)])
        quotations.action_bo_check()

    def action_bo_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Checks"),
            "res_model": "bo.order.check.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _bo_set_override(self, reason):
        """Release the order as it is now; only the override wizard calls this."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(self.env._("Only a Back Office manager can override the checks."))
        for order in self:
            order.with_context(bo_orders_privileged=_PRIVILEGED).write(
                {
                    "bo_override_user_id": self.env.uid,
                    "bo_override_reason": reason,
                    "bo_override_date": fields.Datetime.now(),
                    "bo_override_digest": order._bo_override_fingerprint(),
                    "bo_held_for_desk": False,
                }
            )

    def _bo_blocks(self):
        """The blocks of each order that no override covers: {order: failures}."""
        results = self._bo_run_checks(severity="block")
        return {
            order: failures
            for order, failures in results.items()
            if failures and not order._bo_override_covers()
        }

    def _bo_check_before_confirm(self):
        """Refuse to confirm orders with blocks; note the warnings in the chatter."""
        results = self._bo_run_checks()
        errors = []
        for order, failures in results.items():
            blocks = [(c, m) for c, m in failures if c.severity == "block"]
            warnings = [(c, m) for c, m in failures if c.severity == "warn"]
            if blocks and not order._bo_override_covers():
                errors.append(self._bo_format_errors(order, blocks))
            if warnings:
                order.message_post(
                    body=Markup("%s%s")
                    % (
                        self.env._("Confirmed with warnings from the back-office checks:"),
                        self._bo_format_failures(warnings),
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
        if not errors:
            return
        if self.env.user.share:
            # Customers (portal, public) never read the desk's reasons:
            # credit limits, overdue amounts and margins are internal.
            raise UserError(
                self.env._(
                    "Your order needs a check by our staff before it can be confirmed. "
                    "We will contact you shortly."
                )
            )
        raise UserError(
            self.env._(
                "These orders cannot be confirmed because of the back-office checks:"
                "\n\n%(errors)s\n\nCorrect the orders, or ask a Back Office manager "
                "to override the block with a reason.",
                errors="\n\n".join(errors),
            )
        )

    def _bo_hold_blocked_for_desk(self, reason):
        """Keep blocked quotations a customer accepted or paid for the desk.

        The customer has committed (signed or paid): the quotation is kept as
        it is, with its payment linked, marked as waiting, and the order desk
        is told through an activity and an internal note. The customer is
        never shown the reasons.

        :return: the orders held
        """
        blocked = self._bo_blocks()
        held = self.browse([order.id for order in blocked])
        # sudo: customers confirm through the portal; the hold, the note and
        # the activity are the desk's, written on their behalf.
        for order in held.sudo():
            order.with_context(bo_orders_privileged=_PRIVILEGED).bo_held_for_desk = True
            body = Markup("%s<br/>%s") % (reason, self._bo_format_failures(blocked[order]))
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Customer waiting: blocked by the back-office checks"),
                note=body,
                user_id=order._bo_desk_user().id,
            )
        return held

    def _bo_desk_user(self):
        """Who hears about this order: its salesperson, else the escalation manager."""
        self.ensure_one()
        return (
            self.user_id
            or self.company_id.bo_escalation_user_id
            or self.env.ref("base.user_admin", raise_if_not_found=False)
            or self.env.user
        )

    def _bo_check_release(self):
        """Refuse to ship to a customer over credit or with overdue receivables."""
        orders = self.filtered(lambda o: not o._bo_override_covers())
        results = orders._bo_run_checks(check_types=("credit_limit", "overdue"), severity="block")
        errors = [
            self._bo_format_errors(order, failures)
            for order, failures in results.items()
            if failures
        ]
        if errors:
            raise UserError(
                self.env._(
                    "The delivery cannot be validated while the customer is blocked by "
                    "the back-office checks:\n\n%(errors)s\n\nAsk a Back Office manager "
                    "to release the order.",
                    errors="\n\n".join(errors),
                )
            )

    # ------------------------------------------------------------------
    # Workflow and protected values
    # ------------------------------------------------------------------

    def _bo_check_protected_values(self, vals):
        """Only the back office's own actions set overrides and check results;
        only the order desk links an order to a request."""
        if self.env.context.get("bo_orders_privileged") is _PRIVILEGED:
            return
        protected = BO_PROTECTED_FIELDS.intersection(vals)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a sales order are set by the back office's own actions "
                    "(the checks and a manager's override), never directly.",
                    fields=", ".join(
                        self._fields[fname].get_description(self.env)["string"]
                        for fname in sorted(protected)
                    ),
                )
            )
        if vals.get("bo_request_id"):
            request = self.env["bo.order.request"].browse(vals["bo_request_id"])
            request.check_access("write")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_check_protected_values(vals)
        if not any(vals.get("state") == "sale" for vals in vals_list):
            return super().create(vals_list)
        # Orders created (or copied) directly as confirmed pass the checks as
        # they are created, lines included; a refusal undoes everything made
        # with them, deliveries included.
        with self.env.cr.savepoint():
            orders = super().create(vals_list)
            orders.filtered(lambda o: o.state == "sale")._bo_check_before_confirm()
        return orders

    def write(self, vals):
        self._bo_check_protected_values(vals)
        if vals.get("state") == "sale":
            to_confirm = self.filtered(lambda o: o.state != "sale")
            if to_confirm:
                # The checks run on the order as it will be confirmed: what the
                # same write changes of the order first, then the checks.
                others = {key: value for key, value in vals.items() if key != "state"}
                if BO_CHECKED_VALUES.intersection(others):
                    super().write(others)
                    vals = {"state": "sale"}
                to_confirm._bo_check_before_confirm()
        elif vals.get("state") == "draft":
            # Back to a quotation: a new confirmation needs a new release.
            vals = {
                **vals,
                "bo_override_user_id": False,
                "bo_override_reason": False,
                "bo_override_date": False,
                "bo_override_digest": False,
            }
            return super(SaleOrder, self.with_context(bo_orders_privileged=_PRIVILEGED)).write(vals)
        return super().write(vals)

    def action_confirm(self):
        if self.env.context.get("bo_hold_if_blocked"):
            held = self._bo_hold_blocked_for_desk(
                self.env._(
                    "The customer confirmed this quotation online, but the back-office "
                    "checks block it: it waits for the order desk."
                )
            )
            if held:
                remaining = self - held
                return super(SaleOrder, remaining).action_confirm() if remaining else True
        return super().action_confirm()

    def _validate_order(self):
        # The customer signs on the portal: a blocked quotation waits for the
        # desk instead of showing the customer the desk's reasons.
        return super(SaleOrder, self.with_context(bo_hold_if_blocked=True))._validate_order()

    def _action_confirm(self):
        res = super()._action_confirm()
        self.filtered("bo_held_for_desk").with_context(
            bo_orders_privileged=_PRIVILEGED
        ).bo_held_for_desk = False
        # sudo: the request follows its quotation whoever confirms it, e.g. a
        # salesperson outside the back office or the customer signing online.
        self.sudo().bo_request_id._bo_follow_quotations()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        # sudo: see _action_confirm
        self.sudo().bo_request_id._bo_follow_quotations()
        return res

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    def _deadline_schedule_reminder(self):
        res = super()._deadline_schedule_reminder()
        template = self.env.ref(
            "bo_orders.mail_template_bo_quotation_expiring", raise_if_not_found=False
        )
        to_remind = self.filtered(
            lambda o: (
                o.state in QUOTATION_STATES
                and o.company_id.bo_quotation_reminder
                and o.partner_id.email
            )
        )
        if template:
            for order in to_remind:
                order.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment", message_type="comment"
                )
        return res
