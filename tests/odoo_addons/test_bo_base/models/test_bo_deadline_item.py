from odoo import fields, models


class TestBoDeadlineItem(models.Model):
    """A minimal host of ``bo.deadline.mixin``, configured as real hosts are."""

    _name = "test.bo.deadline.item"
    _inherit = ["bo.deadline.mixin"]
    _description = "Back Office Deadline Test Item"
    _deadline_done_states = ("done",)

    name = fields.Char(required=True)
    user_id = fields.Many2one("res.users", string="Responsible")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection([("open", "Open"), ("done", "Done")], default="open")
