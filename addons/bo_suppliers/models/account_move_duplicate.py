"""Likely duplicate vendor bills: same supplier and reference (normalized),
same amount within a few days, or the same attached file. Posting one needs a
Back Office manager's confirmation that it is not a duplicate."""

import re
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .account_move import BILL_TYPES, INTERNAL


def normalize_bill_reference(ref):
    """A supplier's reference as duplicates share it: case, spaces,
    punctuation and leading zeros of each number ignored."""
    if not ref:
        return False
    tokens = re.findall(r"[^\W_]+", ref.casefold())
    return "".join(re.sub(r"(?<!\d)0+(?=\d)", "", token) for token in tokens) or False


class AccountMove(models.Model):
    _inherit = "account.move"

    # guarded: a reference written by hand here would hide a duplicate
    bo_ref_normalized = fields.Char(
        string="Normalized Reference",
        compute="_compute_bo_ref_normalized",
        store=True,
        index="btree_not_null",
        groups=INTERNAL,
        bo_guarded=True,
    )
    bo_duplicate_bill_ids = fields.Many2many(
        "account.move",
        string="Likely Duplicates",
        compute="_compute_bo_duplicate_bill_ids",
        compute_sudo=True,
        groups=INTERNAL,
    )
    bo_not_duplicate_user_id = fields.Many2one(
        "res.users",
        string="Not a Duplicate, Confirmed By",
        copy=False,
        readonly=True,
        tracking=True,
        groups=INTERNAL,
        bo_guarded=True,
    )
    bo_not_duplicate_of = fields.Char(
        string="Confirmed Against",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="Ids of the bills the confirmation was given against.",
    )

    @api.depends("ref")
    def _compute_bo_ref_normalized(self):
        for move in self:
            move.bo_ref_normalized = (
                normalize_bill_reference(move.ref) if move.move_type in BILL_TYPES else False
            )

    @api.depends(
        "move_type",
        "partner_id",
        "ref",
        "amount_total",
        "invoice_date",
        "company_id",
        "attachment_ids",
    )
    def _compute_bo_duplicate_bill_ids(self):
        duplicates = self._bo_find_duplicates()
        for move in self:
            move.bo_duplicate_bill_ids = duplicates.get(move, self.browse())

    def _bo_find_duplicates(self):
        """{bill: likely duplicates}, with one search for all the bills."""
        bills = self.filtered(
            lambda m: (
                m.move_type in BILL_TYPES
                and m.partner_id
                and m.state != "cancel"
                and m.company_id.bo_duplicate_bill_check
            )
        )
        if not bills:
            return {}
        refs = {normalize_bill_reference(m.ref) for m in bills} - {False}
        checksums = bills._bo_attachment_checksums()
        all_checksums = set().union(*checksums.values()) if checksums else set()
        domain_or = [[("bo_ref_normalized", "in", list(refs))]] if refs else []
        for bill in bills:
            if bill.amount_total and bill.invoice_date:
                days = timedelta(days=bill.company_id.bo_duplicate_bill_days)
                domain_or.append(
                    [
                        ("commercial_partner_id", "=", bill.partner_id.commercial_partner_id.id),
                        ("amount_total", "=", bill.amount_total),
                        ("invoice_date", ">=", bill.invoice_date - days),
                        ("invoice_date", "<=", bill.invoice_date + days),
                    ]
                )
        if all_checksums:
            # sudo: attachments of bills the reader cannot open still reveal a
            # duplicate (only the bill's name is shown, in the same company).
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "account.move"),
                        ("checksum", "in", list(all_checksums)),
                    ]
                )
            )
            domain_or.append([("id", "in", attachments.mapped("res_id"))])
        if not domain_or:
            return {}
        domain = [
            ("move_type", "in", BILL_TYPES),
            ("state", "!=", "cancel"),
            ("company_id", "in", bills.company_id.ids),
            ("commercial_partner_id", "in", bills.partner_id.commercial_partner_id.ids),
        ]
        # sudo: a duplicate is one whoever registered it, in the bill's company.
        candidates = self.sudo().search(Domain.AND([domain, Domain.OR(domain_or)]))
        candidate_checksums = candidates._bo_attachment_checksums() if all_checksums else {}
        result = {}
        for bill in bills:
            partner = bill.partner_id.commercial_partner_id
            ref = normalize_bill_reference(bill.ref)
            days = bill.company_id.bo_duplicate_bill_days
            found = candidates.filtered(
                lambda c, bill=bill, partner=partner, ref=ref, days=days: (
                    c != bill._origin
                    and c.company_id == bill.company_id
                    and c.move_type == bill.move_type
                    and c.commercial_partner_id == partner
                    and (
                        (ref and c.bo_ref_normalized == ref)
                        or (
                            bill.amount_total
                            and bill.invoice_date
                            and c.invoice_date
                            and c.currency_id == bill.currency_id
                            and not c.currency_id.compare_amounts(c.amount_total, bill.amount_total)
                            and abs((c.invoice_date - bill.invoice_date).days) <= days
                        )
                        or (checksums.get(bill, set()) & candidate_checksums.get(c, set()))
                    )
                )
            )
            if found:
                result[bill] = found
        return result

    def _bo_attachment_checksums(self):
        """{bill: set of checksums of its attached files}."""
        ids = [move_id for move_id in self._origin.ids if move_id]
        result = defaultdict(set)
        if not ids:
            return result
        # sudo: only checksums are compared, never shown.
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "account.move"), ("res_id", "in", ids)])
        )
        by_id = {move._origin.id: move for move in self}
        for attachment in attachments:
            if attachment.checksum:
                result[by_id[attachment.res_id]].add(attachment.checksum)
        return result

    @bo_guard.writes("bo_not_duplicate_user_id", "bo_not_duplicate_of")
    def action_bo_confirm_not_duplicate(self):
        """A Back Office manager confirms the bill is not a duplicate of the
        bills found now; posting is then allowed, and the confirmation logged."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(
                self.env._("Only a Back Office manager can confirm a bill is not a duplicate.")
            )
        self.check_access("write")
        for move in self:
            duplicates = move.bo_duplicate_bill_ids
            move.write(
                {
                    "bo_not_duplicate_user_id": self.env.uid,
                    "bo_not_duplicate_of": ",".join(str(i) for i in sorted(duplicates.ids)),
                }
            )
            move.message_post(
                body=self.env._(
                    "Confirmed not a duplicate of: %(bills)s",
                    bills=", ".join(duplicates.mapped("display_name")) or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _bo_check_duplicates_before_post(self):
        unconfirmed = {}
        for move, duplicates in self._bo_find_duplicates().items():
            confirmed = {int(i) for i in (move.sudo().bo_not_duplicate_of or "").split(",") if i}
            if set(duplicates.ids) - confirmed:
                unconfirmed[move] = duplicates
        if not unconfirmed:
            return
        details = "\n".join(
            f"{move.display_name}: {', '.join(dups.mapped('display_name'))}"
            for move, dups in unconfirmed.items()
        )
        raise UserError(
            self.env._(
                "These bills look like duplicates of bills already registered (same supplier "
                "and reference, or same amount within a few days, or the same file):\n"
                "%(details)s\n\nA Back Office manager must confirm they are not duplicates "
                '(button "Not a Duplicate") before they are posted.',
                details=details,
            )
        )

    def _post(self, soft=True):
        self._bo_check_duplicates_before_post()
        return super()._post(soft=soft)
