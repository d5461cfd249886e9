"""Every field our addons add, and every field OCA's commission addons bring,
reads for everyone who may read the record: the portal customer on their own
order and invoice, a salesperson on their own documents, an accountant, a
stock user, a purchase user, a plain internal user and another company's user.

The fields are not listed by hand: they are taken from the models, so a field
added tomorrow that some reader cannot read fails this test. Commission
figures stay with those who sell (their own documents) or account."""

from datetime import date

from odoo import Command
from odoo.addons.bo_base.tests.common import FieldReadingMixin, module_fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .agents_common import BoAgentsCommon

COMMISSION_FIELDS = ("commission_total", "partner_agent_ids")


class FieldReadingCommon(FieldReadingMixin, BoAgentsCommon):
    """Sold and invoiced orders of two salespeople to a customer with an agent,
    and a contact of that customer on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman_b = cls._bo_user(
            "bo_read_salesman_b", "Bruno Salesman", "sales_team.group_sale_salesman"
        )
        cls.customer_portal = cls._bo_user("bo_read_portal", "Anna Portale", "base.group_portal")
        cls.customer_portal.partner_id.parent_id = cls.customer
        cls.order_a, cls.invoice_a = cls._sold_order(cls.salesman)
        cls.order_b, cls.invoice_b = cls._sold_order(cls.salesman_b)

    @classmethod
    def _confirmed_order(cls, salesman, company=None):
        """An order of ``salesman`` to the agent's customer, confirmed."""
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": salesman.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create({"product_id": cls.screws.id, "product_uom_qty": 5})
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    @classmethod
    def _sold_order(cls, salesman, company=None):
        """An order of ``salesman`` to the agent's customer, confirmed and invoiced."""
        order = cls._confirmed_order(salesman, company=company)
        invoice = order._create_invoices()
        invoice.invoice_date = date(2025, 2, 10)
        invoice.action_post()
        return order, invoice


