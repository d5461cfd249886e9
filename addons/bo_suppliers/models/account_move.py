"""Vendor bills in the Back Office: what every concern shares, and the
warning about a supplier's recent bank account change.

The concerns of a bill have a file each, all ``_inherit = "account.move"``:

- ``account_move_match.py``: the three-way match (bill, order, receipts);
- ``account_move_duplicate.py``: the likely duplicate bills;
- ``account_move_payment_release.py``: the payment block of a bill that does
  not match, and a Back Office manager's release of it.
"""

from odoo import api, fields, models

BILL_TYPES = ("in_invoice", "in_refund")
INTERNAL = "base.group_user"


class AccountMove(models.Model):
    _inherit = "account.move"

    bo_bank_change_warning = fields.Text(
        string="Bank Account Warning",
        compute="_compute_bo_bank_change_warning",
        compute_sudo=True,
        groups=INTERNAL,
    )

    @api.depends("partner_id", "company_id", "move_type")
    def _compute_bo_bank_change_warning(self):
        for move in self:
            move.bo_bank_change_warning = (
                move.partner_id._bo_bank_change_warning(move.company_id)
                if move.move_type in BILL_TYPES and move.partner_id
                else False
            )
