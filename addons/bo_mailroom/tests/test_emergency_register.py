"""The emergency register (DPR 445/2000 art. 63): its own numbering during
an outage, the recovery into the normal protocol sequence, the manager's
authorisation beyond 24 hours, the printed sheet and its guarded fields."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.bo_base.tests.common import GuardAttackKit, new_bo_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import MailroomCommon

# A fixed reference: no test depends on the day it runs.
REFERENCE = datetime(2036, 5, 4, 9, 0, 0)
CAUSE = "Server del protocollo guasto"


def _outage_values(hours=3, **vals):
    return {
        "start_datetime": REFERENCE,
        "end_datetime": REFERENCE + timedelta(hours=hours),
        "cause": CAUSE,
        **vals,
    }


def _line_values(emergency, minutes=10, **vals):
    return {
        "emergency_register_id": emergency.id,
        "registered_at": REFERENCE + timedelta(minutes=minutes),
        "direction": "incoming",
        "correspondent": "Cartoleria Rossi",
        "subject": "Ordine di cancelleria",
        **vals,
    }


@tagged("post_install", "-at_install", "bo_dates")
class TestEmergencyRegister(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Emergency = cls.env["bo.mail.emergency.register"]
        cls.Line = cls.env["bo.mail.emergency.entry"]

    def _emergency(self, hours=3, user=None, **vals):
        return self.Emergency.with_user(user or self.clerk).create(_outage_values(hours, **vals))

    def _lines(self, emergency, *subjects, user=None):
        return self.Line.with_user(user or self.clerk).create(
            [
                _line_values(emergency, minutes=10 * (n + 1), subject=subject)
                for n, subject in enumerate(subjects)
            ]
        )

    def _closed_with_lines(self, hours=3):
        emergency = self._emergency(hours)
        self._lines(emergency, "Prima lettera", "Seconda lettera", "Terza lettera")
        emergency.action_close()
        return emergency

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    def test_emergency_entries_are_numbered_from_one_in_each_register(self):
        first = self._emergency()
        self.assertTrue(first.name.startswith("EMG/2036/"), first.name)
        self.assertEqual(first.state, "open")
        lines = self._lines(first, "Uno", "Due")
        lines |= self._lines(first, "Tre")
        self.assertEqual(lines.mapped("sequence_number"), [1, 2, 3])
        second = self._emergency()
        self.assertNotEqual(second.name, first.name)
        self.assertEqual(self._lines(second, "Altro").sequence_number, 1)

    def test_emergency_numbers_stay_gap_free(self):
        emergency = self._emergency()
        lines = self._lines(emergency, "Uno", "Due", "Tre")
        with self.assertRaises(UserError):
            lines[1].with_user(self.clerk).unlink()
        lines[2].with_user(self.clerk).unlink()
        self.assertEqual(self._lines(emergency, "Tre bis").sequence_number, 3)

    def test_an_entry_is_dated_inside_its_outage(self):
        emergency = self._emergency()
        with self.assertRaises(ValidationError):
            self.Line.with_user(self.clerk).create(_line_values(emergency, minutes=-5))
        with self.assertRaises(ValidationError):
            self.Line.with_user(self.clerk).create(_line_values(emergency, minutes=600))
        self.Line.with_user(self.clerk).create(_line_values(emergency, minutes=90))
        with self.assertRaises(ValidationError):
            emergency.with_user(self.clerk).end_datetime = REFERENCE + timedelta(hours=1)

    def test_clerk_types_the_paper_entries_in_the_form(self):
        emergency = self._emergency()
        with Form(emergency.with_user(self.clerk)) as form, form.line_ids.new() as line:
            line.registered_at = REFERENCE + timedelta(minutes=5)
            line.correspondent = "Mario Neri"
            line.subject = "Reclamo"
        self.assertEqual(emergency.line_ids.mapped("sequence_number"), [1])

    # ------------------------------------------------------------------
    # Recovery
    # ------------------------------------------------------------------

    def test_recovery_gives_contiguous_protocol_numbers_in_emergency_order(self):
        emergency = self._emergency()
        # Typed in another order than the paper's: the emergency number decides.
        self.Line.with_user(self.clerk).create(
            [
                _line_values(emergency, minutes=40, subject="Prima lettera", direction="outgoing"),
                _line_values(emergency, minutes=20, subject="Seconda lettera"),
            ]
        )
        emergency.action_close()
        recovery_day = REFERENCE + timedelta(days=1, hours=2)
        with freeze_time(recovery_day):
            before = self._registered_entry(subject="Prima del recupero")
            emergency.with_user(self.clerk).action_recover()
            after = self._registered_entry(subject="Dopo il recupero")
        entries = emergency.line_ids.sorted("sequence_number").register_entry_id
        self.assertEqual(emergency.state, "recovered")
        self.assertEqual(len(entries), 2)
        self.assertEqual(
            [before.protocol_seq, *entries.mapped("protocol_seq"), after.protocol_seq],
            list(range(before.protocol_seq, before.protocol_seq + 4)),
        )
        self.assertEqual(entries.mapped("subject"), ["Prima lettera", "Seconda lettera"])
        self.assertEqual(entries.mapped("emergency_number"), [1, 2])
        self.assertEqual(
            entries.mapped("emergency_date"),
            [REFERENCE + timedelta(minutes=40), REFERENCE + timedelta(minutes=20)],
        )
        self.assertEqual(entries.emergency_register_id, emergency)
        self.assertEqual(entries.mapped("direction"), ["outgoing", "incoming"])
        self.assertEqual(set(entries.mapped("state")), {"registered"})
        self.assertEqual(entries.mapped("partner_name"), ["Cartoleria Rossi"] * 2)
        self.assertEqual(set(entries.mapped("registration_date")), {recovery_day})
        # The daily register of the recovery day lists them, in order.
        lines = self.env["bo.mail.register.day"]._report_lines(self.company, recovery_day.date())
        numbers = [line["number"] for line in lines["registrations"]]
        self.assertEqual(numbers, [before.name, *entries.mapped("name"), after.name])

    def test_recovery_runs_once_and_only_on_a_closed_register(self):
        emergency = self._emergency()
        self._lines(emergency, "Unica lettera")
        with self.assertRaises(UserError):
            emergency.with_user(self.clerk).action_recover()
        emergency.action_close()
        emergency.with_user(self.clerk).action_recover()
        count = self.Register.search_count([("emergency_register_id", "=", emergency.id)])
        with self.assertRaises(UserError):
            emergency.with_user(self.manager).action_recover()
        self.assertEqual(
            self.Register.search_count([("emergency_register_id", "=", emergency.id)]), count
        )
        self.assertEqual(count, 1)

    def test_a_recovery_that_fails_registers_nothing(self):
        emergency = self._closed_with_lines()
        last_seq = self._registered_entry().protocol_seq
        # An entry that cannot be registered: the recovery is all or nothing.
        self.env["bo.mail.emergency.entry"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE bo_mail_emergency_entry SET correspondent = '' "
                "WHERE emergency_register_id = %s AND sequence_number = 3",
                emergency.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            emergency.with_user(self.clerk).action_recover()
        self.env.invalidate_all()
        self.assertEqual(emergency.state, "closed")
        self.assertFalse(emergency.line_ids.register_entry_id)
        self.assertFalse(self.Register.search([("emergency_register_id", "=", emergency.id)]))
        self.assertEqual(self._registered_entry().protocol_seq, last_seq + 1)

    # ------------------------------------------------------------------
    # Authorisation beyond 24 hours
    # ------------------------------------------------------------------

    def test_outage_beyond_a_day_is_recovered_only_after_a_managers_authorisation(self):
        emergency = self._closed_with_lines(hours=30)
        self.assertTrue(emergency.needs_authorisation)
        with self.assertRaises(UserError):
            emergency.with_user(self.clerk).action_recover()
        with self.assertRaises(AccessError):
            emergency.with_user(self.clerk)._bo_authorise("Guasto prolungato")
        with self.assertRaises(AccessError):
            self.env["bo.mail.emergency.authorise"].with_user(self.clerk).create(
                {"emergency_register_id": emergency.id, "reason": "Guasto prolungato"}
            )
        with self.assertRaises(UserError):
            emergency.with_user(self.manager)._bo_authorise("  ")
        with freeze_time(REFERENCE + timedelta(days=2)):
            wizard = (
                self.env["bo.mail.emergency.authorise"]
                .with_user(self.manager)
                .create({"emergency_register_id": emergency.id, "reason": "Guasto prolungato"})
            )
            wizard.action_confirm()
        self._flush_tracking()
        self.assertEqual(emergency.authorised_uid, self.manager)
        self.assertEqual(emergency.authorised_date, REFERENCE + timedelta(days=2))
        self.assertEqual(emergency.authorisation_reason, "Guasto prolungato")
        self.assertFalse(emergency.needs_authorisation)
        authorised = emergency.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("bo_mailroom.mt_bo_mail_emergency_authorised")
        )
        self.assertEqual(authorised.author_id, self.manager.partner_id)
        self.assertLessEqual(
            {"authorised_uid", "authorised_date", "authorisation_reason"},
            set(authorised.sudo().tracking_value_ids.field_id.mapped("name")),
        )
        emergency.with_user(self.clerk).action_recover()
        self.assertEqual(emergency.state, "recovered")

    def test_outage_within_a_day_needs_no_authorisation(self):
        emergency = self._closed_with_lines(hours=24)
        self.assertFalse(emergency.needs_authorisation)
        emergency.with_user(self.clerk).action_recover()
        self.assertEqual(len(emergency.line_ids.register_entry_id), 3)

    # ------------------------------------------------------------------
    # What a closed register keeps
    # ------------------------------------------------------------------

    def test_a_closed_registers_entries_cannot_be_changed(self):
        emergency = self._closed_with_lines()
        line = emergency.line_ids[0].with_user(self.clerk)
        with self.assertRaises(UserError):
            line.subject = "Cambiato"
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            self._lines(emergency, "Aggiunta")
        with self.assertRaises(UserError):
            emergency.with_user(self.manager).cause = "Altra causa"
        with self.assertRaises(UserError):
            emergency.with_user(self.manager).unlink()
        emergency.with_user(self.clerk).action_recover()
        with self.assertRaises(UserError):
            emergency.line_ids[0].with_user(self.manager).subject = "Cambiato"
        with self.assertRaises(UserError):
            emergency.line_ids.register_entry_id[0].with_user(self.manager).write(
                {"emergency_number": 9}
            )

    def test_a_register_with_entries_cannot_be_deleted(self):
        emergency = self._emergency()
        self._lines(emergency, "Una")
        with self.assertRaises(UserError):
            emergency.with_user(self.manager).unlink()
        empty = self._emergency()
        empty.with_user(self.clerk).unlink()
        self.assertFalse(empty.exists())

    def test_refusals_speak_the_users_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_base", "bo_mailroom"], ["it_IT"], overwrite=True
        )
        emergency = self._closed_with_lines()
        # The web client sends the user's language in the context of each call.
        self.clerk.lang = "it_IT"
        line = emergency.line_ids[0].with_user(self.clerk).with_context(lang=self.clerk.lang)
        with self.assertRaisesRegex(UserError, "è chiuso"):
            line.subject = "Cambiato"

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_another_companys_user_cannot_read_it(self):
        emergency = self._emergency()
        self._lines(emergency, "Una")
        other = self.env["res.company"].create({"name": "Emergenze Altrove S.r.l."})
        stranger = new_bo_user(
            self.env,
            "emg_stranger",
            "Otto Other",
            "bo_base.group_bo_manager",
            company=other,
        )
        for record in (emergency, emergency.line_ids):
            with self.subTest(model=record._name):
                self.assertFalse(record.with_user(stranger).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(stranger).read(["display_name"])
        for user in (self.internal, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                emergency.with_user(user).read(["name"])

    def test_back_office_users_work_open_registers_others_cannot_touch_them(self):
        emergency = self._emergency()
        line = self._lines(emergency, "Una")
        expected = {
            self.clerk: (True, True, True, True),
            self.manager: (True, True, True, True),
            self.internal: (False, False, False, False),
            self.portal: (False, False, False, False),
        }
        for record in (emergency, line):
            for user, rights in expected.items():
                for operation, allowed in zip(
                    ("read", "write", "create", "unlink"), rights, strict=True
                ):
                    with self.subTest(model=record._name, user=user.login, operation=operation):
                        self.assertEqual(record.with_user(user).has_access(operation), allowed)

    def test_a_clerk_cannot_forge_what_only_the_actions_write(self):
        emergency = self._emergency()
        line = self._lines(emergency, "Una")
        entry = self._registered_entry()
        for record, vals in (
            (emergency, {"state": "recovered"}),
            (emergency, {"authorised_uid": self.clerk.id}),
            (emergency, {"name": "EMG/1999/001"}),
            (line, {"sequence_number": 7}),
            (line, {"register_entry_id": entry.id}),
            (entry, {"emergency_register_id": emergency.id}),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                record.with_user(self.clerk).write(vals)
        forged = (
            self.Emergency.with_user(self.clerk)
            .with_context(default_state="recovered", default_authorised_uid=self.clerk.id)
            .create(_outage_values())
        )
        self.assertEqual((forged.state, forged.authorised_uid), ("open", self.env["res.users"]))
        forged_line = (
            self.Line.with_user(self.clerk)
            .with_context(default_sequence_number=42, default_register_entry_id=entry.id)
            .create(_line_values(forged))
        )
        self.assertEqual(forged_line.sequence_number, 1)
        self.assertFalse(forged_line.register_entry_id)

    # ------------------------------------------------------------------
    # The printed sheet
    # ------------------------------------------------------------------

    def _sheet(self, emergency):
        html, _report_type = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_html("bo_mailroom.action_report_bo_mail_emergency_sheet", emergency.ids)
        )
        return html.decode()

    def test_the_sheet_has_numbered_blank_rows_then_lists_the_entries(self):
        emergency = self._emergency()
        blank = self._sheet(emergency)
        self.assertIn(emergency.name, blank)
        self.assertIn(CAUSE, blank)
        self.assertIn(self.company.name, blank)
        self.assertEqual(blank.count("o_bo_emergency_blank"), 25)
        self._lines(emergency, "Lettera del mattino", "Lettera del pomeriggio")
        emergency.action_close()
        filled = self._sheet(emergency)
        self.assertIn("Lettera del mattino", filled)
        self.assertIn("Lettera del pomeriggio", filled)
        self.assertEqual(filled.count("o_bo_emergency_blank"), 0)


@tagged("post_install", "-at_install")
class TestEmergencyRegisterGuard(GuardAttackKit):
    """Name, state and authorisation: only the register's actions write them."""

    guarded_model = "bo.mail.emergency.register"

    @classmethod
    def _guard_record(cls):
        Emergency = cls.env["bo.mail.emergency.register"]
        Emergency.create(_outage_values(hours=30))
        return Emergency.with_user(cls.users["bo_user"]).create(_outage_values()).with_env(cls.env)

    @classmethod
    def _guard_create_values(cls):
        return _outage_values()


@tagged("post_install", "-at_install")
class TestEmergencyEntryGuard(GuardAttackKit):
    """The emergency number and the link to the protocol: the numbering and
    the recovery write them, nobody else."""

    guarded_model = "bo.mail.emergency.entry"

    @classmethod
    def _guard_record(cls):
        # A protocol entry the attacks can forge the link with.
        protocol = cls.env["bo.mail.register"].create(
            {"direction": "incoming", "channel": "post", "partner_name": "X", "subject": "Altra"}
        )
        protocol.action_register()
        cls.emergency = cls.env["bo.mail.emergency.register"].create(_outage_values())
        return cls.env["bo.mail.emergency.entry"].create(_line_values(cls.emergency))

    @classmethod
    def _guard_create_values(cls):
        return _line_values(cls.emergency, minutes=30)
