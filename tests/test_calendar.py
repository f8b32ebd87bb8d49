"""Deadline arithmetic (FRAP 26(a)(1)) in sim.calendar, with periods taken from the rules table."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.calendar import (
    Calendar,
    argument_day,
    argument_days,
    argument_term,
    deadline,
    first_monday_in_october,
    in_summer_recess,
    is_argument_day,
    is_business_day,
    is_court_closed,
    is_legal_holiday,
    long_conference,
    next_conference,
    opinion_day,
    opinion_deadline,
    roll_forward,
    term_of,
)
from sim.domain.rules import RULES

CAL = Calendar(date(2013, 12, 4))

# An oracle independent of sim.calendar: federal holidays, observed days included, over the whole
# range at once (so a New Year's Day observed on December 31 is counted in the right year).
FEDERAL = holidays.US(years=range(1989, 2043), observed=True)


# FRAP 26(a)(6)(B) and (C), written out independently: the two executive-order closings in the
# sources, Lincoln's Birthday, and Election Day (the first Tuesday after a Monday in November).
OTHER = {date(2014, 12, 26), date(2015, 12, 24)}


def closed(day: date) -> bool:
    election = day.month == 11 and day.weekday() == 1 and 2 <= day.day <= 8
    return day.weekday() >= 5 or day in FEDERAL or day in OTHER or (day.month, day.day) == (2, 12) or election


def period(key: str) -> int:
    days = RULES[key].period_days
    assert days is not None, key
    return days


# Historical deadlines ------------------------------------------------------------------------

def test_rehearing_with_united_states_party_rolls_from_sunday_to_monday():
    """FRAP 40(a)(1): 45 days from the 2016-07-14 judgment is Sunday 2016-08-28, so 2016-08-29."""
    trigger = date(2016, 7, 14)
    assert period("rehearing_us") == 45
    assert trigger + timedelta(days=period("rehearing_us")) == date(2016, 8, 28)
    assert deadline(trigger, period("rehearing_us")) == date(2016, 8, 29)


def test_objection_to_magistrate_order():
    """Fed. R. Crim. P. 59(a): 14 days from the 2014-04-25 order is Friday 2014-05-09."""
    assert period("objection") == 14
    assert deadline(date(2014, 4, 25), period("objection")) == date(2014, 5, 9)


def test_cert_petition_and_extension():
    """Sup. Ct. R. 13.1: 90 days from the 2017-01-24 denial of rehearing; 13.5: 60 more."""
    trigger = date(2017, 1, 24)
    assert (period("cert_petition"), period("cert_extension")) == (90, 60)
    assert deadline(trigger, period("cert_petition"), supreme=True) == date(2017, 4, 24)
    assert deadline(trigger, period("cert_petition") + period("cert_extension"), supreme=True) == date(2017, 6, 23)


def test_rules_with_periods_match_the_reference():
    """Periods in the rules table (docs/sources.md §5a, §8.6, §9.1)."""
    expected = {"objection": 14, "notice_of_appeal": 30, "notice_of_appeal_us": 60, "rehearing": 14,
                "rehearing_us": 45, "mandate": 7, "cert_petition": 90, "cert_extension": 60,
                "brief_in_opposition": 30, "distribution": 14, "judgment_issued": 25, "comity_motion": 14,
                "rehearing_2024": 14, "rehearing_us_2024": 45}  # FRAP 40 as amended 2024-12-01
    assert {key: rule.period_days for key, rule in RULES.items() if rule.period_days is not None} == expected


# Weekends and holidays -------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "trigger", "last_day", "due"), [
    # Labor Day, Monday 2014-09-01.
    ("objection", date(2014, 8, 18), date(2014, 9, 1), date(2014, 9, 2)),
    ("notice_of_appeal", date(2014, 8, 2), date(2014, 9, 1), date(2014, 9, 2)),
    # Saturday 2016-12-24, Sunday, Christmas observed on Monday 2016-12-26.
    ("objection", date(2016, 12, 10), date(2016, 12, 24), date(2016, 12, 27)),
    # Thanksgiving, Thursday 2014-11-27 (the Friday after is not a legal holiday).
    ("objection", date(2014, 11, 13), date(2014, 11, 27), date(2014, 11, 28)),
    # New Year's Day 2022 (a Saturday) observed Friday 2021-12-31: runs to Monday 2022-01-03.
    ("rehearing", date(2021, 12, 17), date(2021, 12, 31), date(2022, 1, 3)),
    # Juneteenth, Monday 2023-06-19 (a holiday from 2021 on).
    ("objection", date(2023, 6, 5), date(2023, 6, 19), date(2023, 6, 20)),
], ids=["labor-day-14", "labor-day-30", "christmas-weekend", "thanksgiving", "new-year-observed", "juneteenth"])
def test_period_ending_on_a_holiday_rolls_forward(rule, trigger, last_day, due):
    assert trigger + timedelta(days=period(rule)) == last_day
    assert is_court_closed(last_day)
    assert deadline(trigger, period(rule)) == due


@pytest.mark.parametrize("day", [date(2014, 9, 1), date(2016, 12, 26), date(2014, 11, 27), date(2021, 12, 31),
                                 date(2023, 6, 19), date(2020, 7, 3)])
def test_federal_holidays_and_observed_days_are_legal_holidays(day):
    assert is_legal_holiday(day)


@pytest.mark.parametrize("day", [date(2014, 11, 28), date(2016, 12, 27), date(2019, 6, 19), date(2014, 5, 9)])
def test_ordinary_weekdays_are_not_legal_holidays(day):
    """The day after Thanksgiving, Juneteenth before 2021, and plain weekdays."""
    assert not is_legal_holiday(day)
    assert not is_court_closed(day)


def test_period_ending_on_an_ordinary_weekday_does_not_move():
    """FRAP 4(a)(1)(B): 60 days from the 2014-07-31 district order is Monday 2014-09-29."""
    trigger = date(2014, 7, 31)
    last_day = trigger + timedelta(days=period("notice_of_appeal_us"))
    assert last_day == date(2014, 9, 29)
    assert deadline(trigger, period("notice_of_appeal_us")) == last_day
    assert roll_forward(last_day) == last_day


def test_trigger_day_is_excluded():
    """FRAP 26(a)(1)(A): a 1-day period from a Tuesday ends on Wednesday."""
    assert deadline(date(2014, 4, 22), 1) == date(2014, 4, 23)


# Simulated days and dates ----------------------------------------------------------------------

def test_date_of_and_day_of_round_trip_on_the_historical_record():
    """Warrant (day 0) to dismissal as moot (2018-04-17) is 1,595 days."""
    assert CAL.date_of(0) == date(2013, 12, 4)
    assert CAL.day_of(date(2018, 4, 17)) == 1595
    assert CAL.date_of(1595) == date(2018, 4, 17)


def test_date_of_truncates_a_fractional_day():
    assert CAL.date_of(3.9) == CAL.date_of(3) == date(2013, 12, 7)


@given(st.dates(date(1990, 1, 1), date(2040, 12, 31)), st.dates(date(1990, 1, 1), date(2040, 12, 31)))
def test_date_of_and_day_of_round_trip(start, when):
    cal = Calendar(start)
    assert cal.date_of(cal.day_of(when)) == when
    assert cal.day_of(cal.date_of(cal.day_of(when))) == cal.day_of(when)


@given(st.dates(date(1990, 1, 1), date(2040, 12, 31)), st.integers(1, 400))
def test_deadline_is_the_first_open_day_from_the_end_of_the_period(trigger, days):
    """Never before trigger + period, never on a closed day, and only closed days skipped."""
    last_day = trigger + timedelta(days=days)
    due = deadline(trigger, days)
    assert due >= last_day
    assert not closed(due)
    assert not is_court_closed(due)
    skipped = [last_day + timedelta(days=n) for n in range((due - last_day).days)]
    assert all(closed(day) for day in skipped)


# The Supreme Court's Term (docs/sources.md §9.2, §9.4, §10) ----------------------------------------

def test_term_numbers_switch_in_late_june():
    """No. 17-2 was filed on 2017-06-23 and numbered for October Term 2017; a March 2016 petition is '15-'."""
    assert term_of(date(2017, 6, 23)) == 2017
    assert term_of(date(2016, 3, 1)) == 2015
    assert term_of(date(2017, 6, 19)) == 2016


def test_the_term_opens_on_the_first_monday_in_october():
    assert first_monday_in_october(2017) == date(2017, 10, 2)
    assert first_monday_in_october(2018) == date(2018, 10, 1)


@pytest.mark.parametrize("day", [date(2017, 7, 3), date(2017, 8, 15), date(2017, 9, 20)])
def test_no_conference_in_the_summer_recess(day):
    assert in_summer_recess(day)
    conference = next_conference(day)
    assert conference == long_conference(day.year) and conference.month == 9 and conference.weekday() == 0


def test_conferences_fall_on_business_days_in_the_term():
    day = date(2016, 10, 1)
    while day < date(2017, 9, 1):
        conference = next_conference(day)
        assert conference >= day and is_business_day(conference, supreme=True) and not in_summer_recess(conference)
        day += timedelta(days=5)


def test_a_case_granted_in_october_is_argued_that_term_and_decided_by_june():
    """The record: granted 2017-10-16, argued 2018-02-27 (a day the calendar allows)."""
    granted = date(2017, 10, 16)
    assert argument_term(granted) == 2017
    assert is_argument_day(date(2018, 2, 27))
    assert argument_day(granted, date(2018, 2, 27)) == date(2018, 2, 27)
    assert opinion_deadline(date(2018, 2, 27)) == date(2018, 6, 29)  # Saturday the 30th: the Friday before


def test_a_grant_after_mid_january_is_argued_the_next_term_in_the_order_granted():
    """Grants from mid-January to June fill the October to December sittings in the order granted,
    not all the first Monday in October (sources §11.2, assumption)."""
    assert argument_term(date(2017, 3, 6)) == 2017
    january = argument_day(date(2017, 1, 20), date(2017, 5, 1))
    march = argument_day(date(2017, 3, 6), date(2017, 5, 5))
    june = argument_day(date(2017, 6, 26), date(2017, 10, 1))
    assert first_monday_in_october(2017) <= january < march < june <= date(2017, 12, 31)


def test_a_grant_by_mid_january_is_argued_that_term_even_if_briefing_would_run_past_april():
    granted = date(2018, 1, 12)
    argued = argument_day(granted, granted + timedelta(days=150))
    assert date(2018, 4, 1) <= argued <= date(2018, 4, 30) and is_argument_day(argued)


def test_arguments_are_monday_to_wednesday_of_two_week_sittings_every_four_weeks():
    """OT2017 as the model sets it: sittings open 2 Oct, 30 Oct, 27 Nov, ... (the record's argument of
    Tuesday 2018-02-27 falls in the sitting that opens on 19 February)."""
    days = argument_days(2017)
    assert days[0] == date(2017, 10, 2) and date(2018, 2, 27) in days
    assert all(d.weekday() in (0, 1, 2) and is_business_day(d, supreme=True) for d in days)
    assert date(2017, 10, 16) not in days and date(2017, 10, 5) not in days  # a recess week; a Thursday
    assert len({argument_day(date(2017, 10, 16), date(2018, 2, 19), slot) for slot in range(6)}) == 5  # 19th closed


def test_closed_days_include_executive_orders_and_new_york_holidays():
    """FRAP 26(a)(6)(B): the executive-order closings of 2014-12-26 and 2015-12-24; (C): New York's
    Lincoln's Birthday and Election Day (sources §11.1)."""
    for day in (date(2014, 12, 26), date(2015, 12, 24), date(2015, 2, 12), date(2014, 11, 4), date(2016, 11, 8)):
        assert is_court_closed(day) and not is_business_day(day), day
    assert deadline(date(2014, 12, 12), 14) == date(2014, 12, 29)  # Friday the 26th closed: to Monday
    assert not is_court_closed(date(2014, 12, 29)) and not is_court_closed(date(2015, 11, 2))


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(0, 400))
def test_arguments_fall_in_a_sitting_and_opinions_within_the_term(granted, delay):
    if in_summer_recess(granted):
        granted = long_conference(granted.year)
    argued = argument_day(granted, granted + timedelta(days=delay))
    assert argued.month in (10, 11, 12, 1, 2, 3, 4) and is_argument_day(argued) and argued.weekday() < 3
    assert argued >= first_monday_in_october(argument_term(granted))
    decided = opinion_day(argued, argued + timedelta(days=delay))
    assert argued <= decided <= opinion_deadline(argued) and is_business_day(decided, supreme=True)
    assert decided.month in (10, 11, 12, 1, 2, 3, 4, 5, 6)


