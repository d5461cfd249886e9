"""The criteria of a supplier evaluation, one each: its value (0-100), its
figure in words and how it was computed from which documents, as values for a
``bo.supplier.evaluation.line``; the score (the average of the criteria with
data) and the class it gives."""

from odoo import api, models

from .bo_supplier_evaluation import CRITERION_FIELDS

# Responsiveness: full marks for an RFQ confirmed within RESPONSE_DAYS_FULL
# days of its creation, nothing after RESPONSE_DAYS_ZERO days, linear between.
RESPONSE_DAYS_FULL = 1.0
RESPONSE_DAYS_ZERO = 11.0
# documents named in an explanation (all of them are linked on the line)
MAX_LISTED = 30


class BoSupplierEvaluation(models.Model):
    _inherit = "bo.supplier.evaluation"

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
    # The score and the class
    # ------------------------------------------------------------------

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

    @api.model
    def _bo_class(self, score, company):
        if score >= company.bo_evaluation_class_a_min:
            return "a"
        if score >= company.bo_evaluation_class_b_min:
            return "b"
        return "c"
