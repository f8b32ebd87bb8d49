"""Court calendars: simulated days to dates, periods rolled forward as FRAP 26(a)(1)(C) requires,
the business days on which courts act (FRAP 26(a)(6): federal holidays, days closed by executive order,
New York's court holidays; in the Supreme Court, Sup. Ct. R. 30.1: federal legal holidays only), and the
Supreme Court's Term, sittings and argument days (docs/sources.md §9.2, §9.4, §10.1, §11).

>>> cal = Calendar(date(2016, 7, 14))
>>> cal.date_of(45)                       # FRAP 40(a)(1): 45 days lands on a Sunday...
datetime.date(2016, 8, 28)
>>> deadline(date(2016, 7, 14), 45)       # ...so the period runs to Monday
datetime.date(2016, 8, 29)
>>> deadline(date(2015, 11, 4), 100), deadline(date(2015, 11, 4), 100, supreme=True)  # Lincoln's Birthday
(datetime.date(2016, 2, 16), datetime.date(2016, 2, 12))
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
ARGUMENT_WEEKDAYS = (0, 1, 2)  # Monday to Wednesday of a sitting week (§11.2)
SITTING_WEEKS, SITTING_EVERY = 2, 4  # two-week sittings, one opening every four weeks from the Term's start
                                     # (assumption: §11.2 gives two-week sittings October to April, not their days)
HOLIDAY_RECESS = ((12, 20), (1, 5))  # no argument from 20 December to 5 January (assumption: the year-end
                                     # holiday weeks, which the four-week cadence would otherwise fill)

# FRAP 26(a)(6)(B): other days declared holidays by the President (§11.1: the executive orders closing
# federal offices the sources name; others are not in the sources and are not modelled).
EXECUTIVE_ORDER_CLOSINGS = frozenset({date(2014, 12, 26), date(2015, 12, 24)})


def new_york_holidays(year: int) -> frozenset[date]:
    """FRAP 26(a)(6)(C): the New York holidays the sources name (§11.1), Lincoln's Birthday (12 February)
    and Election Day (the Tuesday after the first Monday in November); the courts of the matter sit in
    New York (S.D.N.Y., 2d Cir.)."""
    first_monday = date(year, 11, 1) + timedelta(days=(7 - date(year, 11, 1).weekday()) % 7)
    return frozenset({date(year, 2, 12), first_monday + timedelta(days=1)})


@cache
def _federal_holidays(year: int) -> frozenset[date]:
    """Days set aside by statute for federal holidays (FRAP 26(a)(6)(A)), observed days included."""
    return frozenset(holidays.US(years=year, observed=True))


def closed_days(year: int, supreme: bool = False) -> frozenset[date]:
    """Every weekday of `year` that is a legal holiday under FRAP 26(a)(6) (A), (B) and (C); with `supreme`,
    in the Supreme Court: a federal legal holiday listed in 5 U.S.C. 6103 (Sup. Ct. R. 30.1; days on which
    the Court building was closed by order of the Court or the Chief Justice are not in the sources)."""
    if supreme:
        return _federal_holidays(year)
    return _federal_holidays(year) | {d for d in EXECUTIVE_ORDER_CLOSINGS if d.year == year} \
        | new_york_holidays(year)


def is_legal_holiday(day: date) -> bool:
    """True if `day` is a federal legal holiday as FRAP 26(a)(6) counts them."""
    return day in _federal_holidays(day.year)


def is_court_closed(day: date, supreme: bool = False) -> bool:
    """Saturday, Sunday or a legal holiday: a day on which a period cannot end (FRAP 26(a)(1)(C); in the
    Supreme Court, with `supreme`, Sup. Ct. R. 30.1) and the clerk's office is closed (FRAP 45(a)(2))."""
    if day.weekday() >= 5:
        return True
    known = _HOLIDAYS[supreme]
    found = known.get(day.year)
    if found is None:
        found = known[day.year] = closed_days(day.year, supreme)
    return day in found


_HOLIDAYS: dict[bool, dict[int, frozenset[date]]] = {False: {}, True: {}}  # `closed_days`, by court and year


def is_business_day(day: date, supreme: bool = False) -> bool:
    """A day the clerk's office is open and courts sit (Fed. R. Crim. P. 56; FRAP 45(a)(2)); with `supreme`,
    the Supreme Court's (Sup. Ct. R. 30.1)."""
    return not is_court_closed(day, supreme)


@cache
def roll_forward(day: date, supreme: bool = False) -> date:
    """The last day of a period, continued to the next day that is not a weekend or legal holiday
    (remembered: every deadline and court sitting asks, and a matter spans a few thousand days)."""
    while is_court_closed(day, supreme):
        day += timedelta(days=1)
    return day


