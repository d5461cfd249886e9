from odoo import fields, models

TRANSITIONS = {
    "submit": ("draft",),
    "approve": ("submitted",),
    "reset": ("submitted", "approved"),
}
TRANSITION_WRITES = {
    "approve": ("state", "approved_by_id"),
}


class TestBoTransitionItem(models.Model):
    """A minimal host of the transition table: submit, approve (which also
    writes the approver), reset."""

    _name = "test.bo.transition.item"
    _inherit = ["bo.transition.mixin"]
    _description = "Back Office Transition Test Item"
    _bo_transitions = TRANSITIONS
    _bo_transition_writes = TRANSITION_WRITES

    name = fields.Char(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        bo_guarded=True,
    )
    approved_by_id = fields.Many2one("res.users", bo_guarded=True)

    def _bo_transition_labels(self):
        return {"submit": "submitted", "approve": "approved", "reset": "reset"}
