import hashlib
import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare

from .bo_supplier_qualification import bo_is_privileged, bo_privileged

BILL_TYPES = ("in_invoice", "in_refund")
# Only the back office's own actions set these: the match (computed), the
# manager's release of the payment block and the "not a duplicate"
# confirmation (through their actions).
BO_PROTECTED_BILL_FIELDS = frozenset(
    (
        "bo_match_state",
        "bo_match_reasons",
        "bo_payment_blocked",
        "bo_release_user_id",
        "bo_release_reason",
        "bo_release_date",
        "bo_release_digest",
        "bo_not_duplicate_user_id",
        "bo_not_duplicate_of",
    )
)
INTERNAL = "base.group_user"


def normalize_bill_reference(ref):
    """A supplier's reference as duplicates share it: case, spaces,
    punctuation and leading zeros of each number ignored."""
    if not ref:
        return False
    tokens = re.findall(r"[^\W_]+", ref.casefold())
    return "".join(re.sub(r"(?<!\d)0+(?=\d)", "", token) for token in tokens) or False


class AccountMove(models.Model):
    _inherit = "account.move"

    bo_match_state = fields.Selection(
        [("matched", "Matched"), ("mismatch", "Does Not Match")],
        string="Three-Way Match",
        compute="_compute_bo_match",
        store=True,
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
        help="Each bill line against its purchase order line (price) and the quantity "
        "received (quantity), within the tolerances of the company or the supplier.",
    )
    bo_match_reasons = fields.Text(
        string="Match Reasons",
        compute="_compute_bo_match",
        store=True,
        copy=False,
        groups=INTERNAL,
    )
    bo_payment_blocked = fields.Boolean(
        string="Blocked for Payment",
        compute="_compute_bo_payment_blocked",
        store=True,
        copy=False,
        index=True,
        groups=INTERNAL,
        help="The bill does not match its purchase order and receipts, and no Back "
        "Office manager released it as it is.",
    )
    bo_release_user_id = fields.Many2one(
        "res.users",
        string="Payment Released By",
        copy=False,
        readonly=True,
        tracking=True,
        groups=INTERNAL,
    )
    bo_release_reason = fields.Text(
        string="Release Reason", copy=False, readonly=True, tracking=True, groups=INTERNAL
    )
    bo_release_date = fields.Datetime(
        string="Released On", copy=False, readonly=True, groups=INTERNAL
    )
    bo_release_digest = fields.Char(
        string="Release Fingerprint",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        help="The bill as the manager released it: the release covers it only while "
        "its lines and amounts are unchanged.",
    )
    bo_ref_normalized = fields.Char(
        string="Normalized Reference",
        compute="_compute_bo_ref_normalized",
        store=True,
        index="btree_not_null",
        groups=INTERNAL,
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
    )
    bo_not_duplicate_of = fields.Char(
        string="Confirmed Against",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        help="Ids of the bills the confirmation was given against.",
    )
    bo_bank_change_warning = fields.Text(
        string="Bank Account Warning",
        compute="_compute_bo_bank_change_warning",
        compute_sudo=True,
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Three-way match
    # ------------------------------------------------------------------

    def _bo_match_applies(self):
        return self.filtered(
            lambda m: (
                m.move_type == "in_invoice"
                and m.state in ("draft", "posted")
                and m.company_id.bo_three_way_match
                and m.invoice_line_ids.purchase_line_id
            )
        )

    @api.depends(
        "move_type",
        "state",
        "partner_id",
        "company_id.bo_three_way_match",
        "invoice_line_ids.purchase_line_id",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.discount",
        "invoice_line_ids.product_uom_id",
        "invoice_line_ids.purchase_line_id.qty_received",
        "invoice_line_ids.purchase_line_id.price_unit",
        "invoice_line_ids.purchase_line_id.discount",
    )
    def _compute_bo_match(self):
        bills = self._bo_match_applies()
        billed_elsewhere = bills._bo_qty_billed_on_other_bills()
        for move in self:
            if move not in bills:
                move.bo_match_state = False
                move.bo_match_reasons = False
                continue
            reasons = move._bo_match_reasons(billed_elsewhere)
            move.bo_match_state = "mismatch" if reasons else "matched"
            move.bo_match_reasons = "\n".join(reasons) or False

    def _bo_qty_billed_on_other_bills(self):
        """{(purchase line id, bill id): quantity billed on the other posted
        bills and credit notes of the purchase line}, in the purchase unit."""
        purchase_lines = self.invoice_line_ids.purchase_line_id
        if not purchase_lines:
            return {}
        groups = self.env["account.move.line"]._read_group(
            [
                ("purchase_line_id", "in", purchase_lines.ids),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
            ],
            ["purchase_line_id", "move_id", "product_uom_id"],
            ["quantity:sum"],
        )
        per_line_bill = defaultdict(float)
        for purchase_line, bill, uom, quantity in groups:
            target = purchase_line.product_uom_id
            qty = uom._compute_quantity(quantity, target) if uom and target else quantity
            sign = -1 if bill.move_type == "in_refund" else 1
            per_line_bill[purchase_line.id, bill.id] += sign * qty
        result = {}
        for bill in self:
            for purchase_line in bill.invoice_line_ids.purchase_line_id:
                result[purchase_line.id, bill._origin.id] = sum(
                    qty
                    for (line_id, bill_id), qty in per_line_bill.items()
                    if line_id == purchase_line.id and bill_id != bill._origin.id
                )
        return result

    def _bo_match_reasons(self, billed_elsewhere):
        """The reasons this bill does not match (empty: it matches)."""
        self.ensure_one()
        price_pct, price_amount, qty_pct, qty_units = (
            self.partner_id.commercial_partner_id._bo_match_tolerances(self.company_id)
            if self.partner_id
            else self.company_id.partner_id._bo_match_tolerances(self.company_id)
        )
        reasons = []
        billed_here = defaultdict(float)
        for line in self.invoice_line_ids.filtered("purchase_line_id"):
            order_line = line.purchase_line_id
            uom = order_line.product_uom_id
            qty = (
                line.product_uom_id._compute_quantity(line.quantity, uom)
                if uom and line.product_uom_id
                else line.quantity
            )
            billed_here[order_line] += qty
            ordered_price = order_line.price_unit * (1 - (order_line.discount or 0.0) / 100)
            billed_price = line.price_unit * (1 - (line.discount or 0.0) / 100)
            if line.product_uom_id and uom and line.product_uom_id != uom and qty:
                billed_price = billed_price * line.quantity / qty
            tolerance = max(abs(ordered_price) * price_pct / 100, price_amount)
            currency = line.currency_id
            if currency.compare_amounts(billed_price, ordered_price + tolerance) > 0:
                reasons.append(
                    self.env._(
                        "%(product)s: unit price %(billed)s is above the ordered %(ordered)s "
                        "(%(order)s) beyond the tolerance.",
                        product=line.product_id.display_name or line.name,
                        billed=currency.format(billed_price),
                        ordered=currency.format(ordered_price),
                        order=order_line.order_id.name,
                    )
                )
        for order_line, qty in billed_here.items():
            total = qty + billed_elsewhere.get((order_line.id, self._origin.id), 0.0)
            received = order_line.qty_received
            tolerance = max(abs(received) * qty_pct / 100, qty_units)
            rounding = order_line.product_uom_id.rounding or 0.01
            if float_compare(total, received + tolerance, precision_rounding=rounding) > 0:
                reasons.append(
                    self.env._(
                        "%(product)s: %(billed)s billed in all (this bill and the other "
                        "posted bills of %(order)s) but %(received)s received.",
                        product=order_line.product_id.display_name or order_line.name,
                        billed=total,
                        received=received,
                        order=order_line.order_id.name,
                    )
                )
        return reasons

    def _bo_release_fingerprint(self):
        """What the match sees of the bill, as a digest: a release covers it."""
        self.ensure_one()
        lines = sorted(
            (
                line._origin.id or 0,
                line.purchase_line_id.id or 0,
                line.product_id.id or 0,
                line.product_uom_id.id or 0,
                line.quantity,
                line.price_unit,
                line.discount,
            )
            for line in self.invoice_line_ids
        )
        content = repr((self.partner_id.id, self.currency_id.id, self.amount_total, lines))
        return hashlib.sha256(content.encode()).hexdigest()

    @api.depends(
        "bo_match_state",
        "bo_release_digest",
        "amount_total",
        "invoice_line_ids.quantity",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.discount",
        "invoice_line_ids.product_id",
    )
    def _compute_bo_payment_blocked(self):
        for move in self:
            move.bo_payment_blocked = bool(
                move.bo_match_state == "mismatch"
                and move.bo_release_digest != move._bo_release_fingerprint()
            )

    def action_bo_check_match(self):
        """Match again now: goods are received without the bill changing."""
        self.env.add_to_compute(self._fields["bo_match_state"], self)
        self.env.add_to_compute(self._fields["bo_match_reasons"], self)
        self.modified(["bo_match_state"])
        self.flush_recordset(["bo_match_state", "bo_match_reasons", "bo_payment_blocked"])
        return True

    def action_bo_release_payment(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Payment"),
            "res_model": "bo.bill.payment.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _bo_release_payment(self, reason):
        """Release the bills as they are now; only the release wizard calls this."""
        if not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(
                self.env._("Only a Back Office manager can release a bill for payment.")
            )
        self.check_access("write")
        for move in self:
            bo_privileged(move).write(
                {
                    "bo_release_user_id": self.env.uid,
                    "bo_release_reason": reason,
                    "bo_release_date": fields.Datetime.now(),
                    "bo_release_digest": move._bo_release_fingerprint(),
                }
            )
            move.message_post(
                body=Markup("%s<br/>%s")
                % (self.env._("Released for payment despite the three-way match:"), reason),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _bo_check_payment_allowed(self):
        """Refuse paying or reconciling blocked bills, saying why and who releases."""
        # sudo: the block is read whoever pays (accountants without the
        # internal field groups included); it only gates, it reveals its reasons
        # to those who may read the bill.
        blocked = self.sudo().filtered("bo_payment_blocked")
        if not blocked:
            return
        details = "\n\n".join(f"{move.display_name}:\n{move.bo_match_reasons}" for move in blocked)
        raise UserError(
            self.env._(
                "These bills are blocked for payment because they do not match their purchase "
                "orders and receipts:\n\n%(details)s\n\nCorrect the bills, or ask a Back Office "
                "manager to release them for payment with a reason.",
                details=details,
            )
        )

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------

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
            bo_privileged(move).write(
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

    # ------------------------------------------------------------------
    # Bank account changes
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id", "move_type")
    def _compute_bo_bank_change_warning(self):
        for move in self:
            move.bo_bank_change_warning = (
                move.partner_id._bo_bank_change_warning(move.company_id)
                if move.move_type in BILL_TYPES and move.partner_id
                else False
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    def _bo_check_protected_values(self, vals):
        if bo_is_privileged(self.env):
            return
        protected = BO_PROTECTED_BILL_FIELDS.intersection(vals)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a vendor bill are set by the back office's own actions "
                    "(the three-way match and a Back Office manager's release or "
                    "confirmation), never directly.",
                    fields=", ".join(
                        self._fields[fname].get_description(self.env)["string"]
                        for fname in sorted(protected)
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_check_protected_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._bo_check_protected_values(vals)
        if "matched_payment_ids" in vals:
            self._bo_check_payment_allowed()
        return super().write(vals)

    def _post(self, soft=True):
        self._bo_check_duplicates_before_post()
        posted = super()._post(soft=soft)
        posted._bo_notify_mismatch()
        return posted

    def _bo_notify_mismatch(self):
        """An activity for the buyer of each bill that does not match."""
        # sudo: whoever posts (an accountant) gives the buyer an activity.
        for move in self.sudo().filtered("bo_payment_blocked"):
            buyer = move.invoice_line_ids.purchase_line_id.order_id.user_id[:1]
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(buyer or self.env.user).id,
                summary=self.env._("Bill to check: it does not match its purchase order"),
                note=move.bo_match_reasons,
            )
