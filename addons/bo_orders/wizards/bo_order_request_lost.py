from odoo import fields, models


class BoOrderRequestLost(models.TransientModel):
    _name = "bo.order.request.lost"
    _description = "Mark Order Requests as Lost"

    request_ids = fields.Many2many("bo.order.request", required=True)
    reason = fields.Text(required=True)

    def action_mark_lost(self):
        self.request_ids._set_lost(self.reason)
        return {"type": "ir.actions.act_window_close"}
