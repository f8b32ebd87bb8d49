"""Checks of a matter's stored entries against the calendars and the rules table (docs/sources.md §11):
the days the Supreme Court's Clerk dockets filings, the Court's argument days and Terms, when amicus
briefs are due after the brief of the party they support, and that every entry cites the rule the
table holds for its step, in the text in force on the entry's date.

Pure functions of stored entries (any objects with the entries' fields); `sim.runs.audit` reports what
they return beside the checks of `sim.domain.lawful`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sim import calendar
from sim.domain.periods import PERIODS
from sim.domain.registry import CALENDAR_ROLES
from sim.domain.rules import AMENDED, RULES, in_force
from sim.domain.steps import STEPS

Finding = tuple[int, str, str, str, str]  # seq, date, event, rule, expected
Briefs = dict[tuple[str, str], tuple[str, str]]  # (court, role) -> (party, date) of the first principal brief

FILING_DAYS = "Sup. Ct. R. 29.2; sources §11.1 (the Clerk dockets filings on business days)"
ARGUMENT_DAYS = "sources §11.2 (arguments on Monday to Wednesday of a sitting week)"
SAME_TERM = "sources §9.2, §11.2 (a grant by mid-January is argued that Term)"
AMICUS_TIME = {"circuit": "FRAP 29(a)(6); sources §11.3", "supreme": "Sup. Ct. R. 37.3(a); sources §11.3"}
CITATION = "sources §11.4 (every citation from the rules table, in force on the entry's date)"
AMICUS_DAYS = 7

# The rules a step may cite besides its own (`STEPS`): the variant the engine chooses by the facts
# (the United States a party, a late filing, the statute in force, where the matter is pending).
ALSO: dict[str, tuple[str, ...]] = {
    "warrant_applied": ("warrant_2713",), "warrant_issued": ("warrant_2713",),
    "disclosure": ("disclosure_2713", "mlat_execution"),
    "notice_of_appeal": ("notice_of_appeal_us",), "rehearing_petition": ("rehearing_us",),
    "rehearing_decision": ("rehearing_untimely",), "district_ruling": ("objection_untimely",),
    "magistrate_ruling": ("common_law_comity_ruling", "comity_ruling"), "comity_ruling": ("comity_untimely",),
    "mootness_motion": ("motion_withdraw",), "dismissal_as_moot": ("dismissal_moot_below",),
    "nondisclosure_order": ("nondisclosure",), "nondisclosure_extension": ("nondisclosure",),
    "mandate": ("mandate_stay_ran_out", "mandate_cert_denied", "mandate_petition_returned"),
}
# Principal briefs by side and court: (court, docket kind) -> the side whose brief it is.
PRINCIPAL = {("circuit", "brief for appellant"): "appellant", ("circuit", "brief for appellee"): "appellee",
             ("supreme", "brief for petitioner"): "petitioner", ("supreme", "brief for respondent"): "respondent"}
OPENING = {"circuit": "appellant", "supreme": "petitioner"}


def findings(events: list[Any]) -> Iterator[Finding]:
    """Every calendar, amicus-timing and citation finding in one matter's stored events, in order."""
    opened, entries = events[0], events[1:]
    treaty = opened.parties.get("treaty", "")
    briefs: Briefs = {}
    last = ""  # the citation of the entry before
    granted: str | None = None
    for e in entries:
        name, seq = type(e).__name__, e.originator_version
        court = "circuit" if e.court_level == "en_banc" else e.court_level
        day = dt.date.fromisoformat(e.date)
        role = CALENDAR_ROLES.get(name)  # the entry's part in these checks, as the registry declares it
        if e.KIND == "filing" and court == "supreme" and not calendar.is_business_day(day, True):
            yield seq, e.date, name, FILING_DAYS, f"a business day, got {day:%A} {day}"
        if role == "grant" and e.granted:
            granted = e.date
        if role == "argument" and court == "supreme":
            yield from _argument(seq, name, day, granted)
        if role == "brief":
            _principal(e, court, briefs)
        if role == "amicus" and e.counterfactual:
            yield from _amicus(e, seq, name, court, briefs)
        found = _citation(e, name, role, treaty, last)
        if found:
            yield seq, e.date, name, CITATION, found
        last = e.rule.split(": ")[0]


def _principal(e: Any, court: str, briefs: Briefs) -> None:
    """Remember the first principal brief of each side at each court (party, date)."""
    role = PRINCIPAL.get((court, e.kind))
    if role is not None:
        briefs.setdefault((court, role), (e.party, e.date))


def _argument(seq: int, name: str, day: dt.date, granted: str | None) -> Iterator[Finding]:
    if not calendar.is_argument_day(day):
        yield seq, day.isoformat(), name, ARGUMENT_DAYS, \
            f"a Monday, Tuesday or Wednesday of a sitting week, October to April, got {day:%A} {day}"
    if granted is not None:
        term = calendar.argument_term(dt.date.fromisoformat(granted))
        argued = day.year if day.month >= 10 else day.year - 1
        if argued != term:
            yield seq, day.isoformat(), name, SAME_TERM, \
                f"argument in October Term {term} (granted {granted}), got OT{argued}"


def _amicus(e: Any, seq: int, name: str, court: str, briefs: Briefs) -> Iterator[Finding]:
    """An amicus brief no later than 7 days after the principal brief of the party it supports; one
    supporting neither party (or not saying), after the appellant's or petitioner's (sources §11.3)."""
    if court not in AMICUS_TIME:
        return
    side = e.supporting if e.supporting in ("provider", "government") else ""
    anchor = next((b for (c, role), b in briefs.items() if c == court and b[0] == side), None) if side \
        else briefs.get((court, OPENING[court]))
    whose = f"the {side}'s principal brief" if side else f"the {OPENING[court]}'s principal brief"
    if anchor is None:
        yield seq, e.date, name, AMICUS_TIME[court], f"a brief after {whose} (none on record)"
        return
    last = (dt.date.fromisoformat(anchor[1]) + dt.timedelta(days=AMICUS_DAYS)).isoformat()
    if e.date > last:
        yield seq, e.date, name, AMICUS_TIME[court], \
            f"no later than {last}, 7 days after {whose} of {anchor[1]}"


def expected_citations(step: str, level: str, date: str, treaty: str = "") -> tuple[str, ...]:
    """The citations the rules table allows an entry of `step` at `level` on `date`."""
    keys = (STEPS[step], *ALSO.get(step, ())) if step in STEPS else ()
    return tuple(RULES[in_force(key, level, date)].citation.format(treaty=treaty) for key in keys)


def _citation(e: Any, name: str, role: str | None, treaty: str, last: str) -> str | None:
    rule: str = e.rule
    if role == "end":  # the step that ended the matter, or the period for review that ran
        head = rule.split(": ")[0]
        if head == last or head in _PERIOD_CITATIONS:
            return None
        return f"{last!r} (the last step's) or the rule of a period for review, got {head!r}"
    allowed = expected_citations(e.step, e.court_level, e.date, treaty)
    if not allowed or any(rule.startswith(c) for c in allowed):
        return None
    return f"{' or '.join(repr(c) for c in allowed)} for {e.step} on {e.date}, got {rule.split(': ')[0]!r}"


_PERIOD_CITATIONS = frozenset(
    RULES[key].citation for period in PERIODS.values() for base in period.rules
    for key in (base, AMENDED.get(base, ("", base))[1]))
