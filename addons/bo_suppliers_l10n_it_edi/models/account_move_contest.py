"""Contesting a FatturaPA bill with the supplier.

A private buyer cannot reject an invoice the SdI delivered: the bill stays
registered (the VAT deduction runs from the SdI's receipt date) and blocked
for payment. A Back Office user contests it instead: a letter to the
supplier, in the supplier's language, lists each line that does not match
and asks for a credit note (``TD04``) naming the invoice; it is sent by email
from the bill (by the correspondence register, when the mailroom is
installed: see ``bo_suppliers_l10n_it_edi_mailroom``). The bill stays blocked
until the credit note brings it within the tolerances, or a manager releases
it.

The contest is recorded on the bill (guarded: only the contest writes it),
with the fingerprint of the differences it listed: the same differences are
not contested twice; new ones (a partial credit note, another receipt) may
be.
"""

import hashlib
import json

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_suppliers.models.account_move import INTERNAL
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .findings import is_contestable, render_letter_finding

CONTEST_FIELDS = ("bo_fpa_contest_date", "bo_fpa_contest_user_id", "bo_fpa_contest_digest")
CONTEST_GROUP = "bo_base.group_bo_user"
CONTEST_LETTER = "bo_suppliers_l10n_it_edi.bo_fpa_contest_letter"
CONTESTED_SUBTYPE = "bo_suppliers_l10n_it_edi.mt_bo_fpa_contested"


