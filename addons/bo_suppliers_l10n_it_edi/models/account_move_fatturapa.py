"""The match of an incoming FatturaPA with the purchase orders and the
supplier's DDTs, at the one place where l10n_it_edi turns the XML into the
bill (``_l10n_it_edi_import_invoice``): an upload, the bills journal's email
alias and the SdI all go through it.

- ``DatiOrdineAcquisto`` names our purchase orders (``IdDocumento``), for the
  lines it lists (``RiferimentoNumeroLinea``) or for all of them;
- ``DatiDDT`` names the supplier's transport documents (``NumeroDDT``), which
  the receipts record; a DDT of another supplier never matches;
- without either, the supplier's open orders.

Within those order lines, a bill line is linked to the one line that fits:
same product, else the supplier's product code (``CodiceArticolo``) against
the supplier's product codes or our internal references, else description
and price. Where several fit, nothing is linked: the line says which fit,
for a person to choose. The searches are made once per invoice, never per
line.
"""

from collections import defaultdict

from odoo import Command, models
from odoo.addons.bo_base.models import bo_guard

from .findings import dump_findings

MOVE_FIELDS = ("bo_fpa_imported", "bo_fpa_iban", "bo_fpa_notes")
LINE_FIELDS = ("bo_fpa_notes", "bo_fpa_picking_ids")


def _text(element, path):
    found = element.findtext(path)
    return " ".join(found.split()) if found else ""


