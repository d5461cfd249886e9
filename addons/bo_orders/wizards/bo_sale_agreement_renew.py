from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class BoSaleAgreementRenew(models.TransientModel):
    _name = "bo.sale.agreement.renew"
    _description = "Renew a Customer Agreement"

    agreement_id = fields.Many2one("bo.sale.agreement", required=True, ondelete="cascade")
    date_start = fields.Date(
        string="Start Date",
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
    )
    date_end = fields.Date(
        string="End Date",
        required=True,
        compute="_compute_dates",
        store=True,
        readonly=False,
    )

    @api.depends("agreement_id")
    def _compute_dates(self):
        """By default the next version follows on with the same duration."""
        for wizard in self:
            agreement = wizard.agreement_id
            if not agreement:
                continue
            wizard.date_start = agreement.date_end + relativedelta(days=1)
            length = relativedelta(agreement.date_end, agreement.date_start)
            wizard.date_end = wizard.date_start + length

    def action_renew(self):
        self.ensure_one()
        if self.date_end < self.date_start:
            raise UserError(self.env._("The renewal cannot end before it starts."))
        self.agreement_id.check_access("write")
        renewal = self.agreement_id._bo_renew(self.date_start, self.date_end)
        return {
            "type": "ir.actions.act_window",
            "res_model": "bo.sale.agreement",
            "res_id": renewal.id,
            "view_mode": "form",
        }
