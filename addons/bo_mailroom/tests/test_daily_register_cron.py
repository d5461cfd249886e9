from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestDailyRegisterCron(MailroomCommon):
    def test_one_run_seals_every_day_since_the_first_registration(self):
        Day = self.env["bo.mail.register.day"]
        company = self.env["res.company"].create({"name": "Nuova Sede S.r.l."})
        company.partner_id.tz = "Europe/Rome"
        today = date(2034, 3, 1)
        yesterday = today - timedelta(days=1)
        # The other companies are up to date: only the new one has a gap.
        for other in self.env["res.company"].search([("id", "!=", company.id)]):
            Day._generate(other, yesterday)
        with freeze_time(today - timedelta(days=90)):
            first = self._registered_entry(company_id=company.id, subject="Prima lettera")
        with freeze_time(f"{today.isoformat()} 01:30:00"):
            Day._cron_generate_daily_register()
        days = Day.search([("company_id", "=", company.id)], order="date")
        expected = [today - timedelta(days=n) for n in range(90, 0, -1)]
        self.assertEqual(days.mapped("date"), expected)
        self.assertEqual(days[0].first_number, first.name)
        self.assertEqual(days[0].entry_count, 1)
        self.assertEqual(sum(days[1:].mapped("entry_count")), 0)
        # The next night goes on from the last sealed day.
        with freeze_time(f"{(today + timedelta(days=1)).isoformat()} 01:30:00"):
            Day._cron_generate_daily_register()
        self.assertEqual(
            Day.search([("company_id", "=", company.id)], order="date desc", limit=1).date, today
        )
