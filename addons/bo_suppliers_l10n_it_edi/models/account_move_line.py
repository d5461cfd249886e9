"""A bill line of a FatturaPA: what the import found about it (guarded: only
the import writes it) and, live, how it compares with its purchase order line
and with what the named DDTs brought in."""

from odoo import api, fields, models
from odoo.addons.bo_suppliers.models.account_move import INTERNAL
from odoo.tools import float_compare

from .account_move_fatturapa import _words
from .findings import load_findings, render_finding

STOCK_READERS = "stock.group_stock_user"
# Findings about a line the import could not link: moot once it is linked.
UNLINKED = frozenset({"ambiguous", "no_fit"})


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    bo_fpa_notes = fields.Text(
        string="FatturaPA Import Findings",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="What the import of the FatturaPA found about this line (stored as data).",
    )
    bo_fpa_picking_ids = fields.Many2many(
        "stock.picking",
        "bo_fpa_move_line_picking_rel",
        "move_line_id",
        "picking_id",
        string="Receipts of the DDT",
        copy=False,
        readonly=True,
        groups=STOCK_READERS,
        bo_guarded=True,
        help="The receipts of this supplier whose DDT the FatturaPA names for this line: "
        "the line is matched against what they brought in.",
    )
    bo_fpa_ddt_billed_elsewhere = fields.Float(
        string="Of the DDT, Billed Elsewhere",
        compute="_compute_bo_fpa_ddt_billed_elsewhere",
        compute_sudo=True,
        digits="Product Unit",
        groups=INTERNAL,
        help="What the supplier's other bills (not cancelled) already invoice of what this "
        "line's DDTs brought in, for its order line (its product, without one).",
    )
    bo_fpa_ddt_other_bill_ids = fields.Many2many(
        "account.move",
        string="Other Bills of the DDT",
        compute="_compute_bo_fpa_ddt_billed_elsewhere",
        compute_sudo=True,
        groups=INTERNAL,
        help="The supplier's other bills that invoice goods of this line's DDTs.",
    )
    bo_fpa_findings = fields.Text(
        string="FatturaPA Findings",
        compute="_compute_bo_fpa_findings",
        compute_sudo=True,
        groups=INTERNAL,
        help="Where the FatturaPA differs from the purchase order and the receipts.",
    )

    @api.depends_context("lang")
    @api.depends(
        "bo_fpa_notes",
        "bo_fpa_picking_ids",
        "purchase_line_id",
        "quantity",
        "price_unit",
        "discount",
        "move_id.bo_fpa_credit_note_ids.state",
        "move_id.bo_fpa_credit_note_ids.invoice_line_ids.quantity",
        "move_id.bo_fpa_credit_note_ids.invoice_line_ids.price_unit",
        "move_id.bo_fpa_credit_note_ids.invoice_line_ids.discount",
        "move_id.bo_fpa_credit_note_ids.invoice_line_ids.product_id",
    )
    def _compute_bo_fpa_findings(self):
        for line in self:
            findings = line._bo_fpa_findings()
            line.bo_fpa_findings = (
                "\n".join(render_finding(self.env, finding) for finding in findings) or False
            )

    @api.depends("bo_fpa_picking_ids", "purchase_line_id", "product_id")
    def _compute_bo_fpa_ddt_billed_elsewhere(self):
        """One search for the lines of every bill at hand: the other bills'
        lines naming the same DDTs, for the same order line (product)."""
        lines = self.filtered("bo_fpa_picking_ids")
        others = self.browse()
        if lines:
            others = self.search(
                [
                    ("bo_fpa_picking_ids", "in", lines.bo_fpa_picking_ids.ids),
                    ("move_id.move_type", "=", "in_invoice"),
                    ("parent_state", "!=", "cancel"),
                ]
            )
        for line in self:
            same = others.filtered(
                lambda other, line=line: (
                    other.move_id != line.move_id
                    and other.bo_fpa_picking_ids & line.bo_fpa_picking_ids
                    and (
                        other.purchase_line_id == line.purchase_line_id
                        if line.purchase_line_id
                        else other.product_id == line.product_id
                    )
                )
            )
            line.bo_fpa_ddt_billed_elsewhere = sum(
                other._bo_fpa_billed_in(line.purchase_line_id.product_uom_id or line.product_uom_id)
                for other in same
            )
            line.bo_fpa_ddt_other_bill_ids = same.move_id

    def _bo_fpa_billed_in(self, uom):
        """What this line bills, net of its credit notes, in ``uom``."""
        self.ensure_one()
        qty = self._bo_match_billed()[0]
        source = self.purchase_line_id.product_uom_id or self.product_uom_id
        if uom and source and source != uom:
            qty = source._compute_quantity(qty, uom)
        return qty

    def _bo_fpa_findings(self):
        """The line's findings: the import's and the live comparisons."""
        self.ensure_one()
        findings = load_findings(self.bo_fpa_notes)
        if self.purchase_line_id:
            # a person chose the order line the import could only propose
            findings = [item for item in findings if item.get("code") not in UNLINKED]
        if not self.move_id.bo_fpa_imported:
            return findings
        move = self.move_id
        partner = move.commercial_partner_id or move.company_id.partner_id
        price_pct, price_amount, qty_pct, qty_units = partner._bo_match_tolerances(move.company_id)
        order_line = self.purchase_line_id
        # as the three-way match sees the line: net of the supplier's credit notes
        billed_qty, billed = self._bo_match_billed()
        if order_line and billed_qty:
            ordered = order_line.price_unit * (1 - (order_line.discount or 0.0) / 100)
            tolerance = max(abs(ordered) * price_pct / 100, price_amount)
            currency = self.currency_id
            if abs(billed - ordered) > tolerance and currency.compare_amounts(billed, ordered):
                findings.append(
                    {
                        "code": "price",
                        "billed": currency.format(billed),
                        "ordered": currency.format(ordered),
                        "order": order_line.order_id.name,
                        "higher": currency.compare_amounts(billed, ordered) > 0,
                    }
                )
        pickings = self.sudo().bo_fpa_picking_ids
        if pickings:
            # what the DDTs brought in, less what other bills already invoice of it
            received = self._bo_fpa_ddt_received(pickings)
            elsewhere = self.bo_fpa_ddt_billed_elsewhere
            tolerance = max(abs(received) * qty_pct / 100, qty_units)
            if float_compare(billed_qty, received - elsewhere + tolerance, precision_digits=3) > 0:
                finding = {
                    "code": "ddt_qty",
                    "billed": billed_qty,
                    "received": received,
                    "ddts": sorted(set(pickings.mapped("bo_supplier_ddt_number"))),
                }
                if float_compare(elsewhere, 0.0, precision_digits=3) > 0:
                    finding["elsewhere"] = elsewhere
                    finding["bills"] = sorted(
                        move.ref or move.name for move in self.bo_fpa_ddt_other_bill_ids
                    )
                findings.append(finding)
        elif order_line:
            received = order_line.qty_received
            tolerance = max(abs(received) * qty_pct / 100, qty_units)
            if float_compare(billed_qty, received + tolerance, precision_digits=3) > 0:
                findings.append(
                    {
                        "code": "qty",
                        "billed": billed_qty,
                        "received": received,
                        "order": order_line.order_id.name,
                    }
                )
        return findings

    def _bo_match_billed(self):
        """The line net of what the supplier's credit notes linked to its bill
        credit on it (``account.move._bo_fpa_credits``): a quantity of goods
        credited is no longer billed, and every amount credited lowers the
        unit price of what remains billed."""
        qty, price = super()._bo_match_billed()
        move = self.move_id
        # sudo: the netting is the same whoever reads the bill
        if move.move_type != "in_invoice" or not move.sudo().bo_fpa_credit_note_ids:
            return qty, price
        credited = move._bo_fpa_credits()[0].get(self)
        if not credited:
            return qty, price
        credited_qty, credited_amount = credited
        # the credits are in the line's unit, the match reads the order line's
        factor = qty / self.quantity if self.quantity else 1.0
        net_qty = qty - credited_qty * factor
        if float_compare(net_qty, 0.0, precision_digits=6) <= 0:
            return 0.0, 0.0
        return net_qty, (qty * price - credited_amount) / net_qty

    def _bo_fpa_credited_line(self, bill_lines):
        """The line among ``bill_lines`` that this credit note line credits:
        the one of its order line, else of its product, else of its
        description, when exactly one fits; else none."""
        self.ensure_one()
        fit = bill_lines.browse()
        if self.purchase_line_id:
            fit = bill_lines.filtered(lambda line: line.purchase_line_id == self.purchase_line_id)
        if not fit and self.product_id:
            fit = bill_lines.filtered(lambda line: line.product_id == self.product_id)
        words = _words(self.name)
        if words and len(fit) != 1:

            def described(line):
                name = _words(line.name)
                return bool(name) and (name in words or words in name)

            narrowed = (fit or bill_lines).filtered(described)
            if len(narrowed) == 1 or not fit:
                fit = narrowed
        return fit if len(fit) == 1 else bill_lines.browse()

    def _bo_fpa_ddt_received(self, pickings):
        """What ``pickings`` (the receipts of the DDT) brought in of this
        line's order line (of its product, without one), in the order line's
        unit (the line's own, without an order line)."""
        self.ensure_one()
        order_line = self.purchase_line_id
        target = order_line.product_uom_id or self.product_uom_id
        received = 0.0
        for move in pickings.move_ids:
            if move.state != "done":
                continue
            if order_line:
                if move.purchase_line_id != order_line:
                    continue
            elif not self.product_id or move.product_id != self.product_id:
                continue
            qty = move.quantity
            if target and move.product_uom and move.product_uom != target:
                qty = move.product_uom._compute_quantity(qty, target)
            received += qty
        return received
