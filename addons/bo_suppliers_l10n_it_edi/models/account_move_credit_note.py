"""The supplier's credit note (FatturaPA ``TD04``) for a bill that does not
match: linked to the bill it names, netted against it, and the payment block
lifted when the bill is then within the tolerances of the three-way match.

- The import links a ``TD04`` to the bill its ``DatiFattureCollegate`` names
  (``IdDocumento``, and ``Data`` when given): a bill of the credit note's own
  supplier (commercial entity) in the credit note's own company, never
  another's. The link is guarded: only the import writes it. A credit note
  typed by hand, or linked by hand through Odoo's own *Reversal of* (which the
  import sets too, so that posting the credit note reconciles it with the
  bill), nets nothing.
- The same credit note (same supplier and number) is netted once: the import
  refuses a second one, and a unique index is the arbiter between two imports
  running at once.
- The netting is in one place: :meth:`_bo_fpa_credits` says which bill line
  each credit line credits and how, and ``account.move.line._bo_match_billed``
  (the line as the three-way match and the FatturaPA findings read it) takes
  it off. The block then lifts, or not, through bo_suppliers' own match: no
  one's release, and nothing a manager's release would have to cover.
"""

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_suppliers.models.account_move import INTERNAL
from odoo.addons.bo_suppliers.models.account_move_duplicate import normalize_bill_reference

from .account_move_fatturapa import _text
from .findings import dump_findings, load_findings

CREDIT_NOTE_FIELDS = ("bo_fpa_imported", "bo_fpa_notes", "bo_fpa_credited_bill_id")
CREDIT_NOTE_SUBTYPE = "bo_suppliers_l10n_it_edi.mt_bo_fpa_credit_note"


