from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError, ValidationError

from .bo_customer_claim_stage import STAGE_STATES
from .bo_customer_claim_type import CLAIM_PRIORITIES, CLAIM_TYPES, ROOT_CAUSES

# Closed claims: no deadline, and only a manager opens them again.
CLOSED_STATES = ("done", "cancelled")
# What resolving a claim requires, depending on its type.
RESOLUTION_FIELDS = frozenset(("claim_type", "resolution_note", "root_cause", "corrective_action"))
# Types whose resolution says why it happened.
CAUSE_REQUIRED_TYPES = ("complaint", "return", "quality", "delivery")


class BoCustomerClaim(models.Model):
    """A customer's request or complaint after the sale, from intake to outcome."""

    _name = "bo.customer.claim"
    _inherit = ["bo.deadline.mixin"]
    _description = "Customer Claim"
    _order = "priority desc, id desc"
    _check_company_auto = True
    _primary_email = "email_from"
    _deadline_done_states = CLOSED_STATES

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
        help="Empty when the claim came by email from an unknown sender.",
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
            ("letter", "Letter"),
            ("visit", "Visit"),
            ("other", "Other"),
        ],
        required=True,
        default="phone",
    )
    claim_type = fields.Selection(
        CLAIM_TYPES, string="Type", required=True, default="complaint", tracking=True
    )
    priority = fields.Selection(CLAIM_PRIORITIES, required=True, default="1", tracking=True)
    stage_id = fields.Many2one(
        "bo.customer.claim.stage",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self._default_stage(),
        group_expand="_read_group_stage_ids",
    )
    # The stage says the state: computed rather than related, so that the
    # guard covers it (it leaves a related field to the model it mirrors) and
    # nobody writes it on the claim.
    state = fields.Selection(
        STAGE_STATES,
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
        bo_guarded=True,
        help="New: just received. In progress: being worked. Resolved: closed with an "
        "outcome (root cause and action required for complaints). Cancelled: closed "
        "without an outcome.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    description = fields.Html()
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('state', '=', 'sale')]",
        ondelete="restrict",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('picking_type_code', '=', 'outgoing')]",
        ondelete="restrict",
    )
    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('move_type', '=', 'out_invoice'),"
        " ('state', '=', 'posted')]",
        ondelete="restrict",
    )
    product_id = fields.Many2one(
        "product.product", index="btree_not_null", check_company=True, ondelete="restrict"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        ondelete="restrict",
    )
    quantity = fields.Float(digits="Product Unit")
    # The dates the workflow records and the deadlines of the service level
    # are the claim's own: the guard refuses them to everyone else.
    received_date = fields.Datetime(
        string="Received On",
        required=True,
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
        bo_guarded=True,
    )
    first_response_date = fields.Datetime(
        string="First Response On", readonly=True, copy=False, tracking=True, bo_guarded=True
    )
    resolution_date = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, tracking=True, bo_guarded=True
    )
    first_response_deadline = fields.Datetime(
        string="Answer By",
        compute="_compute_sla_deadlines",
        store=True,
        bo_guarded=True,
        help="From the service level of the claim's type and priority.",
    )
    resolution_deadline = fields.Date(
        string="Resolve By",
        compute="_compute_sla_deadlines",
        store=True,
        bo_guarded=True,
        help="From the service level of the claim's type and priority.",
    )
    deadline_date = fields.Date(
        string="Deadline",
        compute="_compute_deadline_date",
        store=True,
        tracking=False,
        bo_guarded=True,
        help="The first-response deadline until the customer is answered, then the "
        "resolution deadline.",
    )
    resolution_days = fields.Float(
        string="Days to Resolve",
        compute="_compute_resolution_days",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        bo_guarded=True,
    )
    root_cause = fields.Selection(ROOT_CAUSES, tracking=True)
    root_cause_detail = fields.Text(string="Root Cause Analysis", tracking=True)
    corrective_action = fields.Text(
        tracking=True, help="What changes so that it does not happen again."
    )
    resolution_note = fields.Text(
        string="Resolution", tracking=True, help="What was agreed with the customer."
    )
    intake_error = fields.Text(
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="Why the email could not become a claim as it was: the message is kept "
        "here for the desk to complete.",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_stage(self):
        return self.env["bo.customer.claim.stage"].search(
            [("state", "=", "new")], order="sequence, id", limit=1
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order="sequence, id")

    def _local_date(self, moment):
        """The date of a UTC moment in the company's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")
        return pytz.utc.localize(moment).astimezone(tz).date()

    @api.depends("stage_id.state")
    def _compute_state(self):
        for claim in self:
            claim.state = claim.stage_id.state

    @api.depends("received_date", "claim_type", "priority", "company_id")
    def _compute_sla_deadlines(self):
        Sla = self.env["bo.customer.claim.sla"]
        for claim in self:
            sla = Sla._find(claim.company_id, claim.claim_type, claim.priority)
            if not (sla and claim.received_date):
                claim.first_response_deadline = False
                claim.resolution_deadline = False
                continue
            claim.first_response_deadline = claim.received_date + timedelta(
                hours=sla.first_response_hours
            )
            claim.resolution_deadline = claim._local_date(claim.received_date) + timedelta(
                days=sla.resolution_days
            )

    @api.depends("first_response_date", "first_response_deadline", "resolution_deadline")
    def _compute_deadline_date(self):
        for claim in self:
            if claim.first_response_date or not claim.first_response_deadline:
                claim.deadline_date = claim.resolution_deadline
            else:
                claim.deadline_date = claim._local_date(claim.first_response_deadline)

    @api.depends("received_date", "resolution_date")
    def _compute_resolution_days(self):
        for claim in self:
            if claim.received_date and claim.resolution_date:
                elapsed = claim.resolution_date - claim.received_date
                claim.resolution_days = round(elapsed.total_seconds() / 86400, 1)
            else:
                claim.resolution_days = 0.0

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            return
        self.partner_id = order.partner_id.commercial_partner_id
        deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        if not self.picking_id and len(deliveries) == 1:
            self.picking_id = deliveries
        invoices = order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not self.invoice_id and len(invoices) == 1:
            self.invoice_id = invoices
        if not self.product_id and len(order.order_line.product_id) == 1:
            self.product_id = order.order_line.product_id

    @api.constrains("partner_id", "sale_order_id", "picking_id", "invoice_id")
    def _check_documents_of_customer(self):
        for claim in self:
            customer = claim.partner_id.commercial_partner_id
            for document in (claim.sale_order_id, claim.picking_id, claim.invoice_id):
                if document and customer != document.partner_id.commercial_partner_id:
                    raise ValidationError(
                        self.env._(
                            "%(document)s is not a document of the customer %(customer)s.",
                            document=document.display_name,
                            customer=customer.display_name or self.env._("(none)"),
                        )
                    )

    # ------------------------------------------------------------------
    # Guarded values and stage moves
    # ------------------------------------------------------------------

    def _privileged(self):
        """The claim as the mail gateway creates it: the gateway fills the
        reference with the subject, which the sequence then replaces (the
        intake grants itself the reason a message could not become a claim)."""
        return bo_guard.grant(self, "name")

    def _check_can_resolve(self):
        for claim in self:
            missing = []
            if claim.claim_type != "information" and not claim.resolution_note:
                missing.append(self._fields["resolution_note"].get_description(self.env)["string"])
            if claim.claim_type in CAUSE_REQUIRED_TYPES and not claim.root_cause:
                missing.append(self._fields["root_cause"].get_description(self.env)["string"])
            if claim.claim_type == "quality" and not claim.corrective_action:
                missing.append(
                    self._fields["corrective_action"].get_description(self.env)["string"]
                )
            if missing:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s cannot be resolved yet: fill in %(fields)s.",
                        claim=claim.name,
                        fields=", ".join(missing),
                    )
                )

    def _check_stage_move(self, stage):
        """The transition table: closed claims reopen only by a manager; a claim
        is resolved only with its outcome (and its cause, for a complaint)."""
        for claim in self:
            if claim.stage_id == stage:
                continue
            # a manager deciding in person: never OdooBot (crons, the mail gateway)
            if claim.state in CLOSED_STATES and (
                self.env.user._is_superuser()
                or not self.env.user.has_group("bo_base.group_bo_manager")
            ):
                raise AccessError(
                    self.env._(
                        "Claim %(claim)s is closed: only a Back Office manager can reopen it.",
                        claim=claim.name,
                    )
                )
        if stage.state == "done":
            self._check_can_resolve()

    @bo_guard.writes("resolution_date", "first_response_date")
    def _stage_side_effects(self):
        """The dates that follow the stage: resolving answers the customer too."""
        now = fields.Datetime.now()
        for claim in self:
            vals = {}
            if claim.state == "done" and not claim.resolution_date:
                vals["resolution_date"] = now
                if not claim.first_response_date:
                    vals["first_response_date"] = now
            elif claim.state not in CLOSED_STATES and claim.resolution_date:
                vals["resolution_date"] = False
            if vals:
                claim.write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the caller's values, before the claim adds its reference
            self._bo_guard_check(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                "bo.customer.claim"
            ) or self.env._("New")
        claims = super(BoCustomerClaim, bo_guard.grant(self, "name")).create(vals_list)
        # after the defaults: a default_stage_id key cannot close it either
        if claims.filtered(lambda c: c.state in CLOSED_STATES):
            raise UserError(self.env._("A claim starts open: resolve it once recorded."))
        return claims.with_env(self.env)

    def write(self, vals):
        if vals.get("stage_id"):
            stage = self.env["bo.customer.claim.stage"].browse(vals["stage_id"])
            if RESOLUTION_FIELDS.intersection(vals):
                # the outcome written with the move counts for the move
                others = {key: value for key, value in vals.items() if key != "stage_id"}
                super().write(others)
                vals = {"stage_id": vals["stage_id"]}
            self._check_stage_move(stage)
            res = super().write(vals)
            self._stage_side_effects()
            return res
        res = super().write(vals)
        if RESOLUTION_FIELDS.intersection(vals):
            # a resolved claim keeps what resolving it required
            self.filtered(lambda c: c.state == "done")._check_can_resolve()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _move_to(self, state):
        stage = self.env["bo.customer.claim.stage"].search(
            [("state", "=", state)], order="sequence, id", limit=1
        )
        if not stage:
            raise UserError(self.env._("There is no claim stage of this kind: add one."))
        self.write({"stage_id": stage.id})

    def action_start(self):
        self.filtered(lambda c: c.state == "new")._move_to("open")
        return True

    def action_mark_answered(self):
        """The customer was answered, e.g. by phone: the resolution clock runs."""
        for claim in self:
            if claim.state in CLOSED_STATES:
                raise UserError(self.env._("Claim %s is closed.", claim.name))
        self._bo_mark_first_response()
        self.filtered(lambda c: c.state == "new")._move_to("open")
        return True

    def action_resolve(self):
        self._move_to("done")
        return True

    def action_cancel(self):
        self._move_to("cancelled")
        return True

    def action_reopen(self):
        self._move_to("open")
        return True

    def _message_post_after_hook(self, message, msg_vals):
        """An internal user's message to the customer is the first response."""
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            not self.env.context.get("bo_claim_acknowledgement")
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self.filtered(lambda c: c.state not in CLOSED_STATES)._bo_mark_first_response()
        return res

    @bo_guard.writes("first_response_date")
    def _bo_mark_first_response(self):
        """The customer has had the first answer, now (once per claim)."""
        self.filtered(lambda c: not c.first_response_date).write(
            {"first_response_date": fields.Datetime.now()}
        )

    # ------------------------------------------------------------------
    # Acknowledgement (the mail gateway: bo_customer_claim_mail.py)
    # ------------------------------------------------------------------

    def _ack_recipient(self):
        """Only a known contact is acknowledged, never an address an unknown
        sender wrote (the ack would help spam whoever they name)."""
        self.ensure_one()
        recipient = self.contact_id or self.partner_id
        return recipient if recipient.email_normalized else self.env["res.partner"]

    def action_send_acknowledgement(self):
        template = self.env.ref("bo_orders.mail_template_bo_customer_claim_ack")
        for claim in self:
            if not claim._ack_recipient():
                raise UserError(
                    self.env._(
                        "Claim %s has no customer contact with an email to acknowledge.",
                        claim.name,
                    )
                )
            claim.with_context(bo_claim_acknowledgement=True).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        return True

    @api.model
    def _action_for_domain(self, domain, context):
        action = self.env["ir.actions.act_window"]._for_xml_id("bo_orders.action_bo_customer_claim")
        action.update({"domain": domain, "context": context})
        return action
