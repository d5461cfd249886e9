from odoo import fields, models
from odoo.exceptions import UserError

STAGE_STATES = [
    ("new", "New"),
    ("open", "In Progress"),
    ("done", "Resolved"),
    ("cancelled", "Cancelled"),
]


class BoCustomerClaimStage(models.Model):
    """A column of the claims kanban; its state says what the stage means to
    the claim's workflow (resolved and cancelled claims have no deadline)."""

    _name = "bo.customer.claim.stage"
    _description = "Customer Claim Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        STAGE_STATES,
        required=True,
        default="open",
        help="New: just received. In progress: being worked. Resolved: closed with an "
        "outcome (root cause and action required for complaints). Cancelled: closed "
        "without an outcome.",
    )
    fold = fields.Boolean(string="Folded in Kanban")
    active = fields.Boolean(default=True)

    def write(self, vals):
        # What a stage means decides the claims' deadlines and closure: it
        # does not change under the claims already in it.
        if "state" in vals:
            used = self.filtered(lambda s: s.state != vals["state"])
            if used and self.env["bo.customer.claim"].sudo().search_count(
                [("stage_id", "in", used.ids)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "Claims are in this stage: make a new stage instead of changing "
                        "what it means."
                    )
                )
        return super().write(vals)
