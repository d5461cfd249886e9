import base64
import hashlib
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "bo_base.group_bo_manager"
# What the first sealed day of a company follows: no seal before it.
CHAIN_GENESIS = "0" * 64


def chain_digest(previous_seal, company_id, day, sha256, register_sha256, complete_sha256):
    """The seal of a day: SHA-256 of its canonical text, UTF-8.

    The text is, separated by ``|``: the seal of the company's previous
    sealed day (:data:`CHAIN_GENESIS` for its first), the company's id, the
    date (ISO 8601), the SHA-256 of the day's lines, of its register file and
    of its complete register file (lowercase hexadecimal). The offline
    verifier (``tools/verify_register.py``) computes it the same way.
    """
    text = "|".join(
        (previous_seal, str(company_id), day.isoformat(), sha256, register_sha256, complete_sha256)
    )
    return hashlib.sha256(text.encode()).hexdigest()


class BoMailRegisterDay(models.Model):
    """The chain of the daily registers: each day's seal covers the one before.

    A day's seal (``chain_sha256``) is computed over the seal of the
    company's previous day (``previous_seal``) and the day's own
    fingerprints, from the first sealed day on. Removing, reordering or
    rewriting a day, an entry or a file breaks the seal of every day after
    it: :meth:`_bo_verify_chain` finds the first broken link, the nightly
    job checks the chain after sealing and gives a manager an activity on
    the day where it breaks.

    Days sealed before the chain existed were chained when the module was
    updated (``migrations/19.0.1.2.0``): their chain vouches for them as they
    were then.
    """

    _name = "bo.mail.register.day"
    # Activities need a thread (they notify, and log when done); the thread
    # stores nothing on the day's row. Nobody may write a day, so nobody
    # posts on it: its history is the activities' log.
    _inherit = ["bo.mail.register.day", "mail.thread", "mail.activity.mixin"]

    previous_seal = fields.Char(
        readonly=True,
        bo_guarded=True,
        help="Seal of the company's previous sealed day; 64 zeros for its first day.",
    )
    chain_sha256 = fields.Char(
        string="Seal",
        readonly=True,
        bo_guarded=True,
        help="SHA-256 over the previous seal, the company, the date and the "
        "fingerprints of the day's lines and files.",
    )

    # A seal is followed by one day at most: the chain cannot fork, not even
    # when two transactions seal at once.
    _unique_previous_seal = models.UniqueIndex(
        "(company_id, previous_seal)",
        "Another daily register already follows this day: days are sealed in order.",
    )

    @api.model
    def _prepare_day_vals(self, company, day):
        vals = super()._prepare_day_vals(company, day)
        # sudo: the chain goes through every day of the company, whoever seals
        last = self.sudo().search([("company_id", "=", company.id)], order="date desc", limit=1)
        if last and last.date > day:
            raise UserError(
                self.env._(
                    "The daily register of %(day)s cannot be sealed now: the register "
                    "of %(later)s is already sealed and its seal follows the day before it.",
                    day=day,
                    later=last.date,
                )
            )
        vals["previous_seal"] = last.chain_sha256 or CHAIN_GENESIS
        vals["chain_sha256"] = chain_digest(
            vals["previous_seal"],
            company.id,
            day,
            vals["sha256"],
            vals["register_file_sha256"],
            vals["complete_file_sha256"],
        )
        return vals

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------

    def _bo_file_sha256(self, field_name):
        """SHA-256 of the stored file, as it is now."""
        self.ensure_one()
        content = self.with_context(bin_size=False)[field_name]
        return hashlib.sha256(base64.b64decode(content or b"")).hexdigest()

    def _bo_chain_break(self, expected_previous):
        """Why this day breaks the chain, or ``False``.

        Checked in order: the row against its own seal (a rewritten day),
        the link to the day before (a day removed, added or reordered), the
        lines listed again from the entries against their digest, the files
        against their fingerprints.
        """
        self.ensure_one()
        values = {"date": self.date}
        if not self.chain_sha256 or self.chain_sha256 != chain_digest(
            self.previous_seal or "",
            self.company_id.id,
            self.date,
            self.sha256 or "",
            self.register_file_sha256 or "",
            self.complete_file_sha256 or "",
        ):
            return self.env._(
                "The daily register of %(date)s no longer matches its seal: the day "
                "has been rewritten.",
                **values,
            )
        if self.previous_seal != expected_previous:
            return self.env._(
                "The seal of %(date)s follows %(sealed)s, not the seal of the day "
                "before it (%(found)s): a day before it has been removed, added or changed.",
                sealed=self.previous_seal,
                found=expected_previous,
                **values,
            )
        lines = self._canonical_lines(self.company_id, self.date)
        if self._lines_digest(lines, self.lines_version) != self.sha256:
            return self.env._(
                "The registrations, cancellations and changes of %(date)s no longer give "
                "the digest sealed: an entry of that day, its files' fingerprints or its "
                "history has been changed.",
                **values,
            )
        for field_name in ("register_file", "complete_file"):
            if self._bo_file_sha256(field_name) != self[f"{field_name}_sha256"]:
                return self.env._(
                    "The file %(file)s of %(date)s no longer matches its fingerprint.",
                    file=self[f"{field_name}_name"],
                    **values,
                )
        return False

    @api.model
    def _bo_verify_chain(self, company):
        """Check every sealed day of ``company``, the oldest first.

        Returns ``False`` when the chain is whole, else the first broken link
        as ``{"day": day, "reason": text}``: a removed day is reported on the
        day after it, whose seal follows a day that is no longer there.
        """
        # sudo: the check reads every day, file and entry of the company, whoever asks
        days = self.sudo().search([("company_id", "=", company.id)], order="date, id")
        expected = CHAIN_GENESIS
        for day in days:
            reason = day._bo_chain_break(expected)
            if reason:
                return {"day": day.with_env(self.env), "reason": reason}
            expected = day.chain_sha256
        return False

    def action_verify_chain(self):
        """Verify the chain of the companies of these days, on demand."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Back Office manager can verify the register."))
        messages = []
        for company in self.company_id:
            broken = self._bo_verify_chain(company)
            if broken:
                raise UserError(
                    self.env._(
                        "The register of %(company)s is broken at %(date)s. %(reason)s",
                        company=company.name,
                        date=broken["day"].date,
                        reason=broken["reason"],
                    )
                )
            # sudo: the last seal of the company, whoever reads the chain
            last = self.sudo().search([("company_id", "=", company.id)], order="date desc", limit=1)
            messages.append(
                self.env._(
                    "The register of %(company)s is whole up to %(date)s; its last seal "
                    "is %(seal)s.",
                    company=company.name,
                    date=last.date,
                    seal=last.chain_sha256,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Verify the Register"),
                "message": " ".join(messages),
                "type": "success",
                "sticky": False,
            },
        }

    # ------------------------------------------------------------------
    # The nightly check
    # ------------------------------------------------------------------

    @api.model
    def _cron_generate_daily_register(self):
        """Seal the days not sealed yet, then check each company's chain."""
        res = super()._cron_generate_daily_register()
        # sudo: the job checks the register of every company
        for company in self.env["res.company"].sudo().search([]):
            broken = self._bo_verify_chain(company)
            if broken:
                self._bo_report_chain_break(company, broken)
        return res

    @api.model
    def _bo_report_chain_break(self, company, broken):
        """Give a manager of ``company`` an activity on the day where the
        chain breaks, with the reason: one open activity per broken day."""
        # sudo: the job writes the activity for the manager
        day = broken["day"].sudo()
        if day.activity_ids:
            return
        manager = company._bo_escalation_user()
        if not manager:
            _logger.error(
                "The protocol register of %s is broken at %s and no manager can be told: %s",
                company.name,
                day.date,
                broken["reason"],
            )
            return
        day.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("The protocol register is broken"),
            note=broken["reason"],
            user_id=manager.id,
        )
