from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import NEW_IBAN, TRUSTED_IBAN, FatturaPACommon


@tagged("post_install", "-at_install")
class TestFatturaPAMatch(FatturaPACommon):
    """The lines of an incoming FatturaPA linked to our purchase order lines
    and matched against what the supplier's DDTs brought in."""

    def _release(self, bill, reason="Prezzo concordato al telefono"):
        form = Form(
            self.env["bo.bill.payment.release"]
            .with_user(self.manager)
            .with_context(default_move_ids=bill.ids)
        )
        form.reason = reason
        return form.save().action_release()

    def test_line_references_link_bill_lines_to_their_order_lines(self):
        sheet_order = self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        rod_order = self._order("PO-FPA-002", [(self.rod, 5, 10.0), (self.bolt, 100, 0.2)])
        self._receive(sheet_order, {self.sheet: 10}, ddt="DDT-1", ddt_date="2026-11-10")
        self._receive(rod_order, {self.rod: 5, self.bolt: 100}, ddt="DDT-2")

        bill = self._import("IT00743110157_FPA01.xml")

        self.assertEqual(bill.partner_id, self.supplier)
        self.assertEqual(bill.ref, "FT-101/2026")
        self.assertEqual(self._line(bill, 1).purchase_line_id, sheet_order.order_line)
        self.assertEqual(
            self._line(bill, 2).purchase_line_id,
            rod_order.order_line.filtered(lambda ol: ol.product_id == self.rod),
        )
        # PO-FPA-999 is no order of ours: the line is left unlinked and says so
        self.assertFalse(self._line(bill, 3).purchase_line_id)
        self.assertIn("PO-FPA-999", self._line(bill, 3).bo_fpa_findings)
        # 11.00 invoiced, 10.00 ordered
        self.assertIn("PO-FPA-002", self._line(bill, 2).bo_fpa_findings)
        self.assertFalse(self._line(bill, 1).bo_fpa_findings)
        self.assertEqual(bill.bo_match_state, "mismatch")
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("PO-FPA-999", bill.bo_match_reasons)

        self._release(bill)
        self.assertFalse(bill.bo_payment_blocked)

    def test_findings_read_in_the_clerks_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        bill = self._import("IT00743110157_FPA01.xml")
        line = self._line(bill, 3)

        english = line.with_context(lang="en_US").bo_fpa_findings
        italian = line.with_context(lang="it_IT").bo_fpa_findings
        self.assertIn("which is not an order of this supplier", english)
        self.assertIn("che non è un ordine di questo fornitore", italian)
        self.assertIn("PO-FPA-999", italian)
        self.assertIn("Riga 3", bill.with_context(lang="it_IT").bo_fpa_findings)

    def test_the_ddt_counts_what_it_brought_in_not_the_whole_order(self):
        order = self._order("PO-FPA-010", [(self.sheet, 10, 40.0)])
        first = self._receive(order, {self.sheet: 6}, ddt="DDT-77", ddt_date="2026-11-15")
        self._receive(order, {self.sheet: 4}, ddt="DDT-78", ddt_date="2026-11-16")
        self.assertEqual(order.order_line.qty_received, 10)

        bill = self._import("IT00743110157_FPA02.xml")

        line = bill.invoice_line_ids
        self.assertEqual(line.purchase_line_id, order.order_line)
        self.assertEqual(line.sudo().bo_fpa_picking_ids, first)
        self.assertIn("DDT-77", line.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)
        self.assertIn("DDT-77", bill.bo_match_reasons)

        # The wrong bill cancelled: the DDT's goods are still to be invoiced.
        bill.button_cancel()
        bill_of_six = self._import(
            "IT00743110157_FPA02.xml",
            replace={"<Quantita>10.00</Quantita>": "<Quantita>6.00</Quantita>", "FT-102": "FT-112"},
        )
        self.assertEqual(bill_of_six.invoice_line_ids.purchase_line_id, order.order_line)
        self.assertFalse(bill_of_six.bo_fpa_findings)
        self.assertEqual(bill_of_six.bo_match_state, "matched")
        self.assertFalse(bill_of_six.bo_payment_blocked)

    def test_what_a_ddt_brought_in_is_invoiced_once(self):
        """Attack: the goods of one DDT invoiced again, on another invoice."""
        order = self._order("PO-FPA-011", [(self.sheet, 10, 40.0)])
        self._receive(order, {self.sheet: 6}, ddt="DDT-77", ddt_date="2026-11-15")
        self._receive(order, {self.sheet: 4}, ddt="DDT-78", ddt_date="2026-11-16")
        six = {"<Quantita>10.00</Quantita>": "<Quantita>6.00</Quantita>"}
        first = self._import("IT00743110157_FPA02.xml", replace={**six, "FT-102": "FT-121"})
        self.assertFalse(first.invoice_line_ids.bo_fpa_findings)
        self.assertFalse(first.bo_payment_blocked)

        again = self._import("IT00743110157_FPA02.xml", replace={**six, "FT-102": "FT-122"})

        line = again.invoice_line_ids
        self.assertEqual(
            line.sudo().bo_fpa_picking_ids, first.invoice_line_ids.sudo().bo_fpa_picking_ids
        )
        self.assertEqual(line.bo_fpa_ddt_billed_elsewhere, 6)
        english = line.with_context(lang="en_US").bo_fpa_findings
        self.assertIn("of which 6 already invoiced on FT-121", english)
        self.assertIn("già fatturat", line.with_context(lang="it_IT").bo_fpa_findings)
        self.assertTrue(again.bo_payment_blocked)
        self.assertIn("DDT-77", again.bo_match_reasons)
        # The first bill cancelled, its goods are the second's to invoice.
        first.button_cancel()
        self.env.invalidate_all()
        self.assertEqual(line.bo_fpa_ddt_billed_elsewhere, 0)
        self.assertNotIn("already invoiced", line.bo_fpa_findings or "")

    def test_a_ddt_of_another_supplier_never_matches(self):
        """Attack: the invoice names the DDT number of another supplier's receipt."""
        theirs = self._order("PO-FPA-030", [(self.sheet, 10, 40.0)], partner=self.other_supplier)
        self._receive(theirs, {self.sheet: 10}, ddt="DDT-55", ddt_date="2026-11-15")

        bill = self._import(
            "IT00743110157_FPA02.xml", replace={"DDT-77": "DDT-55", "FT-102": "FT-122"}
        )

        line = bill.invoice_line_ids
        self.assertFalse(line.purchase_line_id)
        self.assertFalse(line.sudo().bo_fpa_picking_ids)
        self.assertIn("DDT-55", line.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)

    def test_an_order_of_another_supplier_never_matches(self):
        """Attack: the invoice names another supplier's order."""
        self._order("PO-FPA-001", [(self.sheet, 10, 40.0)], partner=self.other_supplier)

        bill = self._import("IT00743110157_FPA04.xml", replace={NEW_IBAN: TRUSTED_IBAN})

        self.assertFalse(bill.invoice_line_ids.purchase_line_id)
        self.assertIn("PO-FPA-001", bill.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)

    def test_without_references_the_supplier_code_then_description_and_price(self):
        order = self._order("PO-FPA-020", [(self.sheet, 10, 40.0), (self.rod, 5, 10.0)])
        self._receive(order, {self.sheet: 10, self.rod: 5})

        bill = self._import("IT00743110157_FPA03.xml")

        self.assertEqual(
            self._line(bill, 1).purchase_line_id,
            order.order_line.filtered(lambda ol: ol.product_id == self.sheet),
        )
        self.assertEqual(
            self._line(bill, 2).purchase_line_id,
            order.order_line.filtered(lambda ol: ol.product_id == self.rod),
        )
        self.assertFalse(bill.bo_fpa_findings)
        self.assertFalse(bill.bo_payment_blocked)

    def test_two_order_lines_that_fit_are_proposed_not_guessed(self):
        self._order("PO-FPA-020", [(self.sheet, 10, 40.0), (self.rod, 5, 10.0)])
        self._order("PO-FPA-021", [(self.rod, 5, 10.0)])

        bill = self._import("IT00743110157_FPA03.xml")

        rod_line = self._line(bill, 2)
        self.assertFalse(rod_line.purchase_line_id)
        self.assertIn("PO-FPA-020", rod_line.bo_fpa_findings)
        self.assertIn("PO-FPA-021", rod_line.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)

    def test_a_supplier_unknown_to_the_company(self):
        self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])

        bill = self._import("IT09876543210_FPA05.xml")

        self.assertFalse(bill.partner_id, bill.partner_id.display_name)
        self.assertFalse(bill.invoice_line_ids.purchase_line_id)
        self.assertIn("Ferramenta Ignota S.r.l.", bill.bo_fpa_findings)
        self.assertIn("IT09876543210", bill.bo_fpa_findings)
        self.assertTrue(bill.bo_payment_blocked)

    def test_the_same_invoice_twice_is_flagged_and_not_posted(self):
        """Attack: the supplier (or someone) sends the same invoice again."""
        order = self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        self._receive(order, {self.sheet: 10})
        first = self._import("IT00743110157_FPA04.xml", replace={NEW_IBAN: TRUSTED_IBAN})
        first.with_user(self.accountant).action_post()

        again = self._import("IT00743110157_FPA04.xml", replace={NEW_IBAN: TRUSTED_IBAN})

        self.assertIn(first, again.sudo().bo_duplicate_bill_ids)
        with self.assertRaises(UserError):
            again.with_user(self.accountant).action_post()
        self.assertEqual(again.state, "draft")

    def test_the_ddt_is_entered_at_reception_on_the_receipt(self):
        order = self._order("PO-FPA-040", [(self.sheet, 10, 40.0)])
        picking = order.picking_ids
        # (as a warehouse manager: a stock user cannot open the stock receipt form
        # of this database, delivery.zip.prefix being out of its reach)
        with Form(picking) as form:
            form.bo_supplier_ddt_number = "DDT-90"
            form.bo_supplier_ddt_date = "2026-11-18"
        self.assertEqual(picking.bo_supplier_ddt_number, "DDT-90")
        picking.with_user(self.buyer).bo_supplier_ddt_number = "DDT-91"
        self.assertEqual(picking.bo_supplier_ddt_number, "DDT-91")
        self.assertTrue(picking._fields["bo_supplier_ddt_number"].tracking)
        self.assertTrue(picking._fields["bo_supplier_ddt_date"].tracking)
