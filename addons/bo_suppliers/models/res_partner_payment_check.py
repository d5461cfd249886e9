from datetime import timedelta

from odoo import fields, models

MANAGERS = "bo_base.group_bo_manager,account.group_account_manager"


class ResPartner(models.Model):
    """Per-supplier tolerances of the three-way match (they loosen a control:
    only managers read and write them)."""

    _inherit = "res.partner"

    bo_match_tolerance_custom = fields.Boolean(
        string="Own Match Tolerances",
        groups=MANAGERS,
        help="Match this supplier's bills with the tolerances below instead of the company's.",
    )
    bo_match_price_tolerance_pct = fields.Float(string="Price Tolerance (%)", groups=MANAGERS)
    bo_match_price_tolerance_amount = fields.Float(
        string="Price Tolerance (Amount)", groups=MANAGERS
    )
    bo_match_qty_tolerance_pct = fields.Float(string="Quantity Tolerance (%)", groups=MANAGERS)
    bo_match_qty_tolerance_qty = fields.Float(string="Quantity Tolerance (Units)", groups=MANAGERS)

    def _bo_match_tolerances(self, company):
        """(price %, price amount, qty %, qty units) for this supplier's bills."""
        self.ensure_one()
        # sudo: the tolerances are managers' fields, the match runs for anyone.
        source = self.sudo() if self.sudo().bo_match_tolerance_custom else company
        return (
            source.bo_match_price_tolerance_pct,
            source.bo_match_price_tolerance_amount,
            source.bo_match_qty_tolerance_pct,
            source.bo_match_qty_tolerance_qty,
        )

    def _bo_bank_change_warning(self, company):
        """The warning about this supplier's bank accounts created or changed
        within the company's window, or False."""
        self.ensure_one()
        days = company.bo_bank_change_days
        if not days:
            return False
        since = fields.Datetime.now() - timedelta(days=days)
        # sudo: bank accounts are the accountants'; the warning only names
        # the account's end and its date.
        recent = (
            self.commercial_partner_id.sudo()
            .bank_ids.filtered(lambda b: b.bo_changed_date and b.bo_changed_date >= since)
            .sorted("bo_changed_date", reverse=True)
        )
        if not recent:
            return False
        return self.env._(
            "The bank account of %(partner)s was created or changed recently: %(accounts)s. "
            "Check it with the supplier by phone before paying.",
            partner=self.commercial_partner_id.display_name,
            accounts=", ".join(
                self.env._(
                    "…%(end)s on %(date)s",
                    end=(bank.sanitized_acc_number or "")[-4:],
                    date=fields.Date.to_string(bank.bo_changed_date.date()),
                )
                for bank in recent
            ),
        )