@tagged("post_install", "-at_install")
class TestFieldReading(FieldReadingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a role only where its addon is installed
        cls.purchase_user = cls.users.get("purchase_user", cls.env["res.users"])
        cls.settlement = cls._settle_agent()

        # another company sells to the same customer, through salesperson A too
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.other_company, install_demo=False
        )
        cls.other_order, cls.other_invoice = cls._sold_order(
            cls.salesman, company=cls.other_company
        )
        cls.other_settlement = cls._settle_agent() - cls.settlement
        cls.other_settlement.ensure_one()

    @classmethod
    def _settle_agent(cls):
        wizard = cls.env["commission.make.settle"].create(
            {
                "settlement_type": "sale_invoice",
                "date_to": date(2026, 1, 15),
                "agent_ids": [Command.set(cls.agent.ids)],
            }
        )
        wizard.action_settle()
        return cls.env["commission.settlement"].search([("agent_id", "=", cls.agent.id)])

    # ------------------------------------------------------------------
    # Every field, every role
    # ------------------------------------------------------------------

    def _readers(self):
        return {
            "portal customer": self.customer_portal,
            "salesperson (own documents)": self.salesman,
            "accountant": self.invoicing_user,
            "stock user": self.stock_user,
            "purchase user": self.purchase_user,
            "plain internal user": self.internal_user,
            "order desk": self.clerk,
            "back-office manager": self.manager,
            "another company's clerk": self.other_clerk,
        }

    def _fixture_records(self):
        orders = self.order_a | self.order_b | self.other_order
        invoices = self.invoice_a | self.invoice_b | self.other_invoice
        settlements = self.settlement | self.other_settlement
        return [
            orders,
            orders.order_line,
            orders.order_line.agent_ids,
            invoices,
            invoices.line_ids,
            invoices.line_ids.agent_ids,
            settlements,
            settlements.line_ids,
            self.customer | self.contact | self.agent | self.customer_portal.partner_id,
            self.screws | self.plugs,
            self.screws.product_tmpl_id | self.plugs.product_tmpl_id,
            self.company | self.other_company,
        ]

    def test_every_role_reads_every_field_of_what_it_may_read(self):
        # no purchase user where purchase is not installed
        self.assertEveryFieldReads({role: user for role, user in self._readers().items() if user})

    # ------------------------------------------------------------------
    # Whose commissions
    # ------------------------------------------------------------------

    def _visible(self, user, records):
        return records.with_env(self._env_of(user))._filtered_access("read")

    def test_salesperson_reads_only_own_orders_commission_lines(self):
        own_lines = self.order_a.order_line.agent_ids
        own_invoice_lines = self.invoice_a.invoice_line_ids.agent_ids
        self.assertTrue(own_lines and own_invoice_lines)
        env = self._env_of(self.salesman)
        order_lines = (self.order_a | self.order_b | self.other_order).order_line.agent_ids
        self.assertEqual(
            env["sale.order.line.agent"].search([("id", "in", order_lines.ids)]), own_lines
        )
        invoice_lines = (
            self.invoice_a | self.invoice_b | self.other_invoice
        ).invoice_line_ids.agent_ids
        self.assertEqual(
            env["account.invoice.line.agent"].search([("id", "in", invoice_lines.ids)]),
            own_invoice_lines,
        )
        for others in (
            self.order_b.order_line.agent_ids,
            self.invoice_b.invoice_line_ids.agent_ids,
        ):
            with self.subTest(model=others._name), self.assertRaises(AccessError):
                others.with_env(env).read(["amount"])
        # the salesperson's own order reads whole: its agents and its commission
        self.assertEqual(self.order_a.order_line.with_env(env).agent_ids, own_lines)
        self.assertEqual(self.order_a.with_env(env).commission_total, 50.0)

    def test_another_company_is_out_of_reach_even_of_its_salesperson(self):
        """Salesperson A is the salesperson of the other company's order, but does
        not work in that company: its commission lines are not A's to read."""
        env = self._env_of(self.salesman)
        for others in (
            self.other_order.order_line.agent_ids,
            self.other_invoice.invoice_line_ids.agent_ids,
        ):
            with self.subTest(model=others._name):
                self.assertTrue(others)
                self.assertFalse(others.with_env(env)._filtered_access("read"))

    def test_other_company_reads_only_its_own_settlements(self):
        for user, own, other in (
            (self.clerk, self.settlement, self.other_settlement),
            (self.other_clerk, self.other_settlement, self.settlement),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user, own | other), own)
                self.assertEqual(self._visible(user, (own | other).line_ids), own.line_ids)
                self.assertFalse(self._visible(user, other.line_ids))

    def test_stock_purchase_and_internal_users_read_documents_without_commissions(self):
        readers = [self.stock_user, self.internal_user]
        if self.purchase_user:
            readers.append(self.purchase_user)
        for user in readers:
            env = self._env_of(user)
            with self.subTest(user=user.login):
                self.assertFalse(env["sale.order.line.agent"].search([]))
                self.assertFalse(env["account.invoice.line.agent"].search([]))
                self.assertFalse(env["commission.settlement.line"].search([]))
        lines = self.order_a.order_line.with_env(self._env_of(self.stock_user))
        values = lines.read(["product_id", "agent_ids", "commission_status"])
        self.assertEqual(values[0]["agent_ids"], [], "the agents read empty, no error")
        order = self.order_a.with_env(self._env_of(self.stock_user))
        self.assertNotIn("commission_total", order.fields_get())

    def test_accountant_invoices_an_order_keeping_its_agents(self):
        order = self._confirmed_order(self.salesman)
        invoice = order.with_env(self._env_of(self.invoicing_user))._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.agent_ids.agent_id, self.agent)
        self.assertEqual(invoice.invoice_line_ids.agent_ids.amount, 50.0)


@tagged("post_install", "-at_install")
class TestPortalCustomerReadsOwnDocuments(FieldReadingCommon, HttpCase):
    """The customer opens their order and invoice on the portal: both read
    whole, with no agent and no commission on them."""

    def test_customer_reads_own_order_and_invoice_through_the_orm(self):
        env = self._env_of(self.customer_portal)
        for records in (
            self.order_a,
            self.order_a.order_line,
            self.invoice_a,
            self.invoice_a.invoice_line_ids,
        ):
            with self.subTest(model=records._name):
                records = records.with_env(env)
                visible = records.fields_get(attributes=["type"])
                for fname in (*COMMISSION_FIELDS, "agent_ids", "commission_status"):
                    self.assertNotIn(fname, visible, "commissions are not the customer's")
                ours = [name for name in module_fields(records) if name in visible]
                if ours:
                    records.read(ours)
                with self.assertRaises(AccessError):
                    records.read(["agent_ids" if "agent_ids" in records else "commission_total"])
        self.assertFalse(env["sale.order.line.agent"].has_access("read"))
        self.assertFalse(env["account.invoice.line.agent"].has_access("read"))

    def test_customer_opens_own_order_and_invoice_on_the_portal(self):
        self.authenticate(self.customer_portal.login, self.customer_portal.login)
        for document, url in (
            (self.order_a, f"/my/orders/{self.order_a.id}"),
            (self.invoice_a, f"/my/invoices/{self.invoice_a.id}"),
            (self.invoice_a, f"/my/invoices/{self.invoice_a.id}?report_type=html"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(document.name, response.text)
                self.assertNotIn(self.agent.name, response.text, "no agent on the portal")
