import hashlib
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class BoMailRegisterDay(models.Model):
    """The daily register: what the protocol recorded on one day, sealed.

    Generated every night (also for a day without entries) and kept as a
    file that cannot be deleted. Its SHA-256 covers the lines listed, so a
    later copy can be compared with the original.
    """

    _name = "bo.mail.register.day"
    _description = "Daily Protocol Register"
    _order = "date desc, id desc"
    _rec_name = "date"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, readonly=True, index=True)
    first_number = fields.Char(readonly=True)
    last_number = fields.Char(readonly=True)
    entry_count = fields.Integer(string="Registrations", readonly=True)
    cancel_count = fields.Integer(string="Cancellations", readonly=True)
    change_count = fields.Integer(string="Changes", readonly=True)
    sha256 = fields.Char(string="SHA-256", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)

    _unique_day = models.UniqueIndex(
        "(company_id, date)", "The daily register of this day already exists."
    )

    def _day_bounds(self, company, day):
        tz = pytz.timezone(company._bo_mailroom_tz())
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        end = start + timedelta(days=1)
        return start.replace(tzinfo=None), end.replace(tzinfo=None)

    def _report_lines(self):
        """The day's registrations, cancellations and changes, in order."""
        self.ensure_one()
        start, end = self._day_bounds(self.company_id, self.date)
        # sudo: the register lists every entry, confidential ones included
        Register = self.env["bo.mail.register"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "=", self.company_id.id)]
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
        entries = entries.filtered(lambda e: e.name and e.company_id == self.company_id)
        changes = trackings.filtered(lambda t: t.mail_message_id.res_id in entries.ids)
        by_id = {entry.id: entry for entry in entries}
        return {
            "registrations": [
                {
                    "number": entry.name,
                    "date": entry.registration_date,
                    "direction": dict(entry._fields["direction"]._description_selection(self.env))[
                        entry.direction
                    ],
                    "correspondent": entry.correspondent,
                    "subject": entry.subject,
                    "hashes": [(h.name, h.sha256) for h in entry.hash_ids],
                }
                for entry in registered
            ],
            "cancellations": [
                {
                    "number": entry.name,
                    "date": entry.cancel_date,
                    "user": entry.cancel_uid.name,
                    "reason": entry.cancel_reason,
                }
                for entry in cancelled
            ],
            "changes": [
                {
                    "number": by_id[tracking.mail_message_id.res_id].name,
                    "date": tracking.mail_message_id.date,
                    "user": tracking.mail_message_id.author_id.name or "",
                    "field": tracking.field_id.field_description,
                    "old": str(tracking._format_display_value("old")[0] or ""),
                    "new": str(tracking._format_display_value("new")[0] or ""),
                }
                for tracking in changes
            ],
        }

    @api.model
    def _lines_digest(self, lines):
        """SHA-256 over a canonical text of the lines."""
        text = []
        for reg in lines["registrations"]:
            text.append(
                "R|{number}|{date}|{direction}|{correspondent}|{subject}".format(**reg)
                + "".join(f"|{name}:{digest}" for name, digest in reg["hashes"])
            )
        text.extend("C|{number}|{date}|{user}|{reason}".format(**c) for c in lines["cancellations"])
        text.extend(
            "M|{number}|{date}|{user}|{field}|{old}|{new}".format(**c) for c in lines["changes"]
        )
        return hashlib.sha256("\n".join(text).encode()).hexdigest()

    @api.model
    def _generate(self, company, day):
        """Create and seal the daily register of ``company`` for ``day``."""
        existing = self.search([("company_id", "=", company.id), ("date", "=", day)])
        if existing:
            return existing
        register_day = self.create({"company_id": company.id, "date": day})
        lines = register_day._report_lines()
        numbers = [reg["number"] for reg in lines["registrations"]]
        register_day.write(
            {
                "first_number": numbers[0] if numbers else False,
                "last_number": numbers[-1] if numbers else False,
                "entry_count": len(numbers),
                "cancel_count": len(lines["cancellations"]),
                "change_count": len(lines["changes"]),
                "sha256": self._lines_digest(lines),
            }
        )
        content, extension = register_day._render_file()
        register_day.attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"protocol-register-{company.id}-{day.isoformat()}.{extension}",
                "raw": content,
                "res_model": self._name,
                "res_id": register_day.id,
            }
        )
        return register_day

    def _render_file(self):
        report = self.env.ref("bo_mailroom.action_report_bo_mail_register_day")
        try:
            content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(report, self.ids)
        except UserError:
            # No PDF engine on this server: keep the same register as HTML.
            _logger.info("Daily register kept as HTML: PDF rendering is unavailable")
            content, report_type = self.env["ir.actions.report"]._render_qweb_html(report, self.ids)
        return content, "pdf" if report_type == "pdf" else "html"

    @api.model
    def _cron_generate_daily_register(self):
        """Seal yesterday's register, and any earlier day missed, for each company."""
        for company in self.env["res.company"].search([]):
            tz = pytz.timezone(company._bo_mailroom_tz())
            yesterday = datetime.now(tz).date() - timedelta(days=1)
            last = self.search([("company_id", "=", company.id)], order="date desc", limit=1)
            day = (
                max(last.date + timedelta(days=1), yesterday - timedelta(days=30))
                if last
                else yesterday
            )
            while day <= yesterday:
                self._generate(company, day)
                day += timedelta(days=1)

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }
