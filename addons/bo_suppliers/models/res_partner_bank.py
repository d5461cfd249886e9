from odoo import api, fields, models


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    # When a payment would go elsewhere: a change of the number, the bank, the
    # holder or the permission to pay out. Computed and guarded: nobody dates
    # a new account back to make the warning before a payment disappear.
    bo_changed_date = fields.Datetime(
        string="Account Changed On",
        compute="_compute_bo_changed_date",
        store=True,
        precompute=True,
        copy=False,
        bo_guarded=True,
        help="When the account was created or its number, bank or holder last changed.",
    )

    @api.depends("acc_number", "bank_id", "partner_id", "allow_out_payment")
    def _compute_bo_changed_date(self):
        now = fields.Datetime.now()
        for bank in self:
            bank.bo_changed_date = now
