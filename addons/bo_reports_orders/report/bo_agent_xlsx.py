from odoo import models
from odoo.tools.misc import format_date

# The figures of the agent statement, in the order of the columns.
STATEMENT_FIELDS = [
    "order_amount",
    "invoiced_amount",
    "paid_amount",
    "commission_amount",
    "settled_amount",
    "enasarco_agent_amount",
    "enasarco_principal_amount",
    "firr_amount",
    "enasarco_topup_amount",
    "commission_due",
]


class BoAgentXlsx(models.AbstractModel):
    """The agents' statements of a period as a spreadsheet, one row per agent
    with the totals of their statement, and the totals of all agents as
    formulas."""

    _name = "report.bo_reports_orders.agent_xlsx"
    _inherit = "bo.reports.xlsx.base"
    _description = "Back Office Agent Statements XLSX"

    def _subtitle(self, wizard):
        return self.env._(
            "%(company)s, from %(date_from)s to %(date_to)s, in %(currency)s",
            company=wizard.company_id.name,
            date_from=format_date(self.env, wizard.date_from),
            date_to=format_date(self.env, wizard.date_to),
            currency=wizard.company_id.currency_id.name,
        )

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        formats = self._formats(workbook, wizard.company_id.currency_id)
        statements = self.env["bo.agent.statement"]
        headers = [
            (self.env._("Agent"), 36),
            (self.env._("Enasarco Mandate"), 16),
            (statements._fields["order_count"]._description_string(self.env), 12),
            *(
                (statements._fields[fname]._description_string(self.env), 16)
                for fname in STATEMENT_FIELDS
            ),
        ]
        title = self.env._("Agents")
        sheet = self._write_sheet_start(
            workbook, formats, title, title, self._subtitle(wizard), headers
        )
        mandates = dict(
            self.env["res.partner"]
            ._fields["bo_enasarco_mandate_type"]
            ._description_selection(self.env)
        )
        first_row = row = self._header_row + 1
        totals = dict.fromkeys(range(3, 3 + len(STATEMENT_FIELDS)), 0.0)
        for statement in wizard._bo_statements():
            agent = statement.agent_id
            sheet.write_string(row, 0, agent.display_name)
            sheet.write_string(row, 1, mandates.get(agent.bo_enasarco_mandate_type, ""))
            sheet.write_number(row, 2, statement.order_count)
            for col, fname in enumerate(STATEMENT_FIELDS, start=3):
                sheet.write_number(row, col, statement[fname], formats["money"])
                totals[col] += statement[fname]
            row += 1
        sheet.autofilter(self._header_row, 0, max(row - 1, self._header_row), len(headers) - 1)
        self._write_totals(sheet, row, first_row, formats, totals)
