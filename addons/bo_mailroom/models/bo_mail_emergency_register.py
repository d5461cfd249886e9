from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

MANAGER_GROUP = "bo_base.group_bo_manager"
SEQUENCE_CODE = "bo.mail.emergency.register"
# Beyond this span an outage is recovered only with a manager's recorded
# authorisation (DPR 445/2000 art. 63, paragraph 3).
AUTHORISATION_SPAN = timedelta(hours=24)

# Empty numbered rows of the printed sheet, for the paper phase.
SHEET_BLANK_ROWS = 25

STATES = [
    ("open", "Open"),
    ("closed", "Closed"),
    ("recovered", "Recovered"),
]
# The actions that move an emergency register, and the states each one starts from.
TRANSITIONS = {
    "close": ("open",),
    "authorise": ("open", "closed"),
    "recover": ("closed",),
}
# What each action writes, and nothing else.
TRANSITION_WRITES = {
    "close": ("state",),
    "authorise": ("authorised_uid", "authorised_date", "authorisation_reason"),
    "recover": ("state",),
}
STATE_SUBTYPES = {
    "closed": "bo_mailroom.mt_bo_mail_emergency_closed",
    "recovered": "bo_mailroom.mt_bo_mail_emergency_recovered",
}
# What the outage is: fixed once the register is closed, since the
# authorisation and the recovery rest on it.
OUTAGE_FIELDS = frozenset({"start_datetime", "end_datetime", "cause", "company_id"})


