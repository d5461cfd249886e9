from datetime import timedelta

import pytz
from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

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
# Written only by the register's own actions, through _bo_write_privileged().
ACTION_FIELDS = {
    "name",
    "protocol_year",
    "protocol_seq",
    "registration_date",
    "state",
    "cancel_uid",
    "cancel_date",
    "cancel_reason",
    "error_reason",
    "email_message_id",
    "delivery_state",
    "partner_address",
}
# Once an entry has a protocol number these fields are evidence.
PROTECTED_FIELDS = {
    "name",
    "protocol_year",
    "protocol_seq",
    "registration_date",
    "direction",
    "partner_id",
    "partner_name",
    "partner_address",
    "email_from",
    "subject",
    "summary",
    "attachment_ids",
    "hash_ids",
    "company_id",
    "document_date",
    "document_ref",
    "channel",
    "reply_to_id",
    "corrected_entry_id",
    "letter_template_id",
    "email_message_id",
    "delivery_state",
}
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
# Marks the register's own writes in the context. A Python object, not a value:
# the context of an RPC call is JSON and cannot hold it, so no client can
# pass it.
_PRIVILEGED = object()
STATE_SUBTYPES = {
    "assigned": "bo_mailroom.mt_bo_mail_register_assigned",
    "answered": "bo_mailroom.mt_bo_mail_register_answered",
    "closed": "bo_mailroom.mt_bo_mail_register_closed",
    "cancelled": "bo_mailroom.mt_bo_mail_register_cancelled",
}


