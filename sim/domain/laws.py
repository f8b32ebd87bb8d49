"""When the laws a scenario may assume actually came into force (docs/sources.md §1, §3, §9.5); the
executive agreements' dates are in the countries table (`sim.domain.countries`).

A simulated entry dated before a law it relies on was really in force says so: its docket text
carries `assumption_label`, so a 2013 docket citing 18 U.S.C. 2713 cannot pass for history.

>>> assumed_laws("18 U.S.C. 2703(a), 2713: ...", "2014-01-02")
['18 U.S.C. 2713']
>>> assumed_laws("18 U.S.C. 2703(a), 2713: ...", "2018-03-23")
[]
"""

from __future__ import annotations

import re
from functools import cache

from sim.domain.countries import COUNTRIES, agreement_in_force

CLOUD_ACT_STATUTES = ("18 U.S.C. 2713", "18 U.S.C. 2703(h)", "18 U.S.C. 2523")
CLOUD_ACT_ENACTED = "2018-03-23"  # Pub. L. 115-141, signed 2018-03-23 (sources §1, §3)

# A statute, and the patterns by which a citation names it.
_CITED = {
    "18 U.S.C. 2713": re.compile(r"\b2713\b"),
    "18 U.S.C. 2703(h)": re.compile(r"\b2703\(h\)"),
    "18 U.S.C. 2523": re.compile(r"\b2523\b"),
    "Pub. L. 115-141": re.compile(r"115-141|CLOUD Act"),
}
IN_FORCE = {statute: CLOUD_ACT_ENACTED for statute in _CITED}

LABEL = "[simulated regime: {laws} assumed in force; not law until {date}]"
AGREEMENT_LABEL = "[simulated regime: an executive agreement with {country} assumed in force{since}]"
LABELLED = re.compile(r"\[simulated regime: ([^\]]+)\]")  # what either label says, as docket text holds it


def assumed_laws(rule: str, date: str) -> list[str]:
    """The statutes `rule` (a citation and summary) relies on that were not yet law on `date`."""
    return [law for law in cited(rule) if date < IN_FORCE[law]] if date < CLOUD_ACT_ENACTED else []


@cache
def cited(rule: str) -> tuple[str, ...]:
    """The statutes of `_CITED` that `rule` names (rules are few: each is searched once)."""
    return tuple(law for law, pattern in _CITED.items() if pattern.search(rule))


def assumption_label(laws: list[str]) -> str:
    """The docket-text label for an entry relying on `laws` before they were in force."""
    return LABEL.format(laws=", ".join(laws), date=max(IN_FORCE[law] for law in laws))


def assumed_agreement(country: str, date: str) -> str | None:
    """The label an entry needs when it treats `country` as having a 2523 agreement in force on
    `date` and it had none then (None when it had). The in-force dates come from the countries table
    (`sim.domain.countries`)."""
    since = agreement_in_force(country)
    if since is not None and date >= since:
        return None
    called = COUNTRIES[country].called if country in COUNTRIES else country
    return AGREEMENT_LABEL.format(country=called, since=f"; in force only from {since}" if since else
                                  "; none in force in reality")
