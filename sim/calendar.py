"""Simulated days to calendar dates, and deadlines rolled forward as FRAP 26(a)(1)(C) requires.

>>> cal = Calendar(date(2016, 7, 14))
>>> cal.date_of(45)                       # FRAP 40(a)(1): 45 days lands on a Sunday...
datetime.date(2016, 8, 28)
>>> cal.deadline(date(2016, 7, 14), 45)   # ...so the period runs to Monday
datetime.date(2016, 8, 29)
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import attrs
import holidays


@cache
def _federal_holidays(year: int) -> frozenset[date]:
    """Days set aside by statute for federal holidays (FRAP 26(a)(6)(A)), observed days included."""
    return frozenset(holidays.US(years=year, observed=True))


def is_legal_holiday(day: date) -> bool:
    """True if `day` is a federal legal holiday as FRAP 26(a)(6) counts them."""
    return day in _federal_holidays(day.year)


def is_court_closed(day: date) -> bool:
    """Saturday, Sunday or a legal holiday: a day on which a period cannot end (FRAP 26(a)(1)(C))."""
    return day.weekday() >= 5 or is_legal_holiday(day)


def roll_forward(day: date) -> date:
    """The last day of a period, continued to the next day that is not a weekend or legal holiday."""
    while is_court_closed(day):
        day += timedelta(days=1)
    return day


@attrs.frozen
class Calendar:
    """Maps a scenario's simulated days (day 0 = start date) to calendar dates and back."""

    start: date

    def date_of(self, day: float) -> date:
        return self.start + timedelta(days=int(day))

    def day_of(self, when: date) -> int:
        return (when - self.start).days

    def deadline(self, trigger: date, period_days: int) -> date:
        """Last day to act: exclude the trigger day, count every day, roll the last day forward."""
        return roll_forward(trigger + timedelta(days=period_days))
