import base64
import contextlib
import logging
import traceback

from odoo import api, fields, models
from odoo.addons.queue_job.jobrunner import _is_runner_enabled
from odoo.api import SUPERUSER_ID
from odoo.tools import config, str2bool
from odoo.tools.misc import format_datetime

_logger = logging.getLogger(__name__)


class BoReportRun(models.Model):
    """A report generated in the background, by OCA's queue_job.

    The run keeps the wizard's values, renders the report as the user who asked
    for it (a job runs with its user's rights, never as superuser) and posts
    the file to them when it is ready. Where this server has no job runner the
    report runs at once, in the foreground, and the run says so.

    Users only read their own runs: runs are created and updated by this code
    alone. While the job runs, its status and progress are written through a
    cursor of their own, committed at once, so that the user sees them; the
    job's transaction never updates the run's row (a concurrent update would
    make it fail to serialize).
    """

    _name = "bo.report.run"
    _description = "Report Run"
    _inherit = ["mail.thread"]
    _order = "id desc"

    # Progress is written at most once per this many percent.
    _progress_step = 5

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Requested by", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    report_id = fields.Many2one(
        "ir.actions.report", required=True, readonly=True, ondelete="cascade"
    )
    wizard_model = fields.Char(required=True, readonly=True)
    wizard_values = fields.Json(readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Ready"),
            ("failed", "Failed"),
        ],
        required=True,
        default="queued",
        readonly=True,
    )
    progress = fields.Integer(readonly=True, help="Percent of the report written.")
    in_foreground = fields.Boolean(
        string="Ran in the Foreground",
        readonly=True,
        help="No job runner serves this server: the report ran at once.",
    )
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    date_done = fields.Datetime(string="Ready on", readonly=True)
    error = fields.Text(readonly=True)

    @api.model
    def _job_runner_available(self):
        """Whether a queue_job runner will pick the job up: this server loads
        queue_job as a server-wide module with a channel capacity, or the
        administrator says another server runs the jobs (system parameter
        ``bo_reports.job_runner_elsewhere``)."""
        elsewhere = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("bo_reports.job_runner_elsewhere", "False")
        )
        if str2bool(elsewhere, default=False):
            return True
        return "queue_job" in config["server_wide_modules"] and _is_runner_enabled()

    @api.model
    def _start(self, wizard, report_ref):
        """Run the report of ``wizard`` in the background, or at once without a
        job runner; return the run."""
        report = self.env.ref(report_ref)
        background = self._job_runner_available()
        # Runs are only created here: users may read theirs, never write them.
        run = (
            self.sudo()
            .create(
                {
                    "name": self.env._(
                        "%(report)s of %(date)s",
                        report=report.name,
                        date=format_datetime(self.env, fields.Datetime.now(), dt_format="short"),
                    ),
                    "user_id": self.env.uid,
                    "company_id": wizard.company_id.id,
                    "report_id": report.id,
                    "wizard_model": wizard._name,
                    "wizard_values": wizard.copy_data()[0],
                    "in_foreground": not background,
                }
            )
            .sudo(False)
        )
        if background:
            run.with_delay(description=run.name)._generate(in_background=True)
        else:
            run._generate(in_background=False)
        return run

    @contextlib.contextmanager
    def _status_env(self, in_background):
        """An environment to write the run's status in, as superuser: a cursor
        of its own, committed at once, in the background; the request's
        otherwise."""
        if not in_background:
            yield self.env(su=True, context={"lang": self.user_id.lang})
            return
        with self.env.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"lang": self.user_id.lang})

    def _write_status(self, in_background, vals):
        with self._status_env(in_background) as env:
            env[self._name].browse(self.id).write(vals)

    def _progress_reporter(self, in_background):
        """A function recording the percent done, at most once per step: the
        report calls it as it goes."""
        last = [0]

        def report_progress(percent):
            percent = max(0, min(100, int(percent)))
            if percent - last[0] >= self._progress_step:
                last[0] = percent
                self._write_status(in_background, {"progress": percent})

        return report_progress

    def _generate(self, in_background):
        """Render the report as its user and hand them the file (the job)."""
        self.ensure_one()
        self._write_status(in_background, {"state": "running", "progress": 0})
        self.invalidate_recordset(["state", "progress"])
        progress = self._progress_reporter(in_background)
        try:
            with self.env.cr.savepoint():
                content, extension = self._render(progress)
        except Exception as error:  # the user is told; the job itself is done
            _logger.info("Report run %s failed", self.id, exc_info=True)
            message = "".join(traceback.format_exception_only(error)).strip()
            with self._status_env(in_background) as env:
                run = env[self._name].browse(self.id)
                run.write({"state": "failed", "error": message})
                run._notify_user(
                    env._("The report could not be generated: %s", message), attachment=None
                )
            return False
        with self._status_env(in_background) as env:
            run = env[self._name].browse(self.id)
            attachment = env["ir.attachment"].create(
                {
                    "name": f"{run.report_id.name} {fields.Date.today()}.{extension}",
                    "datas": base64.b64encode(content),
                    "res_model": run._name,
                    "res_id": run.id,
                }
            )
            run.write(
                {
                    "state": "done",
                    "progress": 100,
                    "attachment_id": attachment.id,
                    "date_done": fields.Datetime.now(),
                }
            )
            run._notify_user(env._("Your report is ready."), attachment=attachment)
        return True

    def _render(self, progress):
        """The wizard rebuilt from its values and its report rendered, as the
        user, in their language and company; ``progress(percent)`` is handed to
        the report in the context key ``bo_report_progress``."""
        self.ensure_one()
        env = self.env(
            context=dict(
                self.env.context,
                lang=self.user_id.lang,
                allowed_company_ids=self.company_id.ids,
                bo_report_progress=progress,
            )
        )
        wizard = env[self.wizard_model].create(self.wizard_values)
        return env["ir.actions.report"]._render(self.report_id.id, wizard.ids)

    def _notify_user(self, body, attachment):
        """Post ``body`` on the run to its user's inbox, with the file."""
        self.ensure_one()
        self.with_context(lang=self.user_id.lang).message_post(
            body=body,
            subject=self.name,
            partner_ids=self.user_id.partner_id.ids,
            attachment_ids=attachment.ids if attachment else [],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }
