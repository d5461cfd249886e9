import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestDailyRegister(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Rome"
        cls.Day = cls.env["bo.mail.register.day"]

    def test_daily_register_lists_registrations_cancellations_and_changes(self):
        with freeze_time("2033-05-10 08:00:00"):
            first = self._registered_entry(
                attachment_ids=[Command.link(self._attachment("lettera.pdf", b"%PDF lettera").id)]
            )
            second = self._registered_entry(
                partner_id=False, partner_name="Mario Neri", direction="outgoing"
            )
            self._flush_tracking()
        with freeze_time("2033-05-10 15:00:00"):
            second.with_user(self.manager)._cancel("Inviata per errore")
            first.user_id = self.clerk
            self._flush_tracking()
        with freeze_time("2033-05-11 09:00:00"):
            self._registered_entry(subject="Del giorno dopo")
        register_day = self.Day._generate(self.company, date(2033, 5, 10))
        self.assertEqual(register_day.first_number, "2033/0000001")
        self.assertEqual(register_day.last_number, "2033/0000002")
        self.assertEqual(register_day.entry_count, 2)
        self.assertEqual(register_day.cancel_count, 1)
        self.assertGreaterEqual(register_day.change_count, 1)
        self.assertRegex(register_day.sha256, r"^[0-9a-f]{64}$")
        lines = self.Day._report_lines(self.company, date(2033, 5, 10))
        self.assertEqual(
            register_day.sha256, self.Day._lines_digest(lines, register_day.lines_version)
        )
        self.assertEqual(
            lines["registrations"][0]["hashes"], [(h.name, h.sha256) for h in first.hash_ids]
        )
        content = self._content(register_day, "complete_file")
        for text in (
            "2033/0000001",
            "2033/0000002",
            "Inviata per errore",
            "Mario Neri",
            register_day.sha256,
            first.hash_ids.sha256,
            "Mailroom Clerk",
        ):
            self.assertIn(text, content)
        self.assertNotIn("Del giorno dopo", content)
        # Generating the same day again gives the same sealed register.
        self.assertEqual(self.Day._generate(self.company, date(2033, 5, 10)), register_day)

    def test_daily_register_files_cannot_be_removed_or_changed(self):
        register_day = self.Day._generate(self.company, date(2033, 6, 1))
        files = self._sealed_attachments(register_day)
        self.assertEqual(len(files), 2, "the register and the complete register")
        for attachment in files:
            with self.assertRaises(UserError):
                attachment.sudo().unlink()
            with self.assertRaises(UserError):
                attachment.sudo().write({"raw": b"falso"})

    def test_nightly_cron_seals_days_without_entries(self):
        # Sealed up to June 30th: the job goes on from there.
        self.Day._generate(self.company, date(2033, 6, 30))
        with freeze_time("2033-07-02 01:00:00"):
            self.Day._cron_generate_daily_register()
        register_day = self.Day.search(
            [("company_id", "=", self.company.id), ("date", "=", date(2033, 7, 1))]
        )
        self.assertEqual(register_day.entry_count, 0)
        self.assertFalse(register_day.first_number)
        self.assertIn("No registrations on this day", self._content(register_day))
        with freeze_time("2033-07-05 01:00:00"):
            self.Day._cron_generate_daily_register()
        days = self.Day.search(
            [("company_id", "=", self.company.id), ("date", ">=", date(2033, 7, 1))]
        )
        self.assertEqual(sorted(days.mapped("date")), [date(2033, 7, d) for d in (1, 2, 3, 4)])

    def _content(self, register_day, field_name="register_file"):
        return base64.b64decode(register_day[field_name]).decode()

    def _sealed_attachments(self, register_day):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "bo.mail.register.day"),
                ("res_id", "=", register_day.id),
                ("res_field", "!=", False),
            ]
        )
