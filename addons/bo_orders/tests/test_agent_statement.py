from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .agents_common import BoAgentsCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestAgentStatement(BoAgentsCommon):
    """An order of 1,000.00 for the Italian agent's customer, ordered and invoiced in March
    2025 and half paid: 100.00 of commission, settled with Enasarco 8.50 (agent),
    8.50 (principal) and FIRR 4.00; 91.50 due after the agent's share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the agent's language, whether or not the database has it yet
        cls.env["res.lang"]._activate_lang("it_IT")
        cls.env["ir.module.module"]._load_module_terms(["bo_orders"], ["it_IT"], overwrite=True)
        # ordered inside the statements' period, whatever the day the test runs
        with freeze_time("2025-03-05 10:00:00"):
            order = cls._no_taxes(cls._new_order(cls, lines=[(cls.screws, 10, 0.0)]))
            order.with_user(cls.clerk).action_confirm()
        cls.invoice = cls._invoice_order(cls, order, date(2025, 3, 10))
        cls._pay(cls, cls.invoice, 500.0)
        cls.settlement = cls._settle(cls, cls.agent)

    def test_statement_totals_orders_invoices_payments_and_commission_due(self):
        statement = self._statement(self.agent)
        self.assertRecordValues(
            statement,
            [
                {
                    "order_count": 1,
                    "order_amount": 1000.0,
                    "invoiced_amount": 1000.0,
                    "paid_amount": 500.0,
                    "commission_amount": 100.0,
                    "settled_amount": 100.0,
                    "enasarco_agent_amount": 8.5,
                    "enasarco_principal_amount": 8.5,
                    "firr_amount": 4.0,
                    # 2025 closed in the period: 17.00 paid of the 1,011.00 minimum
                    "enasarco_topup_amount": 994.0,
                    "commission_due": 91.5,
                }
            ],
        )

    def test_no_minimum_top_up_before_the_year_is_over(self):
        statement = self._statement(self.agent)
        statement.date_to = date(2025, 12, 30)
        self.assertEqual(statement.enasarco_topup_amount, 0.0)
        self.assertEqual(statement.enasarco_agent_amount, 8.5)

    def test_statement_prints_in_the_agents_language(self):
        statement = self._statement(self.agent)
        html = self._render(statement)
        self.assertIn("Estratto conto agente", html)
        self.assertIn("Provvigione dovuta", html)
        self.assertIn("91,50", html)
        self.assertIn("Enasarco (agente)", html)
        self.assertIn("994,00", html)

        statement.agent_id = self.agent.copy({"lang": "en_US", "email": "x@example.com"})
        html = self._render(statement)
        self.assertIn("Agent Statement", html)
        self.assertIn("Commission due", html)

    def test_foreign_agent_statement_in_english_with_its_currency(self):
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        gbp.rate_ids.unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": gbp.id, "name": "2025-01-01", "rate": 0.5}
        )
        self.foreign_agent.bo_agent_currency_id = gbp
        invoice = self._invoice(self.foreign_customer, 3000.0, date(2025, 6, 3))
        self._pay(invoice)
        self._settle(self.foreign_agent)
        statement = self._statement(self.foreign_agent)
        self.assertEqual(statement.commission_due, 300.0)
        self.assertFalse(statement.enasarco_agent_amount)
        html = self._render(statement)
        self.assertIn("Agent Statement", html)
        self.assertIn("GBP", html)
        self.assertIn("150.00", html)  # 300.00 at 0.5 pounds for one unit
        self.assertNotIn("Enasarco", html)

    def test_statement_sent_to_the_agent_with_the_pdf_in_italian(self):
        statement = self._statement(self.agent)
        statement.action_send_email()
        mail = self.env["mail.mail"].search(
            [("model", "=", statement._name), ("res_id", "=", statement.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.agent)
        self.assertIn("estratto conto", mail.subject)
        # the PDF (rendered as HTML in test mode), named in the agent's language
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(
            mail.attachment_ids.name.startswith("Estratto conto agente - Paolo Agente - 2026-12-31")
        )

    def test_statement_only_for_agents(self):
        with self.assertRaises(ValidationError):
            self.env["bo.agent.statement"].with_user(self.clerk).create(
                {"agent_id": self.customer.id}
            )

    def test_statement_period_must_not_end_before_it_starts(self):
        form = Form(self.env["bo.agent.statement"].with_user(self.clerk))
        form.agent_id = self.agent
        form.date_from = date(2025, 6, 1)
        form.date_to = date(2025, 1, 1)
        with self.assertRaises(ValidationError):
            form.save()

    def _render(self, statement):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "bo_orders.action_report_bo_agent_statement", statement.ids
        )
        return html.decode()
