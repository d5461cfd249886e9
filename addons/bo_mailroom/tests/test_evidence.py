import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..tools.sql_guard import ensure_immutable
from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestEvidenceNumbering(MailroomCommon):
    """Number, year, dates, state and cancellation: only the register's actions."""

    def test_clerk_cannot_forge_a_number_or_a_state_on_a_draft(self):
        draft = self._new_entry().with_user(self.clerk)
        attacks = [
            {"protocol_seq": 5},
            {"name": "2026/0000005"},
            {"protocol_year": 2020},
            {"registration_date": "2026-01-01 10:00:00"},
            {"state": "registered"},
            {"state": "closed"},
            {"state": "error"},
            {"cancel_reason": "Annullata", "cancel_date": "2026-01-01 10:00:00"},
            {"delivery_state": "delivered"},
            {"email_message_id": "<forged@sender.example.it>"},
        ]
        for vals in attacks:
            with self.subTest(vals=vals), self.assertRaises(UserError):
                draft.write(vals)
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.name or draft.protocol_seq or draft.cancel_reason)

    def test_create_copy_and_import_cannot_make_a_registered_entry(self):
        Register = self.Register.with_user(self.clerk)
        values = {"partner_id": self.partner.id, "subject": "Falsa", "channel": "post"}
        with self.assertRaises(UserError):
            Register.create({**values, "state": "registered"})
        # default_ keys of guarded fields are ignored: the entry is a draft.
        for key, value in (("default_state", "registered"), ("default_protocol_seq", 7)):
            created = Register.with_context(**{key: value}).create(values)
            self.assertEqual((created.state, created.protocol_seq), ("draft", 0))
        with self.assertRaises(UserError):
            Register.create({**values, "email_message_id": "<forged@sender.example.it>"})
        registered = self._registered_entry(user_id=self.clerk.id)
        with self.assertRaises(UserError):
            registered.with_user(self.clerk).copy({"state": "registered"})
        with self.assertRaises(UserError):
            registered.with_user(self.clerk).copy({"name": registered.name})
        copy = registered.with_user(self.clerk).copy()
        self.assertEqual((copy.state, copy.name, copy.protocol_seq), ("draft", False, 0))
        result = Register.load(
            ["subject", "partner_id/.id", "state", "protocol_seq"],
            [["Importata", str(self.partner.id), "registered", "9"]],
        )
        self.assertFalse(result["ids"])
        self.assertFalse(self.Register.search([("subject", "=", "Importata")]))

    def test_cancelled_entry_cannot_be_revived_nor_cancelled_without_a_date(self):
        entry = self._registered_entry()
        entry.with_user(self.manager)._cancel("Doppia")
        self.assertTrue(entry.cancel_date)
        for env_entry in (entry.with_user(self.manager), entry.sudo()):
            for vals in ({"state": "registered"}, {"state": "draft"}, {"cancel_date": False}):
                with self.subTest(vals=vals), self.assertRaises(UserError):
                    env_entry.write(vals)
        for action in ("action_reopen", "action_close", "action_mark_answered", "action_register"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(entry.with_user(self.manager), action)()
        self.assertEqual(entry.state, "cancelled")

    def test_cancellation_data_only_comes_with_a_cancellation(self):
        entry = self._registered_entry()
        with self.assertRaises(UserError):
            entry.with_user(self.manager).write(
                {"cancel_reason": "Mai annullata", "cancel_uid": self.manager.id}
            )
        with self.assertRaises(UserError):
            entry.with_user(self.manager).write(
                {"state": "cancelled", "cancel_reason": "Senza data"}
            )
        self.assertEqual(entry.state, "registered")
        self.assertFalse(entry.cancel_reason)

    def test_states_move_only_along_the_transition_table(self):
        draft = self._new_entry()
        for action in ("action_mark_answered", "action_close", "action_reopen", "action_correct"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(draft, action)()
        entry = self._registered_entry()
        with self.assertRaises(UserError):
            entry.action_reopen()
        entry.action_close()
        with self.assertRaises(UserError):
            entry.action_mark_answered()
        with self.assertRaises(UserError):
            entry._bo_keep_in_error("Non è una bozza")
        entry.action_reopen()
        self.assertEqual(entry.state, "registered")

    def test_visible_number_is_unique_per_company(self):
        entry = self._registered_entry()
        draft = self._new_entry()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE bo_mail_register SET name = %s WHERE id = %s",
                    entry.name,
                    draft.id,
                )
            )

    def test_year_is_the_company_year_whatever_the_caller_time_zone(self):
        self.company.partner_id.tz = "Europe/Rome"
        self.clerk.tz = "America/New_York"
        # 10:30 UTC: already New Year in Kiritimati (UTC+14), not in Rome.
        with freeze_time("2031-12-31 10:30:00"):
            kiritimati = self._new_entry().with_context(tz="Pacific/Kiritimati")
            kiritimati.action_register()
        # 23:30 UTC: New Year in Rome, not for the gateway (UTC) nor New York.
        with freeze_time("2031-12-31 23:30:00"):
            gateway = self._new_entry().with_context(tz="UTC")
            gateway.action_register()
            clerk = self._new_entry(user_id=self.clerk.id).with_user(self.clerk)
            clerk.action_register()
        self.assertEqual(kiritimati.name, "2031/0000001")
        self.assertEqual((gateway.name, clerk.name), ("2032/0000001", "2032/0000002"))

    def test_company_time_zone_falls_back_on_its_country_not_on_the_user(self):
        company = self.env["res.company"].create(
            {"name": "Filiale Roma", "country_id": self.env.ref("base.it").id}
        )
        company.partner_id.tz = False
        self.assertEqual(company.with_user(self.clerk).sudo()._bo_mailroom_tz(), "Europe/Rome")


