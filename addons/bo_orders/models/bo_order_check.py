import bisect
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL, float_compare, format_amount

CHECK_TYPES = [
    ("credit_limit", "Credit Limit"),
    ("overdue", "Overdue Receivables"),
    ("stock", "Stock by the Promised Date"),
    ("master_data", "Customer Master Data"),
    ("price", "Price below Pricelist"),
    ("margin", "Margin under Threshold"),
    ("discount", "Discount above Maximum"),
    ("agreement", "Price different from the Agreement"),
]

# Checks about the customer rather than the order: a block on them also holds
# the delivery of an already confirmed order until a manager releases it.
CUSTOMER_CHECK_TYPES = ("credit_limit", "overdue")


class BoOrderCheck(models.Model):
    """A check the back office runs on a sales order before it is confirmed.

    Each check type is implemented by a method ``_check_<type>(orders)`` that
    returns ``{order: [problems found]}`` (translated sentences) for all the
    orders at once, with a number of queries that does not grow with them; an
    addon adds a type (e.g. the customer's agreement prices) with
    ``selection_add`` and its method.
    """

    _name = "bo.order.check"
    _description = "Order Check"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    check_type = fields.Selection(CHECK_TYPES, string="Type", required=True)
    severity = fields.Selection(
        [("block", "Block"), ("warn", "Warning")],
        required=True,
        default="block",
        help="Block: the order cannot be confirmed until the problem is solved or "
        "a Back Office manager overrides it. Warning: the order is confirmed and "
        "the problem is noted in its chatter.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    overdue_grace_days = fields.Integer(
        string="Grace Days",
        help="Receivables are overdue this many days after their due date.",
    )
    price_tolerance = fields.Float(
        string="Price Tolerance (%)",
        help="How far below the pricelist price the net unit price may go.",
    )
    min_margin = fields.Float(
        string="Minimum Margin (%)",
        default=10.0,
        help="Lowest margin on the product cost, in percent of the net price.",
    )
    max_discount = fields.Float(string="Maximum Discount (%)", default=20.0)
    note = fields.Text(string="Description")

    _unique_type_per_company = models.Constraint(
        "UNIQUE(company_id, check_type)",
        "A company can have only one check of each type.",
    )
    _check_thresholds = models.Constraint(
        "CHECK(overdue_grace_days >= 0 AND price_tolerance >= 0 AND max_discount >= 0)",
        "Grace days, price tolerance and maximum discount cannot be negative.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        checks = super().create(vals_list)
        self.env.registry.clear_cache()
        return checks

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache("company_ids")
    def _active_check_ids(self, company_ids):
        """Ids of the active checks of these companies, cached: confirming or
        editing a quotation in a company without checks costs no query."""
        # sudo: see _for_companies
        return tuple(self.sudo().search([("company_id", "in", list(company_ids))]).ids)

    @api.model
    def _for_companies(self, companies, check_types=None, severity=None):
        """Active checks of the given companies.

        sudo: the checks are configuration that salespeople, stock users and
        customers signing online trigger without being allowed to read it.
        """
        check_ids = self._active_check_ids(tuple(sorted(companies.ids)))
        checks = self.sudo().browse(check_ids)
        if check_types:
            checks = checks.filtered(lambda c: c.check_type in check_types)
        if severity:
            checks = checks.filtered(lambda c: c.severity == severity)
        return checks

    def _run(self, orders, confirming=False):
        """Run these checks on ``orders``, each check once for all of them.

        :param confirming: whether ``orders`` are being confirmed together,
            now. The checks read it as ``bo_check_confirming`` in their
            context, set here whatever the caller's context held: it is
            information (rules over a total count the orders together and
            lock what they count), never a privilege.
        :return: a dict mapping each order to a list of ``(check, message)``
        """
        results = {order: [] for order in orders}
        for check in self.with_context(bo_check_confirming=bool(confirming)):
            company_orders = orders.filtered(lambda o, c=check: o.company_id == c.company_id)
            if not company_orders:
                continue
            found = getattr(check, f"_check_{check.check_type}")(company_orders)
            for order, messages in found.items():
                results[order] += [(check, message) for message in messages]
        return results

    # ------------------------------------------------------------------
    # Check types
    # ------------------------------------------------------------------

    @api.model
    def _product_lines(self, orders):
        return orders.order_line._bo_product_lines()

    @api.model
    def _by_order(self, pairs):
        """Group ``(order, message)`` pairs into ``{order: [messages]}``."""
        found = {}
        for order, message in pairs:
            found.setdefault(order, []).append(message)
        return found

    def _check_credit_limit(self, orders):
        """Customers whose exposure goes over their credit limit.

        The exposure of a customer (its commercial entity) is what it owes,
        what its draft invoices and confirmed orders will bill, and the
        quotation checked; it is read afresh every time, never from a value
        cached earlier in the transaction (see :meth:`_bo_credit_exposure`).

        Confirming (``bo_check_confirming``, see :meth:`_run`), the orders
        confirmed together count together, one after the other: two
        quotations under the limit are not confirmed at once over it, nor are
        orders created or imported as confirmed in one call. The customers
        with a limit are locked first (:meth:`_bo_lock_customers`): two
        clerks confirming orders of the same customer at the same moment go
        one after the other, and the second counts the first's order.
        """
        company = self.company_id
        currency = company.currency_id
        confirming = self.env.context.get("bo_check_confirming")
        # sudo: receivables and credit limits are not readable by every user
        # who confirms an order or validates its delivery.
        partners = orders.partner_id.commercial_partner_id.with_company(company).sudo()
        limits = {partner.id: partner.credit_limit for partner in partners if partner.credit_limit}
        if not limits:
            return {}
        partners = partners.browse(list(limits))
        if confirming:
            self._bo_lock_customers(partners)
        # the orders counted by their own amount: all those being confirmed,
        # else the quotations (confirmed orders are counted with the others)
        counted = orders if confirming else orders.filtered(lambda o: o.state in ("draft", "sent"))
        exposure = self._bo_credit_exposure(partners, counted)
        found = {}
        for order in orders.sorted("id") if confirming else orders:
            partner = order.partner_id.commercial_partner_id
            limit = limits.get(partner.id)
            if not limit:
                continue
            total = exposure[partner.id]
            if order in counted:
                total += order.amount_total / (order.currency_rate or 1.0)
                if confirming:
                    exposure[partner.id] = total
            if float_compare(total, limit, precision_rounding=currency.rounding) <= 0:
                continue
            found[order] = [
                self.env._(
                    "%(partner)s is over the credit limit of %(limit)s: %(total)s due, "
                    "including open orders.",
                    partner=partner.name,
                    limit=format_amount(self.env, limit, currency),
                    total=format_amount(self.env, total, currency),
                )
            ]
        return found

    @api.model
    def _bo_lock_customers(self, partners):
        """Lock the customers' rows until the transaction ends.

        A concurrent confirmation for the same customer waits here. Odoo's
        transactions are REPEATABLE READ: the waiting one would then go on
        with its snapshot taken before the first committed, without the
        first's order. The rows are therefore also updated (to the same
        value): the waiting transaction fails with a serialization error,
        which Odoo retries from the start, with a snapshot that holds the
        first's order. ``FOR NO KEY UPDATE``: records pointing to the
        customer (its contacts, messages, invoices) are still created
        meanwhile.
        """
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner SET write_date = write_date
                 WHERE id IN (
                    SELECT id FROM res_partner
                     WHERE id IN %s
                     ORDER BY id
                       FOR NO KEY UPDATE
                 )
                """,
                tuple(partners.ids),
            )
        )

    def _bo_credit_exposure(self, partners, counted):
        """What each customer owes or will be billed, in the company's currency:
        ``{commercial partner id: amount}``.

        Its receivables (posted, unpaid), its draft invoices and refunds,
        and what its confirmed orders still have to invoice (whatever the
        invoicing policy, and whether or not Odoo's own credit limits are
        on), the orders in ``counted`` left out: the caller counts them.
        """
        company = self.company_id
        # never a value cached earlier in the transaction
        partners.invalidate_recordset(["credit", "debit"])
        partners.mapped("credit")  # one query for all
        exposure = {partner.id: partner.credit for partner in partners}
        self.env["sale.order.line"].flush_model(
            ["order_id", "price_total", "product_uom_qty", "qty_invoiced"]
        )
        self.env["sale.order"].flush_model(["state", "company_id", "partner_id", "currency_rate"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "commercial_partner_id", "amount_total_signed"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT customer.commercial_partner_id,
                       SUM(line.price_total * (line.product_uom_qty - line.qty_invoiced)
                           / line.product_uom_qty / COALESCE(NULLIF(so.currency_rate, 0), 1))
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner customer ON customer.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND customer.commercial_partner_id IN %(partners)s
                   AND NOT so.id = ANY(%(counted)s)
                   AND line.product_uom_qty > 0
                   AND line.qty_invoiced < line.product_uom_qty
                 GROUP BY customer.commercial_partner_id
                 UNION ALL
                SELECT move.commercial_partner_id, SUM(move.amount_total_signed)
                  FROM account_move move
                 WHERE move.state = 'draft'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.company_id = %(company)s
                   AND move.commercial_partner_id IN %(partners)s
                 GROUP BY move.commercial_partner_id
                """,
                company=company.id,
                partners=tuple(partners.ids),
                counted=[order_id for order_id in counted._origin.ids if order_id],
            )
        )
        for partner_id, amount in rows:
            exposure[partner_id] += amount or 0.0
        return exposure

    def _check_overdue(self, orders):
        partners = orders.partner_id.commercial_partner_id
        due_before = fields.Date.context_today(self) - timedelta(days=self.overdue_grace_days)
        # sudo: see _check_credit_limit; one query for every customer
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id.commercial_partner_id", "in", partners.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", due_before),
                    ("amount_residual", ">", 0),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        overdue = {}
        for partner, amount in groups:
            commercial = partner.commercial_partner_id
            overdue[commercial] = overdue.get(commercial, 0.0) + amount
        currency = self.company_id.currency_id
        found = {}
        for order in orders:
            partner = order.partner_id.commercial_partner_id
            if currency.is_zero(overdue.get(partner, 0.0)):
                continue
            found[order] = [
                self.env._(
                    "%(partner)s has overdue receivables of %(amount)s.",
                    partner=partner.name,
                    amount=format_amount(self.env, overdue[partner], currency),
                )
            ]
        return found

    def _check_stock(self, orders):
        pairs = []
        # sale_stock computes, for quotations, what will be available at each
        # line's scheduled date, net of the lines above it (for all lines at once).
        for line in self._product_lines(orders):
            if not line.display_qty_widget or line.is_mto:
                continue
            precision = line.product_uom_id.rounding
            if (
                float_compare(
                    line.virtual_available_at_date,
                    line.product_uom_qty,
                    precision_rounding=precision,
                )
                < 0
            ):
                pairs.append(
                    (
                        line.order_id,
                        self.env._(
                            "%(product)s: %(qty)s %(uom)s ordered, only %(available)s "
                            "available by %(date)s.",
                            product=line.product_id.display_name,
                            qty=line.product_uom_qty,
                            uom=line.product_uom_id.name,
                            available=max(line.virtual_available_at_date, 0.0),
                            date=fields.Date.to_date(line.scheduled_date),
                        ),
                    )
                )
        return self._by_order(pairs)

    def _check_master_data(self, orders):
        found = {}
        for order in orders:
            customer = order.partner_id.commercial_partner_id
            shipping = order.partner_shipping_id
            missing = []
            if customer.is_company and not customer.vat:
                missing.append(self.env._("VAT number"))
            if not (shipping.street and shipping.city and shipping.country_id):
                missing.append(self.env._("delivery address"))
            if not order.payment_term_id:
                missing.append(self.env._("payment terms"))
            foreign = shipping.country_id and shipping.country_id != order.company_id.country_id
            if foreign and not order.incoterm:
                missing.append(self.env._("incoterm (foreign customer)"))
            if missing:
                found[order] = [
                    self.env._(
                        "%(partner)s: missing %(missing)s.",
                        partner=customer.name,
                        missing=", ".join(missing),
                    )
                ]
        return found

    @api.model
    def _net_price(self, line):
        return line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)

    @api.model
    def _pricelist_date_key(self, dates):
        """A function giving the key of each of ``dates`` under which dates
        share their pricelist price: the same day (currency rates are daily)
        and the same side of every start and end of a dated pricelist rule, of
        any pricelist (a rule may be based on another pricelist). The dates of
        the orders of a day mostly share one key: one rule lookup serves them,
        where each order's own date and time would cost one each. One date
        (one order checked, as at its confirmation) is its own key."""
        if len(set(dates)) <= 1:
            return lambda date: date
        # sudo: the boundaries of the rules, whoever runs the checks
        ((starts, ends),) = (
            self.env["product.pricelist.item"]
            .sudo()
            ._read_group(
                ["|", ("date_start", "!=", False), ("date_end", "!=", False)],
                aggregates=["date_start:array_agg_distinct", "date_end:array_agg_distinct"],
            )
        )
        boundaries = sorted({boundary for boundary in (*starts, *ends) if boundary})

        def date_key(date):
            date = fields.Datetime.to_datetime(date)
            if not date:
                return None
            return (
                date.date(),
                bisect.bisect_left(boundaries, date),
                bisect.bisect_right(boundaries, date),
            )

        return date_key

    @api.model
    def _pricelist_prices(self, lines):
        """The pricelist price of each line, as sale computes it line by line,
        but with one rule lookup per pricelist, quantity, unit and dates that
        share their price (``_pricelist_date_key``)."""
        kwargs_of = {line: line._get_pricelist_kwargs() for line in lines}
        date_key = self._pricelist_date_key([kwargs["date"] for kwargs in kwargs_of.values()])
        groups = {}
        for line, kwargs in kwargs_of.items():
            context = line._get_product_price_context()
            key = (
                line.order_id.pricelist_id,
                kwargs["quantity"],
                kwargs["uom"],
                date_key(kwargs["date"]),
                kwargs["currency"],
                repr(sorted(context.items())),
            )
            group = groups.setdefault(key, [context, kwargs["date"], self.env["sale.order.line"]])
            group[2] |= line
        prices = {}
        for (pricelist, qty, uom, _day, currency, _key), (context, date, group) in groups.items():
            products = group.product_id.with_context(**context)
            rules = pricelist._compute_price_rule(
                products, qty, currency=currency, uom=uom, date=date
            )
            for line in group:
                prices[line] = rules[line.product_id.id][0]
        return prices

    def _check_price(self, orders):
        lines = self._product_lines(orders)
        prices = self._pricelist_prices(lines)
        pairs = []
        for line in lines:
            currency = line.order_id.currency_id
            floor = prices[line] * (1.0 - self.price_tolerance / 100.0)
            net = self._net_price(line)
            if float_compare(net, floor, precision_rounding=currency.rounding) < 0:
                pairs.append(
                    (
                        line.order_id,
                        self.env._(
                            "%(product)s: net price %(price)s is below the pricelist "
                            "price %(floor)s.",
                            product=line.product_id.display_name,
                            price=format_amount(self.env, net, currency),
                            floor=format_amount(self.env, floor, currency),
                        ),
                    )
                )
        return self._by_order(pairs)

    def _check_margin(self, orders):
        pairs = []
        company = self.company_id
        for line in self._product_lines(orders):
            order = line.order_id
            date = order.date_order or fields.Date.context_today(self)
            product = line.product_id.with_company(company)
            cost = product.uom_id._compute_price(product.standard_price, line.product_uom_id)
            cost = company.currency_id._convert(cost, order.currency_id, company, date)
            net = self._net_price(line)
            margin = (net - cost) / net * 100.0 if net else (0.0 if not cost else -100.0)
            if float_compare(margin, self.min_margin, precision_digits=2) < 0:
                pairs.append(
                    (
                        order,
                        self.env._(
                            "%(product)s: margin %(margin).1f%% is under the minimum of "
                            "%(minimum).1f%%.",
                            product=line.product_id.display_name,
                            margin=margin,
                            minimum=self.min_margin,
                        ),
                    )
                )
        return self._by_order(pairs)

    def _check_discount(self, orders):
        return self._by_order(
            (
                line.order_id,
                self.env._(
                    "%(product)s: discount %(discount).1f%% is above the maximum of "
                    "%(maximum).1f%%.",
                    product=line.product_id.display_name,
                    discount=line.discount,
                    maximum=self.max_discount,
                ),
            )
            for line in self._product_lines(orders)
            if float_compare(line.discount, self.max_discount, precision_digits=2) > 0
        )

    def _check_agreement(self, orders):
        """Lines whose net price differs from the customer's active agreement."""
        lines = self._product_lines(orders)
        agreed = self.env["bo.sale.agreement"]._bo_lines_for_sale_lines(lines)
        discount_only = [
            line for line, agreement_line in agreed.items() if not agreement_line.price_unit
        ]
        prices = self._pricelist_prices(self.env["sale.order.line"].concat(*discount_only))
        pairs = []
        for line, agreement_line in agreed.items():
            currency = line.order_id.currency_id
            base = agreement_line._bo_price(line)
            if base is None:
                base = prices[line]
            expected = base * (1.0 - agreement_line.discount / 100.0)
            net = self._net_price(line)
            if float_compare(net, expected, precision_rounding=currency.rounding):
                pairs.append(
                    (
                        line.order_id,
                        self.env._(
                            "%(product)s: net price %(price)s differs from the price "
                            "%(agreed)s of agreement %(agreement)s.",
                            product=line.product_id.display_name,
                            price=format_amount(self.env, net, currency),
                            agreed=format_amount(self.env, expected, currency),
                            agreement=agreement_line.agreement_id.name,
                        ),
                    )
                )
        return self._by_order(pairs)
