from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .bo_supplier_qualification import (
    BLOCKING_STATES,
    QUALIFICATION_STATES,
    bo_is_privileged,
    bo_privileged,
)
from .res_partner import EVALUATION_CLASSES

OVERRIDE_FIELDS = {
    "bo_supplier_override_user_id",
    "bo_supplier_override_reason",
    "bo_supplier_override_date",
    "bo_supplier_override_state",
    "bo_supplier_override_class",
}
CONFIRMED_STATES = ("to approve", "purchase")


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    bo_supplier_state = fields.Selection(
        related="partner_id.commercial_partner_id.bo_qualification_state",
        string="Supplier Qualification",
    )
    bo_supplier_override_user_id = fields.Many2one(
        "res.users",
        string="Supplier Block Overridden By",
        copy=False,
        readonly=True,
        tracking=True,
    )
    bo_supplier_override_reason = fields.Text(
        string="Supplier Override Reason", copy=False, readonly=True
    )
    bo_supplier_override_date = fields.Datetime(
        string="Supplier Override Date", copy=False, readonly=True
    )
    bo_supplier_override_state = fields.Selection(
        QUALIFICATION_STATES,
        string="Overridden Supplier State",
        copy=False,
        readonly=True,
        help="The supplier's state the override was given for: a new suspension "
        "or block needs a new override.",
    )
    bo_supplier_override_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Overridden Supplier Class",
        copy=False,
        readonly=True,
        help="The supplier's evaluation class the override was given for.",
    )
    bo_supplier_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Supplier Class",
        compute="_compute_bo_supplier_class",
        groups="base.group_user",
        help="The supplier's class in its latest evaluation by the order's company.",
    )
    bo_class_c_policy = fields.Selection(related="company_id.bo_evaluation_class_c_policy")
    bo_class_c_blocked = fields.Boolean(
        compute="_compute_bo_class_c_blocked",
        compute_sudo=True,
        help="The supplier is in class C, the company blocks such orders and no Back "
        "Office manager overrode the block for this order.",
    )

    @api.depends("partner_id.commercial_partner_id", "company_id")
    def _compute_bo_supplier_class(self):
        for order in self:
            supplier = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.bo_supplier_class = supplier.bo_evaluation_class

    @api.depends(
        "bo_supplier_class",
        "bo_class_c_policy",
        "bo_supplier_override_user_id",
        "bo_supplier_override_class",
    )
    def _compute_bo_class_c_blocked(self):
        for order in self:
            order.bo_class_c_blocked = order._bo_class_c_blocked()

    def _bo_class_c_blocked(self):
        self.ensure_one()
        return (
            self.bo_supplier_class == "c"
            and self.company_id.bo_evaluation_class_c_policy == "block"
            and not (self.bo_supplier_override_user_id and self.bo_supplier_override_class == "c")
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

    def _bo_supplier_override_covers(self):
        self.ensure_one()
        return bool(self.bo_supplier_override_user_id) and (
            self.bo_supplier_override_state == self.bo_supplier_state
        )

    def _bo_supplier_block_message(self):
        """Why this order cannot be confirmed, or False."""
        self.ensure_one()
        if self.bo_supplier_state not in BLOCKING_STATES or self._bo_supplier_override_covers():
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
        """A new request for quotation to a class C supplier (created, copied or
        moved to it) is refused when the company blocks them, unless a Back
        Office manager makes it."""
        if bo_is_privileged(self.env) or self.env.user.has_group("bo_base.group_bo_manager"):
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
        """Release this order to its suspended or blocked supplier; only the
        override wizard calls this."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(
                self.env._("Only a Back Office manager can override a supplier's block.")
            )
        for order in self:
            bo_privileged(order).write(
                {
                    "bo_supplier_override_user_id": self.env.uid,
                    "bo_supplier_override_reason": reason,
                    "bo_supplier_override_date": fields.Datetime.now(),
                    "bo_supplier_override_state": order.bo_supplier_state,
                    "bo_supplier_override_class": order.bo_supplier_class,
                }
            )
            order.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Supplier block (%(state)s) overridden for this order by %(user)s.",
                        state=order.bo_supplier_state
                        if order.bo_supplier_state in BLOCKING_STATES
                        else self.env._("class C"),
                        user=self.env.user.name,
                    ),
                    self.env._("Reason: %s", reason),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Protected values and every path to a confirmed order
    # ------------------------------------------------------------------

    def _bo_check_protected_values(self, vals):
        if bo_is_privileged(self.env):
            return
        protected = OVERRIDE_FIELDS.intersection(vals)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a purchase order are set by a Back Office manager's "
                    "override only, never directly.",
                    fields=", ".join(
                        self._fields[fname].get_description(self.env)["string"]
                        for fname in sorted(protected)
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_check_protected_values(vals)
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
        self._bo_check_protected_values(vals)
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
        to_check = self.filtered(
            lambda o: (
                (confirming and o.state != vals["state"])
                or (new_partner and o.state in CONFIRMED_STATES)
            )
        )
        # an override covers the supplier it was given for only
        uncovered = self.filtered(
            lambda o: (
                new_partner and o.bo_supplier_override_user_id and o.partner_id.id != new_partner
            )
        )
        with self.env.cr.savepoint():
            res = super().write(vals)
            if uncovered:
                super(PurchaseOrder, bo_privileged(uncovered)).write(
                    dict.fromkeys(OVERRIDE_FIELDS, False)
                )
            to_check.filtered(
                lambda o: o.state in CONFIRMED_STATES
            )._bo_check_supplier_before_confirm()
        return res
