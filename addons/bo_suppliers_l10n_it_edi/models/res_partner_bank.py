from odoo import api, models


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        banks = super().create(vals_list)
        banks._bo_fpa_match_open_bills()
        return banks

    def write(self, vals):
        partners = self.partner_id
        result = super().write(vals)
        if {"acc_number", "allow_out_payment", "partner_id", "company_id", "active"} & set(vals):
            self._bo_fpa_match_open_bills(partners | self.partner_id)
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        self.env["res.partner.bank"]._bo_fpa_match_open_bills(partners)
        return result

    def _bo_fpa_match_open_bills(self, partners=None):
        """Match again the open FatturaPA bills of the accounts' suppliers that
        ask for payment to an IBAN: trusting (or no longer trusting) an account
        lifts (or sets) their block."""
        partners = (partners or self.partner_id).commercial_partner_id
        if not partners:
            return
        # sudo: whoever changes a supplier's account (an accountant) updates the
        # payment block of its bills, which they may not all read.
        bills = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("bo_fpa_imported", "=", True),
                    ("bo_fpa_iban", "!=", False),
                    ("commercial_partner_id", "in", partners.ids),
                    ("move_type", "=", "in_invoice"),
                    ("state", "in", ("draft", "posted")),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
        )
        if bills:
            bills.action_bo_check_match()