class BoMailEmergencyRegister(models.Model):
    """The emergency register (*registro di emergenza*) of one outage.

    When the protocol cannot be used, DPR 445/2000 art. 63 has the office
    register on an emergency register with its own numbering, recording the
    start, the end and the cause of the outage. On recovery every emergency
    entry gets its number in the normal protocol sequence and keeps its
    emergency number and date (``bo_mail_register_emergency.py``). An outage
    longer than 24 hours needs a manager's recorded authorisation.

    The name, the state and the authorisation are guarded: only the actions
    below write them, through ``bo_base``'s guard.
    """

    _name = "bo.mail.emergency.register"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "bo.mail.company.sequence.mixin",
        "bo.transition.mixin",
    ]
    _bo_transitions = TRANSITIONS
    _bo_transition_writes = TRANSITION_WRITES
    _bo_sequence_code = SEQUENCE_CODE
    _description = "Emergency Protocol Register"
    _order = "start_datetime desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Emergency Register",
        readonly=True,
        copy=False,
        index=True,
        bo_guarded=True,
        help="Given at creation from the company's emergency register sequence.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        STATES,
        default="open",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        bo_guarded=True,
    )
    start_datetime = fields.Datetime(
        string="Outage Start",
        required=True,
        tracking=True,
        help="When the protocol system stopped being usable.",
    )
    end_datetime = fields.Datetime(
        string="Outage End",
        tracking=True,
        help="When the protocol system could be used again.",
    )
    cause = fields.Text(required=True, tracking=True, help="Why the protocol could not be used.")
    line_ids = fields.One2many(
        "bo.mail.emergency.entry", "emergency_register_id", string="Emergency Entries"
    )
    line_count = fields.Integer(string="Entries", compute="_compute_line_count")
    authorised_uid = fields.Many2one(
        "res.users",
        string="Authorised By",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    authorised_date = fields.Datetime(
        string="Authorised On", readonly=True, copy=False, tracking=True, bo_guarded=True
    )
    authorisation_reason = fields.Text(readonly=True, copy=False, tracking=True, bo_guarded=True)
    needs_authorisation = fields.Boolean(
        compute="_compute_needs_authorisation",
        help="The outage lasted more than 24 hours and no manager authorised it yet.",
    )
    register_entry_ids = fields.One2many(
        "bo.mail.register", "emergency_register_id", string="Protocol Entries"
    )

    _check_dates = models.Constraint(
        "CHECK(end_datetime IS NULL OR end_datetime >= start_datetime)",
        "The outage cannot end before it starts.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.constrains("start_datetime", "end_datetime")
    def _check_entries_within_outage(self):
        # An outage moved after its entries were typed still holds them.
        self.line_ids._check_registered_at()

    @api.depends("line_ids")
    def _compute_line_count(self):
        for register in self:
            register.line_count = len(register.line_ids)

    @api.depends("start_datetime", "end_datetime", "authorised_uid")
    def _compute_needs_authorisation(self):
        for register in self:
            register.needs_authorisation = (
                register._bo_outage_exceeds_span() and not register.authorised_uid
            )

    def _bo_outage_exceeds_span(self):
        """Whether the outage lasted (or, still open, lasts so far) beyond 24 hours."""
        self.ensure_one()
        if not self.start_datetime:
            return False
        end = self.end_datetime or fields.Datetime.now()
        return end - self.start_datetime > AUTHORISATION_SPAN

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The guarded fields a client sent are refused first; the name is
        # then the only one the creation itself writes.
        for vals in vals_list:
            self._bo_guard_check(vals)
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            start = fields.Datetime.to_datetime(vals.get("start_datetime"))
            vals["name"] = self._bo_next_name(company, (start or fields.Datetime.now()).date())
        records = super(BoMailEmergencyRegister, bo_guard.grant(self, "name")).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        if OUTAGE_FIELDS.intersection(vals):
            done = self.filtered(lambda r: r.state != "open")
            if done:
                raise UserError(
                    self.env._(
                        "%s is closed: its outage (start, end, cause, company) cannot be changed.",
                        done[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_entries(self):
        for register in self:
            if register.line_ids or register.state != "open":
                raise UserError(
                    self.env._(
                        "%s holds emergency entries or is closed: it is part of the "
                        "protocol's records and cannot be deleted.",
                        register.display_name,
                    )
                )

    @api.model
    def _prepare_sequence_vals(self, company):
        """A gap-free yearly sequence per company, made when its first register is."""
        return {
            "name": self.env._("Emergency Register (%s)", company.name),
            "code": SEQUENCE_CODE,
            "company_id": company.id,
            "implementation": "no_gap",
            "prefix": "EMG/%(range_year)s/",
            "padding": 3,
            "use_date_range": True,
        }

    def _bo_check_open(self):
        """Refuse any change of the entries of a closed or recovered register."""
        for register in self:
            if register.state != "open":
                raise UserError(
                    self.env._(
                        "%s is closed: its emergency entries cannot be added, changed or deleted.",
                        register.display_name,
                    )
                )

    def _bo_lock_next_numbers(self):
        """The next emergency number of each register, its row locked until the
        transaction ends, so that two clerks never get the same number."""
        if not self:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT id FROM bo_mail_emergency_register WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.env["bo.mail.emergency.entry"].flush_model(
            ["emergency_register_id", "sequence_number"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT r.id, COALESCE(MAX(e.sequence_number), 0) + 1 "
                "FROM bo_mail_emergency_register r "
                "LEFT JOIN bo_mail_emergency_entry e ON e.emergency_register_id = r.id "
                "WHERE r.id IN %s GROUP BY r.id",
                tuple(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _bo_sheet_blank_numbers(self):
        """The numbers of the sheet's empty rows: the next ones, while the
        register is open and entries may still be written on paper."""
        self.ensure_one()
        if self.state != "open":
            return []
        first = max(self.line_ids.mapped("sequence_number"), default=0) + 1
        return list(range(first, first + SHEET_BLANK_ROWS))

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _bo_transition_labels(self):
        return {
            "close": self.env._("closed"),
            "authorise": self.env._("authorised"),
            "recover": self.env._("recovered into the protocol"),
        }

    def action_close(self):
        """The protocol works again: the outage ends, its entries wait for recovery."""
        for register in self:
            if not register.end_datetime:
                raise UserError(
                    self.env._("Say when the outage of %s ended.", register.display_name)
                )
        self._bo_transition("close", {"state": "closed"})
        return True

    def _bo_authorise(self, reason):
        """Record a manager's authorisation of an outage beyond 24 hours."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a Back Office manager can authorise an emergency register.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the authorisation."))
        # Tracked: who, when and why stay in the register's history, each
        # further authorisation too.
        self._bo_transition(
            "authorise",
            {
                "authorised_uid": self.env.user.id,
                "authorised_date": fields.Datetime.now(),
                "authorisation_reason": reason.strip(),
            },
        )

    def action_open_authorise_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Authorise the Emergency Register"),
            "res_model": "bo.mail.emergency.authorise",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_emergency_register_id": self.id},
        }

    def action_recover(self):
        """Register every emergency entry in the protocol, in emergency-number order.

        All or nothing: the registers are locked first, so a second recovery
        running meanwhile waits and then finds them recovered.
        """
        if not self:
            return True
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM bo_mail_emergency_register WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["state"])
        self._bo_check_transition("recover")
        for register in self:
            if register.needs_authorisation:
                raise UserError(
                    self.env._(
                        "The outage of %s lasted more than 24 hours: a Back Office "
                        "manager must authorise it before its recovery.",
                        register.display_name,
                    )
                )
        for register in self:
            register.line_ids.sorted("sequence_number")._bo_recover()
        self._bo_transition("recover", {"state": "recovered"})
        return True

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            return self.env.ref(STATE_SUBTYPES[self.state])
        if "authorised_date" in init_values and self.authorised_date:
            return self.env.ref("bo_mailroom.mt_bo_mail_emergency_authorised")
        return super()._track_subtype(init_values)
