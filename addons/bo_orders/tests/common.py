from datetime import timedelta

from odoo import Command, fields
from odoo.addons.bo_base.tests.common import BoUsersCommon
from odoo.tests import Form


class BoOrdersCommon(BoUsersCommon):
    """An order desk in the main company: its users, customers, stocked
    products and the checks shipped with the addon (all inactive)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company.write({"bo_due_soon_days": 3, "bo_request_answer_days": 2})

        # the order desk grants discounts line by line
        discount = "sale.group_discount_per_so_line"
        cls.clerk = cls._bo_user(
            "bo_clerk", "Giulia Clerk", f"bo_orders.group_bo_order_desk,{discount}"
        )
        cls.manager = cls._bo_user(
            "bo_mgr", "Marco Manager", f"bo_base.group_bo_manager,{discount}"
        )
        cls.salesman = cls._bo_user(
            "bo_salesman", "Sam Salesman", f"sales_team.group_sale_salesman,{discount}"
        )
        cls.stock_user = cls.users["stock_user"]
        cls.internal_user = cls.users["internal"]
        cls.mailroom_clerk = cls.users["bo_user"]
        cls.invoicing_user = cls.users["accountant"]
        cls.portal_user = cls.users["portal"]
        cls.other_clerk = cls._bo_user(
            "bo_other_clerk",
            "Olga Other",
            "bo_orders.group_bo_order_desk",
            company=cls.other_company,
        )
        cls.company.bo_escalation_user_id = cls.manager

        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        home = cls.company.country_id or cls.env.ref("base.it")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ferramenta Rossi S.r.l.",
                "is_company": True,
                "vat": "IT01234560157",
                "street": "Via Verdi 12",
                "city": "Milano",
                "country_id": home.id,
                "email": "ordini@ferramentarossi.example.it",
                "property_payment_term_id": cls.payment_term.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Anna Rossi",
                "parent_id": cls.customer.id,
                "email": "anna.rossi@ferramentarossi.example.it",
            }
        )
        foreign = (
            cls.env.ref("base.de") if home != cls.env.ref("base.de") else cls.env.ref("base.fr")
        )
        cls.foreign_customer = cls.env["res.partner"].create(
            {
                "name": "Müller Maschinenbau GmbH",
                "is_company": True,
                "street": "Industriestraße 8",
                "city": "Stuttgart",
                "country_id": foreign.id,
                "email": "einkauf@mueller.example.de",
                "property_payment_term_id": cls.payment_term.id,
            }
        )
        cls.agent = cls.env["res.partner"].create({"name": "Paolo Agente"})

        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.screws = cls.env["product.product"].create(
            {
                "name": "Viti inox M6",
                "default_code": "VIT-M6",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 50.0,
            }
        )
        cls.plugs = cls.env["product.product"].create(
            {
                "name": "Tasselli nylon 8 mm",
                "default_code": "TAS-8",
                "is_storable": True,
                "list_price": 10.0,
                "standard_price": 4.0,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.screws, cls.warehouse.lot_stock_id, 100
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.plugs, cls.warehouse.lot_stock_id, 1000
        )

        cls.checks = (
            cls.env["bo.order.check"]
            .with_context(active_test=False)
            .search([("company_id", "=", cls.company.id)])
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def _check(cls, check_type):
        return cls.checks.filtered(lambda c: c.check_type == check_type)

    @classmethod
    def _activate(cls, *check_types, severity=None, **thresholds):
        checks = cls.checks.filtered(lambda c: c.check_type in check_types)
        vals = {"active": True, **thresholds}
        if severity:
            vals["severity"] = severity
        checks.write(vals)
        return checks

    def _new_order(self, partner=None, lines=None, user=None):
        """A quotation made through the form, as a clerk would."""
        lines = lines or [(self.screws, 5, 0.0)]
        form = Form(self.env["sale.order"].with_user(user or self.clerk))
        form.partner_id = partner or self.customer
        for product, qty, discount in lines:
            with form.order_line.new() as line:
                line.product_id = product
                line.product_uom_qty = qty
                if discount:
                    line.discount = discount
        return form.save()

    def _deliver(self, order, qty=None):
        """Validate the open delivery of ``order``, all of it or ``qty`` of each move."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
            move.picked = True
        picking.with_user(self.stock_user)._action_done()
        return picking

    def _post_overdue_invoice(self, partner, amount=500.0, days_overdue=30):
        invoice_date = fields.Date.context_today(self.env.user) - timedelta(days=days_overdue)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Vecchia fornitura", "quantity": 1, "price_unit": amount}
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice
