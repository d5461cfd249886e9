from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class BoReportWizardMixin(models.AbstractModel):
    """A report wizard: the company it reports on (one of the user's
    companies), its export at once or in the background, and its progress."""

    _name = "bo.report.wizard.mixin"
    _description = "Back Office Report Wizard"
    _check_company_auto = True

    # The wizard's report: the XML id of its ir.actions.report.
    _bo_report_ref = None

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

    def action_export_xlsx(self):
        self.ensure_one()
        report = self.env.ref(self._bo_report_ref)
        # A spreadsheet has no letterhead: never ask to configure the document layout.
        return report.report_action(self, config=False)

    def action_run_in_background(self):
        """Generate the report as a background job and open its run: the user
        keeps working and gets the file in their inbox when it is ready."""
        self.ensure_one()
        run = self.env["bo.report.run"]._start(self, self._bo_report_ref)
        return {
            "type": "ir.actions.act_window",
            "res_model": run._name,
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }

    def _bo_tz(self):
        """Name of the time zone in which the report's datetimes fall on a day,
        a month or a year, and its periods start and end: the request's (the
        web client sends the user's), else the user's, else that of the
        company reported on; UTC only when none has one. It is Odoo's
        ``env.tz`` with the company before UTC; set in the context, Odoo's
        ``_read_group`` (``date:month``), ``context_timestamp`` and date bounds
        in domains on a datetime field use it too."""

        def candidates():
            yield self.env.context.get("tz")
            yield self.env.user.tz
            yield (self[:1].company_id or self.env.company).partner_id.tz

        return next((tz for tz in candidates() if tz in pytz.all_timezones_set), "UTC")

    def _bo_progress(self, done, total):
        """Tell the background run, if any, that ``done`` of ``total`` items
        are written."""
        report_progress = self.env.context.get("bo_report_progress")
        if report_progress and total:
            report_progress(100 * done / total)


class BoReportPeriodMixin(models.AbstractModel):
    """The period a report wizard reports on; a wizard sets its default period
    in ``_bo_default_period``."""

    _name = "bo.report.period.mixin"
    _description = "Back Office Report Period"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self._bo_default_period()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self._bo_default_period()[1],
    )

    def _bo_default_period(self):
        """(first day, last day) proposed: the month to date."""
        today = fields.Date.context_today(self)
        return today.replace(day=1), today

    def _bo_period_bounds(self, period):
        """UTC datetimes bounding a period of days in the report's time zone
        (``_bo_tz`` of ``bo.report.wizard.mixin``, which every report wizard
        inherits), as the web client filters order dates: from local midnight
        of the first day to local midnight after the last one."""
        tz = pytz.timezone(self._bo_tz())
        first, last = period
        start = tz.localize(datetime.combine(first, time.min)).astimezone(pytz.UTC)
        stop = tz.localize(datetime.combine(last + timedelta(days=1), time.min))
        return start.replace(tzinfo=None), stop.astimezone(pytz.UTC).replace(tzinfo=None)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period must start before it ends."))


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
