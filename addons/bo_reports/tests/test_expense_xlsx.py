from datetime import date

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.bo_base.tests.common import XlsxReportMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestExpenseXlsx(XlsxReportMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        analytic_group = cls.env.ref("analytic.group_analytic_accounting")
        cls.env.user.group_ids |= analytic_group
        cls.rent = cls.company_data["default_account_expense"]
        cls.consulting = cls.env["account.account"].create(
            {"code": "612100", "name": "Consulenze", "account_type": "expense"}
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Sedi"})
        cls.milano, cls.roma = cls.env["account.analytic.account"].create(
            [{"name": "Milano", "plan_id": plan.id}, {"name": "Roma", "plan_id": plan.id}]
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Fornitore Servizi S.r.l."})
        # January: 1000 of rent for Milano, 400 of consulting; February: 300 of
        # rent for Roma, a refund of 100 of Milano's rent.
        cls._bill(date(2026, 1, 15), cls.rent, 1000, cls.milano)
        cls._bill(date(2026, 1, 20), cls.consulting, 400)
        cls._bill(date(2026, 2, 10), cls.rent, 300, cls.roma)
        cls._bill(date(2026, 2, 12), cls.rent, 100, cls.milano, move_type="in_refund")
        # Not in the report: a draft bill, a bill of April, a customer invoice.
        cls._bill(date(2026, 2, 14), cls.rent, 999, post=False)
        cls._bill(date(2026, 4, 1), cls.rent, 777)
        cls._bill(date(2026, 1, 5), cls.company_data["default_account_revenue"], 555,
                  move_type="out_invoice")  # fmt: skip
        targets = cls.env["bo.expense.target"]
        targets.create(
            [
                {"month": "2026-01-01", "account_id": cls.rent.id, "amount": 900},
                {"month": "2026-02-01", "account_id": cls.rent.id, "amount": 500},
                {"month": "2026-02-01", "account_id": cls.consulting.id, "amount": 200},
                {"month": "2026-04-01", "account_id": cls.rent.id, "amount": 50},
                {
                    "month": "2026-01-01",
                    "account_id": cls.rent.id,
                    "analytic_account_id": cls.milano.id,
                    "amount": 800,
                },
            ]
        )

    @classmethod
    def _bill(cls, day, account, amount, analytic=None, move_type="in_invoice", post=True):
        move_form = Form(cls.env["account.move"].with_context(default_move_type=move_type))
        move_form.partner_id = cls.vendor
        move_form.invoice_date = day
        with move_form.invoice_line_ids.new() as line:
            line.name = "Servizio"
            line.account_id = account
            line.price_unit = amount
            line.tax_ids.clear()
            if analytic:
                line.analytic_distribution = {str(analytic.id): 100}
        move = move_form.save()
        if post:
            move.action_post()
        return move

    def _wizard(self, user=None, **values):
        return self._report_wizard(
            "bo.expense.report.wizard",
            user,
            defaults={"date_from": date(2026, 1, 1), "date_to": date(2026, 2, 28)},
            values=values,
        )

    def test_bills_against_targets_by_account_month_and_analytic_account(self):
        workbook = self._export(self._wizard())
        self.assertEqual(workbook.sheetnames, ["By Account", "By Month", "By Analytic Account"])
        accounts = self._rows(workbook["By Account"])
        self.assertEqual(
            accounts[0], ["Expense Account", "Target", "Actual", "Deviation", "Deviation %"]
        )
        # The actuals are the balances of the period's posted vendor bills.
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("in_invoice", "in_refund")),
                ("date", ">=", "2026-01-01"),
                ("date", "<=", "2026-02-28"),
                ("account_id", "in", (self.rent | self.consulting).ids),
            ],
            ["account_id"],
            ["balance:sum"],
        )
        self.assertEqual(
            {account.display_name: balance for account, balance in groups},
            {self.rent.display_name: 1200, self.consulting.display_name: 400},
        )
        by_account = {row[0]: row[1:] for row in accounts[1:-1]}
        self.assertEqual(by_account[self.rent.display_name][:3], [1400, 1200, -200])
        self.assertAlmostEqual(by_account[self.rent.display_name][3], -200 / 1400)
        self.assertEqual(by_account[self.consulting.display_name], [200, 400, 200, 1])
        self.assertEqual(accounts[-1], ["Total", 1600, 1600, 0, 0])
        self.assertEqual(
            self._rows(workbook["By Month"])[1:],
            [
                ["January 2026", 900, 1400, 500, 500 / 900],
                ["February 2026", 700, 200, -500, -500 / 700],
                ["Total", 1600, 1600, 0, 0],
            ],
        )
        self.assertEqual(
            self._rows(workbook["By Analytic Account"])[1:],
            [
                [self.rent.display_name, "Milano", 800, 900, 100, 0.125],
                [self.rent.display_name, "Roma", 0, 300, 300, None],
                ["Total", None, 800, 1200, 400, 0.5],
            ],
        )

    def test_filters_on_accounts_and_analytic_accounts(self):
        wizard = self._wizard()
        wizard.account_ids = self.consulting
        accounts = self._rows(self._export(wizard)["By Account"])
        self.assertEqual([row[0] for row in accounts[1:]], [self.consulting.display_name, "Total"])
        wizard.account_ids = False
        wizard.analytic_account_ids = self.roma
        analytic = self._rows(self._export(wizard)["By Analytic Account"])
        self.assertEqual([row[1] for row in analytic[1:-1]], ["Roma"])

    def test_accountant_without_analytic_rights_and_other_companies(self):
        accountant = new_test_user(
            self.env,
            login="bo_expense_accountant",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        workbook = self._export(self._wizard(user=accountant))
        self.assertEqual(workbook.sheetnames, ["By Account", "By Month"])
        self.assertEqual(self._rows(workbook["By Account"])[-1][:3], ["Total", 1600, 1600])
        other = self.setup_other_company(name="Altra Spesa S.r.l.")["company"]
        other_accountant = new_test_user(
            self.env,
            login="bo_expense_other",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        workbook = self._export(self._wizard(user=other_accountant))
        self.assertEqual(self._rows(workbook["By Account"])[1:], [["Total", 0, 0, 0, None]])
        with self.assertRaises(ValidationError):
            self.env["bo.expense.report.wizard"].with_user(other_accountant).create(
                {
                    "date_from": "2026-01-01",
                    "date_to": "2026-02-28",
                    "company_id": self.env.company.id,
                }
            )
        # Accountants read targets; only accounting and back office managers set them.
        with self.assertRaises(AccessError):
            self.env["bo.expense.target"].with_user(accountant).create(
                {"month": "2026-03-01", "account_id": self.rent.id, "amount": 1}
            )

    def test_targets_are_whole_months_of_expense_accounts_once(self):
        targets = self.env["bo.expense.target"]
        with self.assertRaisesRegex(ValidationError, "first day of the month"):
            targets.create({"month": "2026-03-15", "account_id": self.rent.id, "amount": 1})
        with self.assertRaisesRegex(ValidationError, "not an expense account"):
            targets.create(
                {
                    "month": "2026-03-01",
                    "account_id": self.company_data["default_account_revenue"].id,
                    "amount": 1,
                }
            )
        with self.assertRaisesRegex(ValidationError, "already a target"):
            targets.create({"month": "2026-01-01", "account_id": self.rent.id, "amount": 1})

    def test_italian_spreadsheet(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_reports"], ["it_IT"])
        workbook = self._export(self._wizard().with_context(lang="it_IT"))
        self.assertEqual(workbook.sheetnames, ["Per conto", "Per mese", "Per conto analitico"])
        self.assertEqual(
            self._rows(workbook["Per conto"])[0],
            ["Conto di costo", "Obiettivo", "Effettivo", "Scostamento", "Scostamento %"],
        )
        self.assertEqual(self._rows(workbook["Per mese"])[1][0], "gennaio 2026")
