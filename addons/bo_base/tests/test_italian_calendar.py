from datetime import date

from odoo.addons.bo_base.tools.italian_calendar import (
    easter_sunday,
    is_national_holiday,
    is_working_day,
    next_working_day,
    working_days_between,
)
from odoo.tests import BaseCase, tagged


@tagged("post_install", "-at_install", "bo_dates")
class TestItalianCalendar(BaseCase):
    def test_easter_monday_is_a_holiday_for_any_year(self):
        self.assertEqual(easter_sunday(2024), date(2024, 3, 31))
        self.assertEqual(easter_sunday(2025), date(2025, 4, 20))
        self.assertEqual(easter_sunday(2026), date(2026, 4, 5))
        self.assertEqual(easter_sunday(2027), date(2027, 3, 28))
        self.assertTrue(is_national_holiday(date(2026, 4, 6)))
        self.assertTrue(is_national_holiday(date(2027, 3, 29)))
        # Good Friday is a working day in Italy.
        self.assertTrue(is_working_day(date(2026, 4, 3)))

    def test_fixed_holidays_and_weekends_are_not_working_days(self):
        for day in (
            date(2027, 1, 1),
            date(2027, 1, 6),
            date(2026, 4, 25),
            date(2027, 5, 1),
            date(2027, 6, 2),
            date(2027, 8, 15),
            date(2027, 11, 1),
            date(2027, 12, 8),
            date(2027, 12, 25),
            date(2027, 12, 26),
        ):
            with self.subTest(day=day):
                self.assertTrue(is_national_holiday(day))
                self.assertFalse(is_working_day(day))
        self.assertFalse(is_working_day(date(2026, 12, 5)))  # a Saturday
        self.assertFalse(is_working_day(date(2026, 12, 6)))  # a Sunday
        self.assertTrue(is_working_day(date(2026, 12, 7)))

    def test_san_francesco_is_a_holiday_from_2026(self):
        self.assertFalse(is_national_holiday(date(2025, 10, 4)))
        self.assertTrue(is_national_holiday(date(2026, 10, 4)))  # a Sunday anyway
        self.assertEqual(date(2026, 10, 4).weekday(), 6)
        self.assertEqual(date(2027, 10, 4).weekday(), 0)
        self.assertFalse(is_working_day(date(2027, 10, 4)))
        self.assertEqual(next_working_day(date(2027, 10, 1)), date(2027, 10, 5))

    def test_next_working_day_skips_weekends_and_easter_monday(self):
        self.assertEqual(next_working_day(date(2026, 12, 3)), date(2026, 12, 4))
        self.assertEqual(next_working_day(date(2026, 12, 4)), date(2026, 12, 7))
        self.assertEqual(next_working_day(date(2026, 4, 3)), date(2026, 4, 7))
        self.assertEqual(next_working_day(date(2026, 12, 24)), date(2026, 12, 28))
        self.assertEqual(next_working_day(date(2026, 12, 31)), date(2027, 1, 4))

    def test_working_days_between_counts_after_start_up_to_end(self):
        self.assertEqual(working_days_between(date(2026, 4, 3), date(2026, 4, 3)), 0)
        self.assertEqual(working_days_between(date(2026, 4, 3), date(2026, 4, 6)), 0)
        self.assertEqual(working_days_between(date(2026, 4, 3), date(2026, 4, 7)), 1)
        self.assertEqual(working_days_between(date(2026, 4, 3), date(2026, 4, 8)), 2)
        self.assertEqual(working_days_between(date(2026, 4, 8), date(2026, 4, 3)), 0)
