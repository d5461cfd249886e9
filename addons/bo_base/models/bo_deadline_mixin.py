from datetime import timedelta

from odoo import api, fields, models

from . import bo_guard

DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]


class BoDeadlineMixin(models.AbstractModel):
    """Anything the back office must do by a date.

    The host model configures the mixin with class attributes:

    * ``_deadline_user_field``: the field holding the responsible user;
    * ``_deadline_state_field`` and ``_deadline_done_states``: the item is done
      (no more reminders) when that field holds one of these values.

    A daily cron refreshes ``deadline_state`` (it depends on today's date), gives
    the responsible one activity when the item becomes due soon and escalates
    once to a Back Office manager when it is overdue. Moving the deadline arms
    both again, because the reminder and the escalation remember the date they
    were sent for.
    """

    _name = "bo.deadline.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Back Office Deadline Mixin"

    _deadline_user_field = "user_id"
    _deadline_state_field = "state"
    _deadline_done_states = ()

    deadline_date = fields.Date(string="Deadline", index=True, tracking=True, copy=False)
    deadline_state = fields.Selection(
        DEADLINE_STATES,
        compute="_compute_deadline_state",
        store=True,
        index=True,
        bo_guarded=True,
        help="On time, due soon (within the company's 'due soon' days), overdue "
        "or done. Refreshed every night.",
    )
    deadline_days_late = fields.Integer(
        string="Days Late",
        compute="_compute_deadline_days_late",
        help="Days past the deadline; 0 when on time or done.",
    )
    # Written only by the nightly job (``bo_guarded``): a reminder or an
    # escalation marked as sent by hand would never be sent.
    deadline_reminded_date = fields.Date(
        string="Reminded for Deadline",
        copy=False,
        readonly=True,
        bo_guarded=True,
        help="The deadline for which the responsible got the 'due soon' activity.",
    )
    deadline_escalated_date = fields.Date(
        string="Escalated for Deadline",
        copy=False,
        readonly=True,
        bo_guarded=True,
        help="The deadline for which a manager got the 'overdue' escalation.",
    )

    def _deadline_is_done(self):
        self.ensure_one()
        return bool(self._deadline_done_states) and (
            self[self._deadline_state_field] in self._deadline_done_states
        )

    def _deadline_company(self):
        self.ensure_one()
        company = self["company_id"] if "company_id" in self._fields else False
        return company or self.env.company

    @api.depends(
        lambda self: (
            ["deadline_date"] + ([self._deadline_state_field] if self._deadline_done_states else [])
        )
    )
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record._deadline_is_done():
                record.deadline_state = "done"
            elif not record.deadline_date:
                record.deadline_state = False
            elif record.deadline_date < today:
                record.deadline_state = "overdue"
            elif record.deadline_date <= today + timedelta(
                days=record._deadline_company().bo_due_soon_days
            ):
                record.deadline_state = "due_soon"
            else:
                record.deadline_state = "on_time"

    @api.depends("deadline_date", "deadline_state")
    def _compute_deadline_days_late(self):
        today = fields.Date.context_today(self)
        for record in self:
            late = record.deadline_state == "overdue" and record.deadline_date
            record.deadline_days_late = (today - record.deadline_date).days if late else 0

    # ------------------------------------------------------------------
    # Nightly processing
    # ------------------------------------------------------------------

    @api.model
    def _deadline_host_models(self):
        """Names of the concrete models that use this mixin, at any depth."""
        hosts, todo = [], list(self.env.registry[self._name]._inherit_children)
        while todo:
            name = todo.pop(0)
            model = self.env.registry[name]
            if not model._abstract and not model._transient and name not in hosts:
                hosts.append(name)
            todo.extend(model._inherit_children)
        return hosts

    @api.model
    def _cron_deadline_check(self):
        for model_name in self._deadline_host_models():
            self.env[model_name]._deadline_process()

    @api.model
    def _deadline_refresh_all(self):
        for model_name in self._deadline_host_models():
            self.env[model_name]._deadline_open_records()._deadline_recompute_state()

    @api.model
    def _deadline_open_records(self, horizon=None):
        """Open items with a deadline, up to ``horizon`` (a date) if given."""
        domain = [("deadline_date", "!=", False), ("deadline_state", "!=", "done")]
        if horizon:
            domain.append(("deadline_date", "<=", horizon))
        return self.with_context(active_test=False).search(domain)

    def _deadline_recompute_state(self):
        self.env.add_to_compute(self._fields["deadline_state"], self)
        self._recompute_recordset(["deadline_state"])

    @api.model
    def _deadline_process(self):
        """Refresh the open deadlines, then remind and escalate what is due."""
        # Items further away than the largest 'due soon' setting are on time
        # and stay so until a later night: leave them out.
        max_days = max(self.env["res.company"].sudo().search([]).mapped("bo_due_soon_days"))
        horizon = fields.Date.context_today(self) + timedelta(days=max_days)
        records = self._deadline_open_records(horizon)
        records._deadline_recompute_state()
        to_remind = records.filtered(
            lambda r: (
                r.deadline_state in ("due_soon", "overdue")
                and r.deadline_reminded_date != r.deadline_date
            )
        )
        to_remind._deadline_schedule_reminder()
        to_escalate = records.filtered(
            lambda r: r.deadline_state == "overdue" and r.deadline_escalated_date != r.deadline_date
        )
        to_escalate._deadline_escalate()

    @bo_guard.writes("deadline_reminded_date")
    def _deadline_schedule_reminder(self):
        for record in self:
            user = record[record._deadline_user_field]
            if user:
                record.activity_schedule(
                    "bo_base.mail_activity_type_bo_deadline",
                    date_deadline=record.deadline_date,
                    summary=self.env._("Deadline %(date)s", date=record.deadline_date),
                    user_id=user.id,
                )
            record.deadline_reminded_date = record.deadline_date

    @bo_guard.writes("deadline_escalated_date")
    def _deadline_escalate(self):
        managers = {}
        for record in self:
            company = record._deadline_company()
            if company not in managers:
                managers[company] = company._bo_escalation_user()
            manager = managers[company]
            if manager:
                responsible = record[record._deadline_user_field]
                record.activity_schedule(
                    "bo_base.mail_activity_type_bo_escalation",
                    date_deadline=fields.Date.context_today(record),
                    summary=self.env._(
                        "Overdue by %(days)s day(s)", days=record.deadline_days_late
                    ),
                    note=self.env._(
                        "The deadline of %(date)s has passed. Responsible: %(user)s.",
                        date=record.deadline_date,
                        user=responsible.name or self.env._("nobody"),
                    ),
                    user_id=manager.id,
                )
            record.deadline_escalated_date = record.deadline_date
