import base64
import hashlib
import logging
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.models.bo_mail_intake import MailIntake
from odoo.addons.bo_base.tools.italian_calendar import next_working_day, working_days_between
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from .bo_mail_preservation_destination import is_receipt_name

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "bo_base.group_bo_manager"
STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("received", "Receipt Received"),
]
# The actions that move a transmission, and the states each one starts from.
TRANSITIONS = {
    "send": ("to_send", "failed"),
    "fail": ("to_send", "failed"),
    "bounce": ("sent",),
    "receive": ("sent",),
}
# What each action writes, and nothing else.
TRANSITION_WRITES = {
    "send": ("state", "destination_id", "sent_datetime", "attempt_count", "last_error"),
    "fail": ("state", "destination_id", "attempt_count", "last_error"),
    "bounce": ("state", "last_error"),
    "receive": ("state", "receipt_file", "receipt_name", "receipt_sha256", "received_datetime"),
}
# A transmission still not sent this many working days after its due date
# is reported to a manager.
LATE_WORKING_DAYS = 1


class BoMailRegisterDayTransmission(models.Model):
    """A sealed day sent to preservation (*versamento in conservazione*).

    Each sealed day of a company with a preservation destination gets one
    transmission: its package (``_bo_export_package`` of that one day) is
    built once and kept with its SHA-256, then sent by the hourly job to
    the company's active destination, retried at every run until it goes.
    It is due by the next working day after the day (Italian calendar);
    still not sent one working day later, it gives the company's
    escalation manager one activity. The conservator's receipt (*rapporto
    di versamento*) comes back by the destination's way (a file beside the
    package, a reply to the email) and is kept with its SHA-256.

    Everything the job records is guarded: only its actions write it. The
    package holds the complete registers, confidential entries included,
    and the transmission's mail carries it: managers only read it.
    """

    _name = "bo.mail.register.day.transmission"
    _inherit = ["mail.thread", "mail.activity.mixin", "bo.transition.mixin"]
    _description = "Transmission to Preservation"
    _bo_transitions = TRANSITIONS
    _bo_transition_writes = TRANSITION_WRITES
    _order = "day_date desc, id desc"
    _rec_name = "day_id"
    _check_company_auto = True

    day_id = fields.Many2one(
        "bo.mail.register.day",
        string="Daily Register",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    day_date = fields.Date(related="day_id.date", store=True, string="Day")
    company_id = fields.Many2one(related="day_id.company_id", store=True, index=True)
    destination_id = fields.Many2one(
        "bo.mail.preservation.destination",
        readonly=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        bo_guarded=True,
    )
    state = fields.Selection(
        STATES,
        default="to_send",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        bo_guarded=True,
    )
    due_date = fields.Date(
        compute="_compute_due_date",
        store=True,
        help="The next working day after the day: the package must be sent by then.",
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True, copy=False, bo_guarded=True)
    last_error = fields.Text(readonly=True, copy=False, tracking=True, bo_guarded=True)
    sent_datetime = fields.Datetime(string="Sent On", readonly=True, copy=False, bo_guarded=True)
    package_file = fields.Binary(
        string="Package", attachment=True, readonly=True, copy=False, bo_guarded=True
    )
    package_name = fields.Char(readonly=True, copy=False, bo_guarded=True)
    package_sha256 = fields.Char(
        string="SHA-256 of the Package", readonly=True, copy=False, bo_guarded=True
    )
    receipt_file = fields.Binary(
        string="Receipt",
        attachment=True,
        readonly=True,
        copy=False,
        help="The conservator's receipt (rapporto di versamento).",
        bo_guarded=True,
    )
    receipt_name = fields.Char(readonly=True, copy=False, bo_guarded=True)
    receipt_sha256 = fields.Char(
        string="SHA-256 of the Receipt", readonly=True, copy=False, bo_guarded=True
    )
    received_datetime = fields.Datetime(
        string="Receipt Received On", readonly=True, copy=False, bo_guarded=True
    )
    escalated_date = fields.Date(
        string="Reported Late On",
        readonly=True,
        copy=False,
        help="When a manager was given an activity because the day was not sent in time.",
        bo_guarded=True,
    )

    _unique_day = models.UniqueIndex(
        "(day_id)", "The daily register is already sent to preservation by another transmission."
    )

    @api.model_create_multi
    def create(self, vals_list):
        """One transmission per day, said before the insert: the unique index
        is the last line, its error would not read as a refusal. The rights
        and the guard are checked first: who may not create hears that."""
        self.check_access("create")
        for vals in vals_list:
            self._bo_guard_check(vals)
        day_ids = [vals.get("day_id") for vals in vals_list]
        # sudo: a day's transmission exists or not, whoever asks
        if len(set(day_ids)) < len(day_ids) or self.sudo().search_count(
            [("day_id", "in", day_ids)], limit=1
        ):
            raise ValidationError(self.env._("The daily register is already sent to preservation."))
        return super().create(vals_list)

    @api.depends("day_id.date")
    def _compute_display_name(self):
        for transmission in self:
            transmission.display_name = self.env._(
                "Transmission of %s", transmission.day_id.date or ""
            )

    @api.depends("day_id.date")
    def _compute_due_date(self):
        for transmission in self:
            date = transmission.day_id.date
            transmission.due_date = next_working_day(date) if date else False

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _bo_transition_labels(self):
        return {
            "send": self.env._("sent"),
            "fail": self.env._("marked failed"),
            "bounce": self.env._("marked undelivered"),
            "receive": self.env._("given its receipt"),
        }

    # ------------------------------------------------------------------
    # The package
    # ------------------------------------------------------------------

    @bo_guard.writes("package_file", "package_name", "package_sha256")
    def _bo_build_package(self):
        """Build the day's package once: every attempt sends the same bytes."""
        self.ensure_one()
        if self.package_sha256:
            return
        content, name = self.env["bo.mail.register.day"]._bo_export_package(
            self.company_id, self.day_id.date, self.day_id.date
        )
        self.write(
            {
                "package_file": base64.b64encode(content),
                "package_name": name,
                "package_sha256": hashlib.sha256(content).hexdigest(),
            }
        )

    def _bo_package_content(self):
        """The package's bytes, checked against the SHA-256 taken when it was built."""
        self.ensure_one()
        content = base64.b64decode(self.with_context(bin_size=False).package_file or b"")
        if hashlib.sha256(content).hexdigest() != self.package_sha256:
            raise UserError(
                self.env._(
                    "The package %s no longer matches its fingerprint: it has been altered.",
                    self.package_name,
                )
            )
        return content

    def _bo_mail_package(self, address):
        """Post the package on the transmission's thread, mailed to ``address``
        from the company: the conservator's reply comes back here."""
        self.ensure_one()
        company = self.company_id
        if not company.email:
            raise UserError(
                self.env._("The company %s has no email address to send from.", company.name)
            )
        conservator = self._partner_find_from_emails_single([address])
        if not conservator:
            raise UserError(self.env._("%s is not a valid email address.", address))
        self.with_context(mail_notify_force_send=False).message_post(
            subject=self.env._(
                "Daily protocol register of %(date)s: %(company)s",
                date=self.day_id.date,
                company=company.name,
            ),
            body=self.env._(
                "The daily protocol register of %(date)s of %(company)s, for preservation. "
                "Its SHA-256 is %(sha256)s. Please reply with the receipt "
                "(rapporto di versamento) attached.",
                date=self.day_id.date,
                company=company.name,
                sha256=self.package_sha256,
            ),
            attachments=[(self.package_name, self._bo_package_content())],
            partner_ids=conservator.ids,
            author_id=company.partner_id.id,
            email_from=company.email_formatted,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _bo_transmit(self, destination):
        """One attempt: build the package if needed and send it to ``destination``.

        A failure of any kind is recorded (its reason, one more attempt) and
        never escapes: the next run tries again.
        """
        self.ensure_one()
        try:
            # The package is kept even when sending fails: every attempt
            # sends the same bytes.
            with self.env.cr.savepoint():
                self._bo_build_package()
            with self.env.cr.savepoint():
                destination._bo_send(self)
        except Exception as error:  # any failure is recorded, then retried
            _logger.warning(
                "The daily register of %s (%s) could not be sent to preservation: %s",
                self.day_id.date,
                self.company_id.name,
                error,
            )
            self._bo_transition(
                "fail",
                {
                    "state": "failed",
                    "destination_id": destination.id,
                    "attempt_count": self.attempt_count + 1,
                    "last_error": str(error) or type(error).__name__,
                },
            )
            return False
        self._bo_transition(
            "send",
            {
                "state": "sent",
                "destination_id": destination.id,
                "sent_datetime": fields.Datetime.now(),
                "attempt_count": self.attempt_count + 1,
                "last_error": False,
            },
        )
        return True

    def _bo_undelivered(self, reason):
        """The package left but never arrived (the mail failed or bounced):
        failed again, so that the next run sends it again."""
        self.ensure_one()
        self._bo_transition("bounce", {"state": "failed", "last_error": reason})

    def _bo_receive(self, name, content):
        """Keep the conservator's receipt ``content`` (a file named ``name``)."""
        self.ensure_one()
        self._bo_transition(
            "receive",
            {
                "state": "received",
                "receipt_file": base64.b64encode(content),
                "receipt_name": name,
                "receipt_sha256": hashlib.sha256(content).hexdigest(),
                "received_datetime": fields.Datetime.now(),
            },
        )

    def _bo_receive_reply(self, sender, files):
        """Take the first of ``files`` (``(name, content)`` pairs) named as a
        receipt (``rapporto``, ``ricevuta``, ``receipt``) as the receipt of
        the transmissions sent to ``sender``, the conservator's own address.

        Return the transmissions that took it. A reply from anyone else, or
        without such a file, gives no receipt: the caller keeps it as a
        message.
        """
        receipt = next(((n, c) for n, c in files if is_receipt_name(n)), None)
        sender = email_normalize(sender or "")
        received = self.browse()
        if not (receipt and sender):
            return received
        name, content = receipt
        if isinstance(content, str):
            content = content.encode()
        for transmission in self.filtered(
            lambda t: t.state == "sent" and email_normalize(t.destination_id.email or "") == sender
        ):
            try:
                with self.env.cr.savepoint():
                    transmission._bo_receive(name, content)
                received |= transmission
            except Exception:  # the reply stays where it was posted
                _logger.exception("A receipt could not be attached to %s", transmission)
        return received

    @api.model
    def _bo_receive_certified_reply(self, entry, envelope):
        """A PEC registered as ``entry`` whose certified message answers a
        package's mail: the conservator's receipt came back by PEC.

        The provider's envelope is a new message: only the certified message
        inside it (``envelope``, as ``tools.pec.parse_envelope`` reads it)
        refers to the package's mail. From the conservator's certified
        address, its receipt file, registered with the entry, is the
        transmission's receipt, and the entry is linked to the transmission.
        The entry stays registered whatever it holds: it is correspondence.
        """
        inner = envelope["message"]
        references = " ".join(
            str(inner.get(header) or "") for header in ("In-Reply-To", "References")
        ).split()
        if not references:
            return self.browse()
        # sudo: the intake matches the package's mail, whoever may read it
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("message_id", "in", references)])
        )
        transmissions = (
            self.sudo()
            .browse(messages.mapped("res_id"))
            .exists()
            .filtered(lambda t: t.company_id == entry.company_id)
        )
        if not transmissions:
            return transmissions
        files = [(a.name, a.raw) for a in entry.attachment_ids if is_receipt_name(a.name)]
        received = transmissions._bo_receive_reply(envelope["sender"], files)
        for transmission in received[:1]:
            entry.sudo().write({"res_model": transmission._name, "res_id": transmission.id})
            transmission.message_post(
                body=self.env._(
                    "The receipt came back by certified email, registered as %s.",
                    entry.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return received

    def message_update(self, msg_dict, update_vals=None):
        """A reply to the package's mail: its receipt, from the conservator's
        address, becomes the transmission's (``_bo_receive_reply``). The reply
        itself is always posted on the transmission: a reply not understood
        stays in the chatter, never lost.

        A PEC threaded here by its envelope is correspondence: it goes to the
        register of the company, which reads the certified message inside
        and gives the receipt (``_bo_receive_certified_reply``).
        """
        intake = MailIntake.of(self.env)
        Register = self.env["bo.mail.register"]
        envelope = Register._bo_read_pec(intake)[1] if intake else None
        if envelope:
            for company in self.company_id:
                Register.message_new(dict(msg_dict), {"company_id": company.id})
        else:
            self._bo_receive_reply(
                msg_dict.get("email_from"),
                [(a.fname, a.content) for a in msg_dict.get("attachments") or []],
            )
        return super().message_update(msg_dict, update_vals=update_vals)

    # ------------------------------------------------------------------
    # The hourly job
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_to_preservation(self):
        """Send every sealed day not sent yet, collect the receipts, report
        the days late.

        For each company with an active destination, each sealed day gets a
        transmission; the ones not sent are tried, each on its own (one
        failing destination or day never stops the others), and committed
        one by one when run by the scheduler.
        """
        # sudo: the job sends the register of every company
        Transmission = self.sudo()
        destinations = self.env["bo.mail.preservation.destination"].sudo().search([])
        by_company = {destination.company_id: destination for destination in destinations}
        Transmission._bo_create_missing(by_company)
        todo = Transmission.search(
            [
                ("state", "in", ("to_send", "failed")),
                ("company_id", "in", [company.id for company in by_company]),
            ],
            order="day_date, id",
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, transmission in enumerate(todo, start=1):
            transmission._bo_transmit(by_company[transmission.company_id])
            if in_cron and not self.env["ir.cron"]._commit_progress(1, remaining=len(todo) - done):
                return
        for destination in destinations:
            sent = Transmission.search(
                [("state", "=", "sent"), ("destination_id", "=", destination.id)]
            )
            if sent:
                destination._bo_collect_receipts(sent)
        Transmission._bo_report_late()

    @api.model
    def _bo_create_missing(self, by_company):
        """A transmission for each sealed day of these companies that has none."""
        Day = self.env["bo.mail.register.day"].sudo()
        vals_list = []
        for company in by_company:
            days = Day.search([("company_id", "=", company.id), ("transmission_ids", "=", False)])
            vals_list.extend({"day_id": day.id} for day in days)
        return self.create(vals_list)

    @api.model
    def _bo_report_late(self):
        """One activity for the escalation manager of each day still not sent
        more than one working day after its due date."""
        late = self.search([("state", "in", ("to_send", "failed")), ("escalated_date", "=", False)])
        for transmission in late:
            company = transmission.company_id
            today = datetime.now(pytz.timezone(company._bo_mailroom_tz())).date()
            if working_days_between(transmission.due_date, today) <= LATE_WORKING_DAYS:
                continue
            manager = company._bo_escalation_user()
            if not manager:
                _logger.error(
                    "The daily register of %s of %s is not sent to preservation and no "
                    "manager can be told.",
                    transmission.day_id.date,
                    company.name,
                )
                continue
            transmission.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("The daily register is not sent to preservation"),
                note=self.env._(
                    "The daily register of %(date)s was due to preservation by "
                    "%(due)s and is still not sent after %(attempts)s attempts. Last error: "
                    "%(error)s",
                    date=transmission.day_id.date,
                    due=transmission.due_date,
                    attempts=transmission.attempt_count,
                    error=transmission.last_error or "-",
                ),
                user_id=manager.id,
            )
            bo_guard.grant(transmission, "escalated_date").write({"escalated_date": today})