def _words(text):
    return " ".join((text or "").casefold().split())


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_it_edi_import_invoice(self, invoice, data, is_new):
        move = super()._l10n_it_edi_import_invoice(invoice, data, is_new)
        if move and data.get("xml_tree") is not None:
            body = data["xml_tree"].find(".//FatturaElettronicaBody")
            if body is None:
                return move
            if move.move_type == "in_invoice":
                move._bo_fpa_match(data["xml_tree"], body)
            elif move.move_type == "in_refund":
                # the supplier's credit note: netted against the bill it names
                move._bo_fpa_import_credit_note(body)
        return move

    def _find_and_set_purchase_orders(
        self, po_references, partner_id, amount_total, from_ocr=False, timeout=10
    ):
        """Not for a bill this match made: purchase's guess (an order of the
        supplier with the same total) would replace the invoice's lines with
        the order's, and the three-way match would compare the order with
        itself. The FatturaPA's own references rule. (A credit note keeps
        purchase's link to the orders it names: its netting reads it.)"""
        if self.bo_fpa_imported and self.move_type == "in_invoice":
            return None
        return super()._find_and_set_purchase_orders(
            po_references, partner_id, amount_total, from_ocr=from_ocr, timeout=timeout
        )

    # ------------------------------------------------------------------
    # Reading the XML
    # ------------------------------------------------------------------

    @staticmethod
    def _bo_fpa_references(body, tag, key_paths, numbers):
        """{line number: [reference]} for the ``DatiGenerali/<tag>`` blocks; a
        reference is the tuple of ``key_paths``' texts; a block without
        ``RiferimentoNumeroLinea`` covers every line."""
        references = defaultdict(list)
        for element in body.findall(f"./DatiGenerali/{tag}"):
            reference = tuple(_text(element, path) for path in key_paths)
            if not reference[0]:
                continue
            covered = [
                int(ref.text) for ref in element.findall("RiferimentoNumeroLinea") if ref.text
            ] or numbers
            for number in covered:
                if reference not in references[number]:
                    references[number].append(reference)
        return references

    @staticmethod
    def _bo_fpa_xml_lines(body):
        """{line number: (codes, description, unit price)} of ``DettaglioLinee``."""
        lines = {}
        for element in body.findall("./DatiBeniServizi/DettaglioLinee"):
            number = _text(element, "NumeroLinea")
            if not number:
                continue
            codes = [
                _text(code, "CodiceValore")
                for code in element.findall("CodiceArticolo")
                if _text(code, "CodiceValore")
            ]
            price = _text(element, "PrezzoUnitario")
            lines[int(number)] = (codes, _text(element, "Descrizione"), float(price or 0.0))
        return lines

    # ------------------------------------------------------------------
    # The match
    # ------------------------------------------------------------------

    @bo_guard.writes(*MOVE_FIELDS)
    def _bo_fpa_match(self, tree, body):
        self.ensure_one()
        company = self.company_id
        supplier = self.commercial_partner_id
        move_notes = []
        if not self.partner_id:
            seller = tree.find(".//CedentePrestatore/DatiAnagrafici")
            name = vat = ""
            if seller is not None:
                name = _text(seller, "Anagrafica/Denominazione") or " ".join(
                    filter(
                        None,
                        (_text(seller, "Anagrafica/Nome"), _text(seller, "Anagrafica/Cognome")),
                    )
                )
                vat = _text(seller, "IdFiscaleIVA/IdPaese") + _text(seller, "IdFiscaleIVA/IdCodice")
            move_notes.append({"code": "supplier_unknown", "name": name, "vat": vat})

        xml_lines = self._bo_fpa_xml_lines(body)
        numbers = sorted(xml_lines)
        order_refs = self._bo_fpa_references(body, "DatiOrdineAcquisto", ("IdDocumento",), numbers)
        ddt_refs = self._bo_fpa_references(body, "DatiDDT", ("NumeroDDT", "DataDDT"), numbers)

        # sudo (below): the import matches for whoever brings the file in (an
        # accountant, OdooBot for the SdI and the mail alias); it only links the
        # bill to the orders and receipts of its own supplier and company.
        order_names = {ref[0] for refs in order_refs.values() for ref in refs}
        orders = self.env["purchase.order"].sudo().browse()
        if order_names and supplier:
            orders = (
                self.env["purchase.order"]
                .sudo()
                .search(
                    [
                        ("name", "in", sorted(order_names)),
                        ("company_id", "=", company.id),
                        ("partner_id.commercial_partner_id", "=", supplier.id),
                        ("state", "=", "purchase"),
                    ]
                )
            )
        orders_by_name = {order.name: order for order in orders}

        ddt_numbers = {ref[0] for refs in ddt_refs.values() for ref in refs}
        pickings = self.env["stock.picking"].sudo().browse()
        if ddt_numbers and supplier:
            pickings = (
                self.env["stock.picking"]
                .sudo()
                .search(
                    [
                        ("bo_supplier_ddt_number", "in", sorted(ddt_numbers)),
                        ("picking_type_code", "=", "incoming"),
                        ("company_id", "=", company.id),
                        ("partner_id.commercial_partner_id", "=", supplier.id),
                        ("state", "=", "done"),
                    ]
                )
            )
        pickings_by_ddt = defaultdict(lambda: self.env["stock.picking"].sudo().browse())
        for picking in pickings:
            date = picking.bo_supplier_ddt_date
            pickings_by_ddt[picking.bo_supplier_ddt_number, date and date.isoformat()] |= picking
            pickings_by_ddt[picking.bo_supplier_ddt_number, ""] |= picking

        # without a reference: the supplier's open orders
        open_lines = self.env["purchase.order.line"].sudo().browse()
        if supplier and any(n not in order_refs and n not in ddt_refs for n in numbers):
            open_lines = (
                self.env["purchase.order.line"]
                .sudo()
                .search(
                    [
                        ("order_id.partner_id.commercial_partner_id", "=", supplier.id),
                        ("company_id", "=", company.id),
                        ("state", "=", "purchase"),
                        ("order_id.invoice_status", "=", "to invoice"),
                        ("display_type", "=", False),
                    ]
                )
            )

        codes = {code for codes, _desc, _price in xml_lines.values() for code in codes}
        products_by_code = defaultdict(set)
        if codes and supplier:
            infos = (
                self.env["product.supplierinfo"]
                .sudo()
                .search(
                    [
                        ("partner_id", "child_of", supplier.id),
                        ("product_code", "in", sorted(codes)),
                        ("company_id", "in", (company.id, False)),
                    ]
                )
            )
            for info in infos:
                variants = info.product_id or info.product_tmpl_id.product_variant_ids
                products_by_code[info.product_code].update(variants.ids)

        line_vals = {}
        for line in self.invoice_line_ids.filtered(lambda ml: ml.display_type == "product"):
            number = line.sequence
            if number not in xml_lines:
                continue
            notes = []
            candidates = self.env["purchase.order.line"].sudo().browse()
            for (name,) in order_refs.get(number, ()):
                order = orders_by_name.get(name)
                if order:
                    candidates |= order.order_line.filtered(lambda ol: not ol.display_type)
                else:
                    notes.append({"code": "order_missing", "order": name})
            line_pickings = pickings.browse()
            for ddt_number, ddt_date in ddt_refs.get(number, ()):
                found = pickings_by_ddt.get((ddt_number, ddt_date)) or pickings_by_ddt.get(
                    (ddt_number, "")
                )
                if found and ddt_date:
                    found = found.filtered(
                        lambda p, d=ddt_date: (
                            not p.bo_supplier_ddt_date or p.bo_supplier_ddt_date.isoformat() == d
                        )
                    )
                if found:
                    line_pickings |= found
                else:
                    notes.append({"code": "ddt_missing", "ddt": ddt_number, "date": ddt_date})
            if line_pickings and number not in order_refs:
                candidates |= line_pickings.move_ids.purchase_line_id
            referenced = number in order_refs or number in ddt_refs
            if not referenced:
                candidates = open_lines
            codes_, description, price = xml_lines[number]
            fit = self._bo_fpa_fit(line, candidates, codes_, description, price, products_by_code)
            vals = {}
            if len(fit) == 1:
                vals["purchase_line_id"] = fit.id
            elif len(fit) > 1:
                notes.append(
                    {
                        "code": "ambiguous",
                        "lines": [f"{ol.order_id.name}: {ol.name}" for ol in fit],
                    }
                )
            elif candidates and referenced:
                notes.append(
                    {"code": "no_fit", "orders": sorted(set(candidates.order_id.mapped("name")))}
                )
            if notes:
                vals["bo_fpa_notes"] = dump_findings(notes)
            if line_pickings:
                vals["bo_fpa_picking_ids"] = [Command.set(line_pickings.ids)]
            if vals:
                line_vals[line] = vals

        # sudo: the receipts of the DDT are the stock users' to read; the import
        # records them for whoever brings the file in.
        granted = bo_guard.grant(self.sudo(), *LINE_FIELDS, model="account.move.line")
        for line, vals in line_vals.items():
            line.with_env(granted.env).write(vals)
        # every instalment's account: a trusted first one hides no other
        ibans = []
        for element in body.findall("./DatiPagamento/DettaglioPagamento/IBAN"):
            iban = "".join((element.text or "").split()).upper()
            if iban and iban not in ibans:
                ibans.append(iban)
        self.write(
            {
                "bo_fpa_imported": True,
                "bo_fpa_iban": " ".join(ibans) or False,
                "bo_fpa_notes": dump_findings(move_notes),
            }
        )
        return True

    def _bo_fpa_fit(self, line, candidates, codes, description, price, products_by_code):
        """The order lines among ``candidates`` that fit the bill ``line``:
        the first of same product, supplier's code, description and price,
        description alone that finds any."""
        if not candidates:
            return candidates
        if line.product_id:
            fit = candidates.filtered(lambda ol: ol.product_id == line.product_id)
            if fit:
                return fit
        if codes:
            product_ids = set().union(*(products_by_code.get(code, ()) for code in codes))
            fit = candidates.filtered(
                lambda ol: (
                    ol.product_id.id in product_ids
                    or (ol.product_id.default_code and ol.product_id.default_code in codes)
                )
            )
            if fit:
                return fit
        words = _words(description)
        if not words:
            return candidates.browse()

        def described(order_line):
            names = (_words(order_line.name), _words(order_line.product_id.name))
            return any(name and (name == words or name in words or words in name) for name in names)

        fit = candidates.filtered(described)
        same_price = fit.filtered(
            lambda ol: line.currency_id.compare_amounts(ol.price_unit, price) == 0
        )
        return same_price or fit
