"""Supplier evaluation: a score per supplier, company and period, computed from
the period's receipts, returns, bills, orders and certificates.

Evaluations are computed facts: only ``_bo_evaluate`` (run by the scheduled
job or by the evaluation wizard) creates them, and running a period again
recomputes that period's evaluation in place (the changes of score and class
are tracked in its chatter). Nobody edits or deletes them by hand.

The computation reads each kind of document once for all the suppliers, with
aggregate SQL queries grouped by supplier: its number of queries does not grow
with the number of suppliers.
"""

import json
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, date_utils

from .bo_supplier_qualification import REVIEWED_STATES, bo_is_privileged, bo_privileged
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
# Responsiveness: full marks for an RFQ confirmed within RESPONSE_DAYS_FULL
# days of its creation, nothing after RESPONSE_DAYS_ZERO days, linear between.
RESPONSE_DAYS_FULL = 1.0
RESPONSE_DAYS_ZERO = 11.0
DOCUMENT_FIELDS = ("picking_ids", "invoice_ids", "order_ids")
# documents named in an explanation (all of them are linked on the line)
MAX_LISTED = 30
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
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, ondelete="cascade"
    )
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True, index=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, readonly=True)
    score = fields.Float(
        digits=(5, 1),
        readonly=True,
        tracking=True,
        aggregator="avg",
        help="0-100: the average of the criteria that have data in the period; a "
        "criterion without data (e.g. no bills) is left out, not counted as zero.",
    )
    evaluation_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Class",
        readonly=True,
        tracking=True,
        index=True,
        help="From the score and the company's thresholds at the time of the computation.",
    )
    on_time_rate = fields.Float(
        string="On-Time Receipts (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Receipt lines done on or before their deadline (or the receipt's "
        "scheduled date), each counted once.",
    )
    quantity_accuracy = fields.Float(
        string="Quantity Accuracy (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Quantity received against quantity ordered, for the order lines whose "
        "receipts ended in the period.",
    )
    quality_rate = fields.Float(
        string="Quality (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Share of the quantity received in the period that was not returned to the supplier.",
    )
    price_adherence = fields.Float(
        string="Price Adherence (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="100% less what the period's bills charged above the order prices, as a "
        "share of the ordered value.",
    )
    responsiveness = fields.Float(
        string="Responsiveness (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="From the average days between a request for quotation and its "
        "confirmation: full marks within a day, none after eleven days.",
    )
    response_days = fields.Float(string="Days to Answer", digits=(16, 1), readonly=True)
    certificate_rate = fields.Float(
        string="Valid Certificates (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Mandatory document types held and valid at the end of the period.",
    )
    criteria_count = fields.Integer(
        string="Criteria Scored", readonly=True, help="Criteria with data in the period."
    )
    line_ids = fields.One2many(
        "bo.supplier.evaluation.line", "evaluation_id", string="Criteria", readonly=True
    )
    computed_date = fields.Datetime(string="Computed On", readonly=True)
    computed_by_id = fields.Many2one("res.users", readonly=True)

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
    # Evaluations are written by the computation only
    # ------------------------------------------------------------------

    def _bo_own_fields(self):
        return set(self._fields) - set(self.env["mail.thread"]._fields)

    @api.model_create_multi
    def create(self, vals_list):
        if not bo_is_privileged(self.env):
            raise AccessError(
                self.env._(
                    "Supplier evaluations are computed from receipts, bills and orders: "
                    "use 'Evaluate Suppliers', they cannot be created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not bo_is_privileged(self.env) and self._bo_own_fields().intersection(vals):
            raise AccessError(
                self.env._(
                    "A supplier evaluation is a computed fact: run the evaluation of its "
                    "period again instead of changing it."
                )
            )
        return super().write(vals)

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
        # company, whoever runs it; bo_privileged: it alone writes evaluations.
        evaluations = bo_privileged(self.sudo().with_company(company))._bo_compute(
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

    def _bo_partner_filter(self, params, column):
        if params["partner_ids"] is None:
            return SQL()
        return SQL("AND %s IN %s", column, params["partner_ids"])

    def _bo_query(self, query):
        self.env.cr.execute(query)
        columns = [desc[0] for desc in self.env.cr.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()}

    def _bo_query_receipts(self, params):
        """Receipt lines (stock moves from a supplier location) done in the
        period, per supplier: each move counts once, whatever its move lines.
        On time: done on or before the day of its deadline (the order line's
        expected arrival) or, without one, the receipt's scheduled date."""
        late = SQL("m.date::date > COALESCE(m.date_deadline, sp.scheduled_date)::date")
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       count(*) AS lines,
                       count(*) FILTER (WHERE NOT (%(late)s)) AS on_time,
                       sum(m.quantity * u.factor) AS qty,
                       array_agg(DISTINCT sp.id) AS picking_ids,
                       array_agg(DISTINCT sp.name) AS picking_names,
                       array_agg(DISTINCT sp.name) FILTER (WHERE %(late)s) AS late_names
                  FROM stock_move m
                  JOIN stock_picking sp ON sp.id = m.picking_id
                  JOIN res_partner rp ON rp.id = sp.partner_id
                  JOIN stock_location sl ON sl.id = m.location_id
                  JOIN uom_uom u ON u.id = m.product_uom
                 WHERE m.state = 'done' AND sl.usage = 'supplier'
                   AND m.company_id = %(company)s
                   AND m.date >= %(start)s AND m.date < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                late=late,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_quantities(self, params):
        """Order lines whose last receipt was done in the period and that await
        no other receipt: quantity received (returns excluded) against ordered,
        both in the product's reference unit."""
        return self._bo_query(
            SQL(
                """
                WITH received AS (
                    SELECT m.purchase_line_id, sum(m.quantity * u.factor) AS qty
                      FROM stock_move m
                      JOIN stock_location sl ON sl.id = m.location_id
                      JOIN uom_uom u ON u.id = m.product_uom
                     WHERE m.state = 'done' AND sl.usage = 'supplier'
                       AND m.company_id = %(company)s
                       AND m.purchase_line_id IN (
                           SELECT purchase_line_id FROM stock_move
                            WHERE state = 'done' AND company_id = %(company)s
                              AND date >= %(start)s AND date < %(stop)s
                              AND purchase_line_id IS NOT NULL)
                  GROUP BY m.purchase_line_id
                    HAVING max(m.date) >= %(start)s AND max(m.date) < %(stop)s
                ), line AS (
                    SELECT rp.commercial_partner_id AS partner_id, po.id AS order_id,
                           po.name AS order_name, r.qty AS received,
                           pol.product_qty * u.factor AS ordered
                      FROM received r
                      JOIN purchase_order_line pol ON pol.id = r.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN res_partner rp ON rp.id = po.partner_id
                      JOIN uom_uom u ON u.id = pol.product_uom_id
                     WHERE pol.product_qty > 0
                       AND NOT EXISTS (
                           SELECT 1 FROM stock_move p
                            WHERE p.purchase_line_id = pol.id
                              AND p.state NOT IN ('done', 'cancel'))
                       %(partners)s
                )
                SELECT partner_id,
                       count(*) AS lines,
                       sum(GREATEST(0, 1 - abs(received - ordered) / ordered)) AS accuracy,
                       count(*) FILTER (WHERE received < ordered * 0.99999) AS short,
                       count(*) FILTER (WHERE received > ordered * 1.00001) AS over,
                       array_agg(DISTINCT order_id) AS order_ids,
                       array_agg(DISTINCT order_name) FILTER (
                           WHERE abs(received - ordered) > ordered * 0.00001) AS off_names
                  FROM line
              GROUP BY partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_returns(self, params):
        """Returns to the supplier of the receipt lines done in the period,
        whenever the return was done."""
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       sum(r.quantity * ru.factor) AS qty,
                       array_agg(DISTINCT rsp.id) AS picking_ids,
                       array_agg(DISTINCT rsp.name) AS picking_names
                  FROM stock_move r
                  JOIN stock_location rl ON rl.id = r.location_dest_id
                  JOIN uom_uom ru ON ru.id = r.product_uom
                  JOIN stock_picking rsp ON rsp.id = r.picking_id
                  JOIN stock_move m ON m.id = r.origin_returned_move_id
                  JOIN stock_picking sp ON sp.id = m.picking_id
                  JOIN res_partner rp ON rp.id = sp.partner_id
                  JOIN stock_location sl ON sl.id = m.location_id
                 WHERE r.state = 'done' AND rl.usage = 'supplier'
                   AND m.state = 'done' AND sl.usage = 'supplier'
                   AND m.company_id = %(company)s
                   AND m.date >= %(start)s AND m.date < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_bills(self, params):
        """Lines of the posted vendor bills dated in the period, against their
        order line: unit prices net of discount, per reference unit, in company
        currency (at the order's rate; bills in the order's currency are
        compared in that currency first, so exchange moves are no variance)."""
        return self._bo_query(
            SQL(
                """
                WITH line AS (
                    SELECT rp.commercial_partner_id AS partner_id, am.id AS bill_id,
                           am.name AS bill_name,
                           aml.quantity * bu.factor AS qty,
                           pol.price_unit * (1 - COALESCE(pol.discount, 0) / 100)
                               / NULLIF(po.currency_rate, 0) / pu.factor AS ordered_price,
                           CASE WHEN aml.currency_id = po.currency_id
                                THEN aml.price_subtotal / NULLIF(po.currency_rate, 0)
                                ELSE abs(aml.balance)
                           END / NULLIF(aml.quantity * bu.factor, 0) AS billed_price
                      FROM account_move_line aml
                      JOIN account_move am ON am.id = aml.move_id
                      JOIN purchase_order_line pol ON pol.id = aml.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN res_partner rp ON rp.id = am.commercial_partner_id
                      JOIN uom_uom bu ON bu.id = COALESCE(aml.product_uom_id, pol.product_uom_id)
                      JOIN uom_uom pu ON pu.id = pol.product_uom_id
                     WHERE am.move_type = 'in_invoice' AND am.state = 'posted'
                       AND am.company_id = %(company)s
                       AND COALESCE(am.invoice_date, am.date) >= %(start)s::date
                       AND COALESCE(am.invoice_date, am.date) < %(stop)s::date
                       AND aml.display_type = 'product' AND aml.quantity > 0
                       %(partners)s
                )
                SELECT partner_id,
                       count(*) AS lines,
                       sum(ordered_price * qty) AS ordered,
                       sum(billed_price * qty) AS billed,
                       sum(GREATEST(0, billed_price - ordered_price) * qty) AS extra,
                       array_agg(DISTINCT bill_id) AS bill_ids,
                       array_agg(DISTINCT bill_name) AS bill_names,
                       array_agg(DISTINCT bill_name) FILTER (
                           WHERE billed_price > ordered_price * 1.00001) AS over_names
                  FROM line
                 WHERE ordered_price IS NOT NULL AND billed_price IS NOT NULL
              GROUP BY partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.id")),
                **params,
            )
        )

    def _bo_query_orders(self, params):
        """Orders confirmed in the period: days from the request for quotation
        (its creation) to its confirmation, the only answer date Odoo keeps."""
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       count(*) AS orders,
                       avg(GREATEST(0, EXTRACT(EPOCH FROM po.date_approve - po.create_date))
                           / 86400.0) AS days,
                       array_agg(po.id) AS order_ids,
                       array_agg(po.name) AS order_names
                  FROM purchase_order po
                  JOIN res_partner rp ON rp.id = po.partner_id
                 WHERE po.state = 'purchase' AND po.company_id = %(company)s
                   AND po.date_approve >= %(start)s AND po.date_approve < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_certificates(self, partner_ids, date_to):
        """Mandatory document types each supplier holds valid at the period's end."""
        types = self.env["bo.supplier.document.type"].search_fetch(
            [("mandatory", "=", True)], ["name"]
        )
        held = {}
        if types:
            held = self._bo_query(
                SQL(
                    """
                    SELECT rp.commercial_partner_id AS partner_id,
                           array_agg(DISTINCT d.type_id) AS type_ids,
                           array_agg(DISTINCT d.id) AS document_ids
                      FROM bo_supplier_document d
                      JOIN res_partner rp ON rp.id = d.partner_id
                     WHERE d.active AND d.type_id IN %(types)s
                       AND rp.commercial_partner_id IN %(partners)s
                       AND (d.issue_date IS NULL OR d.issue_date <= %(date)s)
                       AND (d.expiry_date IS NULL OR d.expiry_date >= %(date)s)
                  GROUP BY rp.commercial_partner_id
                    """,
                    types=tuple(types.ids),
                    partners=tuple(partner_ids),
                    date=date_to,
                )
            )
        return {"types": types, "held": held, "date": date_to}

    # ------------------------------------------------------------------
    # One criterion each: values for a bo.supplier.evaluation.line
    # ------------------------------------------------------------------

    def _bo_names(self, names):
        names = sorted(name for name in (names or []) if name)
        listed = ", ".join(names[:MAX_LISTED])
        if len(names) > MAX_LISTED:
            listed += self.env._(" and %(count)s more", count=len(names) - MAX_LISTED)
        return listed

    def _bo_no_data(self, criterion, why):
        return {"criterion": criterion, "has_data": False, "explanation": why}

    def _bo_line_on_time(self, row):
        if not row:
            return self._bo_no_data("on_time", self.env._("No receipt in the period."))
        late = self._bo_names(row["late_names"])
        return {
            "criterion": "on_time",
            "has_data": True,
            "value": 100.0 * row["on_time"] / row["lines"],
            "numerator": row["on_time"],
            "denominator": row["lines"],
            "figure": self.env._(
                "%(on_time)s of %(lines)s receipt lines on time",
                on_time=row["on_time"],
                lines=row["lines"],
            ),
            "explanation": self.env._(
                "Each receipt line (stock move) done in the period counts once, whatever "
                "its detailed operations; it is on time when done on or before the day "
                "of its deadline, or of the receipt's scheduled date when it has none.\n"
                "Receipts: %(receipts)s\nLate: %(late)s",
                receipts=self._bo_names(row["picking_names"]),
                late=late or self.env._("none"),
            ),
            "picking_ids": row["picking_ids"],
        }

    def _bo_line_quantity(self, row):
        if not row:
            return self._bo_no_data(
                "quantity", self.env._("No order line fully received in the period.")
            )
        return {
            "criterion": "quantity",
            "has_data": True,
            "value": 100.0 * float(row["accuracy"]) / row["lines"],
            "numerator": float(row["accuracy"]),
            "denominator": row["lines"],
            "figure": self.env._(
                "order lines: %(lines)s (%(short)s short, %(over)s over)",
                lines=row["lines"],
                short=row["short"],
                over=row["over"],
            ),
            "explanation": self.env._(
                "Order lines whose last receipt was done in the period and that await "
                "no other: each scores 1 - |received - ordered| / ordered (at least 0); "
                "the value is their average. Returns are not deducted here (see "
                "quality).\nOrders off: %(off)s",
                off=self._bo_names(row["off_names"]) or self.env._("none"),
            ),
            "order_ids": row["order_ids"],
        }

    def _bo_line_quality(self, receipts, returns):
        if not receipts or not receipts["qty"]:
            return self._bo_no_data("quality", self.env._("No quantity received in the period."))
        received = float(receipts["qty"])
        returned = float(returns["qty"]) if returns else 0.0
        return {
            "criterion": "quality",
            "has_data": True,
            "value": max(0.0, 100.0 * (1 - returned / received)),
            "numerator": returned,
            "denominator": received,
            "figure": self.env._(
                "%(returned)s returned of %(received)s received",
                returned=round(returned, 2),
                received=round(received, 2),
            ),
            "explanation": self.env._(
                "Share of the quantity received in the period (in reference units) not "
                "returned to the supplier, by returns of those receipts done up to the "
                "computation. Supplier claims are not recorded in Odoo: returns are the "
                "measure of quality.\nReturns: %(returns)s",
                returns=self._bo_names(returns and returns["picking_names"]) or self.env._("none"),
            ),
            "picking_ids": returns["picking_ids"] if returns else [],
        }

    def _bo_line_price(self, row):
        if not row or not row["ordered"]:
            return self._bo_no_data("price", self.env._("No bill of an order in the period."))
        ordered, billed, extra = (float(row[key]) for key in ("ordered", "billed", "extra"))
        company = self.env.company
        return {
            "criterion": "price",
            "has_data": True,
            "value": max(0.0, 100.0 * (1 - extra / ordered)),
            "numerator": extra,
            "denominator": ordered,
            "figure": self.env._(
                "billed %(billed)s against %(ordered)s ordered (%(variance)s%%)",
                billed=company.currency_id.round(billed),
                ordered=company.currency_id.round(ordered),
                variance=f"{100.0 * (billed - ordered) / ordered:+.1f}",
            ),
            "explanation": self.env._(
                "Lines of posted vendor bills dated in the period, priced against their "
                "purchase order line (net unit prices, in %(currency)s at the order's "
                "rate). Only what was billed above the order price lowers the value: "
                "100 x (1 - %(extra)s / %(ordered)s).\nBills: %(bills)s\nAbove the "
                "order price: %(over)s",
                currency=company.currency_id.name,
                extra=company.currency_id.round(extra),
                ordered=company.currency_id.round(ordered),
                bills=self._bo_names(row["bill_names"]),
                over=self._bo_names(row["over_names"]) or self.env._("none"),
            ),
            "invoice_ids": row["bill_ids"],
        }

    def _bo_line_responsiveness(self, row):
        if not row:
            return self._bo_no_data(
                "responsiveness", self.env._("No order confirmed in the period.")
            )
        days = float(row["days"])
        span = RESPONSE_DAYS_ZERO - RESPONSE_DAYS_FULL
        value = 100.0 * min(1.0, max(0.0, (RESPONSE_DAYS_ZERO - days) / span))
        return {
            "criterion": "responsiveness",
            "has_data": True,
            "value": value,
            "numerator": days,
            "denominator": row["orders"],
            "figure": self.env._(
                "%(days)s days on average (orders: %(orders)s)",
                days=f"{days:.1f}",
                orders=row["orders"],
            ),
            "explanation": self.env._(
                "Days from each request for quotation (its creation) to its confirmation "
                "as a purchase order, for the orders confirmed in the period: full marks "
                "within %(full)s day, nothing after %(zero)s days, linear in between.\n"
                "Orders: %(orders)s",
                full=int(RESPONSE_DAYS_FULL),
                zero=int(RESPONSE_DAYS_ZERO),
                orders=self._bo_names(row["order_names"]),
            ),
            "order_ids": row["order_ids"],
        }

    def _bo_line_certificates(self, certificates, partner_id):
        types = certificates["types"]
        if not types:
            return self._bo_no_data("certificates", self.env._("No mandatory document type."))
        held = certificates["held"].get(partner_id) or {"type_ids": []}
        missing = types.filtered(lambda t: t.id not in held["type_ids"])
        valid = len(types) - len(missing)
        return {
            "criterion": "certificates",
            "has_data": True,
            "value": 100.0 * valid / len(types),
            "numerator": valid,
            "denominator": len(types),
            "figure": self.env._(
                "%(valid)s of %(types)s mandatory documents valid", valid=valid, types=len(types)
            ),
            "explanation": self.env._(
                "Mandatory document types held, issued and not expired on %(date)s.\n"
                "Missing or expired: %(missing)s",
                date=certificates["date"],
                missing=self._bo_names(missing.mapped("name")) or self.env._("none"),
            ),
        }

    # ------------------------------------------------------------------
    # Storing the results
    # ------------------------------------------------------------------

    @api.model
    def _bo_class(self, score, company):
        if score >= company.bo_evaluation_class_a_min:
            return "a"
        if score >= company.bo_evaluation_class_b_min:
            return "b"
        return "c"

    def _bo_store(self, company, date_from, date_to, period_type, lines_by_partner):
        """Create the period's new evaluations, recompute the existing ones that
        changed, and copy the latest results onto the suppliers."""
        existing = {
            evaluation.partner_id.id: evaluation
            for evaluation in self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("partner_id", "in", list(lines_by_partner)),
                ]
            )
        }
        was_c = {pid for pid, evaluation in existing.items() if evaluation.evaluation_class == "c"}
        now, to_create, changed = fields.Datetime.now(), {}, self.browse()
        for partner_id, lines in lines_by_partner.items():
            vals = self._bo_evaluation_vals(company, period_type, now, lines)
            line_vals = [self._bo_line_vals(sequence, line) for sequence, line in enumerate(lines)]
            evaluation = existing.get(partner_id)
            if not evaluation:
                vals.update(
                    partner_id=partner_id,
                    company_id=company.id,
                    date_from=date_from,
                    date_to=date_to,
                )
                to_create[partner_id] = (vals, line_vals)
            elif self._bo_changes(evaluation, vals, line_vals):
                # figures without data this time are emptied; the changes of
                # score and class are tracked in the evaluation's chatter
                vals.update(
                    {fname: False for fname in CRITERION_FIELDS.values() if fname not in vals}
                )
                evaluation.line_ids.unlink()
                evaluation.write(
                    {**vals, "line_ids": [fields.Command.create(v) for v in line_vals]}
                )
                changed |= evaluation
        created = self._bo_insert_evaluations(to_create)
        evaluations = created | changed
        if evaluations:
            self._bo_update_suppliers(evaluations, was_c)
        return evaluations | self.browse([e.id for e in existing.values()])

    def _bo_evaluation_vals(self, company, period_type, now, lines):
        scored = [line["value"] for line in lines if line["has_data"]]
        score = round(sum(scored) / len(scored), 1)
        vals = {
            "score": score,
            "evaluation_class": self._bo_class(score, company),
            "criteria_count": len(scored),
            "computed_date": now,
            "computed_by_id": self.env.uid,
            "period_type": period_type,
        }
        for line in lines:
            if line["has_data"]:
                line["value"] = round(line["value"], 1)
                vals[CRITERION_FIELDS[line["criterion"]]] = line["value"]
                if line["criterion"] == "responsiveness":
                    vals["response_days"] = round(line["numerator"], 1)
        return vals

    def _bo_line_vals(self, sequence, line):
        vals = {key: value for key, value in line.items() if key not in DOCUMENT_FIELDS}
        vals["sequence"] = sequence
        for fname in DOCUMENT_FIELDS:
            if line.get(fname):
                vals[fname] = [fields.Command.set(line[fname])]
        return vals

    def _bo_changes(self, evaluation, vals, line_vals):
        if (
            evaluation.score != vals["score"]
            or evaluation.evaluation_class != vals["evaluation_class"]
        ):
            return True
        old = [(line.criterion, line.value, line.figure) for line in evaluation.line_ids]
        new = [(v["criterion"], v.get("value", 0.0), v.get("figure", False)) for v in line_vals]
        return old != new

    # The ORM creates and updates records by chunks of a hundred: the number
    # of queries would grow with the suppliers. New evaluations, their lines
    # and the suppliers' figures are written with one statement each instead.

    def _bo_insert(self, model, vals_list, key):
        """Insert ``vals_list`` (column values) into ``model``'s table in one
        statement; returns {tuple of the ``key`` columns: new id}."""
        Model = self.env[model]
        now = fields.Datetime.now()
        rows = [
            {
                **vals,
                "create_uid": self.env.uid,
                "write_uid": self.env.uid,
                "create_date": now,
                "write_date": now,
            }
            for vals in vals_list
        ]
        columns = sorted(set().union(*rows))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s)
                SELECT %(columns)s FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(%(types)s)
                RETURNING id, %(key)s
                """,
                table=SQL.identifier(Model._table),
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                rows=json.dumps(rows, default=str),
                types=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(column), SQL(Model._fields[column].column_type[1]))
                    for column in columns
                ),
                key=SQL(", ").join(SQL.identifier(column) for column in key),
            )
        )
        return {tuple(row[1:]): row[0] for row in self.env.cr.fetchall()}

    def _bo_insert_evaluations(self, to_create):
        if not to_create:
            return self.browse()
        evaluation_ids = self._bo_insert(
            self._name, [vals for vals, _lines in to_create.values()], ["partner_id"]
        )
        Line = self.env["bo.supplier.evaluation.line"]
        lines, documents = [], []
        for partner_id, (_vals, line_vals) in to_create.items():
            for vals in line_vals:
                line = {k: v for k, v in vals.items() if k not in DOCUMENT_FIELDS}
                line["evaluation_id"] = evaluation_ids[(partner_id,)]
                lines.append(line)
                documents.append(
                    {fname: vals[fname][0][2] for fname in DOCUMENT_FIELDS if fname in vals}
                )
        line_ids = self._bo_insert(Line._name, lines, ["evaluation_id", "criterion"])
        for fname in DOCUMENT_FIELDS:
            field = Line._fields[fname]
            pairs = [
                (line_ids[(line["evaluation_id"], line["criterion"])], document_id)
                for line, docs in zip(lines, documents, strict=True)
                for document_id in docs.get(fname, [])
            ]
            if pairs:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (%s, %s) SELECT unnest(%s::int[]), unnest(%s::int[])",
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        [pair[0] for pair in pairs],
                        [pair[1] for pair in pairs],
                    )
                )
        self.env["res.partner"].invalidate_model(["bo_evaluation_ids"])
        return self.browse(sorted(evaluation_ids.values()))

    def _bo_update_suppliers(self, evaluations, was_c):
        """Copy the score and class of each supplier's latest evaluation in the
        company onto the supplier (company-dependent figures), and put class C
        suppliers to review. One computation covers one company.

        Only evaluations of the company's own period (month or quarter) make
        the class: an evaluation over another period chosen in the wizard is
        for information, so nobody lifts a supplier out of class C by
        evaluating a few good days."""
        company = evaluations.company_id
        company.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, id
                  FROM bo_supplier_evaluation
                 WHERE partner_id IN %s AND company_id = %s AND period_type = %s
              ORDER BY partner_id, date_to DESC, computed_date DESC, id DESC
                """,
                tuple(set(evaluations.partner_id.ids)),
                company.id,
                company.bo_evaluation_period,
            )
        )
        latest = self.browse([row[1] for row in self.env.cr.fetchall()]) & evaluations
        if not latest:
            return
        # The evaluations are the trail of the class: no tracking message per
        # supplier, and one statement for all of them. The figures are stored
        # as Odoo stores company-dependent values: {company id: value}.
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET bo_evaluation_score = COALESCE(p.bo_evaluation_score, '{}'::jsonb)
                           || jsonb_build_object(%(key)s::text, e.score),
                       bo_evaluation_class = COALESCE(p.bo_evaluation_class, '{}'::jsonb)
                           || jsonb_build_object(%(key)s::text, e.evaluation_class),
                       write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM bo_supplier_evaluation e
                 WHERE e.id IN %(ids)s AND p.id = e.partner_id
                """,
                key=key,
                uid=self.env.uid,
                ids=tuple(latest.ids),
            )
        )
        partners = latest.partner_id
        fnames = ["bo_evaluation_score", "bo_evaluation_class", "write_date", "write_uid"]
        partners.invalidate_recordset(fnames)
        partners.modified(fnames[:2])
        new_c = latest.filtered(
            lambda e: e.evaluation_class == "c" and e.partner_id.id not in was_c
        )
        if new_c:
            self._bo_review_class_c(new_c)

    def _bo_review_class_c(self, evaluations):
        """A class C result puts the supplier to review: qualified suppliers go
        back under evaluation, and the buyer (or the Back Office escalation
        manager) gets an activity."""
        by_period = {}
        for evaluation in evaluations:
            by_period.setdefault(evaluation._period_label(), self.browse())
            by_period[evaluation._period_label()] |= evaluation
        for period, period_evaluations in by_period.items():
            to_review = period_evaluations.partner_id.filtered(
                lambda p: p.bo_qualification_state in REVIEWED_STATES
            )
            if to_review:
                to_review._bo_set_qualification(
                    "under_evaluation",
                    self.env._("Class C in the supplier evaluation of %(period)s.", period=period),
                )
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = []
        for evaluation in evaluations:
            partner = evaluation.partner_id
            user = (
                partner.buyer_id
                if partner.buyer_id.active and not partner.buyer_id.share
                else False
            )
            user = user or evaluation.company_id._bo_escalation_user()
            if not user:
                continue
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "summary": self.env._("Review supplier: class C"),
                    "note": self.env._(
                        "%(supplier)s scored %(score)s in %(period)s (class C). Review the "
                        "supplier and its qualification.",
                        supplier=partner.display_name,
                        score=evaluation.score,
                        period=evaluation._period_label(),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        if activities:
            # no email per activity: the assignees find them in their activities
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
                activities
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_receipts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.line_ids.picking_ids.ids)]
        action["context"] = {}
        return action
