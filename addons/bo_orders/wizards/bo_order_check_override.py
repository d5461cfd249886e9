from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


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
        """The manager's override of the order as it is now. Who may decide
        (a named Back Office manager, never OdooBot) and the reason are the
        override mixin's rules (``bo.override.mixin._bo_override_set``)."""
        self.ensure_one()
        order = self.order_id
        if order.state not in ("draft", "sent", "sale"):
            raise UserError(self.env._("Only quotations and open orders can be released."))
        order._bo_override_checks(
            self.reason,
            note=Markup("%s%s")
            % (
                self.env._("Back-office checks overridden by %s.", self.env.user.name),
                self.blocks or "",
            ),
        )
        return {"type": "ir.actions.act_window_close"}