def test_no_argument_in_the_year_end_recess():
    """The four-week cadence would open a sitting on 26 December 2016 (a simulated docket argued a case on
    the 27th); no Term's argument days fall between 20 December and 5 January (§11.2, assumption)."""
    assert not is_argument_day(date(2016, 12, 27))
    for term in range(2013, 2026):
        days = argument_days(term)
        assert not [d for d in days if (d.month, d.day) >= (12, 20) or (d.month, d.day) <= (1, 5)]
        assert any(d.month == 12 for d in days) and any(d.month == 1 for d in days)


def test_the_supreme_court_keeps_its_own_closed_days_under_rule_30_1():
    """Sup. Ct. R. 30.1 extends a period only past a weekend, a federal legal holiday listed in 5 U.S.C.
    6103 or a day the Court building is closed by its order: New York's holidays (FRAP 26(a)(6)(C)) and
    the executive-order closings are not among them (sources §10.1)."""
    ny_only = (date(2015, 2, 12), date(2016, 2, 12), date(2016, 11, 8), date(2014, 12, 26), date(2015, 12, 24))
    for day in ny_only:
        assert is_court_closed(day) and not is_court_closed(day, supreme=True), day
        assert roll_forward(day, supreme=True) == day and roll_forward(day) > day
    for day in (date(2016, 2, 15), date(2016, 11, 24), date(2015, 12, 25), date(2016, 2, 13)):  # federal, weekend
        assert is_court_closed(day, supreme=True), day
    # a petition due 90 days after a judgment of 14 November 2014 is due on Lincoln's Birthday, a Thursday
    assert deadline(date(2014, 11, 14), 90, supreme=True) == date(2015, 2, 12)
    assert deadline(date(2014, 11, 14), 90) == date(2015, 2, 13)
    # the Court confers on Friday 12 February 2016, which is closed to the courts in New York
    assert next_conference(date(2016, 2, 10)) == date(2016, 2, 12)
