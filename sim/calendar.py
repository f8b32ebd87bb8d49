"""Court calendars: simulated days to dates, periods rolled forward as FRAP 26(a)(1)(C) requires,
the business days on which courts act, and the Supreme Court's Term (docs/sources.md §9.2, §9.4, §10).

>>> cal = Calendar(date(2016, 7, 14))
>>> cal.date_of(45)                       # FRAP 40(a)(1): 45 days lands on a Sunday...
datetime.date(2016, 8, 28)
>>> deadline(date(2016, 7, 14), 45)       # ...so the period runs to Monday
datetime.date(2016, 8, 29)
>>> term_of(date(2017, 6, 23)), term_of(date(2016, 3, 1))   # No. 17-2; a March 2016 petition is "15-"
(2017, 2015)
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import attrs
import holidays

# Assumptions where the sources describe practice but give no rule (docs/sources.md §10).
TERM_PREFIX_SWITCH = (6, 20)   # the Clerk numbers petitions for the coming Term from 20 June ("late June", §9.4)
GRANT_CUTOFF = (1, 15)         # grants after about mid-January are argued the next Term (§9.2)
LAST_OPINION_DAY = (6, 30)     # opinions in argued cases by the end of June (§9.2)
ARGUMENT_MONTHS = (10, 11, 12, 1, 2, 3, 4)  # sittings from October through April (§9.2)
CONFERENCE_WEEKDAY = 4         # Friday: conferences modelled weekly on Fridays during the Term


@cache
def _federal_holidays(year: int) -> frozenset[date]:
    """Days set aside by statute for federal holidays (FRAP 26(a)(6)(A)), observed days included."""
    return frozenset(holidays.US(years=year, observed=True))


def is_legal_holiday(day: date) -> bool:
    """True if `day` is a federal legal holiday as FRAP 26(a)(6) counts them."""
    return day in _federal_holidays(day.year)


def is_court_closed(day: date) -> bool:
    """Saturday, Sunday or a legal holiday: a day on which a period cannot end (FRAP 26(a)(1)(C))."""
    if day.weekday() >= 5:
        return True
    found = _HOLIDAYS.get(day.year)
    if found is None:
        found = _HOLIDAYS[day.year] = _federal_holidays(day.year)
    return day in found


_HOLIDAYS: dict[int, frozenset[date]] = {}


def is_business_day(day: date) -> bool:
    """A day the clerk's office is open and courts sit (Fed. R. Crim. P. 56; FRAP 45(a)(2))."""
    return not is_court_closed(day)


@cache
def roll_forward(day: date) -> date:
    """The last day of a period, continued to the next day that is not a weekend or legal holiday
    (remembered: every deadline and court sitting asks, and a matter spans a few thousand days)."""
    while is_court_closed(day):
        day += timedelta(days=1)
    return day


@cache
def roll_back(day: date) -> date:
    """The business day on or before `day`."""
    while is_court_closed(day):
        day -= timedelta(days=1)
    return day


def deadline(trigger: date, period_days: int) -> date:
    """Last day to act: exclude the trigger day, count every day, roll the last day forward."""
    return roll_forward(trigger + timedelta(days=period_days))


@attrs.frozen
class Calendar:
    """Maps a scenario's simulated days (day 0 = start date) to calendar dates and back."""

    start: date

    def date_of(self, day: float) -> date:
        return self.start + timedelta(days=int(day))

    def day_of(self, when: date) -> int:
        return (when - self.start).days


# The Supreme Court's Term (28 U.S.C. 2; docs/sources.md §9.2, §9.4) ------------------------------

def first_monday_in_october(year: int) -> date:
    """The Term begins on the first Monday in October (28 U.S.C. 2)."""
    first = date(year, 10, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def long_conference(year: int) -> date:
    """The conference before the Term that opens in October `year`: the last Monday in September."""
    last = date(year, 9, 30)
    return last - timedelta(days=last.weekday())


def term_of(day: date) -> int:
    """The October Term whose docket numbers a petition filed on `day` carries ("17-" for OT2017)."""
    return day.year if (day.month, day.day) >= TERM_PREFIX_SWITCH else day.year - 1


def in_summer_recess(day: date) -> bool:
    """After the last June conference and before the long conference: no petition is decided."""
    return day.month in (7, 8) or (day.month == 9 and day < long_conference(day.year))


def next_conference(day: date) -> date:
    """The first conference on or after `day`: the long conference in late September, then weekly."""
    if in_summer_recess(day):
        return long_conference(day.year)
    while not (day.weekday() == CONFERENCE_WEEKDAY and is_business_day(day)) and day != long_conference(day.year):
        day += timedelta(days=1)
        if in_summer_recess(day):
            return long_conference(day.year)
    return day


def argument_term(granted: date) -> int:
    """The Term in which a case granted on `granted` can first be argued."""
    season = granted.year if granted.month >= 7 else granted.year - 1  # the Term whose conferences granted it
    return season if (granted.month, granted.day) <= GRANT_CUTOFF or granted.month >= 7 else season + 1


def is_argument_day(day: date) -> bool:
    return day.month in ARGUMENT_MONTHS and is_business_day(day)


def argument_day(granted: date, earliest: date) -> date:
    """The first argument day on or after `earliest` in a sitting of the Term the grant allows."""
    day = max(earliest, first_monday_in_october(argument_term(granted)))
    while not is_argument_day(day):
        day = first_monday_in_october(day.year) if day.month in (5, 6, 7, 8, 9) else day + timedelta(days=1)
    return day


def opinion_deadline(argued: date) -> date:
    """The last day of the Term in which a case argued on `argued` is decided (end of June)."""
    term = argued.year if argued.month >= 10 else argued.year - 1
    return roll_back(date(term + 1, *LAST_OPINION_DAY))


def opinion_day(argued: date, earliest: date) -> date:
    """A business day on or after `earliest`, and no later than the end of the argument's Term."""
    return min(roll_forward(earliest), opinion_deadline(argued))