class AccountMove(models.Model):
    _inherit = "account.move"

    bo_fpa_contest_date = fields.Datetime(
        string="Contested On",
        copy=False,
        readonly=True,
        tracking=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="When the last letter contesting the invoice was sent to the supplier.",
    )
    bo_fpa_contest_user_id = fields.Many2one(
        "res.users",
        string="Contested By",
        copy=False,
        readonly=True,
        tracking=True,
        groups=INTERNAL,
        bo_guarded=True,
    )
    bo_fpa_contest_digest = fields.Char(
        string="Contested Differences",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="Fingerprint (SHA-256) of the differences the last contest letter listed: the "
        "bill is contested again only when they have changed.",
    )
    bo_fpa_can_contest = fields.Boolean(
        string="Can Be Contested",
        compute="_compute_bo_fpa_can_contest",
        compute_sudo=True,
        groups=INTERNAL,
        help="A FatturaPA bill blocked for payment whose differences with the orders and "
        "receipts have not been contested with the supplier yet.",
    )

    @api.depends(
        "move_type",
        "state",
        "partner_id",
        "bo_fpa_imported",
        "bo_payment_blocked",
        "bo_fpa_contest_digest",
        "invoice_line_ids.bo_fpa_findings",
    )
    def _compute_bo_fpa_can_contest(self):
        for move in self:
            move.bo_fpa_can_contest = not move._bo_fpa_contest_refusal()

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "bo_fpa_contest_date" in init_values and self.bo_fpa_contest_date:
            return self.env.ref(CONTESTED_SUBTYPE)
        return super()._track_subtype(init_values)

    # ------------------------------------------------------------------
    # What is contested
    # ------------------------------------------------------------------

    def _bo_fpa_contest_findings(self):
        """[(bill line, finding)] of the differences to contest with the supplier."""
        self.ensure_one()
        return [
            (line, finding)
            for line in self.invoice_line_ids.sorted("sequence")
            for finding in line._bo_fpa_findings()
            if is_contestable(finding)
        ]

    def _bo_fpa_contest_fingerprint(self):
        """The differences to contest, whatever the reader's language."""
        self.ensure_one()
        findings = self.with_context(lang="en_US")._bo_fpa_contest_findings()
        content = sorted(
            json.dumps([line._origin.id or 0, finding], sort_keys=True)
            for line, finding in findings
        )
        return hashlib.sha256(repr(content).encode()).hexdigest()

    def _bo_fpa_contest_refusal(self):
        """Why the bill cannot be contested now, or None."""
        self.ensure_one()
        if not (
            self.move_type == "in_invoice"
            and self.bo_fpa_imported
            and self.state in ("draft", "posted")
        ):
            return self.env._("Only a vendor bill made from a FatturaPA can be contested.")
        if not self.bo_payment_blocked:
            return self.env._(
                "%s is not blocked for payment: there is nothing to contest.", self.display_name
            )
        if not self.commercial_partner_id:
            return self.env._("Choose the supplier of %s before contesting it.", self.display_name)
        if not self._bo_fpa_contest_findings():
            return self.env._(
                "%s does not differ from the orders and receipts in a way the supplier can "
                "correct with a credit note.",
                self.display_name,
            )
        if self.bo_fpa_contest_digest == self._bo_fpa_contest_fingerprint():
            return self.env._(
                "%(bill)s was already contested on %(date)s for these same differences: the "
                "supplier's credit note is awaited.",
                bill=self.display_name,
                date=format_date(self.env, self.bo_fpa_contest_date),
            )
        return None

    def _bo_fpa_check_contest(self):
        """Refuse the contest to anyone but a Back Office user who may read
        the bills, and for a bill that cannot be contested now."""
        user = self.env.user
        # a named person's act: not OdooBot's (a cron, the mail gateway), not the portal's
        if user.id == SUPERUSER_ID or user.share or not user.has_group(CONTEST_GROUP):
            raise AccessError(self.env._("Only a Back Office user can contest a bill."))
        self.check_access("read")
        for move in self:
            # sudo: the refusal reads the match, which every reader of the bill sees
            refusal = move.sudo()._bo_fpa_contest_refusal()
            if refusal:
                raise UserError(refusal)

    # ------------------------------------------------------------------
    # The letter
    # ------------------------------------------------------------------

    def _bo_fpa_contest_lang(self, partner):
        self.ensure_one()
        return partner.lang or self.company_id.partner_id.lang or "en_US"

    def _bo_fpa_contest_lines(self):
        """The differences to contest, as the letter lists them, in the
        language of the environment."""
        self.ensure_one()
        # sudo: the differences of a bill the user may read (checked by the
        # caller), read through the orders and receipts whatever their rights
        findings = self.sudo()._bo_fpa_contest_findings()
        return [
            self.env._(
                "Line %(number)s (%(name)s): %(finding)s",
                number=line.sequence,
                name=line.name or "",
                finding=render_letter_finding(self.env, finding),
            )
            for line, finding in findings
        ]

    def _bo_fpa_contest_letter(self, partner, lines=None):
        """(subject, body) of the letter contesting the bill, in the language
        of ``partner`` (its recipient); ``lines``: the differences as they
        were listed, when the letter is printed again."""
        self.ensure_one()
        move = self.with_context(lang=self._bo_fpa_contest_lang(partner))
        env = move.env
        date = format_date(env, move.invoice_date) if move.invoice_date else "-"
        subject = env._(
            "Invoice %(number)s of %(date)s: request for a credit note",
            number=move.ref or move.name,
            date=date,
        )
        body = env["ir.qweb"]._render(
            CONTEST_LETTER,
            {
                "move": move,
                "partner": partner.with_env(env),
                "company": move.company_id,
                "intro": env._(
                    "we have received through the Exchange System (SdI) your invoice "
                    "%(number)s of %(date)s. It does not match our orders and the goods we "
                    "received:",
                    number=move.ref or move.name,
                    date=date,
                ),
                "lines": move._bo_fpa_contest_lines() if lines is None else lines,
            },
        )
        return subject, body

    # ------------------------------------------------------------------
    # The contest
    # ------------------------------------------------------------------

    def action_bo_fpa_contest(self):
        """Open the contest letter of the bill, to check and send."""
        self.ensure_one()
        self._bo_fpa_check_contest()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contest the Invoice"),
            "res_model": "bo.fpa.contest",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    @bo_guard.writes(*CONTEST_FIELDS)
    def _bo_fpa_contest(self, partner, **options):
        """Send the contest letter to ``partner`` (a contact of the supplier)
        and record the contest on the bill, which stays blocked. ``options``
        are for the way the letter is sent (``_bo_fpa_contest_send``)."""
        self.ensure_one()
        self._bo_fpa_check_contest()
        if partner.commercial_partner_id != self.commercial_partner_id:
            raise UserError(
                self.env._(
                    "%(partner)s is not a contact of %(supplier)s: the letter goes to the "
                    "supplier of the invoice.",
                    partner=partner.display_name,
                    supplier=self.commercial_partner_id.display_name,
                )
            )
        if not partner.email:
            raise UserError(
                self.env._(
                    "%s has no email address: add one, or choose another contact of the supplier.",
                    partner.display_name,
                )
            )
        lang = self._bo_fpa_contest_lang(partner)
        lines = self.with_context(lang=lang)._bo_fpa_contest_lines()
        subject, body = self._bo_fpa_contest_letter(partner, lines)
        sent = self._bo_fpa_contest_send(partner, subject, body, lines, **options)
        fingerprint = self.sudo()._bo_fpa_contest_fingerprint()
        # sudo: the contest is the Back Office user's act (checked above) on a
        # bill they may read; recording it needs no right to edit the accounting
        self.sudo().write(
            {
                "bo_fpa_contest_date": fields.Datetime.now(),
                "bo_fpa_contest_user_id": self.env.uid,
                "bo_fpa_contest_digest": fingerprint,
            }
        )
        return sent

    def _bo_fpa_contest_send(self, partner, subject, body, lines, **options):
        """Email the letter to ``partner`` from the bill's chatter."""
        self.ensure_one()
        return self.message_post(
            body=body,
            subject=subject,
            partner_ids=partner.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            email_layout_xmlid="mail.mail_notification_light",
        )
