from odoo import fields, models
from odoo.addons.bo_base.models import bo_guard


class TestBoGuardedItem(models.Model):
    """A minimal host of the guard (an approval only its action writes) and
    of the manager override (it covers the name and the lines' names)."""

    _name = "test.bo.guarded.item"
    _inherit = ["bo.override.mixin", "mail.thread"]
    _description = "Back Office Guard Test Item"

    name = fields.Char(required=True)
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")], default="draft", bo_guarded=True
    )
    approved_by_id = fields.Many2one("res.users", bo_guarded=True, copy=True)
    approval_note = fields.Text(bo_guarded=True, copy=True)
    line_ids = fields.One2many("test.bo.guarded.line", "item_id", copy=True)

    def _bo_override_content(self):
        return (self.name, sorted(self.line_ids.mapped("name")))

    @bo_guard.writes("state", "approved_by_id", "approval_note")
    def action_approve(self, note=False):
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approval_note": note})
        return self

    @bo_guard.writes("state")
    def action_reset_state_only(self):
        # granted the state alone: the approver stays out of reach
        self.write({"state": "draft", "approved_by_id": False})


class TestBoGuardedLine(models.Model):
    _name = "test.bo.guarded.line"
    _description = "Back Office Guard Test Line"

    item_id = fields.Many2one("test.bo.guarded.item", required=True, ondelete="cascade")
    name = fields.Char()
    checked = fields.Boolean(bo_guarded=True, copy=True)

    @bo_guard.writes("checked")
    def action_check(self):
        self.checked = True