@tagged("post_install", "-at_install")
class TestEvidenceContent(MailroomCommon):
    """Content, links, delivery evidence and correspondent as registered."""

    def test_content_links_and_delivery_evidence_cannot_be_rewritten(self):
        original = self._registered_entry()
        entry = self._registered_entry(
            user_id=self.clerk.id, summary="Testo originale", reply_to_id=original.id
        )
        other = self._registered_entry()
        attacks = [
            {"summary": "Testo riscritto"},
            {"reply_to_id": other.id},
            {"corrected_entry_id": other.id},
            {"delivery_state": "delivered"},
            {"email_message_id": "<forged@sender.example.it>"},
        ]
        for user in (self.clerk, self.manager):
            for vals in attacks:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    entry.with_user(user).write(vals)
        self.assertEqual(entry.summary, "Testo originale")
        self.assertEqual(entry.reply_to_id, original)

    def test_only_the_register_itself_sets_the_delivery_state(self):
        entry = self._registered_entry(direction="outgoing", user_id=self.clerk.id)
        for env_entry in (entry.with_user(self.clerk), entry.with_user(self.manager), entry.sudo()):
            with self.subTest(uid=env_entry.env.uid), self.assertRaises(UserError):
                env_entry.write({"delivery_state": "delivered"})
        # A context key passed by an RPC client is not the register's own path.
        with self.assertRaises(UserError):
            entry.with_context(bo_mailroom_privileged=True).write({"delivery_state": "delivered"})
        self.assertFalse(entry.delivery_state)
        entry._bo_apply_pec_receipt({"kind": "avvenuta-consegna"})
        self.assertEqual(entry.delivery_state, "delivered")

    def test_deleting_a_registered_correspondent_is_refused_archiving_is_not(self):
        partner = self.env["res.partner"].create({"name": "Cartoleria Bianchi"})
        self._registered_entry(partner_id=partner.id)
        with self.assertRaises(UserError):
            partner.unlink()
        with self.assertRaises(UserError):
            partner.sudo().unlink()
        partner.action_archive()
        self.assertFalse(partner.active)
        draft_only = self.env["res.partner"].create({"name": "Solo bozza"})
        self._new_entry(partner_id=draft_only.id)
        draft_only.unlink()
        self.assertFalse(draft_only.exists())

    def test_merged_or_renamed_contact_keeps_the_correspondent_as_registered(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Cartoleria Bianchi",
                "street": "Via Roma 1",
                "city": "Torino",
                "email": "info@bianchi.example.it",
            }
        )
        other = self.env["res.partner"].create(
            {"name": "Bianchi Holding", "email": "holding@bianchi.example.it"}
        )
        entry = self._registered_entry(partner_id=partner.id)
        self.assertEqual(entry.partner_name, "Cartoleria Bianchi")
        self.assertIn("Via Roma 1", entry.partner_address)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((partner | other).ids, dst_partner=other, extra_checks=False)
        self.assertFalse(partner.exists())
        entry.invalidate_recordset()
        self.assertEqual(entry.partner_id, other)
        self.assertEqual(entry.correspondent, "Cartoleria Bianchi")
        self.assertIn("Via Roma 1", entry.partner_address)
        other.write({"name": "Altro nome", "street": "Via Po 2"})
        self.assertEqual(entry.correspondent, "Cartoleria Bianchi")
        self.assertNotIn("Via Po 2", entry.partner_address)