@cache
def roll_back(day: date, supreme: bool = False) -> date:
    """The business day on or before `day`."""
    while is_court_closed(day, supreme):
        day -= timedelta(days=1)
    return day


def deadline(trigger: date, period_days: int, supreme: bool = False) -> date:
    """Last day to act: exclude the trigger day, count every day, roll the last day forward (in the Supreme
    Court, with `supreme`, past the days Sup. Ct. R. 30.1 names)."""
    return roll_forward(trigger + timedelta(days=period_days), supreme)


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
    while not (day.weekday() == CONFERENCE_WEEKDAY and is_business_day(day, True)) \
            and day != long_conference(day.year):
        day += timedelta(days=1)
        if in_summer_recess(day):
            return long_conference(day.year)
    return day


def argument_term(granted: date) -> int:
    """The Term in which a case granted on `granted` can first be argued."""
    season = granted.year if granted.month >= 7 else granted.year - 1  # the Term whose conferences granted it
    return season if (granted.month, granted.day) <= GRANT_CUTOFF or granted.month >= 7 else season + 1


def in_sitting(day: date) -> bool:
    """A day of a week of argument: sittings of two weeks, one opening every four weeks from the first
    Monday in October, from October through April (§11.2, assumption on which weeks)."""
    if day.month not in ARGUMENT_MONTHS:
        return False
    term = day.year if day.month >= 10 else day.year - 1
    return (day - first_monday_in_october(term)).days // 7 % SITTING_EVERY < SITTING_WEEKS


def is_argument_day(day: date) -> bool:
    """Monday to Wednesday of a sitting week, on a business day, outside the year-end recess (§11.2)."""
    return day.weekday() in ARGUMENT_WEEKDAYS and in_sitting(day) and is_business_day(day, True) \
        and not _in_recess(day)


def _in_recess(day: date) -> bool:
    (first_month, first_day), (last_month, last_day) = HOLIDAY_RECESS
    return (day.month, day.day) >= (first_month, first_day) or (day.month, day.day) <= (last_month, last_day)


def argument_days(term: int) -> tuple[date, ...]:
    """Every argument day of the Term that opens in October `term`."""
    return _argument_days(term)


@cache
def _argument_days(term: int) -> tuple[date, ...]:
    day, last = first_monday_in_october(term), date(term + 1, 4, 30)
    days = []
    while day <= last:
        if is_argument_day(day):
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


def argument_day(granted: date, earliest: date, slot: int = 0) -> date:
    """The argument day of a case granted on `granted` and ready on `earliest`: the `slot`-th day (0 to 5,
    the Monday to Wednesday of the two weeks) of the first sitting from then in the Term the grant allows.
    A grant by mid-January is argued that Term, in its last sitting if need be (the Clerk sets the
    briefing to fit, Sup. Ct. R. 25); a later grant waits for the next Term, whose October to December
    sittings take the cases in the order granted (§11.2, assumption)."""
    term = argument_term(granted)
    earliest = _in_turn(granted, earliest, term)
    days = [d for d in argument_days(term) if d >= earliest]
    if not days and term == argument_term(granted) and granted < argument_days(term)[-1]:
        days = [d for d in argument_days(term) if d > granted and in_same_sitting(d, argument_days(term)[-1])]
    while not days:
        term += 1
        days = [d for d in argument_days(term) if d >= earliest]
    sitting = [d for d in days if in_same_sitting(d, days[0])]
    return sitting[min(slot, len(sitting) - 1)]


def _in_turn(granted: date, earliest: date, term: int) -> date:
    """A grant after mid-January waits for the next Term, where it takes its turn: the later the grant
    (to 30 June), the later among the Term's argument days before the year-end recess."""
    if term == (granted.year if granted.month >= 7 else granted.year - 1):
        return earliest
    share = min(max((granted - date(granted.year, *GRANT_CUTOFF)).days / 166, 0.0), 1.0)
    autumn = [d for d in argument_days(term) if d.month >= 10]
    return max(earliest, autumn[int(share * (len(autumn) - 1))])


def in_same_sitting(a: date, b: date) -> bool:
    """True if `a` and `b` fall in the same two-week sitting."""
    term = a.year if a.month >= 10 else a.year - 1
    start = first_monday_in_october(term)
    return (a - start).days // (7 * SITTING_EVERY) == (b - start).days // (7 * SITTING_EVERY)


def opinion_deadline(argued: date) -> date:
    """The last day of the Term in which a case argued on `argued` is decided (end of June)."""
    term = argued.year if argued.month >= 10 else argued.year - 1
    return roll_back(date(term + 1, *LAST_OPINION_DAY), True)


def opinion_day(argued: date, earliest: date) -> date:
    """A business day on or after `earliest`, and no later than the end of the argument's Term."""
    return min(roll_forward(earliest, True), opinion_deadline(argued))
