from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from .bo_supplier_qualification import BLOCKING_STATES
from .res_partner import EVALUATION_CLASSES

CONFIRMED_STATES = ("to approve", "purchase")
INTERNAL = "base.group_user"


def supplier_override_content(entity_id, state, evaluation_class):
    """What a manager's override of an order's supplier block covers: the
    supplier (its commercial entity), its qualification and its class in the
    order's company. The 19.0.1.1.0 migration fingerprints the overrides given
    before it with this very function."""
    return (entity_id or False, state or False, evaluation_class or False)


class PurchaseOrder(models.Model):
    """Orders to a suspended or blocked supplier, or to a class C supplier where
    the company blocks them, are confirmed only under a named Back Office
    manager's override of that order (``bo.override.mixin``), whoever
    confirms: a clerk, a manager, or the system."""

    _name = "purchase.order"
    _inherit = ["purchase.order", "bo.override.mixin"]

    bo_supplier_state = fields.Selection(
        related="partner_id.commercial_partner_id.bo_qualification_state",
        string="Supplier Qualification",
    )
    # The override is the buyers' business, not the vendor's on the portal.
    bo_override_user_id = fields.Many2one(string="Supplier Block Overridden By", groups=INTERNAL)
    bo_override_reason = fields.Text(string="Supplier Override Reason", groups=INTERNAL)
    bo_override_date = fields.Datetime(string="Supplier Override Date", groups=INTERNAL)
    bo_override_digest = fields.Char(
        string="Supplier Override Fingerprint",
        groups=INTERNAL,
        help="The supplier, its qualification and its class as the manager overrode "
        "the block: any change to them needs a new override.",
    )
    bo_supplier_blocked = fields.Boolean(
        string="Supplier Blocked",
        compute="_compute_bo_supplier_blocked",
        compute_sudo=True,
        groups=INTERNAL,
        help="The supplier is suspended or blocked and no Back Office manager overrode "
        "the block for this order as it is.",
    )
    bo_supplier_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Supplier Class",
        compute="_compute_bo_supplier_class",
        groups="base.group_user",
        help="The supplier's class in its latest evaluation by the order's company.",
    )
    bo_class_c_policy = fields.Selection(
        related="company_id.bo_evaluation_class_c_policy", groups="base.group_user"
    )
    bo_class_c_blocked = fields.Boolean(
        compute="_compute_bo_class_c_blocked",
        compute_sudo=True,
        groups=INTERNAL,
        help="The supplier is in class C, the company blocks such orders and no Back "
        "Office manager overrode the block for this order.",
    )

    @api.depends("partner_id.commercial_partner_id", "company_id")
    def _compute_bo_supplier_class(self):
        for order in self:
            supplier = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.bo_supplier_class = supplier.bo_evaluation_class

    @api.depends(
        "bo_supplier_state", "bo_supplier_class", "bo_override_user_id", "bo_override_digest"
    )
    def _compute_bo_supplier_blocked(self):
        for order in self:
            order.bo_supplier_blocked = (
                order.bo_supplier_state in BLOCKING_STATES and not order._bo_override_covers()
            )

    @api.depends(
        "bo_supplier_state",
        "bo_supplier_class",
        "bo_class_c_policy",
        "bo_override_user_id",
        "bo_override_digest",
    )
    def _compute_bo_class_c_blocked(self):
        for order in self:
            order.bo_class_c_blocked = order._bo_class_c_blocked()

    def _bo_override_content(self):
        self.ensure_one()
        supplier = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        return supplier_override_content(
            supplier.id, supplier.bo_qualification_state, supplier.bo_evaluation_class
        )

    def _bo_class_c_blocked(self):
        self.ensure_one()
        order = self.sudo()  # the class and the override are read whoever confirms
        return (
            order.bo_supplier_class == "c"
            and order.company_id.bo_evaluation_class_c_policy == "block"
            and not order._bo_override_covers()
        )

    @api.onchange("partner_id")
    def _onchange_partner_id_bo_class_c(self):
        supplier = self.partner_id.commercial_partner_id.with_company(self.company_id)
        policy = self.company_id.bo_evaluation_class_c_policy
        if supplier.bo_evaluation_class != "c" or policy not in ("warn", "block"):
            return None
        message = self.env._(
            "%(supplier)s is in class C in its last evaluation (score %(score)s).",
            supplier=supplier.display_name,
            score=supplier.bo_evaluation_score,
        )
        if policy == "block":
            message += " " + self.env._(
                "Orders to class C suppliers need a Back Office manager's override."
            )
        return {"warning": {"title": self.env._("Class C supplier"), "message": message}}

    def _bo_supplier_block_message(self):
        """Why this order cannot be confirmed, or False."""
        self.ensure_one()
        if self.bo_supplier_state not in BLOCKING_STATES or self.sudo()._bo_override_covers():
            return self._bo_class_c_block_message()
        state = dict(self._fields["bo_supplier_state"]._description_selection(self.env))
        return self.env._(
            "%(order)s cannot be confirmed: the supplier %(supplier)s is %(state)s. "
            "Only a Back Office manager can release it, by requalifying the supplier "
            "or by overriding the block on this order with a reason.",
            order=self.name,
            supplier=self.partner_id.commercial_partner_id.display_name,
            state=state[self.bo_supplier_state],
        )

    def _bo_class_c_block_message(self):
        self.ensure_one()
        if not self._bo_class_c_blocked():
            return False
        return self.env._(
            "%(order)s cannot be confirmed: the supplier %(supplier)s is in class C in its "
            "last evaluation and this company blocks orders to class C suppliers. Only a "
            "Back Office manager can release it, by overriding the block on this order "
            "with a reason.",
            order=self.name,
            supplier=self.partner_id.commercial_partner_id.display_name,
        )

    def _bo_check_class_c_new_rfq(self, vals_list):
        """Refuse a clerk's new request for quotation to a class C supplier
        (created, copied or moved to it) when the company blocks them.

        A named Back Office manager may make one, and so may the system's own
        code, the replenishment (stock rules create their RFQs as the
        superuser): the RFQ is created, because a need the scheduler cannot
        order is better in front of the buyer than lost in a procurement
        exception (or in a sale that cannot be confirmed), and confirming it
        needs a named manager's override like every other order to the
        supplier (``_bo_class_c_blocked``): the system never lifts a block.
        """
        if self.env.su or self._bo_named_manager():
            return
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if not vals.get("partner_id") or company.bo_evaluation_class_c_policy != "block":
                continue
            supplier = (
                self.env["res.partner"]
                .browse(vals["partner_id"])
                .commercial_partner_id.with_company(company)
            )
            if supplier.bo_evaluation_class == "c":
                raise UserError(
                    self.env._(
                        "%(supplier)s is in class C in its last evaluation and %(company)s "
                        "blocks new requests for quotation to class C suppliers: ask a Back "
                        "Office manager.",
                        supplier=supplier.display_name,
                        company=company.name,
                    )
                )

    def _bo_check_supplier_before_confirm(self):
        errors = [msg for msg in (order._bo_supplier_block_message() for order in self) if msg]
        if errors:
            raise UserError("\n\n".join(errors))

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._bo_supplier_block_message()

    def _bo_named_manager(self):
        """A named Back Office manager: a person, never OdooBot."""
        user = self.env.user
        return (
            user.id != SUPERUSER_ID and not user.share and user.has_group(self._bo_override_group)
        )

    def action_bo_supplier_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Supplier Block"),
            "res_model": "bo.purchase.supplier.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _bo_set_supplier_override(self, reason):
        """Release these orders to their blocked supplier as they are now, in
        the current user's name; only the override wizard calls this."""
        for order in self:
            state = (
                order.bo_supplier_state
                if order.bo_supplier_state in BLOCKING_STATES
                else self.env._("class C")
            )
            order._bo_override_set(
                reason,
                note=self.env._(
                    "Supplier block (%(state)s) overridden for this order by %(user)s. Reason:",
                    state=state,
                    user=self.env.user.name,
                ),
            )
        return True

    # ------------------------------------------------------------------
    # Every path to a confirmed order
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._bo_check_class_c_new_rfq(vals_list)
        if not any(vals.get("state") in CONFIRMED_STATES for vals in vals_list):
            return super().create(vals_list)
        # Orders created (or copied) directly as confirmed: a refusal undoes
        # everything made with them.
        with self.env.cr.savepoint():
            orders = super().create(vals_list)
            orders.filtered(
                lambda o: o.state in CONFIRMED_STATES
            )._bo_check_supplier_before_confirm()
        return orders

    def write(self, vals):
        if vals.get("partner_id"):
            changed = self.filtered(lambda o: o.partner_id.id != vals["partner_id"])
            if changed:
                self._bo_check_class_c_new_rfq(
                    [
                        {"partner_id": vals["partner_id"], "company_id": o.company_id.id}
                        for o in changed
                    ]
                )
        confirming = vals.get("state") in CONFIRMED_STATES
        new_partner = vals.get("partner_id")
        if not confirming and not new_partner:
            return super().write(vals)
        # an override covers the supplier it was given for only: its
        # fingerprint holds the commercial entity
        to_check = self.filtered(
            lambda o: (
                (confirming and o.state != vals["state"])
                or (new_partner and o.state in CONFIRMED_STATES)
            )
        )
        with self.env.cr.savepoint():
            res = super().write(vals)
            to_check.filtered(
                lambda o: o.state in CONFIRMED_STATES
            )._bo_check_supplier_before_confirm()
        return res
