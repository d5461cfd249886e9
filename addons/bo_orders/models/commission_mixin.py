from odoo import models


class CommissionMixin(models.AbstractModel):
    _inherit = "commission.mixin"

    def _bo_lines_agents_to_compute(self, partner_of):
        """These lines but those whose agents OCA's compute would only clear,
        and that have none to clear.

        OCA's ``_compute_agent_ids`` resets every line's agents before
        adding its partner's: a search for the agents to delete, run for
        every order confirmed and every invoice posted, even when the lines
        were just created (they have no agent yet) and their partner has
        none (most customers; also the tax and payment term lines of every
        invoice, which are created without agents). A line left out here has
        no agent in memory, none in the database (the memory holds what it
        read or created) and would get none: it keeps its empty value.

        :param partner_of: function giving the partner whose agents OCA's
            compute gives a line
        """
        field = self._fields["agent_ids"]
        cache = self.env.cache

        def stays_empty(line):
            return (
                line.id
                and cache.contains(line, field)
                and not line.agent_ids
                and not partner_of(line).commission_agent_ids
            )

        return self.filtered(lambda line: not stays_empty(line))
