from odoo import models

# The actions that move an entry, and the states each one starts from.
TRANSITIONS = {
    "register": ("draft", "error"),
    "keep_in_error": ("draft",),
    "assign": ("registered",),
    "answer": ("registered", "assigned"),
    "close": ("registered", "assigned", "answered"),
    "reopen": ("answered", "closed"),
    "cancel": ("registered", "assigned", "answered", "closed"),
    "correct": ("registered", "assigned", "answered", "closed"),
}
# What each action writes, and nothing else: the guard refuses any other
# guarded field, and the evidence of a registered entry stays as it is.
TRANSITION_WRITES = {
    "register": ("state", "error_reason", "partner_name", "partner_address"),
    "keep_in_error": ("state", "error_reason"),
    "assign": ("state",),
    "answer": ("state",),
    "close": ("state",),
    "reopen": ("state",),
    "cancel": ("state", "cancel_uid", "cancel_user_name", "cancel_date", "cancel_reason"),
}
STATE_SUBTYPES = {
    "assigned": "bo_mailroom.mt_bo_mail_register_assigned",
    "answered": "bo_mailroom.mt_bo_mail_register_answered",
    "closed": "bo_mailroom.mt_bo_mail_register_closed",
    "cancelled": "bo_mailroom.mt_bo_mail_register_cancelled",
}


class BoMailRegister(models.Model):
    """The states of an entry: each moves only through an action of the
    transition table (``bo.transition.mixin``), which writes only what the
    action declares."""

    _inherit = "bo.mail.register"
    _bo_transitions = TRANSITIONS
    _bo_transition_writes = TRANSITION_WRITES

    def _bo_transition_labels(self):
        return {
            "register": self.env._("registered"),
            "keep_in_error": self.env._("kept in error"),
            "assign": self.env._("assigned"),
            "answer": self.env._("marked as answered"),
            "close": self.env._("closed"),
            "reopen": self.env._("reopened"),
            "cancel": self.env._("cancelled"),
            "correct": self.env._("corrected"),
        }

    def _bo_keep_in_error(self, reason):
        """Keep draft entries in error, with the reason: the intake's only way to do it."""
        self._bo_transition("keep_in_error", {"state": "error", "error_reason": reason})

    def _bo_assign_registered(self):
        """Giving an assignee to a registered entry assigns it.

        Done before the assignee is written: the user may be handing the entry
        over to a colleague, then they can no longer write it.
        """
        to_assign = self._bo_can_transition("assign")
        if to_assign:
            to_assign._bo_transition("assign", {"state": "assigned"})

    def action_mark_answered(self):
        self._bo_transition("answer", {"state": "answered"})
        return True

    def action_close(self):
        self._bo_transition("close", {"state": "closed"})
        return True

    def action_reopen(self):
        self._bo_check_transition("reopen")
        for entry in self:
            entry._bo_transition("reopen", {"state": "assigned" if entry.user_id else "registered"})
        return True

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            return self.env.ref(STATE_SUBTYPES[self.state])
        if "delivery_state" in init_values and self.delivery_state == "failed":
            return self.env.ref("bo_mailroom.mt_bo_mail_register_delivery_failed")
        return super()._track_subtype(init_values)
