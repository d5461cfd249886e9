from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.offer_scoring import bo_offer_scores, bo_offer_weights

OPEN_OFFER_STATES = ("draft", "sent")


class PurchaseOrderGroup(models.Model):
    """The requests for quotation of one need (purchase_requisition's
    alternatives), compared offer by offer with a weighted score."""

    _inherit = "purchase.order.group"

    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )
    bo_offer_count = fields.Integer(string="Offers", compute="_compute_bo_offers")
    bo_proposed_order_id = fields.Many2one(
        "purchase.order",
        string="Proposed Offer",
        compute="_compute_bo_offers",
        help="The open offer with the best weighted score (price, lead time, evaluation).",
    )
    bo_chosen_order_id = fields.Many2one(
        "purchase.order", string="Chosen Offer", compute="_compute_bo_offers"
    )
    bo_comparison_html = fields.Html(
        string="Comparison", compute="_compute_bo_comparison_html", sanitize=False
    )

    @api.depends("order_ids.company_id")
    def _compute_company_id(self):
        for group in self:
            group.company_id = group.order_ids[:1].company_id

    @api.depends("order_ids.name")
    def _compute_display_name(self):
        for group in self:
            names = group.order_ids.sorted("id").mapped("name")
            group.display_name = self.env._("Offers %(orders)s", orders=", ".join(names))

    @api.depends("order_ids.state", "order_ids.amount_untaxed", "order_ids.date_planned")
    def _compute_bo_offers(self):
        for group in self:
            offers = group._bo_offers()
            group.bo_offer_count = len(offers)
            group.bo_proposed_order_id = group._bo_proposed_offer()
            group.bo_chosen_order_id = group.order_ids.filtered(
                lambda o: o.state in ("to approve", "purchase")
            )[:1]

    def _compute_bo_comparison_html(self):
        for group in self:
            group.bo_comparison_html = self.env["ir.qweb"]._render(
                "bo_suppliers.bo_offer_comparison_offers",
                {"data": group._bo_comparison_data()},
            )

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------

    def _bo_offers(self):
        """The offers compared: every request of the group but the cancelled."""
        self.ensure_one()
        return self.order_ids.filtered(lambda o: o.state != "cancel").sorted("id")

    @api.model
    def _bo_offer_lead_days(self, lines):
        """Days from the order date to the latest planned delivery of ``lines``."""
        days = [
            (line.date_planned - line.order_id.date_order).days
            for line in lines
            if line.date_planned and line.order_id.date_order
        ]
        return max(max(days), 0) if days else None

    @api.model
    def _bo_priced_lines(self, order):
        return order.order_line.filtered(
            lambda line: not line.display_type and line.product_qty > 0
        )

    def _bo_offer_scores(self):
        """``{order: {"total", "lead_days", "evaluation", "price", "lead_time",
        "score"}}`` for the offers of the group, totals in company currency."""
        self.ensure_one()
        offers = self._bo_offers()
        candidates = {}
        facts = {}
        for order in offers:
            lines = self._bo_priced_lines(order)
            total = sum(lines.mapped("price_total_cc"))
            lead = self._bo_offer_lead_days(lines)
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            evaluation = partner.bo_evaluation_score if partner.bo_evaluation_class else None
            candidates[order.id] = (total, lead, evaluation)
            facts[order.id] = {"total": total, "lead_days": lead, "evaluation_known": evaluation}
        company = self.company_id or self.env.company
        scores = bo_offer_scores(company, candidates)
        return {order: dict(facts[order.id], **scores[order.id]) for order in offers}

    def _bo_proposed_offer(self, scores=None):
        """The open offer with the best score; ties go to the lower total, then
        the shorter lead time, then the older request."""
        self.ensure_one()
        scores = scores if scores is not None else self._bo_offer_scores()
        open_offers = [order for order in scores if order.state in OPEN_OFFER_STATES]
        if not open_offers:
            return self.env["purchase.order"]
        return min(
            open_offers,
            key=lambda o: (
                -scores[o]["score"],
                scores[o]["total"] if scores[o]["total"] > 0 else float("inf"),
                scores[o]["lead_days"] if scores[o]["lead_days"] is not None else float("inf"),
                o.id,
            ),
        )

    def _bo_comparison_data(self):
        """What the comparison view and report show: the offers with their
        scores, and each product line by line."""
        self.ensure_one()
        scores = self._bo_offer_scores()
        proposed = self._bo_proposed_offer(scores)
        company = self.company_id or self.env.company
        classes = dict(
            self.env["res.partner"]._fields["bo_evaluation_class"]._description_selection(self.env)
        )
        offers = []
        for order, score in scores.items():
            partner = order.partner_id.commercial_partner_id
            offers.append(
                {
                    "order": order,
                    "partner": partner,
                    "supplier_class": classes.get(order.bo_supplier_class, ""),
                    "payment_term": order.payment_term_id.display_name or "",
                    "proposed": order == proposed,
                    **score,
                }
            )
        products = {}
        for offer in offers:
            for line in self._bo_priced_lines(offer["order"]):
                products.setdefault(line.product_id, []).append(
                    {
                        "offer": offer,
                        "line": line,
                        "lead_days": self._bo_offer_lead_days(line),
                    }
                )
        weights = bo_offer_weights(company)
        return {
            "group": self,
            "company": company,
            "currency": company.currency_id,
            "offers": offers,
            "products": list(products.items()),
            "weights": {
                "price": round(weights[0] * 100),
                "lead_time": round(weights[1] * 100),
                "evaluation": round(weights[2] * 100),
            },
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_bo_compare_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_suppliers.action_bo_offer_comparison_lines"
        )
        action["domain"] = [("order_id", "in", self.order_ids.ids), ("display_type", "=", False)]
        action["context"] = {
            "search_default_groupby_product": True,
            "purchase_order_id": self.order_ids[:1].id,
        }
        return action

    def action_bo_choose_proposed(self):
        self.ensure_one()
        proposed = self.bo_proposed_order_id
        if not proposed:
            raise UserError(self.env._("No open offer is left to choose."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Choose Offer"),
            "res_model": "bo.offer.choose",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": proposed.id},
        }

    def action_bo_print_comparison(self):
        return self.env.ref("bo_suppliers.action_report_bo_offer_comparison").report_action(self)
