from datetime import date

from freezegun import freeze_time

from odoo.addons.bo_base.tests.common import XlsxReportMixin, xlsx_workbook
from odoo.addons.bo_orders.tests.agents_common import BoAgentsCommon
from odoo.addons.bo_reports.tests.common import ReportScheduleMixin
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install", "bo_dates")
class TestAgentXlsx(ReportScheduleMixin, XlsxReportMixin, BoAgentsCommon):
    """The Italian agent's customer ordered 1,000.00 in March 2025, invoiced
    and half paid; the British agent's customer 600.00, invoiced, not paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # both ordered in March 2025, inside the statements' period, whatever
        # the day the test runs
        with freeze_time("2025-03-05 10:00:00"):
            order = cls._no_taxes(cls._new_order(cls, lines=[(cls.screws, 10, 0.0)]))
            order.with_user(cls.clerk).action_confirm()
            foreign = cls._no_taxes(
                cls._new_order(cls, partner=cls.foreign_customer, lines=[(cls.screws, 6, 0.0)])
            )
            foreign.with_user(cls.clerk).action_confirm()
        cls.invoice = cls._invoice_order(cls, order, date(2025, 3, 10))
        cls._pay(cls, cls.invoice, 500.0)
        cls._settle(cls, cls.agent)
        cls._invoice_order(cls, foreign, date(2025, 4, 2))

    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.agent.report.wizard",
            user or self.manager,
            defaults={"date_from": date(2025, 1, 1), "date_to": date(2026, 12, 31)},
            values=values,
        )

    def test_one_row_per_agent_with_the_figures_of_its_statement(self):
        wizard = self._wizard(agent_ids=self.agent | self.foreign_agent)
        header, *rows = self._rows(self._export(wizard)["Agents"])
        self.assertEqual(
            header[:5], ["Agent", "Enasarco Mandate", "Confirmed Orders", "Ordered", "Invoiced"]
        )
        self.assertEqual(header[-1], "Commission Due")
        by_agent = {row[0]: row[1:] for row in rows}
        for agent in (self.agent, self.foreign_agent):
            statement = self._statement(agent)
            self.assertEqual(
                by_agent[agent.display_name][1:],
                [
                    statement.order_count,
                    statement.order_amount,
                    statement.invoiced_amount,
                    statement.paid_amount,
                    statement.commission_amount,
                    statement.settled_amount,
                    statement.enasarco_agent_amount,
                    statement.enasarco_principal_amount,
                    statement.firr_amount,
                    statement.enasarco_topup_amount,
                    statement.commission_due,
                ],
            )
        italian = by_agent[self.agent.display_name]
        self.assertEqual(italian[0], "Single-mandate")
        self.assertEqual(italian[2:5], [1000, 1000, 500])
        self.assertEqual(italian[-1], 91.5)
        self.assertEqual(by_agent[self.foreign_agent.display_name][3], 600)
        # Totals of all agents.
        self.assertEqual(by_agent["Total"][3], 1600)

    def test_only_for_the_order_desk_and_managers(self):
        self.assertTrue(self._wizard(user=self.clerk).exists())
        with self.assertRaises(AccessError):
            self.env["bo.agent.report.wizard"].with_user(self.salesman).create(
                {"date_from": "2025-01-01", "date_to": "2026-12-31"}
            )

    def test_scheduled_monthly(self):
        schedule = self._schedule_report(
            self.manager, "Estratti conto agenti", "agents", self.agent, period="year_to_date"
        )
        attachment = self._mailed_report(schedule).attachment_ids
        self.assertTrue(attachment.name.startswith("Agent Statements "))
        sheet = xlsx_workbook(attachment.raw, formulas=True)["Agents"]
        self.assertEqual(self._rows(sheet)[0][0], "Agent")

    def test_sales_performance_by_agent(self):
        form = Form(self.env["bo.sales.report.wizard"].with_user(self.manager))
        form.date_from = date(2025, 3, 1)
        form.date_to = date(2025, 3, 31)
        form.by_agent = True
        wizard = form.save()
        workbook = self._export(wizard)
        self.assertEqual(workbook.sheetnames[-1], "By Agent")
        header, *rows = self._rows(workbook["By Agent"])
        self.assertEqual(header[:2], ["Agent", "Revenue"])
        by_agent = {row[0]: row[1] for row in rows}
        # The revenue of each agent's order lines, as the commission lines hold them.
        start, stop = wizard._bo_period_bounds((wizard.date_from, wizard.date_to))
        agent_lines = self.env["sale.order.line.agent"].search(
            [
                ("object_id.order_id.state", "=", "sale"),
                ("object_id.order_id.company_id", "=", wizard.company_id.id),
                ("object_id.order_id.date_order", ">=", start),
                ("object_id.order_id.date_order", "<", stop),
            ]
        )
        expected = {}
        for line in agent_lines:
            name = line.agent_id.display_name
            expected[name] = expected.get(name, 0) + line.object_id.price_subtotal
        self.assertEqual(by_agent[self.agent.display_name], 1000)
        self.assertEqual(by_agent[self.foreign_agent.display_name], 600)
        self.assertEqual(
            {name: by_agent[name] for name in expected}, expected, "every agent's lines"
        )
        self.assertEqual(by_agent["Total"], sum(expected.values()))
        # Unticked, the sheet is left out.
        wizard.by_agent = False
        self.assertNotIn("By Agent", self._export(wizard).sheetnames)

    def test_sales_and_backlog_filtered_by_agent(self):
        form = Form(self.env["bo.sales.report.wizard"].with_user(self.manager))
        form.date_from = date(2025, 3, 1)
        form.date_to = date(2025, 3, 31)
        form.by_agent = True
        form.detail = True
        form.agent_ids.add(self.agent)
        workbook = self._export(form.save())
        customers = {row[0]: row[1] for row in self._rows(workbook["By Customer"])[1:]}
        self.assertEqual(customers, {self.customer.display_name: 1000, "Total": 1000})
        self.assertEqual(
            {row[0] for row in self._rows(workbook["By Agent"])[1:]},
            {self.agent.display_name, "Total"},
        )
        lines = self._rows(workbook["Order Lines"])[1:]
        self.assertEqual({row[2] for row in lines}, {self.customer.display_name})
        # The backlog of the agent's orders: the Italian order is invoiced but
        # not delivered, the British one neither; only the Italian one is the agent's.
        backlog_form = Form(self.env["bo.backlog.report.wizard"].with_user(self.manager))
        backlog_form.agent_ids.add(self.foreign_agent)
        backlog = self._export(backlog_form.save())
        customers = {row[2] for row in self._rows(backlog["Backlog"])[1:]}
        self.assertEqual(customers, {self.foreign_customer.display_name})
