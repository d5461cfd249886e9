from odoo import fields, models
from odoo.addons.bo_mailroom.models.bo_mail_register import DIRECTIONS
from odoo.fields import Domain
from odoo.tools import split_every


class BoMailRegisterReportWizard(models.TransientModel):
    """The correspondence register of a period: the filters of the
    Correspondence Register (XLSX) report and the queries behind it.

    Entries are read as the user, through the ORM: the spreadsheet holds the
    entries they may open in Odoo (a confidential entry only for its assignee
    and managers).
    """

    _name = "bo.mail.register.report.wizard"
    _inherit = ["bo.report.wizard.mixin", "bo.report.period.mixin"]
    _description = "Correspondence Register Report"
    _bo_report_ref = "bo_reports_mailroom.action_report_bo_mail_register_xlsx"

    # Entries read per query for the register sheet.
    _entry_batch_size = 2000

    direction = fields.Selection(DIRECTIONS, help="Leave empty for every direction.")
    category_ids = fields.Many2many(
        "bo.mail.category",
        string="Classifications",
        help="Leave empty for every classification. A classification includes its subdivisions.",
    )
    include_cancelled = fields.Boolean(
        string="Cancelled Entries",
        default=True,
        help="List cancelled entries with their number and state.",
    )

    def _bo_register_domain(self):
        """Numbered entries of the company registered in the period."""
        self.ensure_one()
        start, stop = self._bo_period_bounds((self.date_from, self.date_to))
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("protocol_seq", "!=", False),
                ("registration_date", ">=", start),
                ("registration_date", "<", stop),
            ]
        )
        if self.direction:
            domain &= Domain("direction", "=", self.direction)
        if self.category_ids:
            domain &= Domain("category_id", "child_of", self.category_ids.ids)
        if not self.include_cancelled:
            domain &= Domain("state", "!=", "cancelled")
        return domain

    def _bo_register_summary(self):
        """{classification: {direction: count}} of the period (the
        classification is an empty recordset for entries without one)."""
        groups = self.env["bo.mail.register"]._read_group(
            self._bo_register_domain(), ["category_id", "direction"], ["__count"]
        )
        summary = {}
        for category, direction, count in groups:
            summary.setdefault(category, {})[direction] = count
        return summary

    def _bo_register_entries(self):
        """Yield the entries of the period in protocol order, read in batches."""
        self.ensure_one()
        entries = self.env["bo.mail.register"].search(
            self._bo_register_domain(), order="protocol_year, protocol_seq, id"
        )
        today = fields.Date.context_today(self)
        names = [
            "name",
            "registration_date",
            "direction",
            "channel",
            "correspondent",
            "subject",
            "category_id",
            "user_id",
            "state",
            "deadline_date",
        ]
        for done, batch in enumerate(split_every(self._entry_batch_size, entries.ids)):
            self._bo_progress(done * self._entry_batch_size, len(entries))
            batch = entries.browse(batch)
            batch.fetch(names)
            for entry in batch:
                open_late = (
                    entry.deadline_date
                    and entry.state in ("registered", "assigned")
                    and entry.deadline_date < today
                )
                yield {
                    "entry": entry,
                    "date": fields.Datetime.context_timestamp(self, entry.registration_date),
                    "days_late": (today - entry.deadline_date).days if open_late else 0,
                }
            batch.invalidate_recordset()
