from odoo import api, fields, models
from odoo.fields import Domain


class BoOrderRequestLine(models.Model):
    _name = "bo.order.request.line"
    _description = "Order Request Line"
    _order = "request_id, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one("bo.order.request", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    # what the customer asked for is kept: not deleted under the request
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
        ondelete="restrict",
    )
    name = fields.Char(
        string="Description",
        help="What the customer asked for, in their words when there is no product.",
    )
    proposed_product_id = fields.Many2one(
        "product.product",
        compute="_compute_proposed_product_id",
        help="A product whose name or internal reference matches the description.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
    )
    wished_date = fields.Date()
    target_price = fields.Float(digits="Product Price")

    _check_quantity = models.Constraint(
        "CHECK(quantity > 0)", "The requested quantity must be positive."
    )
    _check_product_or_name = models.Constraint(
        "CHECK(product_id IS NOT NULL OR name IS NOT NULL)",
        "A requested line needs a product or a description.",
    )

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if line.product_id:
                line.uom_id = line.product_id.uom_id

    @api.depends("product_id", "name")
    def _compute_proposed_product_id(self):
        """Propose the one saleable product whose internal reference is the
        description, or whose name contains it; all lines in one search."""
        Product = self.env["product.product"]
        to_match = self.filtered(lambda line: not line.product_id and (line.name or "").strip())
        terms = {line.name.strip() for line in to_match}
        candidates = Product
        if terms:
            candidates = Product.search_fetch(
                Domain("sale_ok", "=", True)
                & Domain.OR(
                    Domain("default_code", "=ilike", term) | Domain("name", "ilike", term)
                    for term in terms
                ),
                ["name", "default_code", "company_id"],
            )
        for line in self:
            proposed = Product
            if line in to_match:
                term = line.name.strip().lower()
                company = line.company_id or self.env.company
                found = candidates.filtered(
                    lambda p, term=term, company=company: (
                        ((p.default_code or "").lower() == term or term in (p.name or "").lower())
                        and p.company_id in (company, Product.company_id)
                    )
                )
                # Only an unambiguous match is proposed.
                proposed = found if len(found) == 1 else Product
            line.proposed_product_id = proposed

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.name:
            self.name = self.product_id.display_name

    def _prepare_sale_order_line_vals(self):
        """A product line, or a note with the customer's words when no product
        matches, so the clerk sees what is left to choose."""
        self.ensure_one()
        product = self.product_id or self.proposed_product_id
        if not product:
            return {
                "display_type": "line_note",
                "name": self.env._(
                    "%(description)s: %(qty)s %(uom)s (choose a product)",
                    description=self.name,
                    qty=self.quantity,
                    uom=self.uom_id.name or "",
                ),
                "sequence": self.sequence,
            }
        vals = {
            "product_id": product.id,
            "product_uom_qty": self.quantity,
            "sequence": self.sequence,
        }
        if self.uom_id and self.uom_id != product.uom_id:
            vals["product_uom_id"] = self.uom_id.id
        return vals
