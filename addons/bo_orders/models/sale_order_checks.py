"""The back-office checks on a sales order: their result, the manager's
override, and every way of confirming an order running them."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError

from .bo_order_check import CHECK_TYPES
from .sale_order import QUOTATION_STATES

CHECK_STATES = [
    ("to_check", "To Check"),
    ("passed", "Passed"),
    ("warning", "Warnings"),
    ("blocked", "Blocked"),
    ("overridden", "Blocks Overridden"),
]
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
# The context's mark of orders being created: an object, not a value a
# client's context can carry.
CREATING_KEY = "bo_orders_creating"
CREATING_ORDERS = object()


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "bo.override.mixin"]

    bo_check_state = fields.Selection(
        CHECK_STATES,
        string="Checks",
        compute="_compute_bo_check_state",
        store=True,
        copy=False,
        bo_guarded=True,
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
    # the manager's words are for those who sell, not for the customer
    bo_override_reason = fields.Text(groups="sales_team.group_sale_salesman")
    bo_held_for_desk = fields.Boolean(
        string="Waiting for the Order Desk",
        copy=False,
        readonly=True,
        bo_guarded=True,
        help="The customer accepted or paid this quotation online while the back-office "
        "checks blocked it: the order desk decides.",
    )

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

    def _bo_run_checks(self, check_types=None, severity=None, confirming=False):
        """Run the active checks of the orders' companies on the orders.

        :param confirming: the orders are confirmed together, now: the rules
            over a total (the credit limit) count them together and lock
            the customer (see ``bo.order.check._run``)
        :return: ``{order: [(check, message)]}``
        """
        if not self:
            return {}
        checks = self.env["bo.order.check"]._for_companies(
            self.company_id, check_types=check_types, severity=severity
        )
        return checks._run(self, confirming=confirming)

    def _bo_override_content(self):
        """What the checks see of the order: the header values and the lines
        they read (the same content the order's fingerprints always had, so
        the overrides recorded before the mixin still hold)."""
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
        return ([getattr(self[f], "id", self[f]) for f in BO_CHECKED_ORDER_FIELDS], lines)

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

    @bo_guard.writes("bo_held_for_desk")
    def _bo_override_checks(self, reason, note=None):
        """Release the orders as they are now (the override wizard's action):
        the manager's override, and the desk's decision on a held quotation."""
        self._bo_override_set(reason, note=note)
        self.filtered("bo_held_for_desk").bo_held_for_desk = False

    def _bo_blocks(self, confirming=False):
        """The blocks of each order that no override covers: {order: failures}."""
        results = self._bo_run_checks(severity="block", confirming=confirming)
        return {
            order: failures
            for order, failures in results.items()
            if failures and not order._bo_override_covers()
        }

    def _bo_check_before_confirm(self):
        """Refuse to confirm orders with blocks; note the warnings in the chatter.

        The orders are checked together: a rule over a total (the credit
        limit) holds for all the orders one call confirms.
        """
        results = self._bo_run_checks(confirming=True)
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

    def _bo_holds_if_blocked(self):
        """Whether a blocked quotation is held for the desk instead of refused.

        Only the customer's own confirmations hold (the portal signature, an
        online payment): the customer has committed, so the quotation is kept
        and the desk decides. They say so by running with the grant to write
        ``bo_held_for_desk`` (see ``_validate_order`` and
        ``payment.transaction._check_amount_and_confirm_order``), an object no
        RPC client can send. A plain context flag would let a clerk turn a
        refusal into a quotation the desk reads as accepted by the customer.
        """
        grant = bo_guard.Grant.of(self.env)
        return bool(grant) and grant.covers(self._name, {"bo_held_for_desk"})

    @bo_guard.writes("bo_held_for_desk")
    def _bo_hold_blocked_for_desk(self, reason):
        """Keep blocked quotations a customer accepted or paid for the desk.

        The customer has committed (signed or paid): the quotation is kept as
        it is, with its payment linked, marked as waiting, and the order desk
        is told through an activity and an internal note. The customer is
        never shown the reasons.

        :return: the orders held
        """
        blocked = self._bo_blocks(confirming=True)
        held = self.browse([order.id for order in blocked])
        # sudo: customers confirm through the portal; the hold, the note and
        # the activity are the desk's, written on their behalf.
        for order in held.sudo():
            order.bo_held_for_desk = True
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

    def _bo_check_changed_after_confirm(self):
        """A confirmed order whose lines change passes the checks again.

        Odoo lets a confirmed order's lines be added to, raised or discounted:
        without this, such a change would be a way around the checks its
        confirmation passed. The blocks that no override covers (an override
        covers the order as it was, so a change needs a new one) are noted on
        the order and its salesperson or the escalation manager gets an
        activity; its deliveries wait for the override while the customer is
        over credit or overdue (:meth:`_bo_check_release`). The change itself
        is kept: the order is the customer's, refusing it would lose it.
        The stock check is left out: a confirmed order's stock is reserved
        by its deliveries. So are the orders being created: their lines are
        created with them, and an order created, copied or imported as
        confirmed is checked as a whole (see :meth:`create`).
        """
        orders = self.filtered(lambda o: o.state == "sale")
        if self.env.context.get(CREATING_KEY) is CREATING_ORDERS:
            now = self.env.cr.now()
            orders = orders.filtered(lambda o: o.create_date != now)
        if not orders:
            return
        types = [key for key, _label in CHECK_TYPES if key != "stock"]
        results = orders._bo_run_checks(check_types=types, severity="block")
        summary = self.env._("Changed after confirmation: blocked by the back-office checks")
        # sudo: whoever changes the order (a salesperson, an integration), the
        # note and the activity are the desk's.
        for order in orders.sudo():
            failures = results.get(order.with_env(self.env))
            if not failures or order._bo_override_covers():
                continue
            body = Markup("%s%s") % (
                self.env._(
                    "The order changed after its confirmation and the back-office checks "
                    "block it now: a Back Office manager's override is needed."
                ),
                self._bo_format_failures(failures),
            )
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
            if not order.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=body,
                    user_id=order._bo_desk_user().id,
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
    # Every way of confirming runs the checks
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The lines created with the orders are the orders' (see
        # _bo_check_changed_after_confirm): the mark is an object in the
        # context, which no client can send, and the orders are handed back
        # without it.
        creating = self.with_context(**{CREATING_KEY: CREATING_ORDERS})
        if not any(vals.get("state") == "sale" for vals in vals_list):
            return super(SaleOrder, creating).create(vals_list).with_env(self.env)
        # Orders created (or copied, or imported) directly as confirmed pass
        # the checks as they are created, lines included, and together; a
        # refusal undoes everything made with them, deliveries included.
        with self.env.cr.savepoint():
            orders = super(SaleOrder, creating).create(vals_list).with_env(self.env)
            orders.filtered(lambda o: o.state == "sale")._bo_check_before_confirm()
        return orders

    def write(self, vals):
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
            res = super().write(vals)
            # Back to a quotation: a new confirmation needs a new release.
            self._bo_override_clear()
            return res
        return super().write(vals)

    def action_confirm(self):
        if not self._bo_holds_if_blocked():
            return super().action_confirm()
        held = self._bo_hold_blocked_for_desk(
            self.env._(
                "The customer confirmed this quotation online, but the back-office "
                "checks block it: it waits for the order desk."
            )
        )
        remaining = self - held
        return super(SaleOrder, remaining).action_confirm() if remaining else True

    def _validate_order(self):
        # The customer signs on the portal: a blocked quotation waits for the
        # desk instead of showing the customer the desk's reasons.
        return super(SaleOrder, bo_guard.grant(self, "bo_held_for_desk"))._validate_order()

    def _action_confirm(self):
        res = super()._action_confirm()
        held = self.filtered("bo_held_for_desk")
        if held:
            # confirmed: the desk has decided
            bo_guard.grant(held, "bo_held_for_desk").bo_held_for_desk = False
        return res
