from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        # Every way of validating a transfer ends here: refuse to ship to a
        # customer blocked for credit or overdue receivables until released.
        self.filtered(lambda p: p.picking_type_code == "outgoing").sale_id._bo_check_release()
        return super()._action_done()
