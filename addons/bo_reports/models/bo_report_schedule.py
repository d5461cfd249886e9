import base64
import logging
import traceback

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

_logger = logging.getLogger(__name__)

FREQUENCIES = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
}


class BoReportSchedule(models.Model):
    """A report generated and emailed on a schedule.

    The report runs with the rights of its owner, the user who last set what
    it reports and to whom (never as superuser): it holds what the owner could
    export by hand. A run that fails is logged on the schedule and retried an
    hour later until it succeeds; after a few failures in a row the owner gets
    an activity.
    """

    _name = "bo.report.schedule"
    _description = "Scheduled Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_run, id"
    _check_company_auto = True

    # Failures in a row after which the owner is asked to look at the schedule.
    _alert_after_failures = 3
    # Delay before a failed run is tried again.
    _retry_delay = relativedelta(hours=1)
    # Fields that decide what is reported and to whom: whoever changes one of
    # them becomes the owner whose rights the report runs with.
    _owner_fields = frozenset(
        {
            "report",
            "period",
            "company_id",
            "partner_ids",
            "detail",
            "recipient_ids",
            "lang",
            "user_id",
        }
    )

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    report = fields.Selection(
        [
            ("sales", "Sales Performance"),
            ("receivable", "Receivables Ageing"),
            ("payable", "Payables Ageing"),
            ("backlog", "Order Backlog"),
            ("expense", "Expense Monitoring"),
        ],
        required=True,
        default="sales",
        tracking=True,
    )
    period = fields.Selection(
        [
            ("last_week", "Last Week"),
            ("last_month", "Last Month"),
            ("last_quarter", "Last Quarter"),
            ("month_to_date", "Month to Date"),
            ("year_to_date", "Year to Date"),
        ],
        default="last_month",
        tracking=True,
        help="Reports of a period (sales performance, expenses and the bridges' "
        "reports): the period reported, counted back from the day of the run. "
        "Ageing and backlog are always as of the day of the run.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "bo_report_schedule_partner_rel",
        string="Customers or Vendors",
        check_company=True,
        help="Leave empty for all. A company includes its contacts.",
    )
    detail = fields.Boolean(
        string="Detail Sheet",
        help="Add the sheet of order lines or open items.",
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        "bo_report_schedule_recipient_rel",
        string="Recipients",
        required=True,
        help="They receive the report by email.",
    )
    lang = fields.Selection(
        selection="_get_languages",
        string="Language",
        required=True,
        default=lambda self: self.env.lang or "en_US",
    )
    frequency = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=True,
        default="monthly",
        tracking=True,
    )
    next_run = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    planned_run = fields.Datetime(
        readonly=True,
        copy=False,
        help="The run planned on the schedule's rhythm; a failed run is retried "
        "earlier than the next one without moving the rhythm.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help="The report runs with this user's rights: the last user who changed what "
        "it reports or to whom.",
    )
    last_run = fields.Datetime(string="Last Sent", readonly=True, copy=False)
    failure_count = fields.Integer(string="Failures in a Row", readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)

    @api.model
    def _get_languages(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("company_id", "user_id")
    def _check_owner_company(self):
        for schedule in self:
            if schedule.company_id not in schedule.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(company)s is not one of %(user)s's companies.",
                        company=schedule.company_id.display_name,
                        user=schedule.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                vals["user_id"] = self.env.uid
            if "planned_run" not in vals:
                vals["planned_run"] = vals.get("next_run") or fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._owner_fields.intersection(vals):
            vals = dict(vals, user_id=self.env.uid)
        if "next_run" in vals and "planned_run" not in vals:
            vals = dict(vals, planned_run=vals["next_run"])
        return super().write(vals)

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        return [dict(vals, name=self.env._("%s (copy)", vals["name"])) for vals in vals_list]

    # ------------------------------------------------------------------
    # Runs
    # ------------------------------------------------------------------

    def _period_dates(self, today):
        """(first day, last day) of the sales period of a run on ``today``."""
        self.ensure_one()
        if self.period == "last_week":
            monday = today - relativedelta(days=today.weekday())
            return monday - relativedelta(weeks=1), monday - relativedelta(days=1)
        if self.period == "last_quarter":
            first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
            return first - relativedelta(months=3), first - relativedelta(days=1)
        if self.period == "month_to_date":
            return today.replace(day=1), today
        if self.period == "year_to_date":
            return today.replace(month=1, day=1), today
        first = today.replace(day=1)
        return first - relativedelta(months=1), first - relativedelta(days=1)

    def _report_wizard(self, today):
        """The report's wizard, filled in as the owner would, in the schedule's
        company and language, by ``_wizard_<report>(env, today)``."""
        self.ensure_one()
        env = self.env(
            user=self.user_id,
            su=False,
            context=dict(self.env.context, lang=self.lang, allowed_company_ids=self.company_id.ids),
        )
        return getattr(self, f"_wizard_{self.report}")(env, today)

    def _common_wizard_values(self):
        return {"company_id": self.company_id.id, "partner_ids": self.partner_ids.ids}

    def _wizard_sales(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.sales.report.wizard"].create(
            dict(
                self._common_wizard_values(),
                date_from=date_from,
                date_to=date_to,
                detail=self.detail,
            )
        )

    def _wizard_ageing(self, env, today):
        return env["bo.ageing.report.wizard"].create(
            dict(
                self._common_wizard_values(), kind=self.report, as_of_date=today, detail=self.detail
            )
        )

    _wizard_receivable = _wizard_payable = _wizard_ageing

    def _wizard_backlog(self, env, today):
        return env["bo.backlog.report.wizard"].create(
            dict(self._common_wizard_values(), as_of_date=today)
        )

    def _wizard_expense(self, env, today):
        date_from, date_to = self._period_dates(today)
        return env["bo.expense.report.wizard"].create(
            {"company_id": self.company_id.id, "date_from": date_from, "date_to": date_to}
        )

    def _send_report(self):
        """Render the report as the owner and email it to the recipients."""
        self.ensure_one()
        if not self.user_id.active:
            # Whoever left must not keep sending what they could read.
            raise UserError(
                self.env._(
                    "%(user)s, the owner of the schedule, is archived: a user who may "
                    "still run the report must save the schedule again.",
                    user=self.user_id.name,
                )
            )
        today = fields.Date.context_today(self.with_user(self.user_id))
        wizard = self._report_wizard(today)
        content, file_type = wizard.env["ir.actions.report"]._render(
            wizard._bo_report_ref, wizard.ids
        )
        report_name = dict(self._fields["report"]._description_selection(wizard.env))[self.report]
        filename = f"{report_name} {today.isoformat()}.{file_type}"
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.with_context(lang=self.lang).message_post(
            body=wizard.env._(
                "%(report)s of %(date)s, attached.",
                report=report_name,
                date=format_date(wizard.env, today),
            ),
            subject=wizard.env._(
                "%(schedule)s: %(report)s", schedule=self.name, report=report_name
            ),
            partner_ids=self.recipient_ids.ids,
            attachment_ids=attachment.ids,
            author_id=self.user_id.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _run(self):
        """Send each schedule's report; log and reschedule a failure."""
        now = fields.Datetime.now()
        for schedule in self:
            try:
                with self.env.cr.savepoint():
                    schedule._send_report()
            except Exception as error:  # any failure is logged and retried
                _logger.warning("Scheduled report %s failed", schedule.id, exc_info=True)
                self.env.invalidate_all()
                schedule._log_failure(error, now)
                continue
            next_run = schedule._next_run_after(now)
            schedule.write(
                {
                    "last_run": now,
                    "failure_count": 0,
                    "last_error": False,
                    "next_run": next_run,
                    "planned_run": next_run,
                }
            )

    def _next_run_after(self, now):
        """The next planned run after ``now``, on the schedule's rhythm."""
        self.ensure_one()
        next_run = self.planned_run or self.next_run
        while next_run <= now:
            next_run += FREQUENCIES[self.frequency]
        return next_run

    def _log_failure(self, error, now):
        self.ensure_one()
        failures = self.failure_count + 1
        self.write(
            {
                "failure_count": failures,
                "last_error": "".join(traceback.format_exception_only(error)).strip(),
                "next_run": now + self._retry_delay,
                "planned_run": self.planned_run,
            }
        )
        self.message_post(
            body=self.env._(
                "The report could not be generated (attempt %(attempt)s): %(error)s. "
                "It will be tried again in an hour.",
                attempt=failures,
                error=self.last_error,
            ),
        )
        if failures == self._alert_after_failures:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Scheduled report failing"),
                note=self.last_error,
            )

    @api.model
    def _cron_send_due_reports(self):
        due = self.search([("next_run", "<=", fields.Datetime.now())])
        due._run()

    def action_send_now(self):
        """Send the report now, as the owner; planned runs stay as they are."""
        for schedule in self:
            schedule._send_report()
        return True
