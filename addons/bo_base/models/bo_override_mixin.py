import hashlib

from markupsafe import Markup

from odoo import SUPERUSER_ID, fields, models
from odoo.exceptions import AccessError, UserError

from . import bo_guard

OVERRIDE_FIELDS = (
    "bo_override_user_id",
    "bo_override_reason",
    "bo_override_date",
    "bo_override_digest",
)


class BoOverrideMixin(models.AbstractModel):
    """A manager's recorded decision that lets one record pass a rule.

    The override covers the record exactly as it was when the manager
    decided: the host says what the rule sees of it
    (:meth:`_bo_override_content`), the override keeps its fingerprint, and
    any change to what the rule sees lifts it. Only a named person holding
    the host's manager group decides (never OdooBot: crons, procurement and
    the mail gateway are no one's decision), with a reason, tracked in the
    chatter. The fields are guarded: only :meth:`_bo_override_set` and
    :meth:`_bo_override_clear` write them.
    """

    _name = "bo.override.mixin"
    _description = "Back Office Manager Override"
    # The group whose members may override (an xml id), set by the host.
    _bo_override_group = "bo_base.group_bo_manager"

    bo_override_user_id = fields.Many2one(
        "res.users",
        string="Overridden By",
        readonly=True,
        copy=False,
        tracking=True,
        bo_guarded=True,
    )
    bo_override_reason = fields.Text(
        string="Override Reason", readonly=True, copy=False, tracking=True, bo_guarded=True
    )
    bo_override_date = fields.Datetime(
        string="Overridden On", readonly=True, copy=False, bo_guarded=True
    )
    bo_override_digest = fields.Char(
        string="Override Fingerprint",
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="What the rule saw of the record when the manager overrode it (SHA-256).",
    )

    def _bo_override_content(self):
        """What the rule sees of the record, as plain values (ids, numbers,
        strings) whose ``repr`` is stable: the override covers exactly this."""
        raise NotImplementedError(f"{self._name} says what its override covers")

    def _bo_override_fingerprint(self):
        self.ensure_one()
        return hashlib.sha256(repr(self._bo_override_content()).encode()).hexdigest()

    def _bo_override_covers(self):
        """Whether a manager's override covers the record as it is now."""
        self.ensure_one()
        return bool(
            self.bo_override_user_id
            and self.bo_override_digest
            and self.bo_override_digest == self._bo_override_fingerprint()
        )

    def _bo_override_check_decider(self):
        user = self.env.user
        if user.id == SUPERUSER_ID or user.share or not user.has_group(self._bo_override_group):
            group = self.env.ref(self._bo_override_group)
            raise AccessError(
                self.env._(
                    "Only a named user of the group %(group)s can override this rule.",
                    group=group.display_name,
                )
            )

    @bo_guard.writes(*OVERRIDE_FIELDS)
    def _bo_override_set(self, reason, note=None):
        """Record the current user's override of each record, as it is now.

        :param reason: why, in the manager's words (required)
        :param note: the chatter's introduction to the reason
        """
        self._bo_override_check_decider()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the override."))
        self.check_access("write")
        now = fields.Datetime.now()
        for record in self:
            record.write(
                {
                    "bo_override_user_id": self.env.uid,
                    "bo_override_reason": reason,
                    "bo_override_date": now,
                    "bo_override_digest": record._bo_override_fingerprint(),
                }
            )
            if note and hasattr(record, "message_post"):
                record.message_post(
                    body=Markup("%s<br/>%s") % (note, reason), subtype_xmlid="mail.mt_note"
                )
        return True

    @bo_guard.writes(*OVERRIDE_FIELDS)
    def _bo_override_clear(self):
        """Lift the overrides: the rule applies again (the chatter keeps the trail)."""
        overridden = self.filtered("bo_override_user_id")
        if overridden:
            overridden.write(dict.fromkeys(OVERRIDE_FIELDS, False))
        return True
