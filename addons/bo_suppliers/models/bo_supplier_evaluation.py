"""Supplier evaluation: a score per supplier, company and period, computed from
the period's receipts, returns, bills, orders and certificates.

Evaluations are computed facts: only ``_bo_evaluate`` (run by the scheduled
job or by the evaluation wizard) creates them, and running a period again
recomputes that period's evaluation in place (the changes of score and class
are tracked in its chatter). Every field is guarded: nobody edits or deletes
them by hand, not even as superuser.

The evaluation spans several files, each ``_inherit = "bo.supplier.evaluation"``
but this one:

- ``bo_supplier_evaluation_queries.py``: what the period's documents say, one
  aggregate SQL query per kind of document for all the suppliers (the number
  of queries does not grow with the number of suppliers);
- ``bo_supplier_evaluation_scoring.py``: one criterion each, its value and its
  explanation, and the class of a score;
- ``bo_supplier_evaluation_store.py``: the evaluations written, the suppliers'
  class and score, and the review of class C suppliers.
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context, date_utils

from .res_partner import EVALUATION_CLASSES

# criterion -> its figure on the evaluation
CRITERION_FIELDS = {
    "on_time": "on_time_rate",
    "quantity": "quantity_accuracy",
    "quality": "quality_rate",
    "price": "price_adherence",
    "responsiveness": "responsiveness",
    "certificates": "certificate_rate",
}
DOCUMENT_FIELDS = ("picking_ids", "invoice_ids", "order_ids")
PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("custom", "Other Period")]


class BoSupplierEvaluation(models.Model):
    _name = "bo.supplier.evaluation"
    _description = "Supplier Evaluation"
    _inherit = ["mail.thread"]
    _order = "date_to desc, partner_id, id desc"
    _check_company_auto = True
    _mail_post_access = "read"
    _rec_names_search = ["partner_id"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        bo_guarded=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, bo_guarded=True, ondelete="cascade"
    )
    date_from = fields.Date(required=True, readonly=True, bo_guarded=True)
    date_to = fields.Date(required=True, readonly=True, bo_guarded=True, index=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, readonly=True, bo_guarded=True)
    score = fields.Float(
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        tracking=True,
        aggregator="avg",
        help="0-100: the average of the criteria that have data in the period; a "
        "criterion without data (e.g. no bills) is left out, not counted as zero.",
    )
    evaluation_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Class",
        readonly=True,
        bo_guarded=True,
        tracking=True,
        index=True,
        help="From the score and the company's thresholds at the time of the computation.",
    )
    on_time_rate = fields.Float(
        string="On-Time Receipts (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="Receipt lines done on or before their deadline (or the receipt's "
        "scheduled date), each counted once.",
    )
    quantity_accuracy = fields.Float(
        string="Quantity Accuracy (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="Quantity received against quantity ordered, for the order lines whose "
        "receipts ended in the period.",
    )
    quality_rate = fields.Float(
        string="Quality (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="Share of the quantity received in the period that was not returned to the supplier.",
    )
    price_adherence = fields.Float(
        string="Price Adherence (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="100% less what the period's bills charged above the order prices, as a "
        "share of the ordered value.",
    )
    responsiveness = fields.Float(
        string="Responsiveness (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="From the average days between a request for quotation and its "
        "confirmation: full marks within a day, none after eleven days.",
    )
    response_days = fields.Float(
        string="Days to Answer", digits=(16, 1), readonly=True, bo_guarded=True
    )
    certificate_rate = fields.Float(
        string="Valid Certificates (%)",
        digits=(5, 1),
        readonly=True,
        bo_guarded=True,
        aggregator="avg",
        help="Mandatory document types held and valid at the end of the period.",
    )
    criteria_count = fields.Integer(
        string="Criteria Scored",
        readonly=True,
        bo_guarded=True,
        help="Criteria with data in the period.",
    )
    line_ids = fields.One2many(
        "bo.supplier.evaluation.line",
        "evaluation_id",
        string="Criteria",
        readonly=True,
        bo_guarded=True,
    )
    computed_date = fields.Datetime(string="Computed On", readonly=True, bo_guarded=True)
    computed_by_id = fields.Many2one("res.users", readonly=True, bo_guarded=True)

    _period_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, date_from, date_to)",
        "A supplier has one evaluation per company and period.",
    )
    _score_range = models.Constraint(
        "CHECK(score >= 0 AND score <= 100)", "The score goes from 0 to 100."
    )
    _period_order = models.Constraint(
        "CHECK(date_from <= date_to)", "The period must end after it starts."
    )

    @api.depends("partner_id.name", "date_from", "date_to", "period_type")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = f"{evaluation.partner_id.name} {evaluation._period_label()}"

    def _period_label(self):
        self.ensure_one()
        if not self.date_from:
            return ""
        if self.period_type == "month":
            return self.date_from.strftime("%Y-%m")
        if self.period_type == "quarter":
            return f"{self.date_from.year}-Q{date_utils.get_quarter_number(self.date_from)}"
        return f"{self.date_from} - {self.date_to}"

    # ------------------------------------------------------------------
    # Evaluations are written by the computation only (their fields are
    # guarded); comments in the chatter are welcome
    # ------------------------------------------------------------------

    def copy(self, default=None):
        # a copy would be an evaluation nobody computed
        if self:
            raise UserError(
                self.env._(
                    "Supplier evaluations are computed from receipts, bills and orders: use "
                    "'Evaluate Suppliers', they cannot be copied."
                )
            )
        return super().copy(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Supplier evaluations are kept as evidence and cannot be deleted; run the "
                "period again to recompute one."
            )
        )

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    @api.model
    def _bo_last_period(self, period_type, today=None):
        """The last month or quarter ended before ``today``: (date_from, date_to)."""
        today = today or fields.Date.context_today(self)
        granularity = "quarter" if period_type == "quarter" else "month"
        step = relativedelta(months=3 if granularity == "quarter" else 1)
        date_from = date_utils.start_of(today, granularity) - step
        return date_from, date_utils.end_of(date_from, granularity)

    @api.model
    def _cron_evaluate_suppliers(self):
        """Evaluate the period just ended, for every supplier with activity in it,
        in every company; running it again recomputes the same evaluations."""
        for company in self.env["res.company"].sudo().search([]):
            date_from, date_to = self._bo_last_period(company.bo_evaluation_period)
            self._bo_evaluate(company, date_from, date_to, period_type=company.bo_evaluation_period)

    # ------------------------------------------------------------------
    # The computation
    # ------------------------------------------------------------------

    @api.model
    def _bo_evaluate(self, company, date_from, date_to, partners=None, period_type="custom"):
        """Evaluate the suppliers of ``company`` over ``date_from``..``date_to``.

        ``partners``: the suppliers to evaluate (their commercial entities); all
        those with activity in the period when None. A supplier without receipts,
        bills or confirmed orders in the period is skipped. Returns the
        evaluations created or recomputed. The callers check who may run it.
        """
        # sudo: the evaluation reads every receipt, bill and order of the
        # company, whoever runs it. Without the caller's default_ keys: the
        # computation writes every figure itself.
        evaluation = self.sudo().with_company(company).with_context(clean_context(self.env.context))
        evaluations = evaluation._bo_compute(
            company,
            fields.Date.to_date(date_from),
            fields.Date.to_date(date_to),
            partners,
            period_type,
        )
        return self.browse(evaluations.ids)

    def _bo_compute(self, company, date_from, date_to, partners, period_type):
        if date_from > date_to:
            raise UserError(self.env._("The period must end after it starts."))
        self.env.flush_all()
        params = {
            "company": company.id,
            "start": datetime.combine(date_from, time.min),
            "stop": datetime.combine(date_to + timedelta(days=1), time.min),
            "partner_ids": (
                tuple(partners.commercial_partner_id.ids) if partners is not None else None
            ),
        }
        if partners is not None and not params["partner_ids"]:
            return self.browse()
        receipts = self._bo_query_receipts(params)
        quantities = self._bo_query_quantities(params)
        returns = self._bo_query_returns(params)
        bills = self._bo_query_bills(params)
        orders = self._bo_query_orders(params)
        active_ids = set(receipts) | set(bills) | set(orders)
        if not active_ids:
            return self.browse()
        certificates = self._bo_query_certificates(active_ids, date_to)
        lines_by_partner = {
            partner_id: [
                self._bo_line_on_time(receipts.get(partner_id)),
                self._bo_line_quantity(quantities.get(partner_id)),
                self._bo_line_quality(receipts.get(partner_id), returns.get(partner_id)),
                self._bo_line_price(bills.get(partner_id)),
                self._bo_line_responsiveness(orders.get(partner_id)),
                self._bo_line_certificates(certificates, partner_id),
            ]
            for partner_id in active_ids
        }
        return self._bo_store(company, date_from, date_to, period_type, lines_by_partner)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_receipts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.line_ids.picking_ids.ids)]
        action["context"] = {}
        return action
