from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .claim_common import BoClaimCommon


@tagged("post_install", "-at_install")
class TestLinkedRecordsDeleted(BoClaimCommon):
    """Deleting what a claim, an agreement, a request or a settlement points
    to: refused with a message naming who keeps it, or, for a request's
    quotation, noted in the request's chatter. Never silent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # who may delete quotations at all
        cls.sales_admin = cls._bo_user(
            "bo_sales_admin", "Sara Admin", "sales_team.group_sale_manager"
        )

    def _assert_kept(self, records, holder_name, user=None):
        """Deleting ``records`` is refused, naming ``holder_name``; they stay."""
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(UserError, holder_name),
            self.cr.savepoint(),
        ):
            records.with_user(user or self.env.user).unlink()
        self.assertTrue(records.exists())

    # ------------------------------------------------------------------
    # Claims
    # ------------------------------------------------------------------

    def _claim_with_outcomes(self):
        order, _invoice = self._delivered_invoiced_order()
        claim = self._claim_by_hand(claim_type="return", sale_order_id=order, quantity=2)
        claim.with_user(self.clerk).action_mark_answered()
        action = claim.with_user(self.clerk).action_create_return()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 2
        wizard.save().action_create_returns()
        action = claim.with_user(self.clerk).action_create_credit_note()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        wizard.save().refund_moves()
        claim.with_user(self.clerk).action_create_replacement()
        self.assertTrue(claim.return_picking_ids)
        self.assertTrue(claim.credit_note_ids)
        self.assertTrue(claim.replacement_order_ids)
        return claim

    def test_a_claim_s_replacement_quotation_cannot_be_deleted_under_it(self):
        claim = self._claim_with_outcomes()
        replacement = claim.replacement_order_ids
        self.assertEqual(replacement.state, "draft")
        self._assert_kept(replacement, claim.name, user=self.sales_admin)
        # cancelled, it stays on the claim
        replacement.with_user(self.clerk)._action_cancel()
        self._assert_kept(replacement, claim.name, user=self.sales_admin)
        self.assertEqual(claim.replacement_order_ids, replacement)
        self.assertEqual(claim.replacement_count, 1)

    def test_a_claim_s_credit_note_and_return_cannot_be_deleted_under_it(self):
        claim = self._claim_with_outcomes()
        credit_note = claim.credit_note_ids
        self.assertEqual(credit_note.state, "draft")
        self._assert_kept(credit_note, claim.name)
        returned = claim.return_picking_ids
        returned.action_cancel()
        self._assert_kept(returned, claim.name)
        self.assertEqual(claim.credit_note_ids, credit_note)
        self.assertEqual(claim.return_picking_ids, returned)

    def test_the_documents_a_claim_is_about_cannot_be_deleted_under_it(self):
        lot_product = self.env["product.product"].create(
            {"name": "Pompa con matricola", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "SN-0001", "product_id": lot_product.id})
        quotation = self._new_order()
        draft_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Viti", "price_unit": 10.0})],
            }
        )
        claim = self.Claim.create(
            {
                "title": "Reclamo su documenti",
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "sale_order_id": quotation.id,
                "invoice_id": draft_invoice.id,
                "product_id": lot_product.id,
                "lot_id": lot.id,
            }
        )
        confirmed = self._new_order()
        confirmed.action_confirm()
        delivery = confirmed.picking_ids
        claim2 = self.Claim.create(
            {
                "title": "Reclamo sulla consegna",
                "partner_id": self.customer.id,
                "picking_id": delivery.id,
            }
        )
        delivery.action_cancel()
        self._assert_kept(quotation, claim.name)
        self._assert_kept(draft_invoice, claim.name)
        self._assert_kept(lot, claim.name)
        self._assert_kept(lot_product, claim.name)
        self._assert_kept(lot_product.product_tmpl_id, claim.name)
        self._assert_kept(self.contact, claim.name)
        self._assert_kept(self.customer, f"{claim.name}|{claim2.name}")
        self._assert_kept(delivery, claim2.name)
        self._assert_kept(self.stage_new, "RCL/")

    # ------------------------------------------------------------------
    # Agreements
    # ------------------------------------------------------------------

    def test_what_an_agreement_agreed_cannot_be_deleted_under_it(self):
        category = self.env["product.category"].create({"name": "Ferramenta"})
        subcategory = self.env["product.category"].create(
            {"name": "Viteria", "parent_id": category.id}
        )
        term = self.env["account.payment.term"].create({"name": "60 giorni concordati"})
        incoterm = self.env["account.incoterms"].create({"name": "Franco Cliente", "code": "BOX"})
        today = fields.Date.context_today(self.env.user)
        agreement = self.env["bo.sale.agreement"].create(
            {
                "name": "Accordo con termini",
                "partner_id": self.foreign_customer.id,
                "date_start": today,
                "date_end": today + timedelta(days=90),
                "payment_term_id": term.id,
                "incoterm_id": incoterm.id,
                "line_ids": [
                    Command.create({"product_id": self.plugs.id, "price_unit": 3.0}),
                    Command.create({"categ_id": subcategory.id, "discount": 5.0}),
                ],
            }
        )
        agreement.with_user(self.manager).action_activate()
        self._assert_kept(term, agreement.name)
        self._assert_kept(incoterm, agreement.name)
        self._assert_kept(self.plugs, agreement.name)
        self._assert_kept(subcategory, agreement.name)
        self._assert_kept(category, agreement.name)  # its subcategory goes with it
        self._assert_kept(self.foreign_customer, agreement.name)
        self.assertEqual(agreement.payment_term_id, term)

    def test_the_previous_version_of_a_renewed_agreement_is_kept(self):
        today = fields.Date.context_today(self.env.user)
        agreement = self.env["bo.sale.agreement"].create(
            {
                "name": "Accordo da rinnovare",
                "partner_id": self.customer.id,
                "date_start": today - timedelta(days=30),
                "date_end": today + timedelta(days=30),
                "line_ids": [Command.create({"product_id": self.screws.id, "price_unit": 8.0})],
            }
        )
        agreement.with_user(self.manager).action_activate()
        renewal = agreement.with_user(self.manager)._bo_renew(
            agreement.date_end + timedelta(days=1), agreement.date_end + timedelta(days=365)
        )
        self._assert_kept(agreement, agreement.name, user=self.manager)
        self.assertEqual(renewal.previous_id, agreement)

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------

    def _quoted_request(self):
        form = Form(self.env["bo.order.request"].with_user(self.clerk))
        form.title = "Offerta tasselli"
        form.partner_id = self.customer
        form.contact_id = self.contact
        with form.line_ids.new() as line:
            line.product_id = self.plugs
            line.quantity = 50
        request = form.save()
        action = request.with_user(self.clerk).action_create_quotation()
        return request, self.env["sale.order"].browse(action["res_id"])

    def test_deleting_a_request_s_quotation_is_noted_and_reopens_the_request(self):
        request, quotation = self._quoted_request()
        self.assertEqual(request.state, "quoted")
        name = quotation.name
        quotation.with_user(self.sales_admin).unlink()
        self.assertEqual(request.state, "in_progress", "its deadline counts again")
        note = request.message_ids.filtered(lambda m: name in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("deleted", note.body)
        self.assertEqual(note.author_id, self.sales_admin.partner_id)

    def test_a_request_with_quotations_is_cancelled_not_deleted(self):
        request, quotation = self._quoted_request()
        self._assert_kept(request, quotation.name, user=self.manager)
        self.assertEqual(quotation.bo_request_id, request)

    def test_the_customer_agent_and_products_of_a_request_are_kept(self):
        agent = self.env["res.partner"].create({"name": "Agente Fiera", "agent": True})
        uom = self.env["uom.uom"].create(
            {
                "name": "Scatola da 50",
                "relative_factor": 50.0,
                "relative_uom_id": self.env.ref("uom.product_uom_unit").id,
            }
        )
        product = self.env["product.product"].create({"name": "Chiodi"})
        request = self.env["bo.order.request"].create(
            {
                "title": "Richiesta in fiera",
                "partner_id": self.foreign_customer.id,
                "agent_id": agent.id,
                "line_ids": [
                    Command.create({"product_id": product.id, "quantity": 2, "uom_id": uom.id})
                ],
            }
        )
        self._assert_kept(agent, request.name)
        self._assert_kept(product, request.name)
        self._assert_kept(uom, request.name)
        self._assert_kept(self.foreign_customer, request.name)
        self.assertEqual(request.agent_id, agent)

    # ------------------------------------------------------------------
    # Settlements
    # ------------------------------------------------------------------

    def test_the_enasarco_rates_a_settlement_accrued_with_are_kept(self):
        self.company.partner_id.country_id = self.env.ref("base.it")
        commission = self.env["commission"].create({"name": "5%", "fix_qty": 5.0})
        agent = self.env["res.partner"].create(
            {
                "name": "Agente Enasarco",
                "agent": True,
                "commission_id": commission.id,
                "bo_enasarco_mandate_type": "single",
            }
        )
        settlement = self.env["commission.settlement"].create(
            {
                "name": "Provvigioni primo trimestre",
                "agent_id": agent.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 3, 31),
                "line_ids": [
                    Command.create(
                        {
                            "date": date(2025, 3, 31),
                            "settled_amount": 500.0,
                            "commission_id": commission.id,
                        }
                    )
                ],
            }
        )
        settlement.action_bo_compute_enasarco()
        rate = settlement.bo_enasarco_rate_id
        self.assertEqual(rate, self.env.ref("bo_orders.enasarco_rate_2025_single"))
        self._assert_kept(rate, "Provvigioni primo trimestre")
        self.assertEqual(settlement.bo_enasarco_rate_id, rate)
