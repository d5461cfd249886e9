from odoo import api, fields, models
from odoo.exceptions import AccessError

# What makes a payment go elsewhere: a change of any of these is a change of
# the bank account.
BO_BANK_FIELDS = frozenset(("acc_number", "bank_id", "partner_id", "allow_out_payment"))


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    bo_changed_date = fields.Datetime(
        string="Account Changed On",
        readonly=True,
        copy=False,
        help="When the account was created or its number, bank or holder last changed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("bo_changed_date" in vals for vals in vals_list):
            raise AccessError(self.env._("The date a bank account changed is set by Odoo."))
        now = fields.Datetime.now()
        return super().create([{**vals, "bo_changed_date": now} for vals in vals_list])

    def write(self, vals):
        if "bo_changed_date" in vals:
            raise AccessError(self.env._("The date a bank account changed is set by Odoo."))
        if BO_BANK_FIELDS.intersection(vals):
            vals = {**vals, "bo_changed_date": fields.Datetime.now()}
        return super().write(vals)
