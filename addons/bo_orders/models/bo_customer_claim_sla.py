from odoo import api, fields, models

from .bo_customer_claim_type import CLAIM_PRIORITIES, CLAIM_TYPES


class BoCustomerClaimSla(models.Model):
    """How fast a claim must be answered and resolved, by type and priority.

    The most specific row wins: the claim's company before all companies, its
    type before any type.
    """

    _name = "bo.customer.claim.sla"
    _description = "Customer Claim Service Level"
    _order = "company_id, claim_type, priority"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", help="Empty: the service level of every company without its own."
    )
    claim_type = fields.Selection(CLAIM_TYPES, string="Type", help="Empty: any type.")
    priority = fields.Selection(CLAIM_PRIORITIES, required=True, default="1")
    first_response_hours = fields.Integer(
        required=True, default=24, help="Hours from receipt to the first answer to the customer."
    )
    resolution_days = fields.Integer(
        required=True, default=15, help="Days from receipt to the resolution of the claim."
    )
    active = fields.Boolean(default=True)

    _positive = models.Constraint(
        "CHECK(first_response_hours > 0 AND resolution_days > 0)",
        "The response hours and the resolution days must be positive.",
    )
    _unique_row = models.UniqueIndex(
        "(COALESCE(company_id, 0), COALESCE(claim_type, ''), priority) WHERE active",
        "There is already a service level for this company, type and priority.",
    )

    @api.model
    def _find(self, company, claim_type, priority):
        """The service level of a claim, or an empty recordset."""
        # sudo: the service levels apply to whoever records the claim,
        # including the mail gateway
        rows = self.sudo().search(
            [
                ("company_id", "in", [company.id, False]),
                ("claim_type", "in", [claim_type, False]),
                ("priority", "=", priority),
            ]
        )
        rows = rows.sorted(lambda r: (not r.company_id, not r.claim_type))
        return rows[:1]
