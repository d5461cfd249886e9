from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

MANAGER_GROUP = "bo_base.group_bo_manager"
USER_GROUP = "bo_base.group_bo_user"
SEQUENCE_CODE = "bo.mail.case"

STATES = [
    ("open", "Open"),
    ("closed", "Closed"),
]
# The actions that move a case file, and the states each one starts from.
TRANSITIONS = {
    "close": ("open",),
    "reopen": ("closed",),
}
# What each action writes, and nothing else.
TRANSITION_WRITES = {
    "close": ("state", "close_date"),
    "reopen": ("state", "close_date"),
}
# Where a case is filed: fixed once it is closed, its retention rests on it.
FILING_FIELDS = frozenset({"category_id", "parent_id", "company_id"})
STATE_SUBTYPES = {
    "closed": "bo_mailroom.mt_bo_mail_case_closed",
    "open": "bo_mailroom.mt_bo_mail_case_reopened",
}


class BoMailCase(models.Model):
    """A case file (*fascicolo*): the register entries about one matter.

    A case sits under a node of the filing plan (*titolario*) and may hold
    sub-files (*sottofascicoli*) under the same node or a node below it.
    Entries are filed into it while it is open (``bo_mail_register_case.py``);
    once closed, its retention runs from the close date and the case shows in
    the list of cases due for disposal. Nothing is ever deleted automatically:
    disposal is a decision of the archive's manager.

    The case reads its entries as the user reading it: confidential entries
    stay visible to their assignee and to managers only, inside a case too.

    The number, the state and its dates are guarded: only the actions below
    write them, through ``bo_base``'s guard.
    """

    _name = "bo.mail.case"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "bo.mail.company.sequence.mixin",
        "bo.transition.mixin",
    ]
    _bo_transitions = TRANSITIONS
    _bo_transition_writes = TRANSITION_WRITES
    _bo_sequence_code = SEQUENCE_CODE
    _description = "Case File"
    _order = "open_date desc, id desc"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        index=True,
        bo_guarded=True,
        help="Given at creation from the company's yearly case file sequence.",
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    category_id = fields.Many2one(
        "bo.mail.category",
        string="Classification",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    parent_id = fields.Many2one(
        "bo.mail.case",
        string="Parent Case File",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    child_ids = fields.One2many("bo.mail.case", "parent_id", string="Sub-files")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("all_group_ids", "in", self.env.ref(USER_GROUP).ids)],
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
    open_date = fields.Date(readonly=True, copy=False, bo_guarded=True)
    close_date = fields.Date(readonly=True, copy=False, tracking=True, bo_guarded=True)
    retention_years = fields.Integer(
        related="category_id.retention_years",
        help="From the classification; 0 means the case is kept forever.",
    )
    disposal_date = fields.Date(
        compute="_compute_disposal_date",
        store=True,
        index=True,
        help="Close date plus the retention of the classification. Cases past it are "
        "listed for disposal, never deleted automatically.",
    )
    is_due_for_disposal = fields.Boolean(
        compute="_compute_is_due_for_disposal", search="_search_is_due_for_disposal"
    )
    # Not the inverse of the entries' case: the entries the reading user may
    # read, so that no confidential entry shows through the case. Without
    # compute_sudo, their cache is kept per user and per sudo: a sudo read
    # never serves a clerk.
    entry_ids = fields.Many2many(
        "bo.mail.register",
        string="Entries",
        compute="_compute_entry_ids",
        compute_sudo=False,
    )
    entry_count = fields.Integer(compute="_compute_entry_ids", compute_sudo=False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("close_date", "category_id.retention_years")
    def _compute_disposal_date(self):
        for case in self:
            years = case.category_id.retention_years
            if case.close_date and years:
                case.disposal_date = case.close_date + relativedelta(years=years)
            else:
                case.disposal_date = False

    @api.depends("state", "disposal_date")
    @api.depends_context("tz")
    def _compute_is_due_for_disposal(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.is_due_for_disposal = (
                case.state == "closed" and bool(case.disposal_date) and case.disposal_date <= today
            )

    def _search_is_due_for_disposal(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("state", "=", "closed") & Domain(
            "disposal_date", "<=", fields.Date.context_today(self)
        )
        return domain if True in value else ~domain

    @api.depends_context("uid")
    def _compute_entry_ids(self):
        # As the reading user: the register's record rules decide which
        # entries of the case they see, and so what the count says.
        entries = self.env["bo.mail.register"].search([("case_id", "in", self.ids)])
        for case in self:
            case.entry_ids = entries.filtered(lambda e, c=case: e.case_id == c)
            case.entry_count = len(case.entry_ids)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A case file cannot be its own sub-file."))

    @api.constrains("parent_id", "category_id")
    def _check_sub_file_category(self):
        for case in self:
            pairs = [(case.parent_id, case)] if case.parent_id else []
            pairs += [(case, child) for child in case.child_ids]
            for parent, child in pairs:
                if not parent.category_id._bo_covers(child.category_id):
                    raise ValidationError(
                        self.env._(
                            "The sub-file %(child)s must be classified under %(category)s "
                            "or a classification below it, as its parent case file %(parent)s.",
                            child=child.display_name,
                            category=parent.category_id.display_name,
                            parent=parent.display_name,
                        )
                    )

    @api.constrains("category_id")
    def _check_entries_category(self):
        # sudo: every entry of the case counts, confidential ones too; the
        # message names the case only
        entries = self.env["bo.mail.register"].sudo().search([("case_id", "in", self.ids)])
        for case in self:
            if entries.filtered(
                lambda e, c=case: e.case_id == c and not c.category_id._bo_covers(e.category_id)
            ):
                raise ValidationError(
                    self.env._(
                        "%s holds entries classified outside its new classification: "
                        "move them first.",
                        case.display_name,
                    )
                )

    @api.constrains("company_id")
    def _check_company_of_contents(self):
        # sudo: every entry of the case counts, confidential ones too; the
        # message names the case only
        entries = self.env["bo.mail.register"].sudo().search([("case_id", "in", self.ids)])
        for case in self:
            foreign_entries = entries.filtered(
                lambda e, c=case: e.case_id == c and e.company_id != c.company_id
            )
            if foreign_entries or case.child_ids.company_id - case.company_id:
                raise ValidationError(
                    self.env._(
                        "%s holds entries or sub-files of its company: it cannot move "
                        "to another company.",
                        case.display_name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        group = self.env.ref(USER_GROUP)
        for case in self:
            if case.user_id and group not in case.user_id.all_group_ids:
                raise ValidationError(
                    self.env._(
                        "%s is not a Back Office user: they cannot be responsible for a case file.",
                        case.user_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for case in self:
            number = case.name or self.env._("New")
            case.display_name = f"{number} - {case.subject}" if case.subject else number

    @api.model_create_multi
    def create(self, vals_list):
        # The guarded fields a client sent are refused first; the number and
        # the open date are then the only ones the creation itself writes.
        for vals in vals_list:
            self._bo_guard_check(vals)
        today = fields.Date.context_today(self)
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = self._bo_next_name(company, today)
            vals["open_date"] = today
        cases = super(BoMailCase, bo_guard.grant(self, "name", "open_date")).create(vals_list)
        cases = cases.with_env(self.env)
        cases.parent_id._bo_check_open()
        return cases

    def write(self, vals):
        if FILING_FIELDS.intersection(vals):
            closed = self.filtered(lambda c: c.state != "open")
            if closed:
                raise UserError(
                    self.env._(
                        "%s is closed: its classification, parent case file and company "
                        "cannot change, they set its retention.",
                        closed[0].display_name,
                    )
                )
        if vals.get("parent_id"):
            self.browse(vals["parent_id"])._bo_check_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Back Office manager can delete a case file."))
        # sudo: every entry counts, confidential ones too; the message names
        # the case only
        filed = self.env["bo.mail.register"].sudo().search([("case_id", "in", self.ids)])
        for case in self:
            if case.state != "open" or case.child_ids or case.id in filed.case_id.ids:
                raise UserError(
                    self.env._(
                        "%s is closed or holds entries or sub-files: it is part of the "
                        "archive and cannot be deleted.",
                        case.display_name,
                    )
                )

    @api.model
    def _prepare_sequence_vals(self, company):
        """A yearly sequence per company, made when its first case file is."""
        return {
            "name": self.env._("Case Files (%s)", company.name),
            "code": SEQUENCE_CODE,
            "company_id": company.id,
            "prefix": "%(range_year)s/F/",
            "padding": 4,
            "use_date_range": True,
        }

    def _bo_check_open(self):
        """Refuse filing into, or opening a sub-file under, a closed case."""
        for case in self:
            if case.state != "open":
                raise UserError(
                    self.env._(
                        "%s is closed: nothing can be filed into it. A manager can reopen it.",
                        case.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _bo_transition_labels(self):
        return {
            "close": self.env._("closed"),
            "reopen": self.env._("reopened"),
        }

    def action_close(self):
        """Close the case: its retention starts. Its sub-files are closed first."""
        for case in self:
            still_open = case.child_ids.filtered(lambda c: c.state == "open") - self
            if still_open:
                raise UserError(
                    self.env._(
                        "%(case)s still has open sub-files (%(children)s): close them first.",
                        case=case.display_name,
                        children=", ".join(still_open.mapped("display_name")),
                    )
                )
        self._bo_transition(
            "close", {"state": "closed", "close_date": fields.Date.context_today(self)}
        )
        return True

    def action_reopen(self):
        """Reopen a closed case: a manager's decision, tracked."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Back Office manager can reopen a case file."))
        self.parent_id.filtered(lambda p: p not in self)._bo_check_open()
        self._bo_transition("reopen", {"state": "open", "close_date": False})
        return True

    def action_view_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries of %s", self.display_name),
            "res_model": "bo.mail.register",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
            "context": {"default_case_id": self.id},
        }

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            return self.env.ref(STATE_SUBTYPES[self.state])
        return super()._track_subtype(init_values)
