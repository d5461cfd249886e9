from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _bo_ships_to_customer(self):
        """Goods leaving for the customer: deliveries, dropshipping (supplier to
        customer) and any other operation type whose destination is a customer."""
        self.ensure_one()
        return (
            self.picking_type_code in ("outgoing", "dropship")
            or self.location_dest_id.usage == "customer"
        )

    def _action_done(self):
        # Every way of validating a transfer ends here: refuse to ship to a
        # customer blocked for credit or overdue receivables until released.
        self.filtered(lambda p: p.sale_id and p._bo_ships_to_customer()).sale_id._bo_check_release()
        return super()._action_done()
