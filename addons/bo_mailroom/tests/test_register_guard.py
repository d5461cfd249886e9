"""The register's guarded fields, its links to what it points to, and the
cost of a registration."""

import base64
from datetime import date, datetime

from odoo import Command
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MailroomCommon

# Queries of registering one entry as a clerk, tracking and history included,
# with every Back Office addon installed as CI has them (bo_mailroom alone
# makes 15). 2026-12: 28 before the guard and the split (10 entries cost 136
# then); 24, and 5 per further entry, before the numbers were tried in the
# database.
REGISTER_ONE_QUERIES = 21
# What each further entry registered in the same call adds at most: its
# number (one query, however many tries) and its tracked state change.
REGISTER_EACH_MORE_QUERIES = 3


def _clerk_draft_values(subject="Richiesta di preventivo"):
    return {
        "direction": "incoming",
        "channel": "post",
        "partner_name": "Cartoleria Rossi",
        "subject": subject,
    }


@tagged("post_install", "-at_install")
class TestRegisterGuard(GuardAttackKit):
    """Number, dates, state, cancellation and delivery evidence of an entry:
    only the register's actions write them, whoever asks and however."""

    guarded_model = "bo.mail.register"

    @classmethod
    def _guard_record(cls):
        Register = cls.env["bo.mail.register"]
        # Another entry: the attacks forge links and values pointing to it.
        Register.create(_clerk_draft_values("Altra lettera"))
        # An emergency register: the attacks forge the link to one.
        cls.env["bo.mail.emergency.register"].create(
            {"start_datetime": datetime(2002, 3, 4, 9, 0), "cause": "Guasto"}
        )
        entry = Register.with_user(cls.users["bo_user"]).create(_clerk_draft_values())
        entry.action_register()
        return entry.with_env(cls.env)

    @classmethod
    def _guard_create_values(cls):
        return _clerk_draft_values("Bozza di un impiegato")


@tagged("post_install", "-at_install")
class TestRegisterHashGuard(GuardAttackKit):
    """Fingerprints: the registration takes them, the integrity check writes
    its result; nobody else creates or changes one."""

    guarded_model = "bo.mail.register.hash"

    @classmethod
    def _registered_with_file(cls, subject):
        attachment = cls.env["ir.attachment"].create(
            {"name": "offerta.pdf", "datas": base64.b64encode(b"%PDF-1.4 offerta")}
        )
        entry = cls.env["bo.mail.register"].create(
            {**_clerk_draft_values(subject), "attachment_ids": [Command.link(attachment.id)]}
        )
        entry.action_register()
        return entry

    @classmethod
    def _guard_record(cls):
        cls._registered_with_file("Altra lettera con allegato")
        return cls._registered_with_file("Lettera con allegato").hash_ids

    @classmethod
    def _guard_create_values(cls):
        """Nothing: a clerk never creates a fingerprint."""
        return {}

    def test_guard_allows_an_ordinary_create(self):
        """The refusals prove something: the registration does create
        fingerprints, any other create is refused, superuser included."""
        with self.assertRaises(AccessError):
            self.env[self.guarded_model].sudo().create([self._guard_create_values()])
        entry = self._registered_with_file("Registrata ora")
        self.assertEqual(entry.hash_ids.mapped("name"), ["offerta.pdf"])
        entry.action_verify_integrity()
        self.assertEqual(entry.hash_ids.integrity, "ok")


@tagged("post_install", "-at_install")
class TestRegisterDayGuard(GuardAttackKit):
    """A sealed day: written whole by the sealing, never by anyone else."""

    guarded_model = "bo.mail.register.day"

    @classmethod
    def _guard_record(cls):
        return cls.env["bo.mail.register.day"]._generate(cls.company, date(2002, 3, 4))

    @classmethod
    def _guard_create_values(cls):
        """Nothing: a day is sealed by the nightly job, not created by hand."""
        return {}

    def test_guard_allows_an_ordinary_create(self):
        """The refusals prove something: the sealing creates a day, any other
        create is refused, superuser included."""
        Day = self.env[self.guarded_model]
        with self.assertRaises(AccessError):
            Day.sudo().create([{}])
        sealed = Day._generate(self.company, date(2002, 3, 5))
        self.assertEqual((sealed.date, sealed.entry_count), (date(2002, 3, 5), 0))


