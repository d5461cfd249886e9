"""The three-way match: each vendor bill line against its purchase order line
(price) and the quantity received (quantity), within the tolerances of the
company or the supplier. Its result is computed and guarded: only the match
writes it."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare

from .account_move import INTERNAL


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
        bo_guarded=True,
        help="Each bill line against its purchase order line (price) and the quantity "
        "received (quantity), within the tolerances of the company or the supplier.",
    )
    bo_match_reasons = fields.Text(
        string="Match Reasons",
        compute="_compute_bo_match",
        store=True,
        copy=False,
        groups=INTERNAL,
        bo_guarded=True,
    )

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
            qty, billed_price = line._bo_match_billed()
            billed_here[order_line] += qty
            ordered_price = order_line.price_unit * (1 - (order_line.discount or 0.0) / 100)
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

    def action_bo_check_match(self):
        """Match again now: goods are received without the bill changing."""
        self.env.add_to_compute(self._fields["bo_match_state"], self)
        self.env.add_to_compute(self._fields["bo_match_reasons"], self)
        self.modified(["bo_match_state"])
        self.flush_recordset(["bo_match_state", "bo_match_reasons", "bo_payment_blocked"])
        return True

    def _post(self, soft=True):
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
