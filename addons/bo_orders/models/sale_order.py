from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

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


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["bo.deadline.mixin", "sale.order"]

    # The commitment is kept once the goods have left: from then on only
    # invoicing is left, which accounting follows.
    _deadline_state_field = "bo_stage"
    _deadline_done_states = ("to_invoice", "done", "cancelled")

    # Changing these on a quotation invalidates its last check and override.
    _BO_CHECKED_FIELDS = frozenset(
        (
            "partner_id",
            "partner_shipping_id",
            "payment_term_id",
            "incoterm",
            "pricelist_id",
            "commitment_date",
            "order_line",
        )
    )

    bo_request_id = fields.Many2one(
        "bo.order.request",
        string="Order Request",
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    bo_check_state = fields.Selection(
        [
            ("to_check", "To Check"),
            ("passed", "Passed"),
            ("warning", "Warnings"),
            ("blocked", "Blocked"),
        ],
        string="Checks",
        default="to_check",
        copy=False,
        help="Result of the last run of the back-office checks on this quotation.",
    )
    bo_check_banner = fields.Html(
        string="Check Results",
        compute="_compute_bo_check_banner",
        sanitize=False,
    )
    bo_check_level = fields.Selection(
        [("warn", "Warnings"), ("block", "Blocked")],
        string="Check Level",
        compute="_compute_bo_check_banner",
    )
    bo_override_user_id = fields.Many2one(
        "res.users",
        string="Checks Overridden By",
        copy=False,
        readonly=True,
        help="The Back Office manager who released this order despite its blocks.",
    )
    bo_override_reason = fields.Text(string="Override Reason", copy=False, readonly=True)
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

    @api.depends(
        "state", "bo_check_state", "bo_override_user_id", "delivery_status", "invoice_status"
    )
    def _compute_bo_stage(self):
        for order in self:
            if order.state == "cancel":
                stage = "cancelled"
            elif order.state in ("draft", "sent"):
                if order.bo_override_user_id or order.bo_check_state in ("passed", "warning"):
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
            if order.state in ("draft", "sent"):
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
        "partner_id",
        "partner_shipping_id",
        "payment_term_id",
        "incoterm",
        "pricelist_id",
        "commitment_date",
        "bo_override_user_id",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.price_unit",
        "order_line.discount",
    )
    def _compute_bo_check_banner(self):
        quotations = self.filtered(lambda o: o.state in ("draft", "sent") and o.partner_id)
        results = quotations._bo_run_checks() if quotations else {}
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
        checks = self.env["bo.order.check"]._for_companies(
            self.company_id, check_types=check_types, severity=severity
        )
        return checks._run(self)

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

    @api.model
    def _bo_check_state_from(self, failures):
        if any(check.severity == "block" for check, _msg in failures):
            return "blocked"
        return "warning" if failures else "passed"

    def action_bo_check(self):
        """Run the checks now and keep the result for the order desk's worklist."""
        results = self._bo_run_checks()
        for order in self:
            order.bo_check_state = self._bo_check_state_from(results[order])
        return True

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

    def _bo_check_before_confirm(self):
        """Refuse to confirm orders with blocks; note the warnings in the chatter."""
        results = self._bo_run_checks()
        errors = []
        for order, failures in results.items():
            blocks = [(c, m) for c, m in failures if c.severity == "block"]
            warnings = [(c, m) for c, m in failures if c.severity == "warn"]
            if blocks and not order.bo_override_user_id:
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
        if errors:
            raise UserError(
                self.env._(
                    "These orders cannot be confirmed because of the back-office checks:"
                    "\n\n%(errors)s\n\nCorrect the orders, or ask a Back Office manager "
                    "to override the block with a reason.",
                    errors="\n\n".join(errors),
                )
            )

    def _bo_check_release(self):
        """Refuse to ship to a customer over credit or with overdue receivables."""
        orders = self.filtered(lambda o: not o.bo_override_user_id)
        if not orders:
            return
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
    # Workflow
    # ------------------------------------------------------------------

    def write(self, vals):
        # Every way of confirming an order ends here, with state = 'sale'.
        if vals.get("state") == "sale":
            self.filtered(lambda o: o.state in ("draft", "sent"))._bo_check_before_confirm()
        elif vals.get("state") == "draft" or (
            self._BO_CHECKED_FIELDS.intersection(vals)
            and self
            and all(order.state in ("draft", "sent") for order in self)
        ):
            vals = {
                **vals,
                "bo_check_state": "to_check",
                "bo_override_user_id": False,
                "bo_override_reason": False,
            }
        return super().write(vals)

    def _action_confirm(self):
        res = super()._action_confirm()
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
                o.state in ("draft", "sent")
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
