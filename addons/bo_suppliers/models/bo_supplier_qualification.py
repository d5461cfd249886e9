from odoo import api, fields, models
from odoo.exceptions import UserError

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


class BoSupplierQualification(models.Model):
    """One step in a supplier's qualification history: registered, never changed.

    Every field is guarded: only ``res.partner._bo_set_qualification`` (the
    qualification wizard, the review of documents and evaluations, the
    merge of a blocked supplier) registers a step, and nothing changes one.
    """

    _name = "bo.supplier.qualification"
    _description = "Supplier Qualification History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, bo_guarded=True)
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        required=True,
        default=lambda self: self.env.user,
        bo_guarded=True,
    )
    state_from = fields.Selection(QUALIFICATION_STATES, string="Previous State", bo_guarded=True)
    state = fields.Selection(
        QUALIFICATION_STATES, string="New State", required=True, bo_guarded=True
    )
    reason = fields.Text(required=True, bo_guarded=True)
    valid_until = fields.Date(help="The qualification holds until this date.", bo_guarded=True)

    def write(self, vals):
        # a registered step is never changed, not even by our own actions
        if self and vals:
            raise UserError(self.env._("The qualification history cannot be changed."))
        return super().write(vals)

    def copy(self, default=None):
        # a step happened once: a copy would be a step nobody took
        if self:
            raise UserError(self.env._("The qualification history cannot be copied."))
        return super().copy(default)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The qualification history cannot be deleted."))
