from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .agents_common import BoAgentsCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestAgentWorklist(BoAgentsCommon):
    def test_worklist_counts_and_opens_the_agents_customers_work(self):
        self.env["bo.order.request"].create({"title": "Richiesta", "partner_id": self.customer.id})
        order = self._new_order()
        order.with_user(self.clerk).action_confirm()
        order.picking_ids.scheduled_date = fields.Datetime.now() - timedelta(days=3)
        overdue = self._post_overdue_invoice(self.customer)
        # the other agent's customer does not show
        self._post_overdue_invoice(self.foreign_customer)

        agent = self.agent.with_user(self.clerk)
        self.assertEqual(
            (
                agent.bo_agent_request_count,
                agent.bo_agent_order_count,
                agent.bo_agent_late_delivery_count,
                agent.bo_agent_overdue_invoice_count,
            ),
            (1, 1, 1, 1),
        )
        request = self.env["bo.order.request"].search([("agent_id", "=", self.agent.id)])
        for method, model, records in (
            ("action_bo_agent_requests", "bo.order.request", request),
            ("action_bo_agent_orders", "sale.order", order),
            ("action_bo_agent_late_deliveries", "stock.picking", order.picking_ids),
            ("action_bo_agent_overdue_invoices", "account.move", overdue),
        ):
            with self.subTest(action=method):
                action = getattr(agent, method)()
                self.assertEqual(action["res_model"], model)
                self.assertEqual(self.env[model].search(action["domain"]), records)
        self.assertEqual(
            agent.action_bo_agent_statement()["context"], {"default_agent_id": self.agent.id}
        )

    def test_partner_fields_compute_for_every_reader(self):
        """Salespeople, accountants, stock users and portal customers read
        partners (agents included) as before."""
        self.portal_user.partner_id.commission_agent_ids = self.agent
        readers = {
            self.salesman: self.customer | self.agent,
            self.invoicing_user: self.customer | self.agent,
            self.stock_user: self.customer | self.agent,
            self.internal_user: self.customer | self.agent,
            self.portal_user: self.portal_user.partner_id,
            self.clerk: self.customer | self.agent,
        }
        commission_fields = {"agent", "agent_type", "commission_agent_ids", "commission_id"}
        commission_fields |= {"settlement", "settlement_ids"}
        for user, partners in readers.items():
            with self.subTest(user=user.login):
                partners = partners.with_user(user)
                fields = [
                    name
                    for name in partners.fields_get(attributes=["type"])
                    if name.startswith("bo_") or name in commission_fields
                ]
                self.assertIn("bo_enasarco_mandate_type", fields)
                values = partners.read(fields)
                self.assertEqual(len(values), len(partners))
        # only the order desk has the worklist
        self.assertNotIn("bo_agent_order_count", self.agent.with_user(self.salesman).fields_get())
        self.assertIn("bo_agent_order_count", self.agent.with_user(self.clerk).fields_get())

    def test_sale_order_and_invoice_fields_compute_for_every_reader(self):
        order = self._new_order(user=self.salesman)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        for user in (self.salesman, self.clerk, self.invoicing_user):
            with self.subTest(user=user.login):
                self.assertTrue(order.with_user(user).read())
                self.assertTrue(invoice.with_user(user).read())
                self.assertTrue(invoice.invoice_line_ids.with_user(user).read())

    def test_invoices_and_orders_open_for_users_outside_commissions(self):
        """An auditor reads every field of an invoice's lines and the agents
        of the invoice; a stock user the agents and commission status of an
        order: OCA computes them from commission lines these users may not
        read (the amounts stay hidden from the stock user)."""
        order = self._new_order(user=self.salesman)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertTrue(invoice.invoice_line_ids.agent_ids)
        auditor = self._bo_user("bo_agent_auditor", "Revisore", "account.group_account_readonly")
        values = invoice.with_user(auditor).read(
            ["partner_agent_ids", "commission_total", "settlement_count"]
        )
        self.assertEqual(values[0]["partner_agent_ids"], self.agent.ids)
        self.assertTrue(invoice.invoice_line_ids.with_user(auditor).read())
        stock_user = self._bo_user("bo_agent_stock", "Magazziniere", "stock.group_stock_user")
        values = order.with_user(stock_user).read(["partner_agent_ids"])
        self.assertEqual(values[0]["partner_agent_ids"], self.agent.ids)
        lines = order.order_line.with_user(stock_user)
        self.assertEqual(lines.read(["commission_status"])[0]["commission_status"][:1], "1")


@tagged("post_install", "-at_install")
class TestAgentAccess(BoAgentsCommon):
    def test_enasarco_rates_are_read_by_the_desk_and_kept_by_managers(self):
        rate = self.env.ref("bo_orders.enasarco_rate_2025_single")
        expected = {
            self.clerk: (True, False, False, False),
            self.manager: (True, True, True, True),
            self.invoicing_user: (True, False, False, False),
            self.salesman: (False, False, False, False),
            self.internal_user: (False, False, False, False),
            self.portal_user: (False, False, False, False),
        }
        self.assertAccessMatrix(rate, expected)
        self.assertAccessMatrix(rate.firr_bracket_ids[:1], expected)

    def test_statement_and_settlements_access(self):
        statement = self.env["bo.agent.statement"].create({"agent_id": self.agent.id})
        self.assertAccessMatrix(
            statement,
            {
                self.clerk: (True, True, True, False),
                self.salesman: (False, False, False, False),
                self.internal_user: (False, False, False, False),
                self.portal_user: (False, False, False, False),
            },
        )
        self._invoice(self.customer, 1000.0, fields.Date.to_date("2025-03-03"))
        settlement = self._settle(self.agent)
        self.assertAccessMatrix(
            settlement,
            {
                self.clerk: (True, False, False, False),
                self.manager: (True, True, True, True),
                self.salesman: (False, False, False, False),
                self.portal_user: (False, False, False, False),
            },
        )
        with self.assertRaises(AccessError):
            settlement.with_user(self.other_clerk).read(["total"])

    def test_nobody_writes_accruals_by_rpc(self):
        self._invoice(self.customer, 1000.0, fields.Date.to_date("2025-03-03"))
        settlement = self._settle(self.agent)
        for field in ("bo_enasarco_agent_amount", "bo_firr_amount", "bo_enasarco_rate_id"):
            with self.subTest(field=field), self.assertRaises(UserError):
                settlement.with_user(self.manager).write({field: False})
        self.assertEqual(settlement.bo_enasarco_agent_amount, 8.5)