class AccountMove(models.Model):
    _inherit = "account.move"

    bo_fpa_credited_bill_id = fields.Many2one(
        "account.move",
        string="Credit Note of Bill",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        groups=INTERNAL,
        bo_guarded=True,
        help="The bill of the same supplier that this FatturaPA credit note (TD04) names "
        "(DatiFattureCollegate): it is netted against that bill's three-way match.",
    )
    bo_fpa_credit_note_ids = fields.One2many(
        "account.move",
        "bo_fpa_credited_bill_id",
        string="Supplier's Credit Notes",
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="The supplier's FatturaPA credit notes (TD04) that name this bill: netted "
        "against it in the three-way match.",
    )
    bo_fpa_netted_credit_note_ids = fields.Many2many(
        "account.move",
        string="Credit Notes Netted",
        compute="_compute_bo_fpa_netted_credit_note_ids",
        compute_sudo=True,
        groups=INTERNAL,
        help="The supplier's credit notes netted against this bill in the three-way match.",
    )
    bo_fpa_lifted_by_id = fields.Many2one(
        "account.move",
        string="Payment Block Lifted By",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups=INTERNAL,
        bo_guarded=True,
        help="The supplier's credit note that brought the bill within the tolerances of "
        "the three-way match, which lifted its payment block.",
    )

    _bo_fpa_credit_note_once = models.UniqueIndex(
        "(bo_fpa_credited_bill_id, bo_ref_normalized) "
        "WHERE bo_fpa_credited_bill_id IS NOT NULL AND state != 'cancel'",
        "This credit note of the supplier is already netted against the bill.",
    )

    @api.depends(
        "bo_fpa_credit_note_ids.state",
        "bo_fpa_credit_note_ids.commercial_partner_id",
        "commercial_partner_id",
    )
    def _compute_bo_fpa_netted_credit_note_ids(self):
        for move in self:
            move.bo_fpa_netted_credit_note_ids = (
                move._bo_fpa_netted_credit_notes() if move.move_type == "in_invoice" else False
            )

    # ------------------------------------------------------------------
    # The link, made by the import
    # ------------------------------------------------------------------

    @bo_guard.writes(*CREDIT_NOTE_FIELDS)
    def _bo_fpa_import_credit_note(self, body):
        """Link this credit note, imported from a FatturaPA, to the bill it
        names, and net it there; what stands in the way is written on the
        credit note (as findings: in each reader's language)."""
        self.ensure_one()
        notes = []
        bill = self.browse()
        if _text(body, "DatiGenerali/DatiGeneraliDocumento/TipoDocumento") == "TD04":
            named = []
            for element in body.findall("./DatiGenerali/DatiFattureCollegate"):
                reference = (_text(element, "IdDocumento"), _text(element, "Data"))
                if reference[0] and reference not in named:
                    named.append(reference)
            bill = self._bo_fpa_named_bill(named, notes)
            if bill and bill.currency_id != self.currency_id:
                notes.append(
                    {
                        "code": "credit_currency",
                        "currency": self.currency_id.name,
                        "bill": bill.display_name,
                        "bill_currency": bill.currency_id.name,
                    }
                )
                bill = self.browse()
        self.write({"bo_fpa_imported": True, "bo_fpa_notes": dump_findings(notes)})
        if bill:
            self._bo_fpa_link_to_bill(bill)
        return True

    def _bo_fpa_named_bill(self, named, notes):
        """The one bill of this supplier and company that ``named`` [(number,
        date)] designates, or none; ``notes`` gets why not."""
        supplier = self.commercial_partner_id
        if not named:
            notes.append({"code": "credit_unnamed"})
            return self.browse()
        refs = {normalize_bill_reference(number) for number, _date in named} - {False}
        bills = self.browse()
        if supplier and refs:
            # sudo: the import runs for whoever brings the file in (OdooBot for
            # the SdI and the mail alias); it looks among the bills of the
            # credit note's own supplier and company only.
            bills = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("move_type", "=", "in_invoice"),
                        ("state", "!=", "cancel"),
                        ("company_id", "=", self.company_id.id),
                        ("commercial_partner_id", "=", supplier.id),
                        ("bo_ref_normalized", "in", sorted(refs)),
                    ]
                )
            )
        found = self.browse()
        for number, date in named:
            ref = normalize_bill_reference(number)
            fits = bills.filtered(
                lambda bill, ref=ref, date=date: (
                    bill.bo_ref_normalized == ref
                    and (not date or (bill.invoice_date and bill.invoice_date.isoformat() == date))
                )
            )
            if len(fits) > 1:
                # a likely duplicate of the bill waits in draft: the posted one it is
                fits = fits.filtered(lambda bill: bill.state == "posted") or fits
            if len(fits) == 1:
                found |= fits
            elif fits:
                notes.append(
                    {
                        "code": "credit_ambiguous",
                        "invoice": number,
                        "date": date,
                        "bills": fits.mapped("display_name"),
                    }
                )
            else:
                notes.append({"code": "credit_missing", "invoice": number, "date": date})
        if len(found) > 1:
            notes.append({"code": "credit_several", "bills": found.mapped("display_name")})
            return self.browse()
        return found.with_env(self.env)

    def _bo_fpa_link_to_bill(self, bill):
        """Net this credit note (granted its link) against ``bill``, once."""
        self.ensure_one()
        # sudo: whoever imports (an accountant, OdooBot) links the credit note to
        # the bill of its supplier and company that it names, and updates its block.
        sudo_bill = bill.sudo()
        twin = sudo_bill.bo_fpa_credit_note_ids.filtered(
            lambda note: note.state != "cancel" and note.bo_ref_normalized == self.bo_ref_normalized
        )[:1]
        vals = {"bo_fpa_credited_bill_id": bill.id}
        if not self.reversed_entry_id:
            # Odoo's own link: the credit note shows the bill it reverses, and
            # posting it reconciles the two.
            vals["reversed_entry_id"] = bill.id
        was_blocked = sudo_bill.bo_payment_blocked
        if not twin:
            try:
                with self.env.cr.savepoint():
                    self.sudo().write(vals)
            except psycopg2.errors.UniqueViolation:
                # another import of the same credit note linked it meanwhile
                twin = sudo_bill.bo_fpa_credit_note_ids.filtered(
                    lambda note: note.bo_ref_normalized == self.bo_ref_normalized
                )[:1]
        if twin:
            notes = load_findings(self.sudo().bo_fpa_notes)
            notes.append(
                {
                    "code": "credit_duplicate",
                    "bill": sudo_bill.display_name,
                    "credit_note": twin.display_name,
                }
            )
            self.write({"bo_fpa_notes": dump_findings(notes)})
            return False
        sudo_bill._bo_fpa_credit_notes_changed(
            self._bo_fpa_credit_label(), was_blocked, lifting=self
        )
        return True

    def _bo_fpa_credit_label(self):
        """The credit note as the clerk knows it: the supplier's number."""
        self.ensure_one()
        return self.ref or self.display_name

    # ------------------------------------------------------------------
    # The netting
    # ------------------------------------------------------------------

    def _bo_fpa_netted_credit_notes(self):
        """The credit notes linked to this bill that count: not cancelled, and
        still of its supplier, company and currency (a draft's partner may
        have been changed since the import linked them)."""
        self.ensure_one()
        # sudo: the netting is the same whoever reads the bill
        return self.sudo().bo_fpa_credit_note_ids.filtered(
            lambda note: (
                note.state != "cancel"
                and note.commercial_partner_id == self.commercial_partner_id
                and note.company_id == self.company_id
                and note.currency_id == self.currency_id
            )
        )

    def _bo_fpa_credits(self):
        """What the supplier's credit notes linked to this bill credit on its
        lines: ``({bill line: (quantity, amount)}, credit lines that credit
        no line)``, the quantity in the bill line's unit.

        A credit line credits the bill line :meth:`_bo_fpa_credited_line`
        finds. Its amount always counts; its quantity counts as goods no
        longer billed when its unit price is the bill line's (goods returned
        or not delivered), else it is a correction of the price of that
        quantity. A cancelled credit note counts for nothing."""
        self.ensure_one()
        credited = {}
        notes = self._bo_fpa_netted_credit_notes()
        credit_lines = notes.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if not credit_lines:
            return credited, credit_lines
        bill_lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        currency = self.currency_id
        unmatched = credit_lines.browse()
        for credit_line in credit_lines:
            target = credit_line._bo_fpa_credited_line(bill_lines)
            if not target:
                unmatched |= credit_line
                continue
            qty = credit_line.quantity
            price = credit_line.price_unit * (1 - (credit_line.discount or 0.0) / 100)
            line_uom, target_uom = credit_line.product_uom_id, target.product_uom_id
            if line_uom and target_uom and line_uom != target_uom:
                converted = line_uom._compute_quantity(qty, target_uom)
                price = price * qty / converted if converted else price
                qty = converted
            target_price = target.price_unit * (1 - (target.discount or 0.0) / 100)
            goods = not currency.compare_amounts(price, target_price)
            credited_qty, credited_amount = credited.get(target, (0.0, 0.0))
            credited[target] = (
                credited_qty + (qty if goods else 0.0),
                credited_amount + qty * price,
            )
        return credited, unmatched

    def _bo_qty_billed_on_other_bills(self):
        """A credit note linked to a bill is netted on the bill's own lines
        (``_bo_fpa_credits``): should a person give its lines an order line,
        its quantity is not taken off the bill a second time as another
        posted credit note of the order line."""
        result = super()._bo_qty_billed_on_other_bills()
        for bill in self:
            if not bill.sudo().bo_fpa_credit_note_ids:
                continue
            notes = bill._bo_fpa_netted_credit_notes().filtered(lambda n: n.state == "posted")
            for line in notes.invoice_line_ids.filtered("purchase_line_id"):
                key = (line.purchase_line_id.id, bill._origin.id)
                if key in result:
                    uom = line.purchase_line_id.product_uom_id
                    qty = line.quantity
                    if uom and line.product_uom_id and line.product_uom_id != uom:
                        qty = line.product_uom_id._compute_quantity(qty, uom)
                    result[key] += qty
        return result

    # The credit notes' lines and state are the match's too (_bo_match_billed).
    @api.depends(
        "bo_fpa_credit_note_ids",
        "bo_fpa_credit_note_ids.state",
        "bo_fpa_credit_note_ids.commercial_partner_id",
        "bo_fpa_credit_note_ids.currency_id",
        "bo_fpa_credit_note_ids.invoice_line_ids.quantity",
        "bo_fpa_credit_note_ids.invoice_line_ids.price_unit",
        "bo_fpa_credit_note_ids.invoice_line_ids.discount",
        "bo_fpa_credit_note_ids.invoice_line_ids.product_id",
        "bo_fpa_credit_note_ids.invoice_line_ids.product_uom_id",
        "bo_fpa_credit_note_ids.invoice_line_ids.purchase_line_id",
        "bo_fpa_credit_note_ids.invoice_line_ids.name",
    )
    def _compute_bo_match(self):
        return super()._compute_bo_match()

    # ------------------------------------------------------------------
    # What the bill says of it
    # ------------------------------------------------------------------

    @bo_guard.writes("bo_fpa_lifted_by_id")
    def _bo_fpa_credit_notes_changed(self, label, was_blocked, lifting=None):
        """Match the bill again after its credit note ``label`` came
        (``lifting``: the credit note) or went, and say so on the bill: the
        block lifted, still on (and why), or back."""
        self.ensure_one()
        self.action_bo_check_match()
        blocked = self.bo_payment_blocked
        # the bill's history is written in the company's language, whoever imports
        bill = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang)
        if lifting and was_blocked and not blocked:
            self.write({"bo_fpa_lifted_by_id": lifting.id})
            body = bill.env._(
                "The supplier's credit note %(credit_note)s brings the bill within the "
                "tolerances of the three-way match: the payment block is lifted.",
                credit_note=label,
            )
        elif lifting and blocked:
            body = bill.env._(
                "The supplier's credit note %(credit_note)s is netted against the bill, but "
                "the bill is still blocked for payment:",
                credit_note=label,
            )
        elif lifting:
            body = bill.env._(
                "The supplier's credit note %(credit_note)s is netted against the bill.",
                credit_note=label,
            )
        elif blocked and not was_blocked:
            body = bill.env._(
                "The supplier's credit note %(credit_note)s is no longer netted against the "
                "bill: the bill is blocked for payment again:",
                credit_note=label,
            )
        else:
            body = bill.env._(
                "The supplier's credit note %(credit_note)s is no longer netted against the bill.",
                credit_note=label,
            )
        if not lifting and self.bo_fpa_lifted_by_id and blocked:
            self.write({"bo_fpa_lifted_by_id": False})
        body = Markup("<p>%s</p>") % body
        if blocked:
            reasons = bill._bo_match_reasons(bill._bo_qty_billed_on_other_bills())
            body += Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % reason for reason in reasons
            )
        bill._bo_fpa_post_credit_note_note(body)
        return True

    def _bo_fpa_post_credit_note_note(self, body):
        """Write ``body`` in the bill's history (and, where the register is
        installed, on the letter that contested it)."""
        self.ensure_one()
        return self.message_post(body=body, subtype_xmlid=CREDIT_NOTE_SUBTYPE)

    # ------------------------------------------------------------------
    # The credit note goes: cancelled or deleted
    # ------------------------------------------------------------------

    def _bo_fpa_credited_bills_state(self):
        """{bill: (credit note names, blocked)} of the credit notes among self."""
        # sudo: whoever cancels the credit note updates the bill it was netted against
        linked = self.sudo().filtered(lambda move: move.bo_fpa_credited_bill_id)
        states = {}
        for note in linked:
            bill = note.bo_fpa_credited_bill_id
            names, blocked = states.get(bill, ([], bill.bo_payment_blocked))
            names.append(note._bo_fpa_credit_label())
            states[bill] = (names, blocked)
        return states

    def _bo_fpa_credited_bills_update(self, states):
        for bill, (names, was_blocked) in states.items():
            if bill.exists():
                bill._bo_fpa_credit_notes_changed(", ".join(names), was_blocked)

    def button_cancel(self):
        states = self._bo_fpa_credited_bills_state()
        result = super().button_cancel()
        self._bo_fpa_credited_bills_update(states)
        return result

    def unlink(self):
        states = self._bo_fpa_credited_bills_state()
        result = super().unlink()
        self.env["account.move"]._bo_fpa_credited_bills_update(states)
        return result
