import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestRegister(MailroomCommon):
    def test_draft_has_no_number_and_registration_gives_year_and_seven_digits(self):
        entry = self._new_entry()
        self.assertFalse(entry.name)
        self.assertEqual(entry.display_name, "Draft - Richiesta di offerta")
        entry.action_register()
        self.assertRegex(entry.name, r"^\d{4}/\d{7}$")
        self.assertEqual(entry.state, "registered")
        self.assertTrue(entry.registration_date)
        self.assertEqual(int(entry.name[:4]), entry.protocol_year)
        self.assertEqual(int(entry.name[5:]), entry.protocol_seq)

    def test_numbers_are_consecutive_per_company_and_restart_each_year(self):
        with freeze_time("2031-12-31 10:00:00"):
            first, second = self._new_entry(), self._new_entry()
            (first | second).action_register()
        with freeze_time("2032-01-02 10:00:00"):
            third = self._registered_entry()
        self.assertEqual(first.name, "2031/0000001")
        self.assertEqual(second.name, "2031/0000002")
        self.assertEqual(third.name, "2032/0000001")
        other_company = self.env["res.company"].create({"name": "Filiale Nord"})
        with freeze_time("2031-12-31 11:00:00"):
            elsewhere = self._registered_entry(
                company_id=other_company.id, partner_id=False, partner_name="Ufficio postale"
            )
        self.assertEqual(elsewhere.name, "2031/0000001")

    def test_number_cannot_be_given_by_hand(self):
        with self.assertRaises(UserError):
            self._new_entry(name="2026/0000999")

    def test_registration_needs_a_correspondent(self):
        entry = self._new_entry(partner_id=False)
        with self.assertRaises(ValidationError):
            entry.action_register()
        self.assertFalse(entry.name)

    def test_registering_twice_is_refused(self):
        entry = self._registered_entry()
        with self.assertRaises(UserError):
            entry.action_register()

    def test_form_registration_by_clerk(self):
        form = Form(self.Register.with_user(self.clerk))
        form.partner_id = self.partner
        form.subject = "Sollecito di pagamento"
        form.channel = "registered_letter"
        form.category_id = self.cat_complaints
        entry = form.save()
        entry.action_register()
        self._flush_tracking()
        self.assertEqual(entry.state, "registered")
        self.assertEqual(entry.retention_date.year, entry.registration_date.year + 5)
        subtypes = entry.message_ids.subtype_id
        self.assertIn(self.env.ref("bo_mailroom.mt_bo_mail_register_registered"), subtypes)

    def test_assigning_a_registered_entry_moves_it_to_assigned_with_its_subtype(self):
        entry = self._registered_entry()
        self._flush_tracking()
        entry.user_id = self.clerk
        self.assertEqual(entry.state, "assigned")
        self._flush_tracking()
        self.assertIn(
            self.env.ref("bo_mailroom.mt_bo_mail_register_assigned"), entry.message_ids.subtype_id
        )
        entry.action_mark_answered()
        entry.action_close()
        self.assertEqual(entry.state, "closed")
        entry.action_reopen()
        self.assertEqual(entry.state, "assigned")

    def test_registered_entry_cannot_be_deleted_by_anyone(self):
        entry = self._registered_entry(user_id=self.clerk.id)
        for user in (self.clerk, self.manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                entry.with_user(user).unlink()
        with self.assertRaises(UserError):
            entry.sudo().unlink()
        self.assertTrue(entry.exists())

    def test_draft_can_be_deleted(self):
        entry = self._new_entry()
        entry.unlink()
        self.assertFalse(entry.exists())

    def test_protected_fields_of_registered_entry_cannot_be_rewritten(self):
        entry = self._registered_entry(
            user_id=self.clerk.id, attachment_ids=[Command.link(self._attachment().id)]
        )
        attempts = [
            {"subject": "Altro oggetto"},
            {"summary": "Contenuto riscritto"},
            {"name": "2026/0000999"},
            {"direction": "outgoing"},
            {"partner_id": self.env["res.partner"].create({"name": "Altro"}).id},
            {"registration_date": "2020-01-01 00:00:00"},
            {"attachment_ids": [Command.clear()]},
        ]
        for user in (self.clerk, self.manager, self.env.ref("base.user_admin")):
            for vals in attempts:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    entry.with_user(user).write(vals)
        with self.assertRaises(UserError):
            entry.sudo().write({"subject": "Riscritto"})
        self.assertEqual(entry.subject, "Richiesta di offerta")
        # Working fields stay editable.
        entry.with_user(self.clerk).write({"deadline_date": "2030-01-31"})
        self.assertEqual(str(entry.deadline_date), "2030-01-31")

    def test_registered_files_cannot_be_deleted_or_rewritten(self):
        attachment = self._attachment()
        self._registered_entry(attachment_ids=[Command.link(attachment.id)])
        with self.assertRaises(UserError):
            attachment.unlink()
        with self.assertRaises(UserError):
            attachment.write({"raw": b"altro contenuto"})
        with self.assertRaises(UserError):
            attachment.sudo().write({"res_id": 0})

    def test_registered_entry_cannot_go_back_to_draft(self):
        entry = self._registered_entry()
        with self.assertRaises(UserError):
            entry.sudo().write({"state": "draft"})

    def test_manager_cancels_with_reason_and_number_stays_used(self):
        entry = self._registered_entry()
        wizard_action = entry.with_user(self.manager).action_open_cancel_wizard()
        form = Form(
            self.env["bo.mail.register.cancel"]
            .with_user(self.manager)
            .with_context(**wizard_action["context"])
        )
        form.reason = "Registrato due volte per errore"
        form.save().action_confirm()
        self.assertEqual(entry.state, "cancelled")
        self.assertEqual(entry.cancel_uid, self.manager)
        self.assertTrue(entry.cancel_date)
        self.assertEqual(entry.cancel_reason, "Registrato due volte per errore")
        following = self._registered_entry()
        self.assertEqual(following.protocol_seq, entry.protocol_seq + 1)
        self.assertEqual(entry.with_user(self.clerk).name, entry.name)
        with self.assertRaises(UserError):
            entry.with_user(self.manager).write({"cancel_reason": "Altro motivo"})
        with self.assertRaises(UserError):
            following.with_user(self.manager).write({"state": "cancelled"})

    def test_cancellation_needs_a_manager_and_a_reason(self):
        entry = self._registered_entry()
        with self.assertRaises(AccessError):
            entry.with_user(self.clerk)._cancel("Non serve")
        with self.assertRaises(AccessError):
            entry.with_user(self.clerk).write({"state": "cancelled"})
        with self.assertRaises(UserError):
            entry.with_user(self.manager)._cancel("   ")
        self.assertEqual(entry.state, "registered")

    def test_correction_is_a_new_entry_linked_to_the_original(self):
        entry = self._registered_entry(attachment_ids=[Command.link(self._attachment().id)])
        action = entry.action_correct()
        correction = self.Register.browse(action["res_id"])
        self.assertEqual(correction.state, "draft")
        self.assertEqual(correction.corrected_entry_id, entry)
        # The correction has copies of the files: the original's stay its own.
        self.assertEqual(correction.attachment_ids.mapped("name"), ["offerta.pdf"])
        self.assertEqual(correction.attachment_ids.res_id, correction.id)
        self.assertEqual(entry.attachment_ids.res_id, entry.id)
        correction.subject = "Richiesta di offerta (oggetto corretto)"
        correction.action_register()
        self.assertEqual(entry.correction_ids, correction)
        self.assertEqual(entry.subject, "Richiesta di offerta")

    def test_reply_links_both_ways_and_answers_the_original(self):
        incoming = self._registered_entry(user_id=self.clerk.id)
        reply = self._registered_entry(direction="outgoing", reply_to_id=incoming.id)
        self.assertEqual(incoming.reply_ids, reply)
        self.assertEqual(incoming.reply_count, 1)
        self.assertEqual(incoming.state, "answered")
        self.assertEqual(incoming.deadline_state or "done", "done")
        action = reply.action_view_replies()
        self.assertEqual(self.Register.search(action["domain"]), incoming)

    def test_link_to_any_record_and_partner_smart_button(self):
        entry = self._registered_entry()
        entry.record_ref = self.partner
        self.assertEqual((entry.res_model, entry.res_id), ("res.partner", self.partner.id))
        self.assertEqual(entry.action_open_record()["res_id"], self.partner.id)
        self.assertEqual(self.partner.bo_mail_register_count, 1)
        action = self.partner.action_view_bo_mail_register()
        self.assertEqual(self.Register.search(action["domain"]), entry)

    def test_verify_integrity_reports_a_tampered_file(self):
        intact = self._attachment("intatto.pdf", b"%PDF-1.4 contenuto intatto mr-test")
        tampered = self._attachment("manomesso.pdf", b"%PDF-1.4 contenuto originale mr-test-unique")
        entry = self._registered_entry(attachment_ids=[Command.set([intact.id, tampered.id])])
        self.assertEqual(len(entry.hash_ids), 2)
        result = entry.action_verify_integrity()
        self.assertEqual(result["params"]["type"], "success")
        # Someone rewrites the file behind Odoo's back.
        path = tampered._full_path(tampered.store_fname)
        with open(path, "wb") as file:
            file.write(b"%PDF-1.4 contenuto alterato")
        tampered.invalidate_recordset()
        result = entry.action_verify_integrity()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("manomesso.pdf", result["params"]["message"])
        self.assertNotIn("intatto.pdf", result["params"]["message"])
        states = {h.name: h.integrity for h in entry.hash_ids}
        self.assertEqual(states, {"intatto.pdf": "ok", "manomesso.pdf": "tampered"})

    def test_overdue_reply_reminds_assignee_then_escalates_to_manager(self):
        with freeze_time("2026-03-02"):
            entry = self._registered_entry(user_id=self.clerk.id, deadline_date=date(2026, 3, 10))
        reminder_type = self.env.ref("bo_base.mail_activity_type_bo_deadline")
        escalation_type = self.env.ref("bo_base.mail_activity_type_bo_escalation")
        with freeze_time("2026-03-09"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        reminder = entry.activity_ids.filtered(lambda a: a.activity_type_id == reminder_type)
        self.assertEqual(reminder.user_id, self.clerk)
        with freeze_time("2026-03-12"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
            self.assertEqual(entry.deadline_state, "overdue")
        escalation = entry.activity_ids.filtered(lambda a: a.activity_type_id == escalation_type)
        self.assertEqual(escalation.user_id, self.manager)

    def test_answered_entry_is_not_escalated(self):
        with freeze_time("2026-03-02"):
            entry = self._registered_entry(user_id=self.clerk.id, deadline_date=date(2026, 3, 10))
            entry.action_mark_answered()
        with freeze_time("2026-03-12"):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        self.assertEqual(entry.deadline_state, "done")
        self.assertFalse(entry.activity_ids)

    def test_category_codes_form_a_tree(self):
        child = self.env["bo.mail.category"].create(
            {"code": "1", "name": "Difetti", "parent_id": self.cat_complaints.id}
        )
        self.assertEqual(child.complete_code, "92.2.1")
        self.assertTrue(re.match(r"^92\.2\.1 Difetti$", child.display_name))
        with self.assertRaises(UserError):
            self.cat_customers.parent_id = child
