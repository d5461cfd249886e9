from odoo import api, fields, models


class BoSaleAgreementLine(models.Model):
    """An agreed price or discount, for a product or for a whole category."""

    _name = "bo.sale.agreement.line"
    _description = "Customer Agreement Line"
    _order = "agreement_id, sequence, id"
    _check_company_auto = True

    agreement_id = fields.Many2one(
        "bo.sale.agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        ondelete="restrict",
        help="The price or discount holds for every product of this category and its "
        "subcategories that has no line of its own.",
    )
    price_unit = fields.Monetary(
        string="Agreed Price",
        help="Unit price in the product's sales unit, before the discount. Leave empty "
        "to apply the discount to the pricelist price.",
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")

    _check_target = models.Constraint(
        "CHECK(product_id IS NOT NULL OR categ_id IS NOT NULL)",
        "Each agreed price is for a product or a product category.",
    )
    _check_values = models.Constraint(
        "CHECK(price_unit >= 0 AND discount >= 0 AND discount <= 100)",
        "An agreed price cannot be negative, a discount must be between 0 and 100%.",
    )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.categ_id = False

    @api.model_create_multi
    def create(self, vals_list):
        agreements = self.env["bo.sale.agreement"].browse(
            [vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")]
        )
        agreements._bo_check_not_in_force()
        return super().create(vals_list)

    def write(self, vals):
        self.agreement_id._bo_check_not_in_force()
        if vals.get("agreement_id"):
            self.env["bo.sale.agreement"].browse(vals["agreement_id"])._bo_check_not_in_force()
        return super().write(vals)

    def unlink(self):
        self.agreement_id._bo_check_not_in_force()
        return super().unlink()

    def _bo_match(self, product):
        """The line of these (one agreement's) that applies to ``product``."""
        for line in self:
            if line.product_id == product:
                return line
        ancestors = product.categ_id.parent_path or ""
        matches = self.filtered(
            lambda line: (
                not line.product_id
                and line.categ_id
                and ancestors.startswith(line.categ_id.parent_path)
            )
        )
        return matches.sorted(lambda line: len(line.categ_id.parent_path), reverse=True)[:1]

    def _bo_price(self, sale_line):
        """The agreed unit price (before discount) for ``sale_line``, in the
        order's currency and unit, or None when only a discount is agreed."""
        self.ensure_one()
        if not self.price_unit:
            return None
        order = sale_line.order_id
        price = sale_line.product_id.uom_id._compute_price(
            self.price_unit, sale_line.product_uom_id
        )
        return self.currency_id._convert(
            price,
            order.currency_id,
            order.company_id,
            order.date_order or fields.Date.context_today(self),
        )
