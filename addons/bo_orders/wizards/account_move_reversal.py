from odoo import fields, models
from odoo.exceptions import UserError


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    bo_claim_id = fields.Many2one(
        "bo.customer.claim", string="Claim", help="The claim the credit note is made for."
    )

    def reverse_moves(self, is_modify=False):
        claim = self.bo_claim_id
        if claim and self.move_ids != claim.invoice_id:
            raise UserError(self.env._("The credit note must be of the claim's invoice."))
        res = super().reverse_moves(is_modify=is_modify)
        if claim:
            credit_notes = (
                self.move_ids.reversal_move_ids.filtered(lambda m: m.move_type == "out_refund")
                - claim.credit_note_ids
            )
            claim._bo_link_outcome("credit_note_ids", credit_notes)
        return res