class BoMailRegister(models.Model):
    """An entry of the correspondence register (*protocollo*)."""

    _name = "bo.mail.register"
    _inherit = ["bo.deadline.mixin"]
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
        help="Assigned at registration: year / progressive number, gap-free per company.",
    )
    protocol_year = fields.Integer(readonly=True, copy=False, aggregator=None)
    protocol_seq = fields.Integer(
        string="Progressive Number", readonly=True, copy=False, aggregator=None
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
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="incoming", tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="email", tracking=True)
    registration_date = fields.Datetime(readonly=True, copy=False, index=True)
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
        help="Address of the contact as it was when the entry was registered.",
    )
    email_from = fields.Char(string="Email Address")
    correspondent = fields.Char(string="Correspondent Name", compute="_compute_correspondent")
    subject = fields.Char(required=True, tracking=True)
    summary = fields.Text()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "bo_mail_register_attachment_rel",
        "register_id",
        "attachment_id",
        string="Attachments",
        copy=False,
    )
    hash_ids = fields.One2many(
        "bo.mail.register.hash", "register_id", string="Fingerprints", readonly=True
    )
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
    res_model = fields.Char(string="Related Document Model", index=True)
    res_id = fields.Many2oneReference(
        string="Related Document ID", model_field="res_model", index=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref",
        string="Related Document",
        compute="_compute_record_ref",
        inverse="_inverse_record_ref",
    )
    reply_to_id = fields.Many2one(
        "bo.mail.register",
        string="In Reply To",
        index=True,
        check_company=True,
        ondelete="restrict",
        help="The entry this correspondence answers.",
    )
    reply_ids = fields.One2many("bo.mail.register", "reply_to_id", string="Replies")
    reply_count = fields.Integer(compute="_compute_reply_count")
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
        "res.users", string="Cancelled By", readonly=True, copy=False, ondelete="restrict"
    )
    cancel_date = fields.Datetime(string="Cancelled On", readonly=True, copy=False)
    cancel_reason = fields.Text(string="Cancellation Reason", readonly=True, copy=False)
    error_reason = fields.Text(readonly=True, copy=False)
    email_message_id = fields.Char(
        string="Email Message-ID",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Message-ID of the email received, or of the email sent for outgoing entries.",
    )
    delivery_state = fields.Selection(
        DELIVERY_STATES,
        readonly=True,
        copy=False,
        tracking=True,
        help="Delivery status of an outgoing email or PEC, updated by the provider's receipts.",
    )
    retention_date = fields.Date(
        string="Keep Until",
        compute="_compute_retention_date",
        store=True,
        help="End of the retention period of its classification.",
    )
    letter_template_id = fields.Many2one("bo.letter.template")
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

    @api.model
    def _selection_record_ref(self):
        models_ = self.env["ir.model"].sudo().search([("transient", "=", False)])
        return [(model.model, model.name) for model in models_]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for entry in self:
            if entry.res_model and entry.res_id and entry.res_model in self.env:
                entry.record_ref = f"{entry.res_model},{entry.res_id}"
            else:
                entry.record_ref = False

    def _inverse_record_ref(self):
        for entry in self:
            ref = entry.record_ref
            entry.res_model = ref._name if ref else False
            entry.res_id = ref.id if ref else False

    @api.depends("reply_ids")
    def _compute_reply_count(self):
        for entry in self:
            entry.reply_count = len(entry.reply_ids)

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
    # CRUD and evidence protection
    # ------------------------------------------------------------------

    def _bo_is_privileged(self):
        return self.env.context.get("bo_mailroom_privileged") is _PRIVILEGED

    def _bo_write_privileged(self, vals):
        """Write fields that only the register's actions may set.

        The internal path of the register (numbering, transitions, the mail
        intake and PEC receipts): callers check what they write themselves.
        """
        return self.with_context(bo_mailroom_privileged=_PRIVILEGED).write(vals)

    @api.model
    def _bo_create_received(self, vals_list):
        """Create draft entries from a received message, with its Message-ID.

        For the mail intake only: ``email_message_id`` is evidence that no
        user may type, it tells which entry PEC receipts belong to. Every
        other field that only the register's actions set is refused as in
        ``create``.
        """
        entries = self.with_context(bo_mailroom_privileged=_PRIVILEGED).create(vals_list)
        return entries.with_env(self.env)

    @api.model
    def _bo_frozen_ids(self, ids):
        """The ids, among ``ids``, of entries that are no longer drafts.

        Their files and their history are evidence, as they were at
        registration (or as received, for a message kept in error).
        """
        # sudo: the evidence checks must see every entry, whoever asks
        entries = self.sudo().search([("id", "in", list(ids)), ("state", "!=", "draft")])
        return set(entries.ids)

    def _bo_action_fields_error(self, fnames):
        fields_desc = ", ".join(
            self._fields[fname].get_description(self.env)["string"] for fname in sorted(fnames)
        )
        return UserError(
            self.env._(
                "%(fields)s are set by the register itself (register, assign, answer, "
                "close, reopen, cancel, correct), not by hand.",
                fields=fields_desc,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Every entry starts as a draft without a number, for create, copy and
        # import alike; only the intake gives it the Message-ID it received.
        allowed = {"email_message_id"} if self._bo_is_privileged() else set()
        for vals in vals_list:
            forged = {
                fname
                for fname in ACTION_FIELDS.intersection(vals) - allowed
                if vals[fname] and not (fname == "state" and vals[fname] == "draft")
            }
            if forged:
                raise self._bo_action_fields_error(forged)
        entries = super().create(vals_list)
        # Context defaults (default_state...) are filled in by the ORM after
        # the check above.
        for entry in entries:
            forged = {fname for fname in ACTION_FIELDS - allowed - {"state"} if entry[fname]}
            if entry.state != "draft":
                forged.add("state")
            if forged:
                raise self._bo_action_fields_error(forged)
        entries._bind_attachments()
        return entries

    def write(self, vals):
        if not self._bo_is_privileged():
            self._bo_check_write(vals)
        if vals.get("user_id") and "state" not in vals:
            # Giving an assignee to a registered entry assigns it (first: the
            # user may be handing it over to a colleague, then they can no
            # longer write it).
            to_assign = self.filtered(lambda e: e.state in TRANSITIONS["assign"])
            if to_assign:
                to_assign._bo_transition("assign", {"state": "assigned"})
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._bind_attachments()
        return res

    def _bo_check_write(self, vals):
        """Refuse what only the register's actions may write, and changes of evidence."""
        if vals.get("state") == "cancelled" and not self.env.user.has_group(
            "bo_base.group_bo_manager"
        ):
            raise AccessError(self.env._("Only a Back Office manager can cancel a registration."))
        forged = ACTION_FIELDS.intersection(vals)
        if forged:
            raise self._bo_action_fields_error(forged)
        registered = self.filtered("name")
        protected = PROTECTED_FIELDS.intersection(vals)
        if protected and registered:
            fields_desc = ", ".join(
                self._fields[fname].get_description(self.env)["string"]
                for fname in sorted(protected)
            )
            raise UserError(
                self.env._(
                    "Registered entries are evidence: %(fields)s of %(entries)s "
                    "cannot be changed. Register a correction linked to the "
                    "original instead.",
                    fields=fields_desc,
                    entries=", ".join(registered.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        registered = self.filtered("name")
        if registered:
            raise UserError(
                self.env._(
                    "Registered entries are evidence and can never be deleted: %s. "
                    "A manager can cancel them with a reason.",
                    ", ".join(registered.mapped("name")),
                )
            )
        kept = self.filtered(lambda e: e.state == "error")
        if kept:
            raise UserError(
                self.env._(
                    "Messages kept in error are the only copy of what was received and "
                    "can never be deleted: %s. A manager registers them.",
                    ", ".join(kept.mapped("subject")),
                )
            )
        received = self.filtered("email_message_id")
        if received and not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(
                self.env._(
                    "Mail waiting for triage is what was received: only a Back Office "
                    "manager can discard it (%s). Register it instead.",
                    ", ".join(received.mapped("subject")),
                )
            )

    def _bind_attachments(self):
        """Make every file linked to the entry a file of the entry.

        Files just uploaded by the user are attached to the entry, so that they
        share its access rights. A file of another record (another entry, a
        document) is copied instead: registering the entry freezes its files,
        and must not freeze another record's file nor move it away.
        """
        for entry in self:
            # sudo: to tell whose the linked files are; the copy below is made
            # with the user's own rights, so an unreadable file is refused
            linked = entry.sudo().attachment_ids
            own = linked.filtered(lambda a, e=entry: a.res_model == e._name and a.res_id == e.id)
            uploaded = (linked - own).filtered(
                lambda a: (
                    (not a.res_id or a.res_model == "mail.compose.message")
                    and not a.res_field
                    and (a.create_uid.id == self.env.uid or self.env.su)
                )
            )
            if uploaded:
                # sudo: files just uploaded by the user, linked to a record they can write
                uploaded.write({"res_model": entry._name, "res_id": entry.id})
            foreign = (linked - own - uploaded).with_env(self.env)
            if not foreign:
                continue
            copies = self.env["ir.attachment"]
            for attachment in foreign:
                copies |= attachment.copy(
                    {
                        "res_model": entry._name,
                        "res_id": entry.id,
                        "res_field": False,
                        "public": False,
                    }
                )
            entry._bo_write_privileged(
                {
                    "attachment_ids": [Command.unlink(a.id) for a in foreign]
                    + [Command.link(c.id) for c in copies]
                }
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for entry, vals in zip(self, vals_list, strict=True):
            if not (default or {}).get("subject"):
                vals["subject"] = self.env._("%s (copy)", entry.subject)
        return vals_list

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            return self.env.ref(STATE_SUBTYPES[self.state])
        if "delivery_state" in init_values and self.delivery_state == "failed":
            return self.env.ref("bo_mailroom.mt_bo_mail_register_delivery_failed")
        return super()._track_subtype(init_values)

    def _message_update_content(self, message, /, *args, **kwargs):
        """The chatter's edit and delete path: the history of a registered entry stays."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "The history of %s is evidence: its messages cannot be edited or "
                    "deleted. Post a new message instead.",
                    self.display_name,
                )
            )
        return super()._message_update_content(message, *args, **kwargs)

    def _creation_subtype(self):
        if self.env.context.get("bo_mailroom_pec_receipt"):
            return self.env.ref("bo_mailroom.mt_bo_mail_register_pec_receipt")
        return super()._creation_subtype()

    # ------------------------------------------------------------------
    # Registration and numbering
    # ------------------------------------------------------------------

    def action_register(self):
        """Give the entries their protocol number and fingerprint their files."""
        self._bo_check_transition("register")
        for entry in self:
            if entry.state == "error" and not self.env.user.has_group("bo_base.group_bo_manager"):
                raise AccessError(
                    self.env._("Only a Back Office manager can register a message kept in error.")
                )
            if not (entry.partner_id or entry.partner_name or entry.email_from):
                raise ValidationError(
                    self.env._(
                        "Say who sent or receives %s: choose a contact or type a name.",
                        entry.subject,
                    )
                )
            # Only an entry the user may read can be answered by their reply.
            entry.reply_to_id.check_access("read")
        for entry in self.sorted("id"):
            entry._assign_protocol_number()
            if entry.letter_template_id and entry.direction == "outgoing":
                entry._bo_attach_letter()
            entry._store_fingerprints()
            entry._bo_write_privileged(
                {
                    "state": "assigned" if entry.user_id else "registered",
                    "error_reason": False,
                    **entry._bo_correspondent_snapshot(),
                }
            )
            # Posted explicitly: tracking ignores changes made in the transaction
            # that created the record, which is how the gateway registers.
            entry.message_post(
                body=self.env._("Registered with protocol number %s.", entry.name),
                subtype_xmlid="bo_mailroom.mt_bo_mail_register_registered",
            )
            original = entry.reply_to_id
            if (
                entry.direction == "outgoing"
                and original.direction == "incoming"
                and original.state in TRANSITIONS["answer"]
            ):
                # sudo: registering the reply answers the letter whoever it is
                # assigned to; the clerk who replies to a colleague's letter may
                # read it (checked above) but not edit it
                original.sudo()._bo_transition("answer", {"state": "answered"})
        return True

    def _bo_correspondent_snapshot(self):
        """The correspondent's name and address as they are at registration."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if not partner:
            return {"partner_address": False}
        return {
            "partner_name": partner.display_name,
            "partner_address": partner._display_address(without_company=False).strip() or False,
        }

    def _bo_keep_in_error(self, reason):
        """Keep draft entries in error, with the reason: the intake's only way to do it."""
        self._bo_transition("keep_in_error", {"state": "error", "error_reason": reason})

    def _assign_protocol_number(self):
        """Take the next free number of the entry's company and year.

        The year is the one of the company's time zone, the one the daily
        register uses, whoever registers (the gateway in UTC, a clerk, an RPC
        client with its own ``tz`` in the context).

        The unique index on (company, year, number) is the arbiter: a number
        is tried in a savepoint and, when another transaction got it first,
        PostgreSQL makes us wait for it and reports the conflict only if that
        transaction commits; then the next number is tried. A number is thus
        never skipped (a rolled back registration frees it for the waiting
        one) nor given twice, and registering transactions never fail with a
        serialization error, whatever their isolation level.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        company_tz = pytz.timezone(self.company_id._bo_mailroom_tz())
        year = pytz.utc.localize(now).astimezone(company_tz).year
        self.flush_recordset()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT COALESCE(MAX(protocol_seq), 0) FROM bo_mail_register "
                "WHERE company_id = %s AND protocol_year = %s",
                self.company_id.id,
                year,
            )
        )
        seq = cr.fetchone()[0] + 1
        while True:
            try:
                with cr.savepoint(flush=False):
                    cr.execute(
                        SQL(
                            "UPDATE bo_mail_register SET protocol_year = %s, "
                            "protocol_seq = %s, name = %s, registration_date = %s "
                            "WHERE id = %s",
                            year,
                            seq,
                            self._format_protocol_number(year, seq),
                            now,
                            self.id,
                        ),
                        log_exceptions=False,
                    )
                break
            except UniqueViolation:
                seq += 1
        self.invalidate_recordset(["protocol_year", "protocol_seq", "name", "registration_date"])
        self.env.add_to_compute(self._fields["retention_date"], self)

    @api.model
    def _format_protocol_number(self, year, seq):
        return f"{year}/{seq:07d}"

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

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

    def _bo_check_transition(self, action):
        """Refuse ``action`` on entries whose state it does not start from."""
        for entry in self:
            if entry.state not in TRANSITIONS[action]:
                raise UserError(
                    self.env._(
                        "%(entry)s cannot be %(action)s in its current state.",
                        entry=entry.display_name,
                        action=self._bo_transition_labels()[action],
                    )
                )

    def _bo_transition(self, action, vals):
        """Move the entries through ``action`` of the transition table."""
        self._bo_check_transition(action)
        return self._bo_write_privileged(vals)

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
        """Start a correction: a new draft linked to this entry."""
        self.ensure_one()
        if not self.name:
            raise UserError(self.env._("Only a registered entry needs a correction."))
        self._bo_check_transition("correct")
        correction = self.copy({"corrected_entry_id": self.id, "subject": self.subject})
        correction.attachment_ids = [fields.Command.set(self.attachment_ids.ids)]
        return correction._get_formview_action()

    def action_reply(self):
        """Start the outgoing reply to this entry."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Outgoing"),
            "res_model": "bo.mail.register.outgoing",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_reply_to_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_subject": self.env._("Re: %s", self.subject),
                "default_res_model": self.res_model,
                "default_res_id": self.res_id,
            },
        }

    def _get_formview_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_replies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_mailroom.action_bo_mail_register"
        )
        action["domain"] = [("id", "in", (self.reply_ids | self.reply_to_id).ids)]
        action["context"] = {"default_reply_to_id": self.id}
        return action

    def action_open_record(self):
        self.ensure_one()
        if not self.record_ref:
            raise UserError(self.env._("This entry is not linked to a document."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _bo_attach_letter(self):
        """Print the letter, with its protocol number, among the entry's files."""
        self.ensure_one()
        report = self.env.ref("bo_mailroom.action_report_bo_letter")
        content, extension = self.env["ir.actions.report"]._bo_render_document(report, self.ids)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.{extension}",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        # The number is already given: link the letter past the evidence guard,
        # its fingerprint is taken right after.
        self._bo_write_privileged({"attachment_ids": [Command.link(attachment.id)]})
        return attachment

    def _bo_send_by_email(self, body=None):
        """Email the entry and its files to the recipient; receipts will follow it."""
        self.ensure_one()
        message = self.message_post(
            body=body or self.env._("Please find attached our correspondence %s.", self.name),
            subject=self.env._("%(number)s - %(subject)s", number=self.name, subject=self.subject),
            partner_ids=self.partner_id.ids,
            attachment_ids=self.attachment_ids.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self._bo_write_privileged(
            {"email_message_id": message.message_id, "delivery_state": "sent"}
        )
        return message

    def _bo_letter_body(self):
        """The letter text rendered from its template, in the recipient's language."""
        self.ensure_one()
        template = self.letter_template_id
        if not template:
            return ""
        return template._render_letter(self)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _bo_deadline_from_days(self, days):
        return fields.Date.context_today(self) + timedelta(days=days) if days else False
