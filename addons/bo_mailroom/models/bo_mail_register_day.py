import base64
import hashlib
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.tools.mail import email_split_tuples

from ..tools.sql_guard import ORM_METADATA_COLUMNS, ensure_immutable

MANAGER_GROUP = "bo_base.group_bo_manager"
# How the lines of a day are written to be hashed (see ``_lines_text``):
# 1, the first days sealed, wrote the names of users and the labels of
# fields as they were when listed; 2 writes what was recorded at the time
# (the name on the message or the cancellation) and technical names, so that
# renaming a user or relabelling a field leaves every sealed day as it is.
LINES_VERSION = 2


class BoMailRegisterDay(models.Model):
    """The daily register: what the protocol recorded on one day, sealed.

    Generated every night (also for a day without entries) and never changed
    nor deleted afterwards: the row is written whole by its ``create`` and a
    PostgreSQL trigger refuses any later UPDATE or DELETE, even as superuser.

    Every field is guarded (``bo_guarded``): only the sealing writes a day.

    Each day is sealed twice, as files rendered once and kept: the *register*
    that Back Office users read, where confidential entries show only their
    number, and the *complete register*, for managers only (the group on the
    field also guards its attachment). The SHA-256 of the lines and of each
    file is stored, so any later copy can be compared with the original;
    each day's seal covers the previous day's (``_day_chain.py``).
    """

    _name = "bo.mail.register.day"
    _description = "Daily Protocol Register"
    _order = "date desc, id desc"
    _rec_name = "date"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        bo_guarded=True,
    )
    date = fields.Date(required=True, readonly=True, index=True, bo_guarded=True)
    first_number = fields.Char(readonly=True, bo_guarded=True)
    last_number = fields.Char(readonly=True, bo_guarded=True)
    entry_count = fields.Integer(string="Registrations", readonly=True, bo_guarded=True)
    cancel_count = fields.Integer(string="Cancellations", readonly=True, bo_guarded=True)
    change_count = fields.Integer(string="Changes", readonly=True, bo_guarded=True)
    confidential_count = fields.Integer(
        string="Confidential Entries",
        readonly=True,
        help="Entries of the day shown only by their number in the register; "
        "the complete register lists them in full.",
        bo_guarded=True,
    )
    sha256 = fields.Char(
        string="SHA-256 of the Entries",
        readonly=True,
        help="Fingerprint of the complete list of the day's registrations, "
        "cancellations and changes.",
        bo_guarded=True,
    )
    lines_version = fields.Integer(
        readonly=True,
        help="How the lines were written when they were hashed: 2 from the "
        "release that made them independent of later renames; empty for the "
        "days sealed before it (version 1).",
        bo_guarded=True,
    )
    register_file = fields.Binary(
        string="Sealed Register",
        attachment=True,
        readonly=True,
        help="The sealed register, confidential entries shown by their number only.",
        bo_guarded=True,
    )
    register_file_name = fields.Char(readonly=True, bo_guarded=True)
    register_file_sha256 = fields.Char(
        string="SHA-256 of the Register", readonly=True, bo_guarded=True
    )
    complete_file = fields.Binary(
        string="Complete Register",
        attachment=True,
        readonly=True,
        groups=MANAGER_GROUP,
        help="The sealed register with every entry in full, confidential ones included.",
        bo_guarded=True,
    )
    complete_file_name = fields.Char(readonly=True, bo_guarded=True)
    complete_file_sha256 = fields.Char(
        string="SHA-256 of the Complete Register", readonly=True, bo_guarded=True
    )

    _unique_day = models.UniqueIndex(
        "(company_id, date)", "The daily register of this day already exists."
    )

    def init(self):
        res = super().init()
        # Nothing is set after the insert. Only the ORM's metadata columns are
        # named: without any column the trigger's TG_ARGV is NULL and it would
        # let every UPDATE through (see tools/sql_guard.py).
        ensure_immutable(self.env.cr, self._table, mutable_columns=ORM_METADATA_COLUMNS)
        return res

    # ------------------------------------------------------------------
    # Immutability (the trigger is the last line; these give a clear message)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # Every field is guarded: only the sealing, granted them all, creates a
        # day (a create without them would be a day sealed with nothing).
        if self._bo_guard_ungranted(self._bo_guarded_fields()):
            raise AccessError(self.env._("A daily register is sealed by the register only."))
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(self.env._("A sealed daily register cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed(self):
        raise UserError(self.env._("A sealed daily register cannot be deleted."))

    # ------------------------------------------------------------------
    # Lines
    # ------------------------------------------------------------------

    @api.model
    def _day_bounds(self, company, day):
        tz = pytz.timezone(company._bo_mailroom_tz())
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        end = start + timedelta(days=1)
        return start.replace(tzinfo=None), end.replace(tzinfo=None)

    @api.model
    def _confidential_entries(self, entries):
        """Entries that are confidential, or have been at any time (their
        confidentiality changed): both are masked in the users' register."""
        # sudo: the tracking of every entry is read, whoever generates
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "bo.mail.register"),
                    ("mail_message_id.res_id", "in", entries.ids),
                    ("field_id.model", "=", "bo.mail.register"),
                    ("field_id.name", "=", "confidentiality"),
                ]
            )
        )
        tracked_ids = set(tracked.mail_message_id.mapped("res_id"))
        return entries.filtered(
            lambda e: e.confidentiality == "confidential" or e.id in tracked_ids
        )

    @api.model
    def _report_lines(self, company, day):
        """The day's registrations, cancellations and changes, in order.

        Each line says whether it is about a confidential entry; the lines are
        complete: :meth:`_masked_lines` gives the version for users.
        """
        start, end = self._day_bounds(company, day)
        # sudo: the register lists every entry, confidential ones included
        Register = self.env["bo.mail.register"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "=", company.id)]
        registered = Register.search(
            [*company_domain, ("registration_date", ">=", start), ("registration_date", "<", end)],
            order="protocol_seq",
        )
        cancelled = Register.search(
            [*company_domain, ("cancel_date", ">=", start), ("cancel_date", "<", end)],
            order="protocol_seq",
        )
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "bo.mail.register"),
                    ("mail_message_id.date", ">=", start),
                    ("mail_message_id.date", "<", end),
                ],
                order="id",
            )
        )
        entries = Register.browse(trackings.mail_message_id.mapped("res_id"))
        # Changes of entries registered by the end of the day: what a draft
        # registered later went through is not the register's (the lines of
        # a day must read the same whenever they are listed again).
        entries = entries.filtered(
            lambda e: e.name and e.company_id == company and e.registration_date < end
        )
        changes = trackings.filtered(lambda t: t.mail_message_id.res_id in entries.ids)
        confidential = self._confidential_entries(registered | cancelled | entries)
        by_id = {entry.id: entry for entry in entries}
        directions = dict(Register._fields["direction"]._description_selection(self.env))
        return {
            "registrations": [
                {
                    "number": entry.name,
                    "date": entry.registration_date,
                    "direction": directions[entry.direction],
                    "direction_code": entry.direction,
                    "correspondent": entry.correspondent,
                    "subject": entry.subject,
                    "hashes": [(h.name, h.sha256) for h in entry.hash_ids],
                    "confidential": entry in confidential,
                }
                for entry in registered
            ],
            "cancellations": [
                {
                    "number": entry.name,
                    "date": entry.cancel_date,
                    "user": entry.cancel_user_name or entry.cancel_uid.name,
                    "listed_user": entry.cancel_uid.name,
                    "reason": entry.cancel_reason,
                    "confidential": entry in confidential,
                }
                for entry in cancelled
            ],
            "changes": [
                {
                    "number": by_id[tracking.mail_message_id.res_id].name,
                    "date": tracking.mail_message_id.date,
                    "user": self._message_author_name(tracking.mail_message_id),
                    "listed_user": tracking.mail_message_id.author_id.name or "",
                    "field": tracking.field_id.field_description,
                    "field_code": tracking.field_id.name,
                    "old": str(tracking._format_display_value("old")[0] or ""),
                    "new": str(tracking._format_display_value("new")[0] or ""),
                    "confidential": by_id[tracking.mail_message_id.res_id] in confidential,
                }
                for tracking in changes
            ],
        }

    @api.model
    def _masked_lines(self, lines):
        """The lines Back Office users may read: a confidential entry keeps its
        number, dates and fingerprints; what it is about, with whom, the names
        of its files, the reason of its cancellation and the values changed
        are replaced by "Confidential entry"."""
        hidden = self.env._("Confidential entry")
        return {
            "registrations": [
                {
                    **reg,
                    "correspondent": hidden,
                    "subject": hidden,
                    "hashes": [(hidden, digest) for _name, digest in reg["hashes"]],
                }
                if reg["confidential"]
                else reg
                for reg in lines["registrations"]
            ],
            "cancellations": [
                {**line, "reason": hidden} if line["confidential"] else line
                for line in lines["cancellations"]
            ],
            "changes": [
                {**line, "old": hidden, "new": hidden} if line["confidential"] else line
                for line in lines["changes"]
            ],
        }

    @api.model
    def _message_author_name(self, message):
        """Who wrote ``message``, as the message itself recorded it.

        The sender of a registered entry's message is part of its evidence
        (``mail_message.py``): it does not change when the author is renamed.
        """
        name, email = next(iter(email_split_tuples(message.email_from or "")), ("", ""))
        return name or email or message.author_id.name or ""

    @api.model
    def _lines_text(self, lines, version):
        """The canonical text of the (complete) lines: the text hashed.

        One line per registration (``R|``), cancellation (``C|``) and change
        (``M|``), fields separated by ``|``, lines by a newline, UTF-8.
        Version 2 writes what cannot change after the fact: the direction's
        and the field's technical names, the user's name as recorded with the
        cancellation or the message. Version 1 (the days sealed before it)
        wrote labels and the users' names as they were when listed.
        """
        if not version or version == 1:
            direction, user, field = "direction", "listed_user", "field"
        else:
            direction, user, field = "direction_code", "user", "field_code"
        text = []
        for reg in lines["registrations"]:
            text.append(
                f"R|{reg['number']}|{reg['date']}|{reg[direction]}|{reg['correspondent']}|"
                f"{reg['subject']}" + "".join(f"|{name}:{digest}" for name, digest in reg["hashes"])
            )
        text.extend(
            f"C|{c['number']}|{c['date']}|{c[user]}|{c['reason']}" for c in lines["cancellations"]
        )
        text.extend(
            f"M|{c['number']}|{c['date']}|{c[user]}|{c[field]}|{c['old']}|{c['new']}"
            for c in lines["changes"]
        )
        return "\n".join(text)

    @api.model
    def _lines_digest(self, lines, version):
        """SHA-256 over the canonical text of the (complete) lines."""
        return hashlib.sha256(self._lines_text(lines, version).encode()).hexdigest()

    @api.model
    def _canonical_lines(self, company, day):
        """The day's complete lines as they are hashed, whoever lists them.

        The text holds labels (the direction, the field changed): they are
        listed in English, the language the nightly job seals in, so that
        the digest does not depend on the language of who seals or checks.
        """
        return self.with_context(lang="en_US")._report_lines(company, day)

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    @api.model
    def _render_file(self, company, header, lines, complete):
        """Render one version of the register; returns ``(content, extension)``.

        Rendered from the given lines only, as superuser: the report refuses
        any other caller (see ``report.bo_mailroom.report_bo_mail_register_day``).
        """
        report = self.env.ref("bo_mailroom.action_report_bo_mail_register_day")
        data = {"bo_register": {**header, "lines": lines, "complete": complete}}
        # sudo: the report is rendered only here, from lines already computed
        Report = self.env["ir.actions.report"].sudo().with_company(company)
        return Report._bo_render_document(report, data=data)

    @api.model
    def _prepare_day_vals(self, company, day):
        """Every value of the sealed day: the row is complete at its insertion."""
        lines = self._report_lines(company, day)
        numbers = [reg["number"] for reg in lines["registrations"]]
        confidential = {
            line["number"]
            for kind in ("registrations", "cancellations", "changes")
            for line in lines[kind]
            if line["confidential"]
        }
        header = {
            "company_name": company.name,
            "date": day,
            "first_number": numbers[0] if numbers else False,
            "last_number": numbers[-1] if numbers else False,
            "entry_count": len(numbers),
            "cancel_count": len(lines["cancellations"]),
            "change_count": len(lines["changes"]),
            "lines_version": LINES_VERSION,
            "sha256": self._lines_digest(
                lines
                if (self.env.lang or "en_US") == "en_US"
                else self._canonical_lines(company, day),
                LINES_VERSION,
            ),
        }
        vals = {
            **{key: value for key, value in header.items() if key != "company_name"},
            "company_id": company.id,
            "confidential_count": len(confidential),
        }
        for prefix, version, complete in (
            ("register", self._masked_lines(lines), False),
            ("complete", lines, True),
        ):
            content, extension = self._render_file(company, header, version, complete)
            suffix = "-complete" if complete else ""
            vals[f"{prefix}_file"] = base64.b64encode(content)
            vals[f"{prefix}_file_name"] = (
                f"protocol-register-{company.id}-{day.isoformat()}{suffix}.{extension}"
            )
            vals[f"{prefix}_file_sha256"] = hashlib.sha256(content).hexdigest()
        return vals

    @api.model
    def _generate(self, company, day):
        """Create and seal the daily register of ``company`` for ``day``."""
        # sudo: sealing is the job of the nightly cron, not of a user; the
        # register is unique per company and day, whoever asks for it
        Day = self.sudo()
        existing = Day.search([("company_id", "=", company.id), ("date", "=", day)])
        if existing:
            return existing.with_env(self.env)
        # The sealing writes the whole row, every field of it; nobody follows
        # a day, its creation is not a message.
        sealed = (
            bo_guard.grant(Day)
            .with_context(tracking_disable=True)
            .create(self._prepare_day_vals(company, day))
        )
        return sealed.with_env(self.env)

    @api.model
    def _days_to_seal(self, company):
        """The days of ``company`` not sealed yet, up to yesterday (its time zone).

        From the day after the last sealed one or, before the first seal, from
        the day of the first registration: no day is ever skipped, however long
        the job did not run. A company without any registration starts with
        yesterday.
        """
        tz = pytz.timezone(company._bo_mailroom_tz())
        yesterday = datetime.now(tz).date() - timedelta(days=1)
        last = self.search([("company_id", "=", company.id)], order="date desc", limit=1)
        if last:
            start = last.date + timedelta(days=1)
        else:
            first = (
                self.env["bo.mail.register"]
                .with_context(active_test=False)
                .search(
                    [("company_id", "=", company.id), ("registration_date", "!=", False)],
                    order="registration_date",
                    limit=1,
                )
            )
            start = (
                pytz.utc.localize(first.registration_date).astimezone(tz).date()
                if first
                else yesterday
            )
        return [start + timedelta(days=n) for n in range((yesterday - start).days + 1)]

    @api.model
    def _cron_generate_daily_register(self):
        """Seal every day not sealed yet, up to yesterday, for each company.

        Run by the scheduler, each sealed day is committed and the job stops
        when its time is up: it is then triggered again and goes on from the
        last sealed day.
        """
        # sudo: the job seals the register of every company
        Day = self.sudo()
        todo = [
            (company, day)
            for company in self.env["res.company"].sudo().search([])
            for day in Day._days_to_seal(company)
        ]
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, (company, day) in enumerate(todo, start=1):
            Day._generate(company, day)
            if in_cron and not self.env["ir.cron"]._commit_progress(1, remaining=len(todo) - done):
                break

    # ------------------------------------------------------------------
    # Reading the sealed files
    # ------------------------------------------------------------------

    def _sealed_file_url(self, field_name, download):
        """The URL of a sealed file, once checked against its stored SHA-256."""
        self.ensure_one()
        self.check_access("read")
        self._check_field_access(self._fields[field_name], "read")
        if self._bo_file_sha256(field_name) != self[f"{field_name}_sha256"]:
            raise UserError(
                self.env._(
                    "The file of the daily register of %s no longer matches its "
                    "fingerprint: it has been altered. Tell an administrator.",
                    self.date,
                )
            )
        url = (
            f"/web/content/{self._name}/{self.id}/{field_name}/{self[f'{field_name}_name']}"
            f"?download={'true' if download else 'false'}"
        )
        return {"type": "ir.actions.act_url", "url": url, "target": "self" if download else "new"}

    def action_download(self):
        return self._sealed_file_url("register_file", download=True)

    def action_print(self):
        """Open the sealed register itself, never a new rendering of the day."""
        return self._sealed_file_url("register_file", download=False)

    def action_download_complete(self):
        return self._sealed_file_url("complete_file", download=True)

    def action_print_complete(self):
        return self._sealed_file_url("complete_file", download=False)
