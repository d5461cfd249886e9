from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

STATES = [
    ("draft", "Draft"),
    ("registered", "Registered"),
    ("assigned", "Assigned"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
    ("error", "Intake Error"),
]
DIRECTIONS = [
    ("incoming", "Incoming"),
    ("outgoing", "Outgoing"),
    ("internal", "Internal"),
]
CHANNELS = [
    ("email", "Email"),
    ("pec", "Certified Email (PEC)"),
    ("post", "Post"),
    ("registered_letter", "Registered Letter"),
    ("courier", "Courier"),
    ("hand", "Hand Delivery"),
    ("other", "Other"),
]
DELIVERY_STATES = [
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("delivered", "Delivered"),
    ("failed", "Not Delivered"),
]


class BoMailRegister(models.Model):
    """An entry of the correspondence register (*protocollo*).

    This file holds the entry: what it says, its state, its number, and the
    entry points of ``create``/``write``. Each rule of the register has a file
    named after it:

    - ``bo_mail_register_numbering.py``: registration and the protocol number;
    - ``bo_mail_register_workflow.py``: the states and their transitions;
    - ``bo_mail_register_corrections.py``: corrections and cancellations;
    - ``bo_mail_register_links.py``: replies and the documents an entry is about;
    - ``bo_mail_register_attachments.py``: the entry's files;
    - ``bo_mail_register_letter.py``: outgoing letters and emails;
    - ``bo_mail_register_evidence.py``: what a registered entry keeps;
    - ``bo_mail_register_integrity.py``, ``_intake.py``, ``_pec.py``:
      fingerprints, the mail intake, PEC receipts.

    Fields declared ``bo_guarded=True`` (number, dates, state, cancellation,
    delivery evidence) are written by those actions only, through
    ``bo_base``'s guard: never by a form, an RPC call, a ``default_`` key, a
    copy or an import, nor by code running as superuser.
    """

    _name = "bo.mail.register"
    _inherit = ["bo.deadline.mixin", "bo.transition.mixin"]
    _description = "Correspondence Register Entry"
    _order = "protocol_year desc, protocol_seq desc, id desc"
    _rec_names_search = ["name", "subject"]
    _check_company_auto = True
    _mail_post_access = "read"

    _deadline_user_field = "user_id"
    _deadline_state_field = "state"
    _deadline_done_states = ("answered", "closed", "cancelled")

    name = fields.Char(
        string="Protocol Number",
        readonly=True,
        copy=False,
        index="btree_not_null",
        bo_guarded=True,
        help="Assigned at registration: year / progressive number, gap-free per company.",
    )
    protocol_year = fields.Integer(readonly=True, copy=False, aggregator=None, bo_guarded=True)
    protocol_seq = fields.Integer(
        string="Progressive Number", readonly=True, copy=False, aggregator=None, bo_guarded=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        bo_guarded=True,
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="incoming", tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="email", tracking=True)
    registration_date = fields.Datetime(readonly=True, copy=False, index=True, bo_guarded=True)
    document_date = fields.Date(help="Date written on the document itself.")
    document_ref = fields.Char(
        string="Document Reference", help="The sender's own reference or number."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Correspondent",
        index=True,
        tracking=True,
        check_company=True,
        help="Sender of incoming, recipient of outgoing correspondence.",
    )
    partner_name = fields.Char(
        string="Correspondent (Free Text)",
        help="Name of the sender or recipient when it is not a contact; from the "
        "registration on, the name of the contact as it was registered.",
    )
    partner_address = fields.Text(
        string="Correspondent Address",
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="Address of the contact as it was when the entry was registered.",
    )
    email_from = fields.Char(string="Email Address")
    correspondent = fields.Char(string="Correspondent Name", compute="_compute_correspondent")
    subject = fields.Char(required=True, tracking=True)
    summary = fields.Text()
    category_id = fields.Many2one(
        "bo.mail.category",
        string="Classification",
        tracking=True,
        index=True,
        check_company=True,
    )
    tag_ids = fields.Many2many("bo.mail.tag", string="Tags")
    confidentiality = fields.Selection(
        [("normal", "Normal"), ("confidential", "Confidential")],
        default="normal",
        required=True,
        tracking=True,
        help="Confidential entries are visible to their assignee and to managers only.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        tracking=True,
        index=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref("bo_base.group_bo_user").ids)],
    )
    deadline_date = fields.Date(string="Reply Deadline")
    error_reason = fields.Text(readonly=True, copy=False, bo_guarded=True)
    email_message_id = fields.Char(
        string="Email Message-ID",
        readonly=True,
        copy=False,
        index="btree_not_null",
        bo_guarded=True,
        help="Message-ID of the email received, or of the email sent for outgoing entries.",
    )
    delivery_state = fields.Selection(
        DELIVERY_STATES,
        readonly=True,
        copy=False,
        tracking=True,
        bo_guarded=True,
        help="Delivery status of an outgoing email or PEC, updated by the provider's receipts.",
    )
    retention_date = fields.Date(
        string="Keep Until",
        compute="_compute_retention_date",
        store=True,
        help="End of the retention period of its classification.",
    )
    color = fields.Integer(compute="_compute_color")

    _unique_protocol = models.UniqueIndex(
        "(company_id, protocol_year, protocol_seq)",
        "This protocol number is already used.",
    )
    _unique_name = models.UniqueIndex(
        "(company_id, name)",
        "This protocol number is already used.",
    )
    _check_protocol_seq = models.Constraint(
        "CHECK(protocol_seq IS NULL OR protocol_seq > 0)",
        "A protocol number is positive.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for entry in self:
            number = entry.name or self.env._("Draft")
            entry.display_name = f"{number} - {entry.subject}" if entry.subject else number

    @api.depends("name", "partner_id", "partner_name", "email_from")
    def _compute_correspondent(self):
        # A registered entry shows the correspondent as registered: merging or
        # renaming the contact later must not change what the register says.
        for entry in self:
            snapshot = entry.partner_name if entry.name else False
            entry.correspondent = (
                snapshot
                or entry.partner_id.display_name
                or entry.partner_name
                or entry.email_from
                or ""
            )

    @api.depends("registration_date", "category_id.retention_years")
    def _compute_retention_date(self):
        for entry in self:
            years = entry.category_id.retention_years
            if entry.registration_date and years:
                entry.retention_date = entry.registration_date.date() + relativedelta(years=years)
            else:
                entry.retention_date = False

    @api.depends("state", "deadline_state")
    def _compute_color(self):
        for entry in self:
            if entry.state == "error" or entry.deadline_state == "overdue":
                entry.color = 1
            elif entry.deadline_state == "due_soon":
                entry.color = 3
            else:
                entry.color = 0

    # ------------------------------------------------------------------
    # CRUD: the entry points; the rules they apply live in their files
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Every entry starts as a draft without a number, for create, copy and
        # import alike: the guard refuses the guarded fields, default_ keys
        # included; only the intake gives it the Message-ID it received.
        entries = super().create(vals_list)
        entries._bind_attachments()
        return entries

    def write(self, vals):
        self._bo_check_evidence(vals)
        if vals.get("user_id") and "state" not in vals:
            self._bo_assign_registered()
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._bind_attachments()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for entry, vals in zip(self, vals_list, strict=True):
            if not (default or {}).get("subject"):
                vals["subject"] = self.env._("%s (copy)", entry.subject)
        return vals_list

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_formview_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _bo_deadline_from_days(self, days):
        return fields.Date.context_today(self) + timedelta(days=days) if days else False
