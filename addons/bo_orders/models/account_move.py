from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # OCA's agents of an invoice, computed for whoever reads the invoice (a
    # buyer opening a vendor bill may not read commission lines): the agents,
    # never the commission amounts.
    partner_agent_ids = fields.Many2many(compute_sudo=True, groups="base.group_user")
    commission_total = fields.Float(
        groups="sales_team.group_sale_salesman,account.group_account_invoice,"
        "account.group_account_readonly"
    )
    # The inverse of OCA's stored ``account.invoice.line.agent.invoice_id``.
    # Without it, every change of an invoice's state, date or type that the
    # commission lines depend on searches them again (four searches when an
    # invoice is posted); with it Odoo reads them once, through this field.
    bo_agent_line_ids = fields.One2many(
        "account.invoice.line.agent",
        "invoice_id",
        string="Commission Lines",
        readonly=True,
        groups="base.group_user",
    )