@tagged("post_install", "-at_install")
class TestRegisterPrivileges(MailroomCommon):
    """What a client sends is never a privilege of the register."""

    def test_a_forged_privileged_context_writes_nothing(self):
        entry = self._registered_entry(direction="outgoing", user_id=self.clerk.id)
        for forged in (True, "1", {"bo.mail.register": ["*"]}):
            for context in ({"bo_mailroom_privileged": forged}, {"bo_guard_grant": forged}):
                with self.subTest(context=context), self.assertRaises(UserError):
                    entry.with_user(self.manager).with_context(**context).write(
                        {"delivery_state": "delivered", "pec_receipt_kind": "avvenuta-consegna"}
                    )
        self.assertFalse(entry.delivery_state or entry.pec_receipt_kind)

    def test_a_forged_pec_receipt_context_posts_no_receipt(self):
        receipt = self.env.ref("bo_mailroom.mt_bo_mail_register_pec_receipt")
        entry = (
            self.Register.with_user(self.clerk)
            .with_context(bo_mailroom_pec_receipt="avvenuta-consegna")
            .create(_clerk_draft_values("Ricevuta finta"))
        )
        self._flush_tracking()
        self.assertNotIn(receipt, entry.message_ids.subtype_id)

    def test_default_keys_give_a_draft_without_number(self):
        entry = (
            self.Register.with_user(self.clerk)
            .with_context(
                default_state="closed",
                default_name="2020/0000001",
                default_email_message_id="<forged@sender.example.it>",
                default_cancel_reason="Mai",
            )
            .create(_clerk_draft_values())
        )
        self.assertEqual(entry.state, "draft")
        self.assertFalse(entry.name or entry.email_message_id or entry.cancel_reason)

    def test_a_transition_writes_only_what_it_declares(self):
        entry = self._registered_entry()
        with self.assertRaises(AccessError):
            entry._bo_transition("close", {"state": "closed", "cancel_reason": "Di nascosto"})
        self.assertEqual(entry.state, "registered")
        self.assertFalse(entry.cancel_reason)


