import logging
import re
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from .bo_customer_claim_type import CLAIM_PRIORITIES, CLAIM_TYPES, ROOT_CAUSES

_logger = logging.getLogger(__name__)

# What only the claim's own code writes: the reference, the dates the
# workflow records, the deadlines of the service level and the documents
# made from the claim.
CLAIM_PROTECTED_FIELDS = frozenset(
    (
        "name",
        "state",
        "received_date",
        "first_response_date",
        "resolution_date",
        "first_response_deadline",
        "resolution_deadline",
        "deadline_date",
        "deadline_state",
        "deadline_reminded_date",
        "deadline_escalated_date",
        "resolution_days",
        "return_picking_ids",
        "replacement_order_ids",
        "credit_note_ids",
        "intake_error",
    )
)
# Closed claims: no deadline, and only a manager opens them again.
CLOSED_STATES = ("done", "cancelled")
# What resolving a claim requires, depending on its type.
RESOLUTION_FIELDS = frozenset(("claim_type", "resolution_note", "root_cause", "corrective_action"))
# Types whose resolution says why it happened.
CAUSE_REQUIRED_TYPES = ("complaint", "return", "quality", "delivery")
# PostgreSQL refuses NUL in text; the other control characters are noise.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Marks the claim's own writes in the context. A Python object, not a value:
# the context of an RPC call is JSON and cannot hold it.
_PRIVILEGED = object()


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
    state = fields.Selection(string="Status", related="stage_id.state", store=True, index=True)
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
    received_date = fields.Datetime(
        string="Received On", required=True, readonly=True, copy=False, default=fields.Datetime.now
    )
    first_response_date = fields.Datetime(
        string="First Response On", readonly=True, copy=False, tracking=True
    )
    resolution_date = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, tracking=True
    )
    first_response_deadline = fields.Datetime(
        string="Answer By",
        compute="_compute_sla_deadlines",
        store=True,
        help="From the service level of the claim's type and priority.",
    )
    resolution_deadline = fields.Date(
        string="Resolve By",
        compute="_compute_sla_deadlines",
        store=True,
        help="From the service level of the claim's type and priority.",
    )
    deadline_date = fields.Date(
        string="Deadline",
        compute="_compute_deadline_date",
        store=True,
        tracking=False,
        help="The first-response deadline until the customer is answered, then the "
        "resolution deadline.",
    )
    resolution_days = fields.Float(
        string="Days to Resolve",
        compute="_compute_resolution_days",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )
    root_cause = fields.Selection(ROOT_CAUSES, tracking=True)
    root_cause_detail = fields.Text(string="Root Cause Analysis", tracking=True)
    corrective_action = fields.Text(
        tracking=True, help="What changes so that it does not happen again."
    )
    resolution_note = fields.Text(
        string="Resolution", tracking=True, help="What was agreed with the customer."
    )
    return_picking_ids = fields.Many2many(
        "stock.picking",
        "bo_customer_claim_return_picking_rel",
        "claim_id",
        "picking_id",
        string="Returns",
        copy=False,
        readonly=True,
    )
    replacement_order_ids = fields.Many2many(
        "sale.order",
        "bo_customer_claim_replacement_order_rel",
        "claim_id",
        "order_id",
        string="Replacement Orders",
        copy=False,
        readonly=True,
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "bo_customer_claim_credit_note_rel",
        "claim_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
    )
    return_count = fields.Integer(compute="_compute_outcome_counts")
    replacement_count = fields.Integer(compute="_compute_outcome_counts")
    credit_note_count = fields.Integer(compute="_compute_outcome_counts")
    intake_error = fields.Text(
        readonly=True,
        copy=False,
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

    @api.depends("return_picking_ids", "replacement_order_ids", "credit_note_ids")
    def _compute_outcome_counts(self):
        # sudo: how many documents the claim produced, whoever reads the
        # claim (a stock user may not read credit notes)
        for claim, claim_sudo in zip(self, self.sudo(), strict=True):
            claim.return_count = len(claim_sudo.return_picking_ids)
            claim.replacement_count = len(claim_sudo.replacement_order_ids)
            claim.credit_note_count = len(claim_sudo.credit_note_ids)

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
    # Protected values and stage moves
    # ------------------------------------------------------------------

    def _privileged(self):
        return self.with_context(bo_claim_privileged=_PRIVILEGED)

    def _is_privileged(self):
        return self.env.context.get("bo_claim_privileged") is _PRIVILEGED

    def _check_protected_values(self, vals):
        if self._is_privileged():
            return
        protected = CLAIM_PROTECTED_FIELDS.intersection(vals)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a customer claim are set by the claim's own actions, "
                    "never directly.",
                    fields=", ".join(
                        self._fields[fname].get_description(self.env)["string"]
                        for fname in sorted(protected)
                    ),
                )
            )

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
            if claim.state in CLOSED_STATES and not self.env.user.has_group(
                "bo_base.group_bo_manager"
            ):
                raise AccessError(
                    self.env._(
                        "Claim %(claim)s is closed: only a Back Office manager can reopen it.",
                        claim=claim.name,
                    )
                )
        if stage.state == "done":
            self._check_can_resolve()

    def _stage_side_effects(self):
        """The dates that follow the stage: resolving answers the customer too."""
        now = fields.Datetime.now()
        for claim in self._privileged():
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
        Stage = self.env["bo.customer.claim.stage"]
        for vals in vals_list:
            self._check_protected_values(vals)
            if (
                vals.get("stage_id")
                and not self._is_privileged()
                and Stage.browse(vals["stage_id"]).state in CLOSED_STATES
            ):
                raise UserError(self.env._("A claim starts open: resolve it once recorded."))
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                "bo.customer.claim"
            ) or self.env._("New")
        return super(BoCustomerClaim, self._privileged()).create(vals_list).with_env(self.env)

    def write(self, vals):
        self._check_protected_values(vals)
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

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            # a copy is a new claim: a new reference and a new clock
            for fname in CLAIM_PROTECTED_FIELDS.intersection(vals):
                del vals[fname]
        return vals_list

    # ------------------------------------------------------------------
    # Deadlines: the mixin's cron writes its marks through the claim's code
    # ------------------------------------------------------------------

    def _deadline_schedule_reminder(self):
        return super(BoCustomerClaim, self._privileged())._deadline_schedule_reminder()

    def _deadline_escalate(self):
        return super(BoCustomerClaim, self._privileged())._deadline_escalate()

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
        self.filtered(lambda c: not c.first_response_date)._privileged().write(
            {"first_response_date": fields.Datetime.now()}
        )
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
            self.filtered(
                lambda c: not c.first_response_date and c.state not in CLOSED_STATES
            )._privileged().write({"first_response_date": fields.Datetime.now()})
        return res

    # ------------------------------------------------------------------
    # Outcomes
    # ------------------------------------------------------------------

    def _check_open(self):
        for claim in self:
            if claim.state in CLOSED_STATES:
                raise UserError(self.env._("Claim %s is closed: reopen it first.", claim.name))

    def _bo_link_outcome(self, fname, records):
        """Link a document made from the claim, for whoever may work the claim."""
        self.ensure_one()
        self.check_access("write")
        self._privileged().write({fname: [Command.link(record.id) for record in records]})
        for record in records:
            self.message_post(
                body=Markup(self.env._("%(document)s made from this claim."))
                % {"document": record._get_html_link()},
                subtype_xmlid="mail.mt_note",
            )

    def action_create_return(self):
        self.ensure_one()
        self._check_open()
        if not self.picking_id or self.picking_id.state != "done":
            raise UserError(self.env._("Set a delivery that has been shipped to return its goods."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return of %s", self.picking_id.name),
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_id": self.picking_id.id,
                "active_ids": self.picking_id.ids,
                "active_model": "stock.picking",
                "default_bo_claim_id": self.id,
            },
        }

    def action_create_credit_note(self):
        self.ensure_one()
        self._check_open()
        invoice = self.invoice_id
        if not invoice or invoice.state != "posted" or invoice.move_type != "out_invoice":
            raise UserError(self.env._("Set a posted customer invoice to credit."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Note"),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": invoice.ids,
                "default_bo_claim_id": self.id,
            },
        }

    def _prepare_replacement_order_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.title,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.quantity or 1.0,
                        "price_unit": 0.0,
                    }
                )
            ],
        }

    def action_create_replacement(self):
        """A free replacement of the product, as a quotation for the desk to confirm."""
        self.ensure_one()
        self._check_open()
        if not (self.partner_id and self.product_id):
            raise UserError(self.env._("Set the customer and the product to replace."))
        order = self.env["sale.order"].create(self._prepare_replacement_order_vals())
        self._bo_link_outcome("replacement_order_ids", order)
        order.message_post(
            body=Markup(self.env._("Replacement for the claim %s.")) % self._get_html_link(),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _action_view(self, records, xmlid):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update({"domain": [("id", "in", records.ids)], "context": {"create": False}})
        if len(records) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": records.id})
        return action

    def action_view_returns(self):
        self.ensure_one()
        return self._action_view(self.return_picking_ids, "stock.action_picking_tree_all")

    def action_view_replacements(self):
        self.ensure_one()
        return self._action_view(self.replacement_order_ids, "sale.action_orders")

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_view(self.credit_note_ids, "account.action_move_out_refund_type")

    # ------------------------------------------------------------------
    # Acknowledgement and mail gateway
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
    def _clean_text(self, text, limit=None):
        text = _CONTROL_CHARS.sub("", str(text or "")).strip()
        return text[:limit] if limit else text

    @api.model
    def _mail_values(self, msg_dict, custom_values):
        email = email_normalize(msg_dict.get("email_from") or "")
        company = self.env["res.company"].browse((custom_values or {}).get("company_id"))
        company = company or self.env.company
        partner = self.env["res.partner"]
        if email:
            partner = partner.search(
                [("email_normalized", "=", email), ("company_id", "in", [False, company.id])],
                order="is_company desc, id",
                limit=1,
            )
        values = {
            "title": self._clean_text(msg_dict.get("subject"), 500) or self.env._("(no subject)"),
            "channel": "email",
            "email_from": msg_dict.get("email_from"),
            "description": msg_dict.get("body"),
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "user_id": False,
        }
        # Aliases and routes give defaults; never what only the claim's code sets.
        values.update(
            {
                key: value
                for key, value in (custom_values or {}).items()
                if key in self._fields and key not in CLAIM_PROTECTED_FIELDS and key != "stage_id"
            }
        )
        return values

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim by email, acknowledged to a known customer.

        Nothing is lost: a message that cannot become a claim as it is (a
        broken header, text the database refuses, a wrong default) becomes a
        claim with what can be read of it and the reason, for the desk.
        """
        # PostgreSQL refuses NUL, which no mail may carry: it is taken out
        # before the claim, the chatter and the register read the message.
        for key in ("subject", "body", "email_from", "message_id"):
            if isinstance(msg_dict.get(key), str):
                msg_dict[key] = msg_dict[key].replace("\x00", "")
        try:
            with self.env.cr.savepoint():
                # privileged: the gateway fills the reference with the
                # subject, which the sequence replaces
                claim = (
                    super(BoCustomerClaim, self._privileged())
                    .message_new(msg_dict, custom_values=self._mail_values(msg_dict, custom_values))
                    .with_env(self.env)
                )
        except Exception as error:  # whatever fails, the message is kept
            _logger.warning("Claim intake failed for %s", msg_dict.get("message_id"), exc_info=True)
            return self._keep_unprocessable(msg_dict, error)
        if claim._ack_recipient():
            try:
                with self.env.cr.savepoint():
                    claim.action_send_acknowledgement()
            except Exception:  # the claim is kept without its acknowledgement
                _logger.warning("Claim acknowledgement failed for %s", claim.name, exc_info=True)
        return claim

    @api.model
    def _keep_unprocessable(self, msg_dict, error):
        reason = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        values = {
            "title": self._clean_text(msg_dict.get("subject"), 500)
            or self.env._("(unreadable message)"),
            "email_from": self._clean_text(msg_dict.get("email_from"), 500) or False,
            "channel": "email",
            "user_id": False,
        }
        # sudo: the gateway keeps what it received, whoever runs it
        claim = (
            self.sudo()
            ._privileged()
            .create([{**values, "intake_error": self._clean_text(reason, 2000)}])
        )
        manager = claim.company_id._bo_escalation_user()
        if manager:
            claim.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Claim received by email needs a check"),
                note=claim.intake_error,
                user_id=manager.id,
            )
        return claim.with_env(self.env)

    @api.model
    def _action_for_domain(self, domain, context):
        action = self.env["ir.actions.act_window"]._for_xml_id("bo_orders.action_bo_customer_claim")
        action.update({"domain": domain, "context": context})
        return action
