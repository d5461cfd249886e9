from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class BoMailRegister(models.Model):
    """Corrections and cancellations: a registered entry is never changed nor
    deleted; a correction is a new entry pointing to it, a cancellation keeps
    its number used, with who cancelled it, when and why."""

    _inherit = "bo.mail.register"

    corrected_entry_id = fields.Many2one(
        "bo.mail.register",
        string="Corrects",
        index=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
        help="A registered entry cannot be changed: a correction is a new entry "
        "that points to the one it corrects.",
    )
    correction_ids = fields.One2many("bo.mail.register", "corrected_entry_id", string="Corrections")
    cancel_uid = fields.Many2one(
        "res.users",
        string="Cancelled By",
        readonly=True,
        copy=False,
        ondelete="restrict",
        bo_guarded=True,
    )
    cancel_user_name = fields.Char(
        string="Cancelled By (Name)",
        readonly=True,
        copy=False,
        help="The name of who cancelled, as it was then: the daily register lists "
        "it, and renaming the user later must not change a sealed day.",
        bo_guarded=True,
    )
    cancel_date = fields.Datetime(string="Cancelled On", readonly=True, copy=False, bo_guarded=True)
    cancel_reason = fields.Text(
        string="Cancellation Reason", readonly=True, copy=False, bo_guarded=True
    )

    def _cancel(self, reason):
        """Cancel registered entries; their number stays used."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(self.env._("Only a Back Office manager can cancel a registration."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the cancellation."))
        self._bo_transition(
            "cancel",
            {
                "state": "cancelled",
                "cancel_uid": self.env.user.id,
                "cancel_user_name": self.env.user.name,
                "cancel_date": fields.Datetime.now(),
                "cancel_reason": reason.strip(),
            },
        )

    def action_open_cancel_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Registration"),
            "res_model": "bo.mail.register.cancel",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_register_ids": self.ids},
        }

    def action_correct(self):
        """Start a correction: a new draft linked to this entry, with its files."""
        self.ensure_one()
        if not self.name:
            raise UserError(self.env._("Only a registered entry needs a correction."))
        self._bo_check_transition("correct")
        correction = self.copy({"corrected_entry_id": self.id, "subject": self.subject})
        correction.attachment_ids = [fields.Command.set(self.attachment_ids.ids)]
        return correction._get_formview_action()
