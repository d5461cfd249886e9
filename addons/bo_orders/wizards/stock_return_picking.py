from odoo import fields, models
from odoo.exceptions import UserError


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    bo_claim_id = fields.Many2one(
        "bo.customer.claim", string="Claim", help="The claim the return is made for."
    )

    def _create_return(self):
        claim = self.bo_claim_id
        if claim and claim.picking_id != self.picking_id:
            raise UserError(self.env._("The return must be of the claim's delivery."))
        new_picking = super()._create_return()
        if claim:
            claim._bo_link_outcome("return_picking_ids", new_picking)
        return new_picking