@tagged("post_install", "-at_install")
class TestRegisterLinks(MailroomCommon):
    """What an entry points to is kept, refused or noted: never lost silently."""

    def test_deleting_a_linked_document_is_noted_and_the_entry_keeps_its_reference(self):
        document = self.env["res.partner"].create({"name": "Pratica Bianchi"})
        entry = self._registered_entry(res_model="res.partner", res_id=document.id)
        self.assertEqual(entry.record_ref, document)
        document.with_user(self.manager).sudo().unlink()
        entry.invalidate_recordset()
        self.assertEqual((entry.res_model, entry.res_id), ("res.partner", document.id))
        self.assertFalse(entry.record_ref)
        self.assertIn("Pratica Bianchi", entry.message_ids[0].body)
        self.assertIn("was deleted", entry.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "no longer exists"):
            entry.action_open_record()

    def test_only_a_document_with_a_chatter_can_be_linked(self):
        with self.assertRaises(ValidationError):
            self._new_entry(res_model="res.country", res_id=self.env.ref("base.it").id)
        with self.assertRaises(ValidationError):
            self._new_entry(res_model="no.such.model", res_id=1)

    def test_an_entry_that_another_answers_cannot_be_deleted(self):
        letter = self._new_entry()
        self._new_entry(direction="outgoing", reply_to_id=letter.id)
        with self.assertRaisesRegex(UserError, "answer or correct"):
            letter.unlink()
        self.assertTrue(letter.exists())

    def test_deleting_the_contact_of_a_draft_keeps_its_name_and_says_so(self):
        contact = self.env["res.partner"].create({"name": "Studio Neri"})
        draft = self._new_entry(partner_id=contact.id)
        contact.unlink()
        self.assertFalse(draft.partner_id)
        self.assertEqual(draft.partner_name, "Studio Neri")
        self.assertEqual(draft.correspondent, "Studio Neri")
        self.assertIn("Studio Neri", draft.message_ids[0].body)
        draft.action_register()
        self.assertEqual(draft.state, "registered")

    def test_a_classification_or_letter_in_use_cannot_be_deleted(self):
        template = self.env["bo.letter.template"].create(
            {"name": "Risposta standard", "body_html": "<p>Gentili signori,</p>"}
        )
        self._new_entry(
            direction="outgoing", category_id=self.cat_complaints.id, letter_template_id=template.id
        )
        with self.assertRaisesRegex(UserError, "archive"):
            self.cat_complaints.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "archive"):
            template.with_user(self.manager).unlink()
        self.cat_complaints.with_user(self.manager).action_archive()
        self.assertFalse(self.cat_complaints.active)

    def test_the_files_of_a_received_message_stay_until_a_manager_discards_it(self):
        entry = self._process(
            self._email(attachments=[("ordine.pdf", b"%PDF ordine", "application/pdf")])
        )
        self.assertEqual(entry.state, "draft")
        files = entry.attachment_ids
        self.assertIn("original_email.eml", files.mapped("name"))
        clerk_entry = entry.with_user(self.clerk)
        for attack in (
            lambda: files[0].with_user(self.clerk).unlink(),
            lambda: files[0].with_user(self.clerk).write({"raw": b"altro"}),
            lambda: clerk_entry.write({"attachment_ids": [Command.unlink(files[0].id)]}),
            lambda: clerk_entry.write({"attachment_ids": [Command.clear()]}),
            lambda: clerk_entry.write({"attachment_ids": [Command.set([])]}),
        ):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                attack()
        self.assertEqual(entry.attachment_ids, files)
        # More files can come; the whole message goes only with a manager.
        note = (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .create({"name": "nota.pdf", "datas": base64.b64encode(b"%PDF nota")})
        )
        clerk_entry.write({"attachment_ids": [Command.link(note.id)]})
        self.assertEqual(len(entry.attachment_ids), len(files) + 1)
        entry.with_user(self.manager).unlink()
        self.assertFalse(files.exists())


@tagged("post_install", "-at_install")
class TestRegistrationCost(MailroomCommon):
    """Registering costs a fixed number of queries, plus a constant for each
    further entry registered in the same call: nothing is searched or read
    per entry that could be read once (company, year, last number,
    fingerprints, history lines)."""

    def _drafts(self, count):
        drafts = self.Register.with_user(self.clerk).create(
            [{**_clerk_draft_values(f"Lettera {index}")} for index in range(count)]
        )
        self._flush_tracking()
        return drafts

    def _register(self, drafts):
        drafts.action_register()
        # What the end of the request does: tracking and history are written.
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_registering_one_entry_costs_a_fixed_number_of_queries(self):
        self._register(self._drafts(1))  # caches warm, as on a running server
        draft = self._drafts(1)
        with self.assertQueryCount(REGISTER_ONE_QUERIES):
            self._register(draft)
        self.assertEqual(draft.state, "registered")

    def test_registering_ten_entries_adds_a_constant_per_entry(self):
        self._register(self._drafts(1))
        drafts = self._drafts(10)
        with self.assertQueryCount(REGISTER_ONE_QUERIES + 9 * REGISTER_EACH_MORE_QUERIES):
            self._register(drafts)
        self.assertEqual(set(drafts.mapped("state")), {"registered"})
        seqs = sorted(drafts.mapped("protocol_seq"))
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 10)))