@tagged("post_install", "-at_install")
class TestEvidenceHistory(MailroomCommon):
    """The chatter of a registered entry: it grows, it does not change."""

    def setUp(self):
        super().setUp()
        self.entry = self._registered_entry(user_id=self.clerk.id)
        self._flush_tracking()
        self.note = self.entry.with_user(self.clerk).message_post(
            body="Telefonato al mittente", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.entry.user_id = self.clerk2
        self._flush_tracking()
        self.tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "bo.mail.register"),
                ("mail_message_id.res_id", "=", self.entry.id),
            ]
        )

    def test_chatter_messages_cannot_be_edited_or_deleted(self):
        self.assertTrue(self.note)
        for env_note in (self.note.with_user(self.clerk), self.note.sudo()):
            with self.subTest(env=env_note.env.uid), self.assertRaises(UserError):
                env_note.write({"body": "Mai telefonato"})
            with self.assertRaises(UserError):
                env_note.write({"date": "2020-01-01 00:00:00"})
            with self.assertRaises(UserError):
                env_note.write({"res_id": self._new_entry().id})
            with self.assertRaises(UserError):
                env_note.unlink()
        # The chatter's own edit and delete path.
        with self.assertRaises(UserError):
            self.entry.with_user(self.clerk)._message_update_content(
                self.note, body="Mai telefonato"
            )
        with self.assertRaises(UserError):
            self.entry.sudo()._message_update_content(self.note, body="", strict=False)
        self.assertIn("Telefonato al mittente", self.note.body)
        # New messages can still be posted.
        self.entry.with_user(self.clerk2).message_post(body="Risposto")
        self.assertIn("Risposto", self.entry.message_ids[0].body)

    def test_tracking_values_cannot_be_edited_or_deleted(self):
        self.assertTrue(self.tracking)
        with self.assertRaises(UserError):
            self.tracking.sudo().write({"new_value_char": "Nessuno"})
        with self.assertRaises(UserError):
            self.tracking.sudo().unlink()
        with self.assertRaises(UserError):
            self.tracking.mail_message_id.sudo().write({"tracking_value_ids": [Command.clear()]})

    def test_the_mail_queue_still_deletes_the_emails_it_sent(self):
        mail = self.env["mail.mail"].create(
            {
                "model": "bo.mail.register",
                "res_id": self.entry.id,
                "body_html": "<p>Ricevuta di protocollo</p>",
                "email_to": "ordini@ferramentaverdi.example.it",
            }
        )
        message = mail.mail_message_id
        self._flush_tracking()
        mail.sudo().unlink()
        self.assertFalse(message.exists())

    def test_history_of_a_draft_stays_free(self):
        draft = self._new_entry()
        message = draft.message_post(body="Appunto", message_type="comment")
        self._flush_tracking()
        message.write({"body": "Appunto corretto"})
        message.unlink()
        self.assertFalse(message.exists())


