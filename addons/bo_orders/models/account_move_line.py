from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # OCA's commission status of a journal item, computed for whoever reads it
    # (a buyer opening a vendor bill may not read commission lines): how many
    # agents, never the commission amounts.
    commission_status = fields.Char(compute_sudo=True, groups="base.group_user")
    any_settled = fields.Boolean(compute_sudo=True, groups="base.group_user")
    # internal users read the agents of the items their role reads (record rules)
    agent_ids = fields.One2many(groups="base.group_user")

    def _compute_agent_ids(self):
        # see commission.mixin's _bo_lines_agents_to_compute
        lines = self._bo_lines_agents_to_compute(lambda line: line.move_id.partner_id)
        return super(AccountMoveLine, lines)._compute_agent_ids()
