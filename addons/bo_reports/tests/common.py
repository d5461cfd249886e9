from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import XlsxReportMixin, new_bo_user
from odoo.tests import Form, TransactionCase


class ReportScheduleMixin:
    """A report scheduled by a user, and the message that mails it."""

    def _schedule_report(self, user, name, report, recipients, period="last_month", **values):
        """``user``'s schedule of ``report`` over ``period``, mailed to ``recipients``."""
        return (
            self.env["bo.report.schedule"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "report": report,
                    "period": period,
                    "recipient_ids": [Command.set(recipients.ids)],
                    **values,
                }
            )
        )

    def _mailed_report(self, schedule, when=None):
        """The message with the report's file: at ``when``, from the scheduled
        job; without it, from the Send Now button of the schedule's user."""
        if when:
            with freeze_time(when):
                self.env["bo.report.schedule"]._cron_send_due_reports()
        else:
            schedule.action_send_now()
        return schedule.message_ids.filtered("attachment_ids")


class SalesReportCase(XlsxReportMixin, TransactionCase):
    """Orders of two customers over March 2026, February 2026 and March 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Rome"
        cls.company = cls.env["res.company"].create({"name": "Ditta Report S.r.l."})
        cls.other_company = cls.env["res.company"].create({"name": "Altra Ditta S.p.A."})
        cls.env.user.company_ids |= cls.company | cls.other_company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        in_company = {"company": cls.company, "tz": "Europe/Rome"}
        cls.manager = new_bo_user(
            cls.env,
            "bo_sales_report_manager",
            "Sara Sales Manager",
            "sales_team.group_sale_manager",
            **in_company,
        )
        cls.salesman = new_bo_user(
            cls.env,
            "bo_sales_report_salesman",
            "Sergio Salesman",
            "sales_team.group_sale_salesman",
            **in_company,
        )
        cls.furniture = cls.env["product.category"].create({"name": "Arredo"})
        cls.chairs = cls.env["product.category"].create(
            {"name": "Sedie", "parent_id": cls.furniture.id}
        )
        cls.services = cls.env["product.category"].create({"name": "Servizi"})
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Sedia Ufficio",
                "default_code": "SED01",
                "categ_id": cls.chairs.id,
                "list_price": 100,
                "standard_price": 60,
            }
        )
        cls.design = cls.env["product.product"].create(
            {
                "name": "Progettazione",
                "type": "service",
                "categ_id": cls.services.id,
                "list_price": 200,
                "standard_price": 50,
            }
        )
        italy = cls.env.ref("base.it")
        cls.rossi = cls.env["res.partner"].create({"name": "Rossi S.p.A.", "country_id": italy.id})
        cls.rossi_buyer = cls.env["res.partner"].create(
            {"name": "Ufficio Acquisti", "parent_id": cls.rossi.id}
        )
        cls.muller = cls.env["res.partner"].create(
            {"name": "Müller GmbH", "country_id": cls.env.ref("base.de").id}
        )
        # March 2026: Rossi 10 chairs (1000, margin 400), Müller 5 designs
        # (1000, margin 750) sold by the salesman; a quotation not confirmed.
        cls._order(cls.rossi_buyer, cls.chair, 10, "2026-03-10 10:00:00")
        cls._order(cls.muller, cls.design, 5, "2026-03-31 21:30:00", user=cls.salesman)
        cls._order(cls.rossi, cls.chair, 99, "2026-03-15 10:00:00", confirm=False)
        # 1 April 00:30 in Rome is still 31 March in UTC: April for the user.
        cls._order(cls.rossi, cls.chair, 7, "2026-03-31 22:30:00")
        # February 2026 (previous period) and March 2025 (last year).
        cls._order(cls.rossi, cls.chair, 4, "2026-02-20 10:00:00")
        cls._order(cls.rossi, cls.chair, 2, "2025-03-05 10:00:00")
        cls._order(cls.muller, cls.design, 1, "2025-03-20 10:00:00", user=cls.salesman)
        # Another company's order in the same month.
        cls._order(cls.rossi, cls.chair, 50, "2026-03-12 10:00:00", company=cls.other_company)

    @classmethod
    def _order(cls, partner, product, quantity, when, user=None, confirm=True, company=None):
        company = company or cls.company
        orders = cls.env["sale.order"].with_company(company)
        order_form = Form(orders)
        order_form.partner_id = partner
        order_form.user_id = user or cls.manager
        with order_form.order_line.new() as line:
            line.product_id = product
            line.product_uom_qty = quantity
            line.tax_ids.clear()
        order = order_form.save()
        if confirm:
            with freeze_time(when):
                order.action_confirm()
        order.date_order = when
        return order
