from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.bo_supplier_evaluation import PERIOD_TYPES


class BoSupplierEvaluationWizard(models.TransientModel):
    """Evaluate chosen suppliers (or all those with activity) over a period, now."""

    _name = "bo.supplier.evaluation.wizard"
    _description = "Evaluate Suppliers"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    period_type = fields.Selection(
        PERIOD_TYPES,
        string="Period",
        required=True,
        default=lambda self: self.env.company.bo_evaluation_period,
    )
    date_from = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True, precompute=True
    )
    date_to = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True, precompute=True
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Suppliers",
        domain=[("parent_id", "=", False)],
        help="Leave empty to evaluate every supplier with receipts, bills or confirmed "
        "orders in the period.",
    )

    @api.depends("period_type")
    def _compute_dates(self):
        evaluation = self.env["bo.supplier.evaluation"]
        for wizard in self:
            if wizard.period_type == "custom" and wizard.date_from and wizard.date_to:
                continue
            period = wizard.period_type if wizard.period_type != "custom" else "month"
            wizard.date_from, wizard.date_to = evaluation._bo_last_period(period)

    def action_evaluate(self):
        self.ensure_one()
        if not self.env.user.has_group("bo_base.group_bo_user"):
            raise AccessError(self.env._("Only Back Office users can evaluate suppliers."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You cannot evaluate the suppliers of this company."))
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period must end after it starts."))
        if self.date_to >= fields.Date.context_today(self):
            raise UserError(self.env._("Only a period that has ended can be evaluated."))
        evaluations = self.env["bo.supplier.evaluation"]._bo_evaluate(
            self.company_id,
            self.date_from,
            self.date_to,
            partners=self.partner_ids or None,
            period_type=self.period_type,
        )
        if not evaluations:
            raise UserError(
                self.env._(
                    "No supplier had receipts, bills or confirmed orders in this period: "
                    "nothing to evaluate."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_suppliers.action_bo_supplier_evaluation"
        )
        action["domain"] = [("id", "in", evaluations.ids)]
        return action
