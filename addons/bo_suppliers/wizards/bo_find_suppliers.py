from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..models.bo_supplier_qualification import BLOCKING_STATES, QUALIFICATION_STATES
from ..models.res_partner import EVALUATION_CLASSES
from ..tools.offer_scoring import bo_offer_scores

RANKING_HELP = (
    "Suppliers are ranked by a score out of 100 that weighs, with the weights of "
    "the company's settings, the price (the cheapest scores 100: the need priced "
    "with the supplier's price list, or else at the last price paid), the lead time "
    "(the shortest scores 100) and the supplier's last evaluation. An unknown value "
    "scores a neutral 50. Equal scores: the shorter lead time, then the name."
)


class BoFindSuppliers(models.TransientModel):
    """Find the suppliers of a need and ask each chosen one for a quotation."""

    _name = "bo.find.suppliers"
    _description = "Find Suppliers"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    search_by = fields.Selection(
        [("product", "Products"), ("category", "Product Category")],
        required=True,
        default="product",
    )
    need_line_ids = fields.One2many(
        "bo.find.suppliers.need",
        "wizard_id",
        string="Products Needed",
        help="The products and quantities to ask quotations for.",
    )
    category_id = fields.Many2one("product.category", string="Product Category")
    country_ids = fields.Many2many("res.country", string="Countries")
    qualification_filter = fields.Selection(
        [
            ("usable", "Not suspended or blocked"),
            ("qualified", "Qualified only"),
            ("all", "All"),
        ],
        string="Qualification",
        required=True,
        default="usable",
        help="Suspended and blocked suppliers can be listed but not asked for quotations.",
    )
    class_a = fields.Boolean(default=True)
    class_b = fields.Boolean(default=True)
    class_c = fields.Boolean(default=True)
    class_none = fields.Boolean(string="Not Evaluated", default=True)
    max_lead_time = fields.Integer(
        string="Max Lead Time (Days)",
        help="Only suppliers whose price list promises delivery within these days (0: any).",
    )
    max_last_price = fields.Float(
        string="Max Last Price Paid",
        digits="Product Price",
        help="Only suppliers last paid at most this unit price for the products (in the "
        "company's currency; 0: any). Suppliers never paid are left out.",
    )
    result_ids = fields.One2many(
        "bo.find.suppliers.result",
        "wizard_id",
        string="Suppliers Found",
        compute="_compute_result_ids",
        store=True,
        readonly=False,
        help=RANKING_HELP,
    )

    @api.model
    def default_get(self, fields):
        """Opened from products (their Action menu): they are the need."""
        res = super().default_get(fields)
        model = self.env.context.get("active_model")
        active_ids = self.env.context.get("active_ids")
        if (
            "need_line_ids" in fields
            and active_ids
            and model
            in (
                "product.product",
                "product.template",
            )
        ):
            products = self.env[model].browse(active_ids).filtered("purchase_ok")
            if model == "product.template":
                products = products.product_variant_ids
            res["need_line_ids"] = [
                Command.create({"product_id": product.id, "product_qty": 1.0})
                for product in products
            ]
        return res

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------

    @api.depends(
        "search_by",
        "need_line_ids.product_id",
        "need_line_ids.product_qty",
        "need_line_ids.product_uom_id",
        "category_id",
        "country_ids",
        "qualification_filter",
        "class_a",
        "class_b",
        "class_c",
        "class_none",
        "max_lead_time",
        "max_last_price",
    )
    def _compute_result_ids(self):
        for wizard in self:
            wizard.result_ids = [Command.clear()] + [
                Command.create(vals) for vals in wizard._bo_ranked_result_vals()
            ]

    def _bo_products(self):
        if self.search_by == "category":
            if not self.category_id:
                return self.env["product.product"]
            return self.env["product.product"].search(
                [
                    ("categ_id", "child_of", self.category_id.id),
                    ("purchase_ok", "=", True),
                ]
            )
        return self.need_line_ids.product_id

    def _bo_candidate_domain(self, products):
        company_ids = [False, self.company_id.id]
        if self.search_by == "category":
            info_domain = [("product_tmpl_id.categ_id", "child_of", self.category_id.id)]
            categories = self.category_id
        else:
            info_domain = [
                "|",
                ("product_id", "in", products.ids),
                "&",
                ("product_id", "=", False),
                ("product_tmpl_id", "in", products.product_tmpl_id.ids),
            ]
            categories = products.categ_id
        return (
            [*info_domain, ("company_id", "in", company_ids)],
            [("bo_supplied_category_ids", "parent_of", categories.ids)] if categories else None,
        )

    def _bo_partner_filter_domain(self):
        domain = [("active", "=", True)]
        if self.country_ids:
            domain.append(("country_id", "in", self.country_ids.ids))
        if self.qualification_filter == "usable":
            domain.append(("bo_qualification_state", "not in", BLOCKING_STATES))
        elif self.qualification_filter == "qualified":
            domain.append(
                ("bo_qualification_state", "in", ("qualified", "conditionally_qualified"))
            )
        classes = [
            code
            for code, wanted in (("a", self.class_a), ("b", self.class_b), ("c", self.class_c))
            if wanted
        ]
        if self.class_none:
            classes.append(False)
        domain.append(("bo_evaluation_class", "in", classes))
        return domain

    def _bo_last_prices(self, products, partners):
        """``{(supplier, product): (unit price, date)}``: the last price paid to each
        supplier for each product, in the company's currency and the product's unit,
        from the lines of confirmed orders the user may read."""
        order_lines = self.env["purchase.order.line"]
        if not products or not partners or not order_lines.has_access("read"):
            return {}
        query = order_lines._search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "purchase"),
                ("display_type", "=", False),
                ("product_qty", ">", 0),
                ("product_id", "in", products.ids),
                ("partner_id.commercial_partner_id", "in", partners.ids),
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (partner.commercial_partner_id, line.product_id)
                       partner.commercial_partner_id, line.product_id, line.product_uom_id,
                       line.price_subtotal / line.product_qty
                           / COALESCE(NULLIF(po.currency_rate, 0), 1),
                       COALESCE(po.date_approve, po.date_order)
                  FROM purchase_order_line line
                  JOIN purchase_order po ON po.id = line.order_id
                  JOIN res_partner partner ON partner.id = po.partner_id
                 WHERE line.id IN %s
              ORDER BY partner.commercial_partner_id, line.product_id,
                       COALESCE(po.date_approve, po.date_order) DESC, line.id DESC
                """,
                query.subselect(),
            )
        )
        uoms = self.env["uom.uom"].browse({row[2] for row in rows})
        products = products.browse({row[1] for row in rows})
        last = {}
        for partner_id, product_id, uom_id, price, date in rows:
            product = products.browse(product_id)
            price = uoms.browse(uom_id)._compute_price(price, product.uom_id)
            last[partner_id, product_id] = (price, date)
        return last

    def _bo_ranked_result_vals(self):
        self.ensure_one()
        products = self._bo_products()
        if not products:
            return []
        info_domain, category_domain = self._bo_candidate_domain(products)
        infos = self.env["product.supplierinfo"].search(info_domain)
        partners = infos.partner_id.commercial_partner_id
        if category_domain:
            partners |= self.env["res.partner"].search(category_domain).commercial_partner_id
        # the classes are those of the wizard's company
        partners = partners.with_company(self.company_id).filtered_domain(
            self._bo_partner_filter_domain()
        )
        if not partners:
            return []
        last_prices = self._bo_last_prices(products, partners)
        paid_by_partner = defaultdict(list)
        for (partner_id, _product_id), paid in last_prices.items():
            paid_by_partner[partner_id].append(paid)

        # the fastest delivery each supplier's price list promises, per product
        delays = defaultdict(dict)
        for info in infos:
            partner = info.partner_id.commercial_partner_id
            for product in info.product_id or info.product_tmpl_id.product_variant_ids:
                known = delays[partner.id].get(product.id)
                delays[partner.id][product.id] = (
                    info.delay if known is None else min(known, info.delay)
                )

        candidates = {}
        details = {}
        today = fields.Date.context_today(self)
        for partner in partners:
            partner_delays = delays.get(partner.id, {})
            lead = None
            if partner_delays:
                lead = (
                    min(partner_delays.values())
                    if self.search_by == "category"
                    else max(partner_delays.values())
                )
            paid = paid_by_partner.get(partner.id, [])
            last_price, last_date = max(paid, key=lambda p: p[1]) if paid else (None, None)
            if self.max_lead_time and (lead is None or lead > self.max_lead_time):
                continue
            if self.max_last_price and (
                not paid or any(price > self.max_last_price for price, _date in paid)
            ):
                continue
            evaluation = partner.bo_evaluation_score if partner.bo_evaluation_class else None
            candidates[partner.id] = (
                self._bo_need_price(partner, last_prices, today),
                lead,
                evaluation,
            )
            details[partner.id] = {
                "partner_id": partner.id,
                "lead_time": lead if lead is not None else -1,
                "last_price": last_price or 0.0,
                "last_date": last_date,
            }
        scores = bo_offer_scores(self.company_id, candidates)
        ranked = sorted(
            details.values(),
            key=lambda d: (
                -scores[d["partner_id"]]["score"],
                d["lead_time"] if d["lead_time"] >= 0 else float("inf"),
                partners.browse(d["partner_id"]).name or "",
            ),
        )
        for rank, vals in enumerate(ranked, start=1):
            score = scores[vals["partner_id"]]
            vals.update(
                rank=rank,
                score=score["score"],
                price_estimate=candidates[vals["partner_id"]][0] or 0.0,
            )
        return ranked

    def _bo_need_price(self, partner, last_prices, date):
        """What the need costs from ``partner`` in the company's currency: its
        price list, else the last price paid; ``None`` when a product has neither
        (or when searching a category, which has no quantities)."""
        if self.search_by == "category" or not self.need_line_ids:
            return None
        total = 0.0
        company = self.company_id
        for need in self.need_line_ids:
            uom = need.product_uom_id or need.product_id.uom_id
            seller = need.product_id.with_company(company)._select_seller(
                partner_id=partner, quantity=need.product_qty, date=date, uom_id=uom
            )
            if seller:
                price = seller.currency_id._convert(
                    seller.price_discounted, company.currency_id, company, date, round=False
                )
                price = seller.product_uom_id._compute_price(price, uom)
            elif (partner.id, need.product_id.id) in last_prices:
                price = need.product_id.uom_id._compute_price(
                    last_prices[partner.id, need.product_id.id][0], uom
                )
            else:
                return None
            total += price * need.product_qty
        return total

    # ------------------------------------------------------------------
    # Requests for quotation
    # ------------------------------------------------------------------

    def action_request_quotations(self):
        """One request for quotation per selected supplier with the same lines,
        grouped as alternatives and sent to each in the supplier's language."""
        self.ensure_one()
        if not self.env.user.has_group("purchase.group_purchase_user"):
            raise AccessError(self.env._("Only purchase users can request quotations."))
        suppliers = self.result_ids.filtered("selected").partner_id
        if not suppliers:
            raise UserError(self.env._("Select the suppliers to ask for a quotation."))
        needs = self.need_line_ids.filtered(lambda n: n.product_id and n.product_qty > 0)
        if not needs:
            raise UserError(self.env._("Add the products and quantities to ask quotations for."))
        self._bo_check_suppliers(suppliers)
        orders = self.env["purchase.order"].create(
            [self._prepare_purchase_order_vals(supplier, needs) for supplier in suppliers]
        )
        if len(orders) > 1:
            self.env["purchase.order.group"].create({"order_ids": [Command.set(orders.ids)]})
        self._bo_send_requests(orders)
        return self._bo_orders_action(orders)

    def _bo_send_requests(self, orders):
        """Send each request with stock's template, as 'Send by Email' does: the
        template has no language of its own, so each is rendered in its
        supplier's language, and the orders move to 'sent'."""
        template = self.env.ref("purchase.email_template_edi_purchase")
        orders.with_context(mark_rfq_as_sent=True).message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
        )

    def _bo_check_suppliers(self, suppliers):
        errors = []
        states = dict(QUALIFICATION_STATES)
        for supplier in suppliers:
            if supplier.bo_qualification_state in BLOCKING_STATES:
                errors.append(
                    self.env._(
                        "%(supplier)s is %(state)s: it cannot be asked for a quotation.",
                        supplier=supplier.display_name,
                        state=states[supplier.bo_qualification_state],
                    )
                )
            elif not supplier.email:
                errors.append(
                    self.env._(
                        "%(supplier)s has no email address to send the request to.",
                        supplier=supplier.display_name,
                    )
                )
        if errors:
            raise UserError("\n".join(errors))

    def _prepare_purchase_order_vals(self, supplier, needs):
        """What the order form sets from the supplier (its onchange), and only
        product, quantity and unit on the lines: they compute the supplier's
        price, the planned date, the description and the taxes themselves."""
        company = self.company_id
        supplier = supplier.with_company(company)
        fiscal_position = (
            self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(supplier)
        )
        return {
            "partner_id": supplier.id,
            "company_id": company.id,
            "fiscal_position_id": fiscal_position.id,
            "payment_term_id": supplier.property_supplier_payment_term_id.id,
            "user_id": (supplier.buyer_id or self.env.user).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": need.product_id.id,
                        "product_qty": need.product_qty,
                        "product_uom_id": (need.product_uom_id or need.product_id.uom_id).id,
                    }
                )
                for need in needs
            ],
        }

    def _bo_orders_action(self, orders):
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {"create": False}
        if len(orders) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=orders.id)
        return action


