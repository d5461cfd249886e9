from datetime import date

from odoo import Command
from odoo.tests import Form

from .common import BoOrdersCommon


class BoAgentsCommon(BoOrdersCommon):
    """Two agents paid on commission: an Italian single-mandate agent paid on
    invoiced amounts, and a British agent paid on what customers pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.country_id = cls.env.ref("base.it")
        # Enasarco figures are in euros: one euro is one unit of the company currency
        euro = cls.env.ref("base.EUR")
        if euro != cls.company.currency_id:
            euro.rate_ids.unlink()
            cls.env["res.currency.rate"].create(
                {"currency_id": euro.id, "name": "2000-01-01", "rate": 1.0}
            )
        cls.commission_invoiced = cls.env["commission"].create(
            {"name": "10% sul fatturato", "fix_qty": 10.0, "invoice_state": "open"}
        )
        cls.commission_paid = cls.env["commission"].create(
            {"name": "10% on paid", "fix_qty": 10.0, "invoice_state": "paid"}
        )
        cls.agent.write(
            {
                "agent": True,
                "email": "paolo@agente.example.it",
                "lang": "it_IT",
                "commission_id": cls.commission_invoiced.id,
                "settlement": "quaterly",
                "bo_enasarco_mandate_type": "single",
            }
        )
        cls.foreign_agent = cls.env["res.partner"].create(
            {
                "name": "Harper Trade Agency Ltd",
                "is_company": True,
                "agent": True,
                "email": "office@harper.example.co.uk",
                "lang": "en_US",
                "country_id": cls.env.ref("base.uk").id,
                "commission_id": cls.commission_paid.id,
                "settlement": "monthly",
            }
        )
        cls.customer.commission_agent_ids = cls.agent
        cls.foreign_customer.commission_agent_ids = cls.foreign_agent

    def _invoice_order(self, order, invoice_date):
        """Invoice the whole order on ``invoice_date`` and post the invoice."""
        invoice = order._create_invoices()
        invoice.invoice_date = invoice_date
        invoice.action_post()
        return invoice

    @classmethod
    def _invoice(cls, partner, amount, invoice_date):
        """A customer invoice of ``amount`` (net) posted on ``invoice_date``."""
        form = Form(cls.env["account.move"].with_context(default_move_type="out_invoice"))
        form.partner_id = partner
        form.invoice_date = invoice_date
        with form.invoice_line_ids.new() as line:
            line.product_id = cls.screws
            line.quantity = 1
            line.price_unit = amount
            line.tax_ids.clear()
        invoice = form.save()
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None):
        register = Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        if amount is not None:
            register.amount = amount
        register.payment_date = invoice.invoice_date
        return register.save()._create_payments()

    def _credit_note(self, invoice, refund_date):
        reversal = Form(
            self.env["account.move.reversal"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        reversal.date = refund_date
        reversal.journal_id = invoice.journal_id
        action = reversal.save().refund_moves()
        refund = self.env["account.move"].browse(action["res_id"])
        refund.invoice_date = refund_date
        refund.action_post()
        return refund

    def _settle(self, agents, date_to=None):
        form = Form(self.env["commission.make.settle"])
        form.settlement_type = "sale_invoice"
        form.date_to = date_to or date(2026, 1, 15)
        for agent in agents:
            form.agent_ids.add(agent)
        form.save().action_settle()
        return self.env["commission.settlement"].search(
            [("agent_id", "in", agents.ids)], order="date_from, id"
        )

    def _statement(self, agent):
        """The clerk's statement of ``agent`` over 2025 and 2026."""
        form = Form(self.env["bo.agent.statement"].with_user(self.clerk))
        form.agent_id = agent
        form.date_from = date(2025, 1, 1)
        form.date_to = date(2026, 12, 31)
        return form.save()

    @staticmethod
    def _no_taxes(order):
        order.order_line.tax_ids = [Command.clear()]
        return order
