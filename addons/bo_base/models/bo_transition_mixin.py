from odoo import models
from odoo.exceptions import UserError

from . import bo_guard


class BoTransitionMixin(models.AbstractModel):
    """A state that moves only through the actions of a transition table.

    The host declares its table with class attributes, as OCA's
    ``base_tier_validation`` declares its states:

    - ``_bo_transitions``: each action and the states it starts from;
    - ``_bo_transition_writes``: the guarded fields each action writes (the
      state field alone for an action not listed);
    - ``_bo_transition_labels()``: each action as the refusal names it,
      translated.

    The host declares its state field ``bo_guarded=True``: then nothing but
    :meth:`_bo_transition` moves it, and the write it makes is granted the
    action's fields only, so an action cannot carry along a value it does not
    declare. One table per model, read by the actions, the views' buttons and
    the tests alike, instead of a check of allowed states in each action.
    """

    _name = "bo.transition.mixin"
    _description = "Back Office Transition Table"
    _bo_state_field = "state"
    _bo_transitions = {}
    _bo_transition_writes = {}

    def _bo_transition_labels(self):
        """Each action of the table as a past participle ("closed",
        "reopened"), for the refusal: "X cannot be closed in its current state"."""
        return {}

    def _bo_can_transition(self, action):
        """The records whose state ``action`` starts from."""
        allowed = self._bo_transitions[action]
        return self.filtered(lambda record: record[self._bo_state_field] in allowed)

    def _bo_check_transition(self, action):
        """Refuse the whole call if one record is in a state ``action`` does
        not start from: the action runs for all of them or for none."""
        refused = self - self._bo_can_transition(action)
        if not refused:
            return
        label = self._bo_transition_labels().get(action, action)
        if len(refused) == 1:
            message = self.env._(
                "%(record)s cannot be %(action)s in its current state.",
                record=refused.display_name,
                action=label,
            )
        else:
            message = self.env._(
                "%(records)s cannot be %(action)s in their current state.",
                records=", ".join(refused.mapped("display_name")),
                action=label,
            )
        raise UserError(message)

    def _bo_transition(self, action, vals):
        """Move the records through ``action``, writing ``vals``.

        Granted only the fields the action declares in
        ``_bo_transition_writes``: any other guarded value is refused.
        """
        self._bo_check_transition(action)
        writes = self._bo_transition_writes.get(action, (self._bo_state_field,))
        return bo_guard.grant(self, *writes).write(vals)
