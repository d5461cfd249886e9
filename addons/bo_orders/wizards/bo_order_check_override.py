from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class BoOrderCheckOverride(models.TransientModel):
    _name = "bo.order.check.override"
    _description = "Override Order Checks"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    blocks = fields.Html(compute="_compute_blocks", sanitize=False)
    reason = fields.Text(required=True)

    @api.depends("order_id")
    def _compute_blocks(self):
        for wizard in self:
            failures = wizard.order_id._bo_run_checks(severity="block").get(wizard.order_id)
            wizard.blocks = wizard.order_id._bo_format_failures(failures) if failures else False

    def action_override(self):
        self.ensure_one()
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(self.env._("Only a Back Office manager can override the checks."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for overriding the checks."))
        order = self.order_id
        if order.state not in ("draft", "sent", "sale"):
            raise UserError(self.env._("Only quotations and open orders can be released."))
        order._bo_set_override(reason)
        order.message_post(
            body=Markup("%s<br/>%s%s")
            % (
                self.env._("Back-office checks overridden by %s.", self.env.user.name),
                self.env._("Reason: %s", reason),
                self.blocks or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
