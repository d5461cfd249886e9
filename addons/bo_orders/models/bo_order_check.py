from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare, format_amount

CHECK_TYPES = [
    ("credit_limit", "Credit Limit"),
    ("overdue", "Overdue Receivables"),
    ("stock", "Stock by the Promised Date"),
    ("master_data", "Customer Master Data"),
    ("price", "Price below Pricelist"),
    ("margin", "Margin under Threshold"),
    ("discount", "Discount above Maximum"),
]

# Checks about the customer rather than the order: a block on them also holds
# the delivery of an already confirmed order until a manager releases it.
CUSTOMER_CHECK_TYPES = ("credit_limit", "overdue")


class BoOrderCheck(models.Model):
    """A check the back office runs on a sales order before it is confirmed.

    Each check type is implemented by a method ``_check_<type>(order)`` that
    returns the list of problems found (translated sentences); an addon adds a
    type (e.g. the customer's agreement prices) with ``selection_add`` and its
    method.
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

    @api.model
    def _for_companies(self, companies, check_types=None, severity=None):
        """Active checks of the given companies.

        sudo: the checks are configuration that salespeople, stock users and
        customers signing online trigger without being allowed to read it.
        """
        domain = [("company_id", "in", companies.ids)]
        if check_types:
            domain.append(("check_type", "in", list(check_types)))
        if severity:
            domain.append(("severity", "=", severity))
        return self.sudo().search(domain)

    def _run(self, orders):
        """Run these checks on ``orders``.

        :return: a dict mapping each order to a list of ``(check, message)``
        """
        results = {order: [] for order in orders}
        for check in self:
            method = getattr(check, f"_check_{check.check_type}")
            for order in orders:
                if order.company_id == check.company_id:
                    results[order] += [(check, message) for message in method(order)]
        return results

    # ------------------------------------------------------------------
    # Check types
    # ------------------------------------------------------------------

    @api.model
    def _product_lines(self, order):
        return order.order_line.filtered(
            lambda line: line.product_id and not line.display_type and not line.is_downpayment
        )

    def _check_credit_limit(self, order):
        # sudo: receivables and credit limits are not readable by every user
        # who confirms an order or validates its delivery.
        partner = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo()
        limit = partner.credit_limit
        if not limit:
            return []
        total = partner.credit + partner.credit_to_invoice
        if order.state in ("draft", "sent"):
            total += order.amount_total / (order.currency_rate or 1.0)
        currency = order.company_id.currency_id
        if float_compare(total, limit, precision_rounding=currency.rounding) <= 0:
            return []
        return [
            self.env._(
                "%(partner)s is over the credit limit of %(limit)s: %(total)s due, "
                "including open orders.",
                partner=partner.name,
                limit=format_amount(self.env, limit, currency),
                total=format_amount(self.env, total, currency),
            )
        ]

    def _check_overdue(self, order):
        partner = order.partner_id.commercial_partner_id
        due_before = fields.Date.context_today(self) - timedelta(days=self.overdue_grace_days)
        # sudo: see _check_credit_limit
        [(overdue,)] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", order.company_id.id),
                    ("partner_id.commercial_partner_id", "=", partner.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", due_before),
                    ("amount_residual", ">", 0),
                ],
                aggregates=["amount_residual:sum"],
            )
        )
        if not overdue:
            return []
        return [
            self.env._(
                "%(partner)s has overdue receivables of %(amount)s.",
                partner=partner.name,
                amount=format_amount(self.env, overdue, order.company_id.currency_id),
            )
        ]

    def _check_stock(self, order):
        messages = []
        for line in self._product_lines(order):
            # sale_stock computes, for quotations, what will be available at the
            # line's scheduled date, net of the lines above it.
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
                messages.append(
                    self.env._(
                        "%(product)s: %(qty)s %(uom)s ordered, only %(available)s "
                        "available by %(date)s.",
                        product=line.product_id.display_name,
                        qty=line.product_uom_qty,
                        uom=line.product_uom_id.name,
                        available=max(line.virtual_available_at_date, 0.0),
                        date=fields.Date.to_date(line.scheduled_date),
                    )
                )
        return messages

    def _check_master_data(self, order):
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
        if not missing:
            return []
        return [
            self.env._(
                "%(partner)s: missing %(missing)s.",
                partner=customer.name,
                missing=", ".join(missing),
            )
        ]

    @api.model
    def _net_price(self, line):
        return line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)

    def _check_price(self, order):
        messages = []
        for line in self._product_lines(order):
            floor = line._get_pricelist_price() * (1.0 - self.price_tolerance / 100.0)
            net = self._net_price(line)
            if float_compare(net, floor, precision_rounding=order.currency_id.rounding) < 0:
                messages.append(
                    self.env._(
                        "%(product)s: net price %(price)s is below the pricelist price %(floor)s.",
                        product=line.product_id.display_name,
                        price=format_amount(self.env, net, order.currency_id),
                        floor=format_amount(self.env, floor, order.currency_id),
                    )
                )
        return messages

    def _check_margin(self, order):
        messages = []
        date = order.date_order or fields.Date.context_today(self)
        for line in self._product_lines(order):
            product = line.product_id.with_company(order.company_id)
            cost = product.uom_id._compute_price(product.standard_price, line.product_uom_id)
            cost = order.company_id.currency_id._convert(
                cost, order.currency_id, order.company_id, date
            )
            net = self._net_price(line)
            margin = (net - cost) / net * 100.0 if net else (0.0 if not cost else -100.0)
            if float_compare(margin, self.min_margin, precision_digits=2) < 0:
                messages.append(
                    self.env._(
                        "%(product)s: margin %(margin).1f%% is under the minimum of "
                        "%(minimum).1f%%.",
                        product=line.product_id.display_name,
                        margin=margin,
                        minimum=self.min_margin,
                    )
                )
        return messages

    def _check_discount(self, order):
        return [
            self.env._(
                "%(product)s: discount %(discount).1f%% is above the maximum of %(maximum).1f%%.",
                product=line.product_id.display_name,
                discount=line.discount,
                maximum=self.max_discount,
            )
            for line in self._product_lines(order)
            if float_compare(line.discount, self.max_discount, precision_digits=2) > 0
        ]
