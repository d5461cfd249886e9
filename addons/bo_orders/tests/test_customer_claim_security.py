from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .claim_common import BoClaimCommon


@tagged("post_install", "-at_install")
class TestCustomerClaimSecurity(BoClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls.env["bo.customer.claim"].create(
            {"title": "Reclamo", "partner_id": cls.customer.id, "product_id": cls.screws.id}
        )
        cls.stage = cls.stage_open
        cls.sla = cls.env.ref("bo_orders.sla_bo_customer_claim_normal")

    def test_claim_access_matrix(self):
        self.assertAccessMatrix(
            self.claim,
            {
                # user: (read, write, create, unlink)
                self.clerk: (True, True, True, False),
                self.manager: (True, True, True, True),
                self.salesman: (True, False, False, False),
                self.stock_user: (True, False, False, False),
                self.invoicing_user: (True, False, False, False),
                self.mailroom_clerk: (False, False, False, False),
                self.internal_user: (False, False, False, False),
                self.portal_user: (False, False, False, False),
                self.other_clerk: (False, False, False, False),
            },
        )

    def test_stage_and_service_level_access_matrix(self):
        self.assertAccessMatrix(
            self.stage,
            {
                self.clerk: (True, False, False, False),
                self.manager: (True, True, True, True),
                self.internal_user: (True, False, False, False),
                self.portal_user: (False, False, False, False),
            },
        )
        self.assertAccessMatrix(
            self.sla,
            {
                self.clerk: (True, False, False, False),
                self.mailroom_clerk: (True, False, False, False),
                self.manager: (True, True, True, True),
                self.internal_user: (False, False, False, False),
                self.portal_user: (False, False, False, False),
            },
        )
        other_sla = self.env["bo.customer.claim.sla"].create(
            {"company_id": self.other_company.id, "priority": "3", "first_response_hours": 1}
        )
        self.assertFalse(other_sla.with_user(self.clerk).has_access("read"))

    @staticmethod
    def _read_partner(partner):
        """Every field the reader may read, except the relations whose own
        access stock Odoo refuses to some users (RTC sessions, bank accounts)."""
        fnames = [
            fname
            for fname, field in partner._fields.items()
            if field.type not in ("one2many", "many2many")
            and partner._has_field_access(field, "read")
        ]
        return partner.read(fnames)[0]

    def test_readers_of_customer_order_and_product_see_the_claim_counts(self):
        order = self._new_order()
        order.user_id = self.salesman
        self.claim.write({"sale_order_id": order.id})
        portal_order = self._new_order(partner=self.portal_user.partner_id)
        portal_order.message_subscribe(partner_ids=self.portal_user.partner_id.ids)
        readers = (self.clerk, self.salesman, self.stock_user, self.invoicing_user)
        for user in readers:
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._read_partner(self.customer.with_user(user))["bo_claim_count"], 1
                )
                self.assertEqual(self.contact.with_user(user).bo_claim_count, 1)
                self.assertEqual(order.with_user(user).read()[0]["bo_claim_count"], 1)
                template = self.screws.product_tmpl_id.with_user(user)
                self.assertEqual(template.read()[0]["bo_claim_count"], 1)
                self.assertEqual(self.screws.with_user(user).read()[0]["bo_claim_count"], 1)
        # outside the claims: the forms still read whole, with no count
        for user in (self.internal_user, self.mailroom_clerk):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._read_partner(self.customer.with_user(user))["bo_claim_count"], 0
                )
        portal = self.portal_user
        # (stock Odoo refuses a portal user some fields of their own partner)
        values = portal.partner_id.with_user(portal).read(["name", "bo_claim_count"])[0]
        self.assertEqual(values["bo_claim_count"], 0)
        # (stock Odoo refuses a portal user the stock references of an order)
        values = portal_order.with_user(portal).read(["name", "bo_claim_count"])[0]
        self.assertEqual(values["bo_claim_count"], 0)
        # another company's clerk counts only what they may read
        self.assertEqual(self.customer.with_user(self.other_clerk).bo_claim_count, 0)

    def test_readers_read_a_claim_whole(self):
        order, invoice = self._delivered_invoiced_order()
        self.claim.write({"sale_order_id": order.id, "invoice_id": invoice.id})
        for user in (self.clerk, self.salesman, self.stock_user, self.invoicing_user):
            with self.subTest(user=user.login):
                values = self.claim.with_user(user).read()[0]
                self.assertEqual(values["name"], self.claim.name)

    def test_action_fields_are_refused_on_create_write_and_import(self):
        Claim = self.env["bo.customer.claim"].with_user(self.clerk)
        forged = {
            "name": "RCL/2026/9999",
            "first_response_date": "2026-01-01 00:00:00",
            "resolution_date": "2026-01-01 00:00:00",
            "received_date": "2020-01-01 00:00:00",
            "first_response_deadline": "2030-01-01 00:00:00",
            "resolution_deadline": "2030-01-01",
            "deadline_date": "2030-01-01",
            "deadline_escalated_date": "2030-01-01",
            "intake_error": "x",
            "state": "done",
            "credit_note_ids": [Command.set([])],
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    Claim.create({"title": "X", "partner_id": self.customer.id, fname: value})
                with self.assertRaises(AccessError):
                    self.claim.with_user(self.clerk).write({fname: value})
        result = Claim.load(
            ["title", "partner_id/.id", "first_response_date"],
            [["Importato", str(self.customer.id), "2026-01-01 00:00:00"]],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        # a related field must not rename the stage's meaning either
        self.assertEqual(self.stage_open.state, "open")

    def test_a_claim_starts_open_and_is_closed_only_with_its_outcome(self):
        Claim = self.env["bo.customer.claim"].with_user(self.clerk)
        with self.assertRaises(UserError):
            Claim.create(
                {"title": "X", "partner_id": self.customer.id, "stage_id": self.stage_done.id}
            )
        with self.assertRaises(UserError):
            self.claim.with_user(self.clerk).write({"stage_id": self.stage_done.id})
        self.assertEqual(self.claim.state, "new")

    def test_only_a_manager_reopens_a_closed_claim(self):
        claim = self.claim.with_user(self.clerk)
        claim.write({"root_cause": "transport", "resolution_note": "Merce sostituita."})
        claim.action_resolve()
        resolved_on = claim.resolution_date
        self.assertTrue(resolved_on)
        with self.assertRaises(AccessError):
            claim.write({"stage_id": self.stage_open.id})
        with self.assertRaises(AccessError):
            claim.action_reopen()
        with self.assertRaises(UserError):
            claim.write({"root_cause": False})
        self.assertEqual(claim.resolution_date, resolved_on)
        self.claim.with_user(self.manager).action_reopen()
        self.assertEqual(self.claim.state, "open")
        self.assertFalse(self.claim.resolution_date)

    def test_a_stage_in_use_keeps_its_meaning(self):
        stage = self.stage_new.with_user(self.manager)
        with self.assertRaises(UserError):
            stage.state = "done"
        stage.name = "Ricevuti"
        unused = stage.copy({"name": "Da valutare"})
        unused.state = "open"
        self.assertEqual(unused.state, "open")

    def test_copy_is_a_new_claim_with_its_own_reference_and_clock(self):
        self.claim.with_user(self.clerk).action_mark_answered()
        copy = self.claim.with_user(self.clerk).copy()
        self.assertNotEqual(copy.name, self.claim.name)
        self.assertTrue(copy.name.startswith("RCL/"))
        self.assertFalse(copy.first_response_date)
        self.assertEqual(copy.state, "new")

    def test_mail_defaults_cannot_set_what_only_the_claim_sets(self):
        raw = self._email("Anna Rossi", self.contact.email, "Reclamo", "Testo.")
        claim_id = self.env["mail.thread"].message_process(
            "bo.customer.claim",
            raw,
            custom_values={
                "first_response_date": "2020-01-01 00:00:00",
                "stage_id": self.stage_done.id,
                "name": "FALSO",
            },
        )
        claim = self.env["bo.customer.claim"].browse(claim_id)
        self.assertFalse(claim.first_response_date)
        self.assertEqual(claim.state, "new")
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertFalse(claim.intake_error)

    def test_outcome_wizards_link_only_the_claim_documents_for_its_workers(self):
        order, invoice = self._delivered_invoiced_order()
        other_order, other_invoice = self._delivered_invoiced_order()
        self.claim.write({"sale_order_id": order.id, "invoice_id": invoice.id})
        Reversal = self.env["account.move.reversal"]
        # the credit note of another invoice is not linked to the claim
        wizard = (
            Reversal.with_user(self.clerk)
            .with_context(active_model="account.move", active_ids=other_invoice.ids)
            .create({"bo_claim_id": self.claim.id, "journal_id": other_invoice.journal_id.id})
        )
        with self.assertRaises(UserError):
            wizard.refund_moves()
        # an accountant who may only read the claim cannot link to it
        wizard = (
            Reversal.with_user(self.invoicing_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"bo_claim_id": self.claim.id, "journal_id": invoice.journal_id.id})
        )
        with self.assertRaises(AccessError):
            wizard.refund_moves()
        self.assertFalse(self.claim.credit_note_ids)
        # a return of another delivery neither
        returns = self.env["stock.return.picking"].with_user(self.clerk)
        wizard = returns.with_context(
            active_id=other_order.picking_ids.id, active_model="stock.picking"
        ).create({"picking_id": other_order.picking_ids.id, "bo_claim_id": self.claim.id})
        with self.assertRaises(UserError):
            wizard.action_create_returns()
        self.assertFalse(self.claim.return_picking_ids)

    def test_a_claim_keeps_its_customer_and_product(self):
        partner = self.env["res.partner"].create({"name": "Cliente da cancellare"})
        self.claim.write({"partner_id": partner.id})
        # refused by the claim's link, not only by the access rights
        with self.assertRaisesRegex(UserError, self.claim.name), self.cr.savepoint():
            partner.unlink()
        with self.assertRaisesRegex(UserError, self.claim.name), self.cr.savepoint():
            self.screws.unlink()
        self.assertEqual(self.claim.partner_id, partner)

    def test_documents_must_be_the_customer_s(self):
        order = self._new_order(partner=self.foreign_customer)
        with self.assertRaises(ValidationError):
            self.claim.with_user(self.clerk).write({"sale_order_id": order.id})

    def test_service_levels_must_be_positive_and_unique(self):
        Sla = self.env["bo.customer.claim.sla"].with_user(self.manager)
        with mute_logger("odoo.sql_db"):
            with self.assertRaises(IntegrityError), self.cr.savepoint():
                Sla.create({"priority": "2", "first_response_hours": 0, "resolution_days": 3})
            with self.assertRaises(IntegrityError), self.cr.savepoint():
                Sla.create({"priority": "1", "first_response_hours": 3, "resolution_days": 3})
