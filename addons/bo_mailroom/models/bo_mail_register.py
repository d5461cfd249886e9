from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
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
# Once an entry has a protocol number these fields are evidence.
PROTECTED_FIELDS = {
    "name",
    "protocol_year",
    "protocol_seq",
    "registration_date",
    "direction",
    "partner_id",
    "partner_name",
    "email_from",
    "subject",
    "attachment_ids",
    "hash_ids",
    "company_id",
    "document_date",
    "document_ref",
    "channel",
}
CANCEL_FIELDS = {"cancel_uid", "cancel_date", "cancel_reason"}
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
        help="Name of the sender or recipient when it is not a contact.",
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
        help="A registered entry cannot be changed: a correction is a new entry "
        "that points to the one it corrects.",
    )
    correction_ids = fields.One2many("bo.mail.register", "corrected_entry_id", string="Corrections")
    cancel_uid = fields.Many2one("res.users", string="Cancelled By", readonly=True, copy=False)
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

    @api.depends("partner_id", "partner_name", "email_from")
    def _compute_correspondent(self):
        for entry in self:
            entry.correspondent = (
                entry.partner_id.display_name or entry.partner_name or entry.email_from or ""
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name") or vals.get("protocol_seq"):
                raise UserError(
                    self.env._("The protocol number is assigned at registration, not before.")
                )
        entries = super().create(vals_list)
        entries._bind_attachments()
        return entries

    def write(self, vals):
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
        if registered and vals.get("state") in ("draft", "error"):
            raise UserError(self.env._("A registered entry cannot go back to draft."))
        if vals.get("state") == "cancelled":
            if not self.env.user.has_group("bo_base.group_bo_manager"):
                raise AccessError(
                    self.env._("Only a Back Office manager can cancel a registration.")
                )
            if not vals.get("cancel_reason"):
                raise UserError(self.env._("Give the reason of the cancellation."))
        if CANCEL_FIELDS.intersection(vals) and self.filtered(lambda e: e.state == "cancelled"):
            raise UserError(
                self.env._("Who cancelled a registration, when and why stays as it is.")
            )
        if vals.get("user_id"):
            # Giving an assignee to a registered entry assigns it.
            to_assign = self.filtered(lambda e: e.state == "registered")
            if to_assign and "state" not in vals:
                super(BoMailRegister, to_assign).write({"state": "assigned"})
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._bind_attachments()
        return res

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

    def _bind_attachments(self):
        """Attach uploaded files to the entry so that they share its access rights."""
        for entry in self:
            unbound = entry.attachment_ids.filtered(
                lambda a: not a.res_id or a.res_model == "mail.compose.message"
            )
            if unbound:
                # sudo: files just uploaded by the user, linked to a record they can write
                unbound.sudo().write({"res_model": entry._name, "res_id": entry.id})

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

    def _creation_subtype(self):
        if self.env.context.get("bo_mailroom_pec_receipt"):
            return self.env.ref("bo_mailroom.mt_bo_mail_register_pec_receipt")
        return super()._creation_subtype()

    # ------------------------------------------------------------------
    # Registration and numbering
    # ------------------------------------------------------------------

    def action_register(self):
        """Give the entries their protocol number and fingerprint their files."""
        for entry in self:
            if entry.state not in ("draft", "error"):
                raise UserError(self.env._("%s is already registered.", entry.display_name))
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
        for entry in self.sorted("id"):
            entry._assign_protocol_number()
            if entry.letter_template_id and entry.direction == "outgoing":
                entry._bo_attach_letter()
            entry._store_fingerprints()
            state = "assigned" if entry.user_id else "registered"
            entry.write({"state": state, "error_reason": False})
            # Posted explicitly: tracking ignores changes made in the transaction
            # that created the record, which is how the gateway registers.
            entry.message_post(
                body=self.env._("Registered with protocol number %s.", entry.name),
                subtype_xmlid="bo_mailroom.mt_bo_mail_register_registered",
            )
            if (
                entry.direction == "outgoing"
                and entry.reply_to_id.direction == "incoming"
                and entry.reply_to_id.state in ("registered", "assigned")
            ):
                entry.reply_to_id.state = "answered"
        return True

    def _assign_protocol_number(self):
        """Take the next free number of the entry's company and year.

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
        year = fields.Datetime.context_timestamp(self, now).year
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

    def _check_state(self, allowed, action):
        for entry in self:
            if entry.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(entry)s cannot be %(action)s in its current state.",
                        entry=entry.display_name,
                        action=action,
                    )
                )

    def action_mark_answered(self):
        self._check_state(("registered", "assigned"), self.env._("marked as answered"))
        self.state = "answered"
        return True

    def action_close(self):
        self._check_state(("registered", "assigned", "answered"), self.env._("closed"))
        self.state = "closed"
        return True

    def action_reopen(self):
        self._check_state(("answered", "closed"), self.env._("reopened"))
        for entry in self:
            entry.state = "assigned" if entry.user_id else "registered"
        return True

    def _cancel(self, reason):
        """Cancel registered entries; their number stays used."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(self.env._("Only a Back Office manager can cancel a registration."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the cancellation."))
        self._check_state(("registered", "assigned", "answered", "closed"), self.env._("cancelled"))
        self.write(
            {
                "state": "cancelled",
                "cancel_uid": self.env.user.id,
                "cancel_date": fields.Datetime.now(),
                "cancel_reason": reason.strip(),
            }
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
        try:
            content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(report, self.ids)
        except UserError:
            # No PDF engine on this server: keep the letter as HTML.
            content, report_type = self.env["ir.actions.report"]._render_qweb_html(report, self.ids)
        extension = "pdf" if report_type == "pdf" else "html"
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
        super().write({"attachment_ids": [fields.Command.link(attachment.id)]})
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
        self.write({"email_message_id": message.message_id, "delivery_state": "sent"})
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
