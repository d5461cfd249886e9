from datetime import date
from unittest.mock import patch

from odoo.tests import Form, tagged

from .agents_common import BoAgentsCommon


@tagged("post_install", "-at_install")
class TestAgentCommissions(BoAgentsCommon):
    def test_order_of_agents_customer_earns_commission_settled_on_invoice(self):
        order = self._no_taxes(self._new_order(lines=[(self.screws, 10, 0.0)]))
        self.assertEqual(order.order_line.agent_ids.agent_id, self.agent)
        self.assertEqual(order.commission_total, 100.0)
        order.with_user(self.clerk).action_confirm()
        invoice = self._invoice_order(order, date(2025, 2, 10))
        self.assertEqual(invoice.invoice_line_ids.agent_ids.amount, 100.0)

        settlement = self._settle(self.agent)
        self.assertEqual(len(settlement), 1)
        self.assertEqual(settlement.total, 100.0)
        self.assertEqual(
            (settlement.date_from, settlement.date_to), (date(2025, 1, 1), date(2025, 3, 31))
        )

    def test_paid_basis_settles_only_once_the_customer_pays(self):
        invoice = self._invoice(self.foreign_customer, 2000.0, date(2025, 5, 6))
        self.assertEqual(invoice.invoice_line_ids.agent_ids.agent_id, self.foreign_agent)
        self.assertEqual(self.foreign_agent.bo_commission_invoice_state, "paid")
        self.assertFalse(self._settle(self.foreign_agent))

        self._pay(invoice)
        settlement = self._settle(self.foreign_agent)
        self.assertEqual(settlement.total, 200.0)
        self.assertEqual(settlement.date_from, date(2025, 5, 1))

    def test_credit_note_reverses_the_commission_it_cancels(self):
        invoice = self._invoice(self.customer, 1500.0, date(2025, 4, 3))
        first = self._settle(self.agent)
        self.assertEqual(first.total, 150.0)

        refund = self._credit_note(invoice, date(2025, 7, 8))
        self.assertEqual(refund.invoice_line_ids.agent_ids.amount, -150.0)
        settlements = self._settle(self.agent)
        reversal = settlements - first
        self.assertEqual(reversal.total, -150.0)
        self.assertEqual(reversal.date_from, date(2025, 7, 1))
        self.assertEqual(sum(settlements.mapped("total")), 0.0)

    def test_request_takes_customers_agent_and_passes_it_to_quotation(self):
        form = Form(self.env["bo.order.request"].with_user(self.clerk))
        form.title = "Viti per il cantiere"
        form.partner_id = self.customer
        self.assertEqual(form.agent_id, self.agent)
        with form.line_ids.new() as line:
            line.product_id = self.screws
            line.quantity = 4
        request = form.save()
        request.action_create_quotation()
        self.assertEqual(request.sale_order_ids.order_line.agent_ids.agent_id, self.agent)

    def test_request_brought_by_another_agent_gives_the_quotation_that_agent(self):
        form = Form(self.env["bo.order.request"].with_user(self.clerk))
        form.title = "Segnalazione"
        form.partner_id = self.customer
        form.agent_id = self.foreign_agent
        with form.line_ids.new() as line:
            line.product_id = self.screws
            line.quantity = 2
        request = form.save()
        request.action_create_quotation()
        line_agents = request.sale_order_ids.order_line.agent_ids
        self.assertEqual(line_agents.agent_id, self.foreign_agent)
        self.assertEqual(line_agents.commission_id, self.commission_paid)

    def test_request_without_agent_customer_has_no_agent(self):
        form = Form(self.env["bo.order.request"].with_user(self.clerk))
        form.title = "Senza agente"
        form.partner_id = self.env["res.partner"].create({"name": "Cliente diretto"})
        self.assertFalse(form.agent_id)


@tagged("post_install", "-at_install")
class TestAgentLinesRecomputed(BoAgentsCommon):
    """OCA's agents of order and invoice lines, recomputed without the
    search that finds no agent to delete (see ``commission.mixin``)."""

    def _agent_deletion_searches(self):
        """Patch ``search`` of both agent line models: the search for the
        agents to delete, that reading a line's agents does not call."""
        return tuple(
            patch.object(model, "search", autospec=True, side_effect=model.search)
            for model in (
                type(self.env["sale.order.line.agent"]),
                type(self.env["account.invoice.line.agent"]),
            )
        )

    def test_customer_without_agents_orders_and_invoices_without_agent_lookups(self):
        nobody = self.customer.copy({"name": "Cliente Senza Agente", "commission_agent_ids": []})
        order_search, invoice_search = self._agent_deletion_searches()
        with order_search as order_searched, invoice_search as invoice_searched:
            order = self._new_order(partner=nobody)
            order.action_confirm()
            self._deliver(order)
            invoice = self._invoice_order(order, date(2025, 2, 10))
        self.assertFalse(order_searched.called)
        self.assertFalse(invoice_searched.called)
        self.env.invalidate_all()
        self.assertFalse(order.order_line.agent_ids)
        self.assertFalse(invoice.line_ids.agent_ids)
        self.assertEqual(invoice.state, "posted")

    def test_customer_changed_to_one_without_agents_loses_the_agents_in_the_database(self):
        order = self._new_order(lines=[(self.screws, 3, 0.0)])
        agent_lines = order.order_line.agent_ids
        self.assertEqual(agent_lines.agent_id, self.agent)
        nobody = self.customer.copy({"name": "Cliente Senza Agente", "commission_agent_ids": []})
        # what the lines read before is forgotten: the agents are in the database only
        self.env.invalidate_all()
        order.partner_id = nobody
        self.env.flush_all()
        self.assertFalse(agent_lines.exists())
        self.env.invalidate_all()
        self.assertFalse(order.order_line.agent_ids)

    def test_customer_changed_to_one_with_agents_gets_them(self):
        nobody = self.customer.copy({"name": "Cliente Senza Agente", "commission_agent_ids": []})
        order = self._new_order(partner=nobody, lines=[(self.screws, 3, 0.0)])
        self.assertFalse(order.order_line.agent_ids)
        order.partner_id = self.foreign_customer
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(order.order_line.agent_ids.agent_id, self.foreign_agent)

    def test_invoice_of_agents_customer_gives_agents_to_product_lines_only(self):
        invoice = self._invoice(self.customer, 800.0, date(2025, 3, 4))
        self.env.invalidate_all()
        self.assertEqual(invoice.invoice_line_ids.agent_ids.agent_id, self.agent)
        self.assertFalse((invoice.line_ids - invoice.invoice_line_ids).agent_ids)