class BoFindSuppliersNeed(models.TransientModel):
    _name = "bo.find.suppliers.need"
    _description = "Find Suppliers: Product Needed"

    wizard_id = fields.Many2one("bo.find.suppliers", required=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("purchase_ok", "=", True)]
    )
    product_qty = fields.Float(string="Quantity", digits="Product Unit", required=True, default=1.0)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for need in self:
            if need.product_id and not need.product_uom_id:
                need.product_uom_id = need.product_id.uom_id

    @api.constrains("product_qty")
    def _check_product_qty(self):
        if any(need.product_qty <= 0 for need in self):
            raise UserError(self.env._("The quantity needed must be positive."))


class BoFindSuppliersResult(models.TransientModel):
    _name = "bo.find.suppliers.result"
    _description = "Find Suppliers: Supplier Found"
    _order = "rank, id"

    wizard_id = fields.Many2one("bo.find.suppliers", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    rank = fields.Integer(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", required=True, readonly=True)
    country_id = fields.Many2one(related="partner_id.country_id")
    qualification_state = fields.Selection(
        related="partner_id.bo_qualification_state", string="Qualification"
    )
    evaluation_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Class",
        compute="_compute_evaluation_class",
        help="The supplier's class in the wizard's company.",
    )
    score = fields.Float(digits=(5, 1), readonly=True, help=RANKING_HELP)
    lead_time = fields.Integer(
        string="Lead Time (Days)", readonly=True, help="-1: not in the supplier's price list."
    )
    price_estimate = fields.Monetary(
        string="Estimated Cost",
        readonly=True,
        help="The products needed at the supplier's price list, or else at the last "
        "price paid (0: unknown).",
    )
    last_price = fields.Monetary(
        string="Last Price Paid",
        readonly=True,
        help="Unit price of the supplier's latest confirmed order for these products.",
    )
    last_date = fields.Datetime(string="Last Purchase", readonly=True)
    selected = fields.Boolean(string="Request Quotation")

    @api.depends("partner_id", "wizard_id.company_id")
    def _compute_evaluation_class(self):
        for result in self:
            partner = result.partner_id.with_company(result.wizard_id.company_id)
            result.evaluation_class = partner.bo_evaluation_class
