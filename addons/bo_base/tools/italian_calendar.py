"""Italian working days, computed: weekends and national holidays.

The deadlines this serves (a daily register sent to preservation by the
next working day) are set by law, the same for every company and for any
year: a computed calendar needs no data to keep up to date, where the
resource calendars of Odoo hold per-company leaves someone must enter for
each year. Regional feasts (a town's patron saint) are not national
holidays and do not move a legal deadline.

National holidays: 1 and 6 January, Easter Monday, 25 April, 1 May,
2 June, 15 August, 1 November, 8 and 25 and 26 December, and 4 October
(San Francesco) from 2026 on (law 151/2025 restored it).
"""

from datetime import date, timedelta

FIXED_HOLIDAYS = frozenset(
    {(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)}
)
SAN_FRANCESCO = (10, 4)
SAN_FRANCESCO_FROM = 2026


def easter_sunday(year):
    """Gregorian Easter Sunday of ``year`` (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_national_holiday(day):
    """Whether ``day`` is an Italian national holiday."""
    key = (day.month, day.day)
    if key in FIXED_HOLIDAYS:
        return True
    if key == SAN_FRANCESCO and day.year >= SAN_FRANCESCO_FROM:
        return True
    return day == easter_sunday(day.year) + timedelta(days=1)


def is_working_day(day):
    """Neither a Saturday, a Sunday nor a national holiday."""
    return day.weekday() < 5 and not is_national_holiday(day)


def next_working_day(day):
    """The first working day after ``day`` (``day`` itself excluded)."""
    following = day + timedelta(days=1)
    while not is_working_day(following):
        following += timedelta(days=1)
    return following


def working_days_between(start, end):
    """How many working days come after ``start``, up to ``end`` included
    (0 when ``end`` is not after ``start``)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
