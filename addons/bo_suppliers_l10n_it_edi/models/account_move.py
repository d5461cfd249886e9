"""A vendor bill made from a FatturaPA: what the import found (guarded: only
the import writes it), the untrusted IBAN, and both as reasons of
bo_suppliers' payment block."""

from odoo import api, fields, models
from odoo.addons.base.models.res_bank import sanitize_account_number
from odoo.addons.bo_suppliers.models.account_move import INTERNAL

from .findings import MATCH_COVERS, load_findings, render_finding


class AccountMove(models.Model):
    _inherit = "account.move"

    bo_fpa_imported = fields.Boolean(
        string="Matched from a FatturaPA",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="The bill was made from a FatturaPA and matched with the purchase orders, "
        "the supplier's DDTs and the supplier's trusted bank accounts.",
    )
    bo_fpa_iban = fields.Char(
        string="IBAN of the FatturaPA",
        copy=False,
        index="btree_not_null",
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
        help="The bank accounts the FatturaPA asks the payment to (DettaglioPagamento).",
    )
    bo_fpa_notes = fields.Text(
        string="FatturaPA Import Findings",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        bo_guarded=True,
    )
    bo_fpa_iban_untrusted = fields.Boolean(
        string="Untrusted IBAN",
        compute="_compute_bo_fpa_iban_untrusted",
        compute_sudo=True,
        groups=INTERNAL,
        help="The FatturaPA asks the payment to an account that is not a trusted "
        "(payments allowed) account of the supplier.",
    )
    bo_fpa_findings = fields.Text(
        string="FatturaPA Findings",
        compute="_compute_bo_fpa_findings",
        compute_sudo=True,
        groups=INTERNAL,
        help="Where the FatturaPA differs from the purchase orders, the receipts and the "
        "supplier's trusted bank accounts.",
    )

    # ------------------------------------------------------------------
    # What the bill shows
    # ------------------------------------------------------------------

    @api.depends(
        "bo_fpa_iban",
        "company_id",
        "commercial_partner_id.bank_ids.allow_out_payment",
        "commercial_partner_id.bank_ids.sanitized_acc_number",
        "commercial_partner_id.bank_ids.company_id",
    )
    def _compute_bo_fpa_iban_untrusted(self):
        for move in self:
            move.bo_fpa_iban_untrusted = bool(move._bo_fpa_untrusted_ibans())

    def _bo_fpa_untrusted_ibans(self):
        """The IBANs of the FatturaPA (one per payment instalment, a space
        between them) that are not a trusted account of the supplier: one of
        its accounts, in the bill's company or shared, that allows outgoing
        payments."""
        self.ensure_one()
        ibans = (self.bo_fpa_iban or "").split()
        if not ibans:
            return []
        # sudo: bank accounts are the accountants'; this only says which are trusted.
        trusted = {
            bank.sanitized_acc_number
            for bank in self.commercial_partner_id.sudo().bank_ids
            if bank.allow_out_payment
            and bank.company_id in (self.company_id, bank.company_id.browse())
        }
        return [iban for iban in ibans if sanitize_account_number(iban) not in trusted]

    def _bo_fpa_header_findings(self):
        self.ensure_one()
        findings = load_findings(self.bo_fpa_notes)
        untrusted = self._bo_fpa_untrusted_ibans()
        if untrusted:
            findings.append(
                {
                    "code": "iban",
                    "iban": ", ".join(untrusted),
                    "partner": self.commercial_partner_id.display_name,
                }
            )
        return findings

    @api.depends_context("lang")
    @api.depends(
        "bo_fpa_notes",
        "bo_fpa_iban_untrusted",
        "invoice_line_ids.bo_fpa_findings",
        "invoice_line_ids.sequence",
    )
    def _compute_bo_fpa_findings(self):
        for move in self:
            texts = [render_finding(self.env, item) for item in move._bo_fpa_header_findings()]
            for line in move.invoice_line_ids.sorted("sequence"):
                if line.bo_fpa_findings:
                    texts.append(
                        self.env._(
                            "Line %(number)s (%(name)s): %(finding)s",
                            number=line.sequence,
                            name=line.name or "",
                            finding=line.bo_fpa_findings.replace("\n", " "),
                        )
                    )
            move.bo_fpa_findings = "\n".join(texts) or False

    # ------------------------------------------------------------------
    # The payment block (bo_suppliers' three-way match)
    # ------------------------------------------------------------------

    def _bo_match_applies(self):
        return super()._bo_match_applies() | self.filtered(
            lambda m: (
                m.bo_fpa_imported and m.move_type == "in_invoice" and m.state in ("draft", "posted")
            )
        )

    # The supplier's bank accounts are not among the dependencies: a change of
    # one would recompute every bill the supplier ever sent. The accounts say
    # which of its open FatturaPA bills to match again (res_partner_bank.py).
    @api.depends(
        "bo_fpa_imported",
        "bo_fpa_iban",
        "bo_fpa_notes",
        "invoice_line_ids.bo_fpa_notes",
        "invoice_line_ids.bo_fpa_picking_ids",
        "invoice_line_ids.bo_fpa_picking_ids.state",
    )
    def _compute_bo_match(self):
        return super()._compute_bo_match()

    def _bo_match_reasons(self, billed_elsewhere):
        """bo_suppliers' reasons (where its three-way match is on), and the
        FatturaPA's findings it does not check by itself."""
        reasons = []
        if self.company_id.bo_three_way_match and self.invoice_line_ids.purchase_line_id:
            reasons = super()._bo_match_reasons(billed_elsewhere)
        if self.bo_fpa_imported:
            reasons += self._bo_fpa_block_reasons()
        return reasons

    def _bo_fpa_block_reasons(self):
        self.ensure_one()
        reasons = [render_finding(self.env, item) for item in self._bo_fpa_header_findings()]
        for line in self.invoice_line_ids.sorted("sequence"):
            for finding in line._bo_fpa_findings():
                if finding.get("code") in MATCH_COVERS:
                    continue
                reasons.append(
                    self.env._(
                        "Line %(number)s (%(name)s): %(finding)s",
                        number=line.sequence,
                        name=line.name or "",
                        finding=render_finding(self.env, finding),
                    )
                )
        return reasons
