from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _reconcile_plan(self, reconciliation_plan):
        # Every reconciliation goes through here: the payment wizard, a payment
        # reconciled by hand, the outstanding-credit widget on the bill
        # (js_assign_outstanding_line), the bank reconciliation.
        amls = self.env["account.move.line"]
        stack = list(reconciliation_plan)
        while stack:
            item = stack.pop()
            if isinstance(item, models.BaseModel):
                amls |= item
            else:
                stack.extend(item)
        moves = amls.move_id
        # sudo: the block gates every user who reconciles.
        blocked = moves.sudo().filtered("bo_payment_blocked")
        if blocked and any(move.reversed_entry_id not in blocked for move in moves - blocked):
            # A bill cancelled by its own reversal is not a payment.
            blocked._bo_check_payment_allowed()
        return super()._reconcile_plan(reconciliation_plan)