@tagged("post_install", "-at_install")
class TestEvidenceFiles(MailroomCommon):
    """Every file of a registered or error entry is permanent; others' files are copied."""

    def test_registered_file_keeps_name_visibility_and_owner(self):
        attachment = self._attachment()
        self._registered_entry(attachment_ids=[Command.link(attachment.id)])
        for vals in (
            {"name": "altro.pdf"},
            {"public": True},
            {"res_field": "image_1920"},
            {"res_model": "res.partner", "res_id": self.partner.id},
            {"type": "url", "url": "https://example.com/x.pdf"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                attachment.sudo().write(vals)
        self.assertEqual((attachment.name, attachment.public), ("offerta.pdf", False))

    def test_refusal_does_not_name_evidence_files_to_users_who_cannot_write_them(self):
        attachment = self._attachment("verbale-riservato.pdf")
        self._registered_entry(attachment_ids=[Command.link(attachment.id)])
        for user in (self.portal, self.internal):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as refusal:
                attachment.with_user(user).write({"name": "x.pdf"})
            self.assertNotIn("verbale-riservato", str(refusal.exception))

    def test_files_posted_after_registration_and_kept_eml_are_permanent(self):
        entry = self._registered_entry(user_id=self.clerk.id)
        message = entry.with_user(self.clerk).message_post(
            body="Ricevuta", attachments=[("ricevuta.eml", b"From: pec@example.it")]
        )
        receipt = message.attachment_ids
        self.assertTrue(receipt)
        self.assertFalse(receipt in entry.hash_ids.attachment_id)
        with self.assertRaises(UserError):
            receipt.sudo().unlink()
        with self.assertRaises(UserError):
            receipt.sudo().write({"name": "altro.eml"})
        kept = self._new_entry(email_from="x@example.it")
        eml = self._attachment(
            "original_email.eml", b"From: x@example.it", res_model=kept._name, res_id=kept.id
        )
        kept._bo_keep_in_error("Mittente sconosciuto")
        with self.assertRaises(UserError):
            eml.sudo().unlink()
        with self.assertRaises(UserError):
            eml.sudo().write({"raw": b"altro"})

    def test_linking_another_record_file_copies_it_and_leaves_it_free(self):
        partner_file = self._attachment(
            "contratto.pdf", b"%PDF contratto", res_model="res.partner", res_id=self.partner.id
        )
        registered = self._registered_entry(attachment_ids=[Command.link(self._attachment().id)])
        entry_file = registered.attachment_ids
        draft = self._new_entry().with_user(self.manager)
        draft.write(
            {"attachment_ids": [Command.link(partner_file.id), Command.link(entry_file.id)]}
        )
        self.assertEqual(
            sorted(draft.attachment_ids.mapped("name")), ["contratto.pdf", "offerta.pdf"]
        )
        self.assertEqual(draft.attachment_ids.mapped("res_id"), [draft.id, draft.id])
        self.assertFalse(draft.attachment_ids & (partner_file | entry_file))
        draft.action_register()
        # The partner's file is still the partner's own, free to change.
        self.assertEqual(
            (partner_file.res_model, partner_file.res_id), ("res.partner", self.partner.id)
        )
        partner_file.write({"name": "contratto-v2.pdf"})
        partner_file.unlink()
        self.assertEqual(registered.attachment_ids, entry_file)
        self.assertEqual(entry_file.res_id, registered.id)


@tagged("post_install", "-at_install")
class TestEvidenceFingerprints(MailroomCommon):
    """Fingerprints cannot be rewritten or deleted, even by superuser code."""

    def setUp(self):
        super().setUp()
        self.entry = self._registered_entry(attachment_ids=[Command.link(self._attachment().id)])
        self.fingerprint = self.entry.hash_ids

    def test_superuser_cannot_rewrite_or_delete_a_fingerprint(self):
        self.assertTrue(self.fingerprint)
        sha256 = self.fingerprint.sha256
        for vals in ({"sha256": "0" * 64}, {"name": "altro.pdf"}, {"register_id": False}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.fingerprint.sudo().write(vals)
        with self.assertRaises(UserError):
            self.fingerprint.sudo().unlink()
        self.assertEqual(self.fingerprint.sha256, sha256)
        with self.assertRaises(UserError):
            self.fingerprint.sudo().create(
                {"register_id": self.entry.id, "name": "aggiunto.pdf", "sha256": "1" * 64}
            )
        self.assertEqual(self.entry.hash_ids, self.fingerprint)

    def test_the_database_refuses_what_the_orm_is_bypassed_for(self):
        table = self.fingerprint._table
        attacks = [
            SQL(
                "UPDATE %s SET sha256 = %s WHERE id = %s",
                SQL.identifier(table),
                "0" * 64,
                self.fingerprint.id,
            ),
            SQL("DELETE FROM %s WHERE id = %s", SQL.identifier(table), self.fingerprint.id),
        ]
        for query in attacks:
            with (
                self.subTest(query=query.code),
                self.assertRaises(psycopg2.errors.RestrictViolation),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query)
        # The result of the integrity check is the one thing that changes.
        self.entry.action_verify_integrity()
        self.assertEqual(self.fingerprint.integrity, "ok")


@tagged("post_install", "-at_install")
class TestEvidenceErrorEntries(MailroomCommon):
    """Entries kept in error: the only copy of a message."""

    def setUp(self):
        super().setUp()
        self.kept = self._new_entry(partner_id=False, email_from="ignoto@example.it")
        self.kept._bo_keep_in_error("Allegato illeggibile")

    def test_nobody_deletes_an_error_entry(self):
        for user in (self.clerk, self.manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.kept.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.kept.sudo().unlink()
        self.assertTrue(self.kept.exists())

    def test_clerk_cannot_move_it_back_to_draft_nor_register_it(self):
        with self.assertRaises(UserError):
            self.kept.with_user(self.clerk).write({"state": "draft"})
        with self.assertRaises(AccessError):
            self.kept.with_user(self.clerk).action_register()
        self.assertEqual(self.kept.state, "error")
        self.kept.with_user(self.manager).action_register()
        self.assertEqual(self.kept.state, "registered")
        self.assertFalse(self.kept.error_reason)


@tagged("post_install", "-at_install")
class TestEvidenceReplies(MailroomCommon):
    def test_clerk_registers_a_reply_to_a_colleague_letter(self):
        letter = self._registered_entry(user_id=self.clerk2.id)
        reply = self.Register.with_user(self.clerk).create(
            {
                "direction": "outgoing",
                "channel": "post",
                "partner_id": self.partner.id,
                "subject": "Re: Richiesta di offerta",
                "reply_to_id": letter.id,
            }
        )
        reply.action_register()
        self.assertEqual(letter.state, "answered")
        # The clerk still cannot work the colleague's letter directly.
        with self.assertRaises(AccessError):
            letter.with_user(self.clerk).action_close()

    def test_clerk_hands_a_registered_entry_over_to_a_colleague(self):
        entry = self._registered_entry()
        entry.with_user(self.clerk).write({"user_id": self.clerk2.id})
        self.assertEqual((entry.state, entry.user_id), ("assigned", self.clerk2))

    def test_a_draft_a_registered_entry_points_to_cannot_be_deleted(self):
        draft = self._new_entry()
        reply = self._registered_entry(direction="outgoing", reply_to_id=draft.id)
        with self.assertRaisesRegex(UserError, "answer or correct"):
            draft.unlink()
        self.assertEqual(reply.reply_to_id, draft)

    def test_a_reply_to_a_letter_the_clerk_cannot_read_is_refused(self):
        letter = self._registered_entry(user_id=self.clerk2.id, confidentiality="confidential")
        reply = self.Register.with_user(self.clerk).create(
            {
                "direction": "outgoing",
                "channel": "post",
                "partner_id": self.partner.id,
                "subject": "Re: riservata",
                "reply_to_id": letter.id,
            }
        )
        with self.assertRaises(AccessError):
            reply.action_register()
        self.assertEqual(letter.state, "assigned")


@tagged("post_install", "-at_install")
class TestSqlGuard(MailroomCommon):
    """The trigger that makes a table append-only, on a table of the test."""

    def _attempt(self, query):
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)
        except psycopg2.errors.RestrictViolation:
            return "refused"
        return "done"

    def test_append_only_table_with_and_without_mutable_columns(self):
        cr = self.env.cr
        cr.execute(SQL("CREATE TABLE bo_mailroom_guard_test (id int, seal text, note text)"))
        cr.execute(SQL("INSERT INTO bo_mailroom_guard_test VALUES (1, 'a', 'x')"))
        table = SQL.identifier("bo_mailroom_guard_test")
        change_seal = SQL("UPDATE %s SET seal = 'b'", table)
        change_note = SQL("UPDATE %s SET note = 'y'", table)
        delete = SQL("DELETE FROM %s", table)
        ensure_immutable(cr, "bo_mailroom_guard_test")
        self.assertEqual(
            [self._attempt(q) for q in (change_seal, change_note, delete)],
            ["refused", "refused", "refused"],
        )
        # Installed again (an update of the module): the last definition holds.
        ensure_immutable(cr, "bo_mailroom_guard_test", mutable_columns=("note",))
        self.assertEqual(
            [self._attempt(q) for q in (change_seal, change_note, delete)],
            ["refused", "done", "refused"],
        )
