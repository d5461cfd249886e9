from dateutil.relativedelta import relativedelta

from odoo import fields, models


class BoSupplierScorecardWizard(models.TransientModel):
    """The supplier evaluations of a period, per supplier: the filters of the
    Supplier Scorecard (XLSX) report and the figures behind it.

    Only the company's own evaluations count (a month or a quarter, as the
    company evaluates), those that fall within the period; they are read as the
    user, so record rules decide what is reported.
    """

    _name = "bo.supplier.scorecard.wizard"
    _inherit = ["bo.report.wizard.mixin", "bo.report.period.mixin"]
    _description = "Supplier Scorecard Report"
    _bo_report_ref = "bo_reports_suppliers.action_report_bo_supplier_scorecard_xlsx"

    def _bo_default_period(self):
        """Last year."""
        first = fields.Date.context_today(self).replace(month=1, day=1)
        return first - relativedelta(years=1), first - relativedelta(days=1)

    partner_ids = fields.Many2many(
        "res.partner",
        string="Suppliers",
        check_company=True,
        help="Leave empty for every evaluated supplier.",
    )

    def _bo_criteria(self):
        """(criterion, column title) of the evaluation criteria, in order."""
        selection = self.env["bo.supplier.evaluation.line"]._fields["criterion"]
        return selection._description_selection(self.env)

    def _bo_evaluations(self):
        """The evaluations of the period, by supplier and date."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("period_type", "=", self.company_id.bo_evaluation_period),
            ("date_from", ">=", self.date_from),
            ("date_to", "<=", self.date_to),
        ]
        if self.partner_ids:
            domain.append(("partner_id", "child_of", self.partner_ids.ids))
        evaluations = self.env["bo.supplier.evaluation"].with_company(self.company_id)
        return evaluations.search(domain, order="partner_id, date_from, id")

    def _bo_criterion_values(self, evaluation):
        """{criterion: value} of the criteria that have data."""
        return {line.criterion: line.value for line in evaluation.line_ids if line.has_data}

    def _bo_scorecard(self, evaluations):
        """One row per supplier: evaluations, average score, the average of each
        criterion over the evaluations that have data for it (None without any),
        the latest class and the trend (latest score less the first)."""
        rows = []
        for partner, group in evaluations.grouped("partner_id").items():
            values = [self._bo_criterion_values(evaluation) for evaluation in group]
            criteria = {}
            for criterion, _title in self._bo_criteria():
                scored = [value[criterion] for value in values if criterion in value]
                criteria[criterion] = sum(scored) / len(scored) if scored else None
            rows.append(
                {
                    "partner": partner.display_name,
                    "count": len(group),
                    "score": sum(group.mapped("score")) / len(group),
                    "criteria": criteria,
                    "evaluation_class": group[-1].evaluation_class,
                    "trend": group[-1].score - group[0].score,
                }
            )
        rows.sort(key=lambda row: (-row["score"], row["partner"]))
        return rows
