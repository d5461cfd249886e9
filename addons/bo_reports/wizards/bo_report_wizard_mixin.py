from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class BoReportWizardMixin(models.AbstractModel):
    """The company a report wizard reports on: one of the user's companies."""

    _name = "bo.report.wizard.mixin"
    _description = "Back Office Report Wizard"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )

    @api.constrains("company_id")
    def _check_company_allowed(self):
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(company)s is not one of your companies: choose one of yours.",
                        company=wizard.company_id.display_name,
                    )
                )


class BoSaleReportFilterMixin(models.AbstractModel):
    """Filters of the reports on sales: customers, products, categories and
    salespeople."""

    _name = "bo.sale.report.filter.mixin"
    _inherit = "bo.report.wizard.mixin"
    _description = "Back Office Sales Report Filters"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        check_company=True,
        help="Leave empty for every customer. A company includes its contacts.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="A category includes its subcategories.",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain=[("share", "=", False)],
    )

    def _bo_filter_domain(self, prefix=""):
        """The filters on ``sale.report``, or with ``prefix`` (``order_id.``)
        on ``sale.order.line``."""
        self.ensure_one()
        domain = Domain.TRUE
        if self.partner_ids:
            domain &= Domain(f"{prefix}partner_id", "child_of", self.partner_ids.ids)
        if self.product_ids:
            domain &= Domain("product_id", "in", self.product_ids.ids)
        if self.categ_ids:
            domain &= Domain(f"{prefix and 'product_id.'}categ_id", "child_of", self.categ_ids.ids)
        if self.user_ids:
            domain &= Domain(f"{prefix}user_id", "in", self.user_ids.ids)
        return domain

    def _bo_name_products(self, rows, names):
        """Set the ``product`` of each row to the name Odoo shows for its
        ``product_id`` (code, name and variant values, in the user's language).

        ``names`` caches the names across batches: each product is read once.
        Read as superuser, as a many2one shows the product of a line the user
        may read.
        """
        missing = {row["product_id"] for row in rows} - names.keys()
        if missing:
            products = self.env["product.product"].sudo().with_context(active_test=False)
            names.update((product.id, product.display_name) for product in products.browse(missing))
        for row in rows:
            row["product"] = names[row["product_id"]]
        return rows
