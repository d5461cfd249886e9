from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _bo_match_billed(self):
        """(quantity, unit price) of this bill line as the three-way match
        compares it with its purchase order line: in the order line's unit,
        the price net of the discount.

        The one place where what a line bills is read: another addon that
        nets something against the line (a credit note) overrides it.
        """
        self.ensure_one()
        uom = self.purchase_line_id.product_uom_id
        qty = self.quantity
        if uom and self.product_uom_id and self.product_uom_id != uom:
            qty = self.product_uom_id._compute_quantity(self.quantity, uom)
        price = self.price_unit * (1 - (self.discount or 0.0) / 100)
        if qty and qty != self.quantity:
            price = price * self.quantity / qty
        return qty, price

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
