from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

QUALIFICATION_STATES = [
    ("prospect", "Prospect"),
    ("under_evaluation", "Under Evaluation"),
    ("qualified", "Qualified"),
    ("conditionally_qualified", "Conditionally Qualified"),
    ("suspended", "Suspended"),
    ("blocked", "Blocked"),
]
# Orders to these suppliers cannot be confirmed without a manager's override.
BLOCKING_STATES = ("suspended", "blocked")
# Suppliers in these states are reviewed when a mandatory document is missing
# or expired, or when their qualification runs out.
REVIEWED_STATES = ("qualified", "conditionally_qualified")

# The qualification and the overrides are set only by the addon's own actions.
# They mark their writes with this object in the context: RPC clients can send
# any context key, but only JSON values, never this very object.
_PRIVILEGED = object()


def bo_privileged(records):
    """``records`` allowed to write the values only the actions may set."""
    return records.with_context(bo_suppliers_privileged=_PRIVILEGED)


def bo_is_privileged(env):
    return env.context.get("bo_suppliers_privileged") is _PRIVILEGED


class BoSupplierQualification(models.Model):
    """One step in a supplier's qualification history: registered, never changed."""

    _name = "bo.supplier.qualification"
    _description = "Supplier Qualification History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Changed By", required=True, default=lambda self: self.env.user
    )
    state_from = fields.Selection(QUALIFICATION_STATES, string="Previous State")
    state = fields.Selection(QUALIFICATION_STATES, string="New State", required=True)
    reason = fields.Text(required=True)
    valid_until = fields.Date(help="The qualification holds until this date.")

    @api.model_create_multi
    def create(self, vals_list):
        if not bo_is_privileged(self.env):
            raise AccessError(
                self.env._(
                    "The qualification history is written by the qualification "
                    "action only: use 'Change Qualification' on the supplier."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not bo_is_privileged(self.env):
            raise UserError(self.env._("The qualification history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The qualification history cannot be deleted."))
