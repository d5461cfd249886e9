from odoo import api, fields, models

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
QUOTATION_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["bo.deadline.mixin", "sale.order"]

    # The commitment is kept once the goods have left: from then on only
    # invoicing is left, which accounting follows.
    _deadline_state_field = "bo_stage"
    _deadline_done_states = ("to_invoice", "done", "cancelled")

    # OCA's agents of an order, computed for whoever reads the order (a stock
    # user may not read commission lines); not the customer's to read, nor are
    # the commissions, which are for those who sell or account.
    partner_agent_ids = fields.Many2many(compute_sudo=True, groups="base.group_user")
    commission_total = fields.Float(
        groups="sales_team.group_sale_salesman,account.group_account_invoice,"
        "account.group_account_readonly"
    )
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
    bo_stage = fields.Selection(
        BO_STAGES,
        string="Back Office Stage",
        compute="_compute_bo_stage",
        store=True,
        index=True,
        group_expand="_group_expand_bo_stage",
        bo_guarded=True,
    )
    deadline_date = fields.Date(
        string="Commitment Deadline",
        compute="_compute_deadline_date",
        store=True,
        tracking=False,
        bo_guarded=True,
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

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _bo_check_request_link(self, vals):
        """Only the order desk links an order to a request: whoever may
        write the request."""
        if vals.get("bo_request_id"):
            request = self.env["bo.order.request"].browse(vals["bo_request_id"])
            request.check_access("write")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_check_request_link(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._bo_check_request_link(vals)
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
