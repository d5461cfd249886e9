from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .claim_common import BoClaimCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestCustomerClaim(BoClaimCommon):
    def _run_cron(self, moment):
        with freeze_time(moment):
            self.env["bo.deadline.mixin"]._cron_deadline_check()

    def _escalations(self, claim):
        return claim.activity_ids.filtered(lambda a: a.activity_type_id == self.escalation_type)

    def test_complaint_by_email_escalates_and_ends_in_a_credit_note(self):
        order, invoice = self._delivered_invoiced_order()
        with freeze_time("2026-03-02 09:00:00"):
            claim = self._claim_by_email()
        # the sender is known: the claim is the customer's, acknowledged
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(claim.contact_id, self.contact)
        self.assertEqual(claim.channel, "email")
        self.assertEqual(claim.state, "new")
        self.assertRegex(claim.name, r"^RCL/2026/\d{4}$")
        self.assertIn("foto.jpg", claim.message_ids.attachment_ids.mapped("name"))
        ack = claim.message_ids.filtered(lambda m: claim.name in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn(self.contact, ack.partner_ids)
        # normal priority: an answer within 24 hours, a resolution within 15 days
        self.assertEqual(claim.first_response_deadline, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(claim.resolution_deadline, date(2026, 3, 17))
        self.assertEqual(claim.deadline_date, date(2026, 3, 3))
        self.assertFalse(claim.first_response_date, "the acknowledgement is no answer")

        # nobody answers: the nightly cron escalates to the manager, once
        self._run_cron("2026-03-04 12:00:00")
        self.assertEqual(claim.deadline_state, "overdue")
        escalation = self._escalations(claim)
        self.assertEqual(escalation.user_id, self.manager)
        self._run_cron("2026-03-05 12:00:00")
        self.assertEqual(len(self._escalations(claim)), 1)

        # the clerk takes it and links the order: the documents follow
        claim.with_user(self.clerk).action_start()
        with Form(claim.with_user(self.clerk)) as form:
            form.user_id = self.clerk
            form.sale_order_id = order
            self.assertEqual(form.invoice_id, invoice)
            self.assertEqual(form.product_id, self.screws)
            form.quantity = 5
        # the clerk answers the customer: the resolution deadline counts now
        with freeze_time("2026-03-05 15:00:00"):
            claim.with_user(self.clerk).message_post(
                body="Gentile cliente, procediamo con una nota di credito.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.contact.ids,
            )
        self.assertEqual(claim.first_response_date, datetime(2026, 3, 5, 15, 0))
        self.assertEqual(claim.deadline_date, date(2026, 3, 17))
        self._run_cron("2026-03-06 12:00:00")
        self.assertEqual(claim.deadline_state, "on_time")

        # the credit note is made from the claim, through Odoo's reversal wizard
        action = claim.with_user(self.clerk).action_create_credit_note()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        wizard_form.reason = f"Reclamo {claim.name}"
        wizard_form.save().refund_moves()
        credit_note = claim.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(claim.credit_note_count, 1)
        self.assertEqual(claim.action_view_credit_notes()["res_id"], credit_note.id)

        # resolving needs the cause: then the claim is done, its time measured
        with self.assertRaises(UserError):
            claim.with_user(self.clerk).action_resolve()
        with Form(claim.with_user(self.clerk)) as form:
            form.root_cause = "product_defect"
            form.resolution_note = "Nota di credito per 5 pezzi."
        with freeze_time("2026-03-09 09:00:00"):
            claim.with_user(self.clerk).action_resolve()
        self.assertEqual(claim.state, "done")
        self.assertEqual(claim.deadline_state, "done")
        self.assertEqual(claim.resolution_date, datetime(2026, 3, 9, 9, 0))
        self.assertEqual(claim.resolution_days, 7.0)

    def test_acknowledgement_speaks_the_customer_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_orders"], ["it_IT"], overwrite=True)
        self.contact.lang = "it_IT"
        foreign_contact = self.env["res.partner"].create(
            {
                "name": "Jonas Müller",
                "parent_id": self.foreign_customer.id,
                "email": "jonas@mueller.example.de",
                "lang": "en_US",
            }
        )
        italian = self._claim_by_email()
        english = self._claim_by_email(
            email_from=foreign_contact.email, subject="Broken parts", sender="Jonas Müller"
        )
        self.assertEqual(english.partner_id, self.foreign_customer)
        for claim, expected in (
            (italian, "Abbiamo ricevuto la vostra richiesta"),
            (english, "We have received your request"),
        ):
            with self.subTest(lang=claim.contact_id.lang):
                ack = claim.message_ids.filtered(lambda m, c=claim: c.name in (m.subject or ""))
                self.assertEqual(ack.subject, f"{expected} {claim.name}")
                self.assertIn(claim.contact_id, ack.partner_ids)

    def test_unknown_sender_gets_a_claim_but_no_acknowledgement(self):
        claim = self._claim_by_email(email_from="qualcuno@sconosciuto.example.com")
        self.assertFalse(claim.partner_id)
        self.assertIn("qualcuno@sconosciuto.example.com", claim.email_from)
        self.assertFalse(claim.message_ids.filtered(lambda m: claim.name in (m.subject or "")))
        with self.assertRaises(UserError):
            claim.with_user(self.clerk).action_send_acknowledgement()

    def test_nul_bytes_are_taken_out_of_a_claim_by_email(self):
        raw = self._email(
            "Anna Rossi", self.contact.email, "Reclamo urgente", "Il testo del reclamo."
        ).replace("Subject: Reclamo urgente", "Subject: Reclamo\x00 urgente")
        claim = self.Claim.browse(self.env["mail.thread"].message_process("bo.customer.claim", raw))
        self.assertEqual(claim.title, "Reclamo urgente")
        self.assertEqual(claim.partner_id, self.customer)
        self.assertFalse(claim.intake_error)

    @mute_logger("odoo.addons.bo_base.models.bo_mail_intake")
    def test_mail_that_cannot_become_a_claim_is_kept_for_the_desk(self):
        # a mailbox fetched for claims with a wrong default
        raw = self._email(
            "Anna Rossi", self.contact.email, "Reclamo urgente", "Il testo del reclamo."
        )
        with self.assertLogs("odoo.addons.bo_orders", level="WARNING"):
            claim_id = self.env["mail.thread"].message_process(
                "bo.customer.claim", raw, custom_values={"claim_type": "no_such_type"}
            )
        claim = self.Claim.browse(claim_id)
        self.assertTrue(claim.exists())
        self.assertIn("no_such_type", claim.intake_error)
        self.assertEqual(claim.title, "Reclamo urgente")
        self.assertTrue(claim.name.startswith("RCL/"))
        self.assertIn("Il testo del reclamo", claim.message_ids[:1].body)
        self.assertIn("foto.jpg", claim.message_ids.attachment_ids.mapped("name"))
        self.assertTrue(
            claim.activity_ids.filtered(lambda a: a.user_id == self.manager),
            "a manager is told",
        )

    def test_claim_by_hand_for_a_return_and_a_replacement(self):
        order, _invoice = self._delivered_invoiced_order()
        claim = self._claim_by_hand(
            title="Tasselli rotti alla consegna",
            claim_type="return",
            priority="2",
            sale_order_id=order,
        )
        self.assertEqual(claim.state, "new")
        self.assertEqual(claim.user_id, self.clerk)
        # high priority: 8 hours to answer
        self.assertEqual(
            (claim.first_response_deadline - claim.received_date).total_seconds(), 8 * 3600
        )
        delivery = order.picking_ids
        self.assertEqual(claim.picking_id, delivery)
        claim.with_user(self.clerk).action_mark_answered()
        self.assertTrue(claim.first_response_date)
        self.assertEqual(claim.state, "open")

        action = claim.with_user(self.clerk).action_create_return()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 3
        wizard.save().action_create_returns()
        self.assertEqual(claim.return_count, 1)
        self.assertEqual(claim.return_picking_ids.return_id, delivery)

        claim.with_user(self.clerk).quantity = 3
        action = claim.with_user(self.clerk).action_create_replacement()
        replacement = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(claim.replacement_order_ids, replacement)
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.order_line.product_id, self.screws)
        self.assertEqual(replacement.order_line.product_uom_qty, 3)
        self.assertEqual(replacement.origin, claim.name)

    def test_service_level_of_the_company_and_type_wins(self):
        self.env["bo.customer.claim.sla"].create(
            {
                "company_id": self.company.id,
                "claim_type": "quality",
                "priority": "1",
                "first_response_hours": 2,
                "resolution_days": 5,
            }
        )
        quality = self._claim_by_hand(claim_type="quality")
        other = self._claim_by_hand(claim_type="information")
        self.assertEqual(
            (quality.first_response_deadline - quality.received_date).total_seconds(), 2 * 3600
        )
        self.assertEqual(
            (other.first_response_deadline - other.received_date).total_seconds(), 24 * 3600
        )

    def test_quality_claim_is_resolved_with_its_corrective_action(self):
        claim = self._claim_by_hand(claim_type="quality")
        claim.with_user(self.clerk).write(
            {"root_cause": "product_defect", "resolution_note": "Sostituite."}
        )
        with self.assertRaises(UserError):
            claim.with_user(self.clerk).action_resolve()
        claim.with_user(self.clerk).write(
            {"stage_id": self.stage_done.id, "corrective_action": "Controllo al collaudo."}
        )
        self.assertEqual(claim.state, "done")
        self.assertTrue(claim.first_response_date, "resolving answers the customer too")
        self.assertTrue(claim.resolution_date)

    def test_claim_labels_read_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_base", "bo_orders"], ["it_IT"], overwrite=True
        )
        Claim = self.Claim.with_context(lang="it_IT")
        fields = Claim.fields_get(["deadline_state", "claim_type"])
        self.assertEqual(dict(fields["deadline_state"]["selection"])["overdue"], "Scaduta")
        self.assertEqual(
            dict(fields["claim_type"]["selection"])["quality"], "Non conformità di qualità"
        )
        self.assertEqual(self.stage_done.with_context(lang="it_IT").name, "Risolto")
