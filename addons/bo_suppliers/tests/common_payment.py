import base64

from odoo import fields
from odoo.tests import Form

from .common import BoSuppliersCommon


class BoSuppliersPaymentCommon(BoSuppliersCommon):
    """The purchasing office with the payment checks on: orders received and
    billed through the forms, then paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "bo_three_way_match": True,
                "bo_duplicate_bill_check": True,
                "bo_match_price_tolerance_pct": 2.0,
                "bo_match_price_tolerance_amount": 0.0,
                "bo_match_qty_tolerance_pct": 0.0,
                "bo_match_qty_tolerance_qty": 0.0,
                "bo_duplicate_bill_days": 5,
                "bo_bank_change_days": 30,
            }
        )
        cls.product_b = cls.env["product.product"].create(
            {"name": "Tondino 12 mm", "is_storable": True, "standard_price": 10.0}
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _confirmed_order(self, lines=None):
        order = self._new_purchase_order(lines=lines)
        order.with_user(self.clerk).button_confirm()
        return order

    def _receive(self, order, quantities):
        """Receive ``quantities`` ({purchase line: qty}) of the order."""
        picking = order.with_env(self.env).picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        quantities = {line.id: qty for line, qty in quantities.items()}
        for move in picking.move_ids:
            move.quantity = quantities.get(move.purchase_line_id.id, 0.0)
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()

    def _bill_from_order(self, order, edit=None, ref=None, invoice_date=None):
        """The bill made by the order's "Create Bill" button, completed by the
        accountant through the form (``edit(form)`` changes its lines)."""
        action = order.with_user(self.clerk).action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        with Form(bill.with_user(self.accountant)) as form:
            form.invoice_date = invoice_date or fields.Date.today()
            form.ref = ref or f"FT-{bill.id}"
            if edit:
                edit(form)
        return bill

    @staticmethod
    def _first_line(**values):
        """An ``edit`` for :meth:`_bill_from_order`: the accountant types
        ``values`` (quantity, unit price) on the bill's first line."""

        def edit(form):
            with form.invoice_line_ids.edit(0) as line:
                for name, value in values.items():
                    setattr(line, name, value)

        return edit

    def _bill(self, ref, amount, invoice_date=None, move_type="in_invoice", partner=None):
        """A bill typed in by the accountant, without a purchase order."""
        form = Form(
            self.env["account.move"]
            .with_user(self.accountant)
            .with_context(default_move_type=move_type)
        )
        form.partner_id = partner or self.supplier
        form.invoice_date = invoice_date or fields.Date.today()
        form.ref = ref
        with form.invoice_line_ids.new() as line:
            line.name = "Materiale"
            line.quantity = 1
            line.price_unit = amount
            line.tax_ids.clear()
        return form.save()

    def _attach(self, bill, content=b"%PDF-1.4 fattura"):
        return self.env["ir.attachment"].create(
            {
                "name": "fattura.pdf",
                "datas": base64.b64encode(content),
                "res_model": "account.move",
                "res_id": bill.id,
            }
        )

    def _pay(self, bills, user=None):
        """Pay through the "Register Payment" wizard, as from the bill or the list."""
        wizard = Form(
            self.env["account.payment.register"]
            .with_user(user or self.accountant)
            .with_context(active_model="account.move", active_ids=bills.ids)
        ).save()
        return wizard.action_create_payments()

    def _release(self, bills, reason="Prezzo concordato al telefono", user=None):
        form = Form(
            self.env["bo.bill.payment.release"]
            .with_user(user or self.manager)
            .with_context(default_move_ids=bills.ids)
        )
        form.reason = reason
        return form.save().action_release()
