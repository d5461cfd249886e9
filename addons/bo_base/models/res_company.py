from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_due_soon_days = fields.Integer(
        string="Due Soon Days",
        default=3,
        help="Back Office items whose deadline is this many days away or less "
        "are flagged as due soon and their responsible gets an activity.",
        groups="base.group_user",
    )
    bo_escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalation Manager",
        domain=lambda self: [("all_group_ids", "in", self.env.ref("bo_base.group_bo_manager").ids)],
        help="Back Office manager who receives overdue escalations. When empty, "
        "the first Back Office manager of the company receives them.",
        groups="base.group_user",
    )

    _check_bo_due_soon_days = models.Constraint(
        "CHECK(bo_due_soon_days >= 0)",
        "The number of 'due soon' days cannot be negative.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "bo_due_soon_days" in vals:
            # 'due soon' depends on this setting: refresh the open deadlines now
            # rather than waiting for the nightly cron.
            self.env["bo.deadline.mixin"]._deadline_refresh_all()
        return res

    def _bo_escalation_user(self):
        """Return the manager who receives overdue escalations for this company."""
        self.ensure_one()
        if self.bo_escalation_user_id.active:
            return self.bo_escalation_user_id
        managers = self.env.ref("bo_base.group_bo_manager").sudo().all_user_ids
        managers = managers.filtered(lambda u: u.active and not u.share and self in u.company_ids)
        return managers.sorted("id")[:1]
