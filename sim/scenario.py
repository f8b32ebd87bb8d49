"""Scenario files: TOML data loaded into frozen attrs classes and validated on load.

A scenario is data only. Every error names the file, the key path and what was expected, e.g.
``scenarios/x.toml: court_of_appeals.argument_after: expected a duration in days (number >= 0),
got "soon"``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from sim.distributions import (
    MAX_DAYS,
    Duration,
    Empirical,
    Fixed,
    LogNormal,
    Probability,
    Provenance,
    Triangular,
    Uniform,
)
from sim.domain import countries
from sim.domain.ladder import NUMBER_EXAMPLES, NUMBER_PATTERNS
from sim.domain.steps import STEPS
from sim.errors import ScenarioError, printable

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
MAX_FILE_BYTES = 1 << 20  # a scenario is a few kilobytes; anything near a mebibyte is not one
MAX_DEPTH = 8             # tables and lists nest at most 4 deep in a scenario
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
# Assumption: the dates a scenario may give. The calendar is the modern federal courts'; a matter runs for
# years, and a date near the end of the proleptic calendar (year 9999) overflows the simulation clock.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
DOCTRINES = ("location", "control")
IN_FORCE = "in_force"  # cloud_act.enacted: already law when the warrant is applied for


class _Invalid(Exception):
    """A value that does not fit; carries the key path below the table being parsed."""

    def __init__(self, key: str, message: str) -> None:
        self.key, self.message = key, message


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{printable(value)}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value).lower() if isinstance(value, bool) else repr(value)


def _join(prefix: str, key: str) -> str:
    key = printable(key)
    if not key:
        return prefix
    if not prefix or key.startswith("["):
        return f"{prefix}{key}"
    return f"{prefix}.{key}"


# Value parsers: each takes the raw TOML value and returns the typed value or raises _Invalid("", ...).
# Each is marked with the kind of value it takes (`kind_of`), which `keys` shows.
Parser = Callable[[Any], Any]


def _kind(name: str) -> Callable[[Parser], Parser]:
    def mark(parse: Parser) -> Parser:
        parse.kind = name  # type: ignore[attr-defined]
        return parse
    return mark


def kind_of(parse: Parser) -> str:
    """The kind of value a schema field takes: text, flag, date, duration, probability, doctrine, ..."""
    return getattr(parse, "kind", "value")


@_kind("text")
def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("", f"expected a non-empty string, got {_show(value)}")
    return value


@_kind("text")
def _name(value: Any) -> str:
    """A scenario's name: an identifier, as it appears in tables, file names and run listings."""
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise _Invalid("", "expected a name of letters, digits, _ . and - starting with a letter (at most 64), "
                           f"got {_show(value)}")
    return value


@_kind("flag")
def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("", f"expected true or false, got {_show(value)}")
    return value


@_kind("date")
def _date(value: Any) -> dt.date:
    day = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise _Invalid("", f"expected a date YYYY-MM-DD, got {_show(value)}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise _Invalid("", f"expected a date from {EARLIEST_DATE} to {LATEST_DATE}, got {day}")
    return day


def _number(value: Any, what: str, low: float = 0.0, high: float | None = None) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) \
        and value >= low
    if not ok or (high is not None and value > high):
        raise _Invalid("", f"expected {what}, got {_show(value)}")
    return float(value)


def _days(value: Any) -> float:
    days = _number(value, "a duration in days (number >= 0)")
    if days > MAX_DAYS:
        raise _Invalid("", f"expected a duration in days of at most {MAX_DAYS:g} (100 years), got {_show(value)}")
    return days


def _provenance(table: dict[str, Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in ("source", "assumption"):
        if key in table:
            try:
                out[key] = _text(table[key])
            except _Invalid as e:
                raise _Invalid(key, e.message) from None
    return out


def _fields(table: dict[str, Any], allowed: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Parse the keys of an inline table, each with its parser; every key is required."""
    unknown = sorted(set(table) - set(allowed) - {"source", "assumption"})
    if unknown:
        raise _Invalid(unknown[0], f"unknown key; expected one of {', '.join(sorted(allowed))}, "
                                   "source, assumption")
    out: dict[str, Any] = {}
    for key, parse in allowed.items():
        if key not in table:
            raise _Invalid(key, "missing")
        try:
            out[key] = parse(table[key])
        except _Invalid as e:
            raise _Invalid(_join(key, e.key), e.message) from None
    return out


def _values(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid("", f"expected a non-empty list of durations in days, got {_show(value)}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(_days(item))
        except _Invalid as e:
            raise _Invalid(f"[{i}]", e.message) from None
    return tuple(out)


_DISTRIBUTIONS: dict[str, tuple[type, dict[str, Callable[[Any], Any]]]] = {
    "fixed": (Fixed, {"days": _days}),
    "uniform": (Uniform, {"low": _days, "high": _days}),
    "triangular": (Triangular, {"low": _days, "mode": _days, "high": _days}),
    "lognormal": (LogNormal, {"median": lambda v: _number(v, "a median in days (number > 0)", 1e-9),
                              "spread": lambda v: _number(v, "a spread factor (number from 1 to 20)", 1.0, 20.0)}),
    "empirical": (Empirical, {"values": _values}),
}


@_kind("duration")
def _duration(value: Any) -> Duration:
    if not isinstance(value, dict):
        return Fixed(_days(value))
    table = dict(value)
    kind = table.pop("dist", "fixed")
    if not isinstance(kind, str) or kind not in _DISTRIBUTIONS:  # a list or a table is no name (nor hashable)
        raise _Invalid("dist", f"expected one of {', '.join(_DISTRIBUTIONS)}, got {_show(kind)}")
    cls, allowed = _DISTRIBUTIONS[kind]
    figure = cls(**_fields(table, allowed), **_provenance(table))
    if isinstance(figure, Uniform) and figure.low > figure.high:
        raise _Invalid("low", f"expected low <= high, got low {figure.low:g} > high {figure.high:g}")
    if isinstance(figure, Triangular) and not figure.low <= figure.mode <= figure.high:
        raise _Invalid("mode", "expected low <= mode <= high")
    return figure


@_kind("probability")
def _probability(value: Any) -> Probability:
    def p(v: Any) -> float:
        return _number(v, "a probability (number in [0, 1])", 0.0, 1.0)

    if not isinstance(value, dict):
        return Probability(p(value))
    return Probability(**_fields(value, {"p": p}), **_provenance(value))


@_kind("doctrine")
def _doctrine(value: Any) -> Probability:
    """A doctrine the court applies: "location", "control", or { location = P } to draw it."""
    if isinstance(value, str):
        if value not in DOCTRINES:
            raise _Invalid("", f'expected "location", "control" or {{ location = P }}, got {_show(value)}')
        return Probability(1.0 if value == "location" else 0.0, source="fixed by the scenario")
    if not isinstance(value, dict):
        raise _Invalid("", f'expected "location", "control" or {{ location = P }}, got {_show(value)}')
    p = _fields(value, {"location": lambda v: _number(v, "a probability (number in [0, 1])", 0.0, 1.0)})
    return Probability(p["location"], **_provenance(value))


@_kind("date or word")
def _enacted(value: Any) -> dt.date | str | None:
    if value == "never":
        return None
    if value == IN_FORCE:
        return IN_FORCE
    try:
        return _date(value)
    except _Invalid:
        raise _Invalid("", f'expected a date YYYY-MM-DD, "{IN_FORCE}" or "never", got {_show(value)}') from None


def _choice(*options: str) -> Callable[[Any], str]:
    @_kind(f"choice of {' | '.join(options)}")
    def parse(value: Any) -> str:
        if value not in options:
            raise _Invalid("", f"expected one of {', '.join(options)}, got {_show(value)}")
        return value
    return parse


def _count(what: str, low: int) -> Callable[[Any], int]:
    @_kind("count")
    def parse(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise _Invalid("", f"expected {what}, got {_show(value)}")
        return value
    return parse


def _field(parse: Callable[[Any], Any], default: Any = attrs.NOTHING, doc: str = "") -> Any:
    return attrs.field(default=default, metadata={"parse": parse, "doc": doc})


def _table(cls: type) -> Callable[[Any], Any]:
    @_kind("table")
    def parse(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Invalid("", f"expected a table, got {_show(value)}")
        return _load_table(cls, value)
    parse.table = cls  # type: ignore[attr-defined]  # for `extends`: a table merges key by key
    return parse


def _load_table(cls: type, data: dict[str, Any]) -> Any:
    """A table of the schema class `cls`, each key parsed; then the class's own `check`, if it has one."""
    names = {f.name: f for f in attrs.fields(cls) if f.metadata.get("parse")}
    for key in data:
        if key not in names:
            raise _Invalid(key, f"unknown key; expected one of {', '.join(names)}")
    values = {}
    for name, f in names.items():
        if name not in data:
            if f.default is attrs.NOTHING:
                raise _Invalid(name, f"missing; expected {f.metadata['doc'] or 'a value'}")
            continue
        try:
            values[name] = f.metadata["parse"](data[name])
        except _Invalid as e:
            raise _Invalid(_join(name, e.key), e.message) from None
    loaded = cls(**values)
    if hasattr(loaded, "check"):
        loaded.check()
    return loaded


# The schema ------------------------------------------------------------------------------------
_D = "a duration in days (number >= 0, or a distribution table)"
_P = "a probability (number in [0, 1], or { p = ... })"


@attrs.frozen
class About:
    name: str = _field(_name, doc="the scenario's short name (letters, digits, _ . and -)")
    title: str = _field(_text, doc="a one-line title")
    description: str = _field(_text, doc="a paragraph on what it models and why")
    start_date: dt.date = _field(_date, doc="the day the warrant is applied for (YYYY-MM-DD)")
    kind: str = _field(_choice("historical", "stochastic", "regime"), default="regime",
                       doc='"historical", "stochastic" or "regime"')


@attrs.frozen
class Parties:
    government: str = _field(_text, doc='the government as a party, e.g. "United States"')
    government_counsel: str = _field(_text, doc="who appears for the government below the Supreme Court, e.g. "
                                     "the U.S. Attorney's Office")
    provider: str = _field(_text, doc="the provider's name on the docket")
    provider_counsel: str = _field(_text, doc="who appears for the provider")
    united_states_party: bool = _field(_flag, doc="true if the United States is a party (FRAP 4, 40)")


@_kind("country")
def _country(value: Any) -> str:
    if not isinstance(value, str) or value not in countries.COUNTRIES:
        raise _Invalid("", f"unknown country {_show(value)}; expected one of {countries.known()} "
                           f"(the countries table, {countries.SHOWN})")
    return value


@attrs.frozen
class AssumedAgreement:
    """A counterfactual: an executive agreement under 18 U.S.C. 2523 assumed in force from `since`."""

    since: dt.date = _field(_date, doc="the day the agreement is assumed in force (YYYY-MM-DD)")
    assumption: str = _field(_text, doc="why the scenario assumes it: the agreement is not the record")


@attrs.frozen
class Data:
    """Where the content sits: the country (from the countries table) and, optionally, the place."""

    country: str = _field(_country, default="Ireland", doc="a country of the countries table")
    location: str | None = _field(_text, default=None, doc='the place within the country, e.g. "Dublin, Ireland" '
                                  "(default: the country)")
    assume_agreement: AssumedAgreement | None = _field(
        _table(AssumedAgreement), default=None,
        doc="a table { since = DATE, assumption = TEXT }: a counterfactual executive agreement")

    @property
    def place(self) -> str:
        return self.location or self.country

    @property
    def place_in_text(self) -> str:
        """The place as running text names it ("stored only in the United Kingdom")."""
        return self.location or countries.COUNTRIES[self.country].called

    def check(self) -> None:
        if self.location is not None and not self.location.endswith(self.country):
            raise _Invalid("location", f"{_show(self.location)} is not in {countries.COUNTRIES[self.country].called}; "
                           "expected a place "
                           f'ending with "{self.country}", or no location')

    @property
    def assumed_since(self) -> str | None:
        return self.assume_agreement.since.isoformat() if self.assume_agreement else None


@attrs.frozen
class JudgeFrom:
    """How the judge is written from a day on (a title that changed: a chief judge's term ended), and why."""

    since: dt.date
    judge: str
    source: str | None = None
    assumption: str | None = None


@_kind("text")
def _judge(value: Any) -> str | tuple[str, tuple[JudgeFrom, ...]]:
    """The judge as every entry names them; or a list whose first table gives the judge at the start
    (`{ judge = TEXT }`) and each later one how they are written from a day (`{ from = DATE, judge = TEXT,
    source = ... }`, days in order): (the first, the later ones)."""
    if not isinstance(value, list):
        return _text(value)
    if not value or not all(isinstance(t, dict) for t in value):
        raise _Invalid("", f"expected a string, or a list of tables {{ judge = TEXT }} then {{ from = DATE, judge = "
                           f"TEXT, source = TEXT }}, got {_show(value)}")
    first, later = value[0], []
    if "from" in first:
        raise _Invalid("[0].from", "the first table gives the judge at the start: remove its from")
    try:
        start = _fields(first, {"judge": _text})["judge"]
    except _Invalid as e:
        raise _Invalid(_join("[0]", e.key), e.message) from None
    for i, table in enumerate(value[1:], 1):
        try:
            fields, why = _fields(table, {"from": _date, "judge": _text}), _provenance(table)
            if not why:
                raise _Invalid("source", "missing; expected the source of the change (or an assumption)")
        except _Invalid as e:
            raise _Invalid(_join(f"[{i}]", e.key), e.message) from None
        if later and fields["from"] <= later[-1].since:
            raise _Invalid(f"[{i}].from", f"expected a date after {later[-1].since}, got {fields['from']}")
        later.append(JudgeFrom(fields["from"], fields["judge"], **why))
    return (start, tuple(later)) if later else start


@attrs.frozen
class Court:
    name: str = _field(_text, doc="the court's full name")
    short: str = _field(_text, doc="the court's short name, e.g. S.D.N.Y.")
    docket_number: str = _field(_text, doc="the docket number as the record gives it (its year, or Term, is "
                                "replaced by the year of docketing in a simulated matter)")
    judge: str | tuple[str, tuple[JudgeFrom, ...]] = _field(
        _judge, doc="the judge or judges; or a list: { judge = TEXT } at the start, then { from = DATE, judge = "
                    "TEXT, source = TEXT } for each day from which they are written otherwise")
    caption: str = _field(_text, default="", doc="the warrant matter's caption (district court only: above "
                          "it the caption names the party that appeals or petitions first)")


@attrs.frozen
class Courts:
    district: Court = _field(_table(Court), doc="a table for the district court")
    circuit: Court = _field(_table(Court), doc="a table for the court of appeals")
    supreme: Court = _field(_table(Court), doc="a table for the Supreme Court")
    magistrate_judge: str = _field(_text, doc="the magistrate judge's name")

    def check(self) -> None:
        for lane in ("district", "circuit", "supreme"):
            court = getattr(self, lane)
            if not NUMBER_PATTERNS[lane].match(court.docket_number):
                raise _Invalid(f"{lane}.docket_number", f"expected a docket number like "
                               f"{NUMBER_EXAMPLES[lane]}, got {_show(court.docket_number)}")
            if court.caption and lane != "district":
                raise _Invalid(f"{lane}.caption", "the caption above the district court follows who appeals or "
                               "petitions (sources §9.3); remove it")
        if not self.district.caption:
            raise _Invalid("district.caption", "missing; expected the warrant matter's caption")


@attrs.frozen
class Litigant:
    """What a party does when it loses a round, and how long it takes."""

    objects: Probability = _field(_probability, doc=_P)
    objection_after: Duration = _field(_duration, doc=_D)
    objection_response_after: Duration = _field(_duration, doc=_D)
    appeals: Probability = _field(_probability, doc=_P)
    appeal_after: Duration = _field(_duration, doc=_D)
    brief_after: Duration = _field(_duration, doc=_D)
    petitions_rehearing: Probability = _field(_probability, doc=_P)
    rehearing_after: Duration = _field(_duration, doc=_D)
    petitions_cert: Probability = _field(_probability, doc=_P)
    cert_extension: Probability = _field(_probability, doc=_P)
    cert_after: Duration = _field(_duration, doc=_D)
    opposition_after: Duration = _field(_duration, doc=_D)
    response_after: Duration = _field(_duration, doc=_D)
    seeks_extension: Probability = _field(_probability, doc=_P)


@attrs.frozen
class Government(Litigant):
    route: str = _field(_choice("warrant", "mlat"), doc='"warrant" or "mlat"')
    serve_after: Duration = _field(_duration, doc=_D)
    compel_after: Duration = _field(_duration, doc=_D)
    lift_stay_after: Duration = _field(_duration, doc=_D)
    mlat_after_loss: Probability = _field(_probability, doc=_P)
    mlat_request_after: Duration = _field(_duration, doc=_D)
    new_warrant_after: Duration = _field(_duration, doc=_D)
    legislation_letter_after: Duration = _field(_duration, doc=_D)
    mootness_motion_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class Provider(Litigant):
    produce_after: Duration = _field(_duration, doc=_D)
    refuses: Probability = _field(_probability, doc=_P)
    refusal_after: Duration = _field(_duration, doc=_D)
    challenges: Probability = _field(_probability, doc=_P)
    motion_after: Duration = _field(_duration, doc=_D)
    comity_motion: Probability = _field(_probability, doc=_P)
    comity_motion_after: Duration = _field(_duration, doc=_D)
    seeks_stay_pending_appeal: Probability = _field(_probability, doc=_P)
    complies_after_loss: Probability = _field(_probability, doc=_P)
    comply_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class Magistrate:
    doctrine: Probability = _field(_doctrine, doc='"location", "control" or { location = P }')
    issue_after: Duration = _field(_duration, doc=_D)
    ruling_after: Duration = _field(_duration, doc=_D)
    comity_ruling_after: Duration = _field(_duration, doc=_D)
    quashes_on_comity: Probability = _field(_probability, doc=_P)


@attrs.frozen
class DistrictCourt:
    doctrine: Probability = _field(_doctrine, doc='"location", "control" or { location = P }')
    hearing_after: Duration = _field(_duration, doc=_D)
    ruling_after: Duration = _field(_duration, doc=_D)
    stay_after: Duration = _field(_duration, doc=_D)
    lift_stay_ruling_after: Duration = _field(_duration, doc=_D)
    contempt_after: Duration = _field(_duration, doc=_D)
    dismissal_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class CourtOfAppeals:
    doctrine: Probability = _field(_doctrine, doc='"location", "control" or { location = P }')
    argument_after: Duration = _field(_duration, doc=_D)
    decision_after: Duration = _field(_duration, doc=_D)
    en_banc_grant: Probability = _field(_probability, doc=_P)
    en_banc_ruling_after: Duration = _field(_duration, doc=_D)
    en_banc_decision_after: Duration = _field(_duration, doc=_D)
    dismissal_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class CertGrant:
    """Chance of a grant, by who petitions (the Solicitor General's petitions fare far better)."""

    government: Probability = _field(_probability, doc=_P)
    provider: Probability = _field(_probability, doc=_P)


@attrs.frozen
class SupremeCourt:
    doctrine: Probability = _field(_doctrine, doc='"location", "control" or { location = P }')
    cert_grant: CertGrant = _field(_table(CertGrant), doc="a table { government = P, provider = P }")
    cert_decision_after: Duration = _field(_duration, doc=_D)
    argument_after: Duration = _field(_duration, doc=_D)
    decision_after: Duration = _field(_duration, doc=_D)
    dismissal_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class CloudAct:
    enacted: dt.date | str | None = _field(_enacted, doc=f'a date YYYY-MM-DD, "{IN_FORCE}" or "never"')

    def in_force_at(self, day: dt.date) -> bool:
        """True if the Act is law on `day` (None, i.e. "never", is never law)."""
        return self.enacted == IN_FORCE or (isinstance(self.enacted, dt.date) and self.enacted <= day)


@attrs.frozen
class Timeliness:
    """How parties and courts handle periods: when a party that needs more time applies, and how long a
    court takes to rule on the application."""

    application_lead: Duration = _field(_duration, doc=_D)
    extension_ruling_after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class ForeignAuthority:
    """The central authority of the data's country (its name and treaty come from the countries table)."""

    mlat_response_after: Duration = _field(_duration, doc=_D)
    refuses_mlat: Probability = _field(_probability, doc=_P)


@attrs.frozen
class AmiciAt:
    """Who files amicus briefs at one court's merits stage, and how many days after the principal brief
    of the party supported (the appellant's or petitioner's for a brief supporting neither party); at
    most 7 count (FRAP 29(a)(6), Sup. Ct. R. 37.3(a))."""

    foreign_government: Probability = _field(_probability, doc=_P)
    supporting_provider: Probability = _field(_probability, doc=_P)
    supporting_government: Probability = _field(_probability, doc=_P)
    supporting_neither: Probability = _field(_probability, doc=_P)
    after: Duration = _field(_duration, doc=_D)


@attrs.frozen
class Amici:
    """Amicus briefs in the court of appeals and the Supreme Court; whether the data's country, when it
    files, offers to process a request under its treaty."""

    circuit: AmiciAt = _field(_table(AmiciAt), doc="a table for the court of appeals")
    supreme: AmiciAt = _field(_table(AmiciAt), doc="a table for the Supreme Court")
    offers_mlat: Probability = _field(_probability, doc=_P)


@attrs.frozen
class Nondisclosure:
    """An order under 18 U.S.C. 2705(b) that the provider not notify anyone of the warrant: applied for with
    the warrant, granted for a period, extended or left to lapse, and perhaps challenged by the provider."""

    sought: Probability = _field(_probability, doc=_P)
    period: Duration = _field(_duration, doc=_D)
    extended: Probability = _field(_probability, doc=_P)
    challenged: Probability = _field(_probability, doc=_P)
    challenge_after: Duration = _field(_duration, doc=_D)
    ruling_after: Duration = _field(_duration, doc=_D)
    vacated: Probability = _field(_probability, doc=_P)


@attrs.frozen
class Pin:
    """A step's recorded date (and entry number), overriding the drawn duration."""

    date: dt.date | None = _field(_date, default=None, doc="a date YYYY-MM-DD")
    entry: int | None = _field(_count("an entry number (integer >= 1)", 1), default=None,
                               doc="an entry number")
    approximate: bool = _field(_flag, default=False, doc="true if the record gives no exact day")
    note: str | None = _field(_text, default=None, doc="a note for the docket text")


@_kind("pins")
def _pins(value: Any) -> dict[str, Pin]:
    if not isinstance(value, dict):
        raise _Invalid("", f"expected a table of step = date, got {_show(value)}")
    pins = {}
    for step, pin in value.items():
        if step not in STEPS:
            raise _Invalid(step, f"unknown step; expected one of {', '.join(STEPS)}")
        try:
            pins[step] = _load_table(Pin, pin) if isinstance(pin, dict) else Pin(date=_date(pin))
        except _Invalid as e:
            raise _Invalid(_join(step, e.key), e.message) from None
    return pins


_pins.table = dict  # type: ignore[attr-defined]  # for `extends`: pins merge step by step, each pin whole


# The caseload (issue 17): many matters arriving over a horizon and sharing the courts' judges --------
@attrs.frozen
class ArrivalRate(Provenance):
    """Warrants for content stored abroad served a year on the providers modelled, in the first year;
    `change` is the relative change each later year (0.05: five per cent more every year)."""

    per_year: float
    change: float = 0.0

    def in_year(self, year: int) -> float:
        return self.per_year * (1.0 + self.change) ** year

    def describe(self) -> str:
        return f"{self.per_year:g} a year, changing {self.change:+.1%} a year"


@attrs.frozen
class Bench(Provenance):
    """The judges of one court level available to these matters: `judges` of them, each carrying at most
    `matters_each` such matters at once (the share of a judge's time they get); a hearing or ruling holds
    one of the `judges * matters_each` places while it runs, and waits for one when all are taken."""

    judges: int
    matters_each: int = 1

    @property
    def places(self) -> int:
        return self.judges * self.matters_each

    def describe(self) -> str:
        return f"{self.judges} judges, {self.matters_each} such matters each at once"


@_kind("arrival rate")
def _arrivals(value: Any) -> ArrivalRate:
    if not isinstance(value, dict):
        raise _Invalid("", f"expected a table {{ per_year = N, change = X }}, got {_show(value)}")
    table = dict(value)
    table.setdefault("change", 0.0)
    fields = _fields(table, {"per_year": lambda v: _number(v, "warrants a year (number > 0)", 1e-9, 1e6),
                             "change": lambda v: _number(v, "a relative change a year (number from -0.9 to 10)",
                                                         -0.9, 10.0)})
    return ArrivalRate(**fields, **_provenance(table))


@_kind("bench")
def _bench(value: Any) -> Bench:
    if not isinstance(value, dict):
        raise _Invalid("", f"expected a table {{ judges = N, matters_each = M }}, got {_show(value)}")
    table = dict(value)
    table.setdefault("matters_each", 1)
    fields = _fields(table, {"judges": _count("a number of judges (integer >= 1)", 1),
                             "matters_each": _count("matters a judge carries at once (integer >= 1)", 1)})
    return Bench(**fields, **_provenance(table))


FIGURES = (_duration, _probability, _doctrine, _arrivals, _bench)  # figures: each with its source or assumption
_B = "a table { judges = N, matters_each = M, source or assumption }"


@attrs.frozen
class Judges:
    """The judges at each court level (the court of appeals' en banc sits with the circuit's places)."""

    magistrate: Bench = _field(_bench, doc=_B)
    district: Bench = _field(_bench, doc=_B)
    circuit: Bench = _field(_bench, doc=_B)
    supreme: Bench = _field(_bench, doc=_B)

    def of(self, bench: str) -> Bench:
        """The judges of a bench (a level's `bench` in `sim.domain.ladder`: en banc sits with the circuit's)."""
        return getattr(self, bench)


@attrs.frozen
class Caseload:
    """A caseload: warrants arriving over `horizon_years` from the scenario's start date, sharing the
    judges; `within_days` is the standard the time to disposition is measured against."""

    horizon_years: int = _field(_count("a number of years (integer from 1 to 100)", 1), doc="years (integer >= 1)")
    arrivals: ArrivalRate = _field(_arrivals, doc="a table { per_year = N, change = X, source or assumption }")
    judges: Judges = _field(_table(Judges), doc="a [caseload.judges] table")
    within_days: int = _field(_count("a number of days (integer >= 1)", 1), default=365,
                              doc="the standard for time to disposition, in days")

    def check(self) -> None:
        if self.horizon_years > 100:
            raise _Invalid("horizon_years", f"expected at most 100 years, got {self.horizon_years}")


@attrs.frozen
class Scenario:
    """A whole scenario: who the actors are, what they do and how long it takes."""

    scenario: About = _field(_table(About), doc="a [scenario] table")
    parties: Parties = _field(_table(Parties), doc="a [parties] table")
    courts: Courts = _field(_table(Courts), doc="a [courts] table")
    government: Government = _field(_table(Government), doc="a [government] table")
    provider: Provider = _field(_table(Provider), doc="a [provider] table")
    magistrate: Magistrate = _field(_table(Magistrate), doc="a [magistrate] table")
    district_court: DistrictCourt = _field(_table(DistrictCourt), doc="a [district_court] table")
    court_of_appeals: CourtOfAppeals = _field(_table(CourtOfAppeals), doc="a [court_of_appeals] table")
    supreme_court: SupremeCourt = _field(_table(SupremeCourt), doc="a [supreme_court] table")
    cloud_act: CloudAct = _field(_table(CloudAct), doc="a [cloud_act] table")
    foreign_authority: ForeignAuthority = _field(_table(ForeignAuthority), doc="a [foreign_authority] table")
    timeliness: Timeliness = _field(_table(Timeliness), doc="a [timeliness] table")
    amici: Amici = _field(_table(Amici), doc="an [amici] table")
    nondisclosure: Nondisclosure = _field(_table(Nondisclosure), doc="a [nondisclosure] table")
    data: Data = _field(_table(Data), default=Data(), doc="a [data] table")
    pins: dict[str, Pin] = _field(_pins, default=attrs.Factory(dict), doc="a [pins] table")
    caseload: Caseload | None = _field(_table(Caseload), default=None, doc="a [caseload] table")
    text_hash: str = attrs.field(default="", metadata={"parse": None})
    path: str = attrs.field(default="", metadata={"parse": None})
    bases: tuple[str, ...] = attrs.field(default=(), metadata={"parse": None})  # extended files, nearest last
    tables: dict[str, Any] = attrs.field(factory=dict, metadata={"parse": None}, repr=False, eq=False)
    settings: tuple[tuple[str, str], ...] = attrs.field(default=(), metadata={"parse": None})  # --set, in order

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def on_record(self) -> bool:
        """Played as it happened: the historical scenario as written, whose pins give the record."""
        return self.scenario.kind == "historical" and not self.settings

    def figures(self) -> Iterator[tuple[str, Provenance]]:
        """Every duration and probability, with its key path."""
        yield from _figures(self, "")

    def undocumented(self) -> list[str]:
        """Key paths of figures that have neither a source nor an assumption."""
        return [key for key, figure in self.figures() if not figure.documented]


def _figures(obj: Any, prefix: str) -> Iterator[tuple[str, Provenance]]:
    for f in attrs.fields(type(obj)):
        value = getattr(obj, f.name)
        if isinstance(value, Provenance):
            yield _join(prefix, f.name), value
        elif attrs.has(type(value)):
            yield from _figures(value, _join(prefix, f.name))


def _read(path: Path, shown: str) -> str:
    """The text of a scenario file: a regular file (not a FIFO or a device) of at most `MAX_FILE_BYTES`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ScenarioError(shown, "", "no such scenario file") from None
    except OSError as e:
        raise ScenarioError(shown, "", f"cannot be read ({e.strerror or e})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ScenarioError(shown, "", "is a directory, expected a TOML scenario file")
        raise ScenarioError(shown, "", "is not a regular file (a pipe, device or socket); expected a TOML "
                                       "scenario file")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            raise ScenarioError(shown, "", f"cannot be read ({e.strerror or e})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(shown, "", f"is larger than {MAX_FILE_BYTES // 1024} KiB; expected a TOML scenario file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError(shown, "", f"cannot be read (UnicodeDecodeError: {e})") from None
    if not text.strip():
        raise ScenarioError(shown, "", "is empty, expected a TOML scenario file")
    return text


def _merge(base: dict[str, Any], override: dict[str, Any], schema: type | None) -> dict[str, Any]:
    """`override` laid over `base`. A table of the schema ([government], [courts.circuit],
    [supreme_court.cert_grant], [pins]) merges key by key; anything else, a figure above all, is replaced
    whole: its distribution with its `source` and `assumption`, so a changed figure never keeps the base's
    source."""
    tables = {f.name: getattr(f.metadata.get("parse"), "table", None) for f in attrs.fields(schema)} \
        if attrs.has(schema) else {}
    merged = dict(base)
    for key, value in override.items():
        inner = tables.get(key)
        if inner is not None and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, None if inner is dict else inner)
        else:
            merged[key] = value
    return merged


def _extend(data: dict[str, Any], shown: str, base_dir: Path,
            chain: tuple[str, ...]) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """Resolve `scenario.extends`: the base scenario's data with this file's tables laid over it."""
    about = data.get("scenario")
    if not isinstance(about, dict) or "extends" not in about:
        return data, "", ()
    base_name = about["extends"]
    if not isinstance(base_name, str) or not base_name.strip():
        raise ScenarioError(shown, "scenario.extends", f"expected a scenario name or path, got {_show(base_name)}")
    relative = base_dir / base_name
    path = relative if relative.suffix == ".toml" and relative.exists() else None
    try:
        path = path or resolve(base_name)
    except ScenarioError as e:
        raise ScenarioError(shown, "scenario.extends", e.message) from None
    base_shown = _shown(path)
    if base_shown in chain:
        raise ScenarioError(shown, "scenario.extends", f"extends itself through {' -> '.join(chain)}")
    try:
        base_text = _read(path, base_shown)
    except ScenarioError as e:
        raise ScenarioError(shown, "scenario.extends", f"{base_shown}: {e.message}") from None
    base_data, base_texts, bases = _extend(_toml(base_text, base_shown), base_shown, path.parent,
                                           (*chain, base_shown))
    merged = _merge(base_data, data, Scenario)
    merged["scenario"] = {k: v for k, v in merged["scenario"].items() if k != "extends"}
    return merged, base_texts + base_text, (*bases, str(path))


def _toml(text: str, shown: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(shown, "", f"not valid TOML ({e})") from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_DEPTH:
        raise ScenarioError(shown, "", f"tables or lists nest more than {MAX_DEPTH} deep; expected a scenario")
    return data


def _depth(value: Any) -> int:
    """How deep tables and lists nest in `value` (without recursion: the nesting may be deep)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse(text: str, shown: str, base_dir: Path | None = None) -> Scenario:
    """Parse scenario text; `shown` names the file in error messages, `base_dir` resolves `extends`."""
    data, base_texts, bases = _extend(_toml(text, shown), shown, base_dir or Path.cwd(), (shown,))
    try:
        loaded = _load_table(Scenario, data)
    except _Invalid as e:
        raise ScenarioError(shown, e.key, e.message) from None
    digest = hashlib.sha256((base_texts + text).encode()).hexdigest()
    return attrs.evolve(loaded, text_hash=digest, path=shown, bases=bases, tables=data)


def plain(value: Any) -> Any:
    """Scenario data made JSON-safe (dates as YYYY-MM-DD, which the loader accepts back)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def from_data(data: dict[str, Any], shown: str, text_hash: str = "") -> Scenario:
    """A scenario rebuilt from its stored data (as a run records it), validated as a file would be."""
    try:
        loaded = _load_table(Scenario, data)
    except _Invalid as e:
        raise ScenarioError(shown, e.key, e.message) from None
    return attrs.evolve(loaded, text_hash=text_hash, path=shown, tables=data)


def setting_value(text: str, shown: str = "--set") -> Any:
    """A --set value: a TOML value (2018-03-23, 0.4, true, "x", { p = 0.3 }) or else a bare word; one
    nesting deeper than a scenario may is refused (`shown` names the setting)."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        value = None
    if value is None or _depth(value) > MAX_DEPTH:
        raise ScenarioError(shown, "", f"the value nests more than {MAX_DEPTH} deep; expected a scenario value")
    return value


_TABLES = frozenset(f.name for f in attrs.fields(Scenario) if f.metadata.get("parse"))


def with_settings(scenario: Scenario, settings: list[tuple[str, str]], flag: str = "--set") -> Scenario:
    """The scenario with KEY=VALUE settings applied to its data and validated as in a scenario file;
    an error names the setting ("--set KEY: ...", or with the `flag` given). The data are loaded once
    when every setting is valid (an experiment's design points set many keys each); after a failure the
    settings are applied again one at a time, to name the one at fault."""
    if not settings:
        return scenario
    data = copy.deepcopy(scenario.tables)
    for key, text in settings:
        _apply_setting(data, key, text, flag)
    try:
        loaded = _load_table(Scenario, data)
    except _Invalid:
        data = copy.deepcopy(scenario.tables)
        for key, text in settings:
            _apply_setting(data, key, text, flag)
            try:
                loaded = _load_table(Scenario, data)  # after each setting, so an error names it
            except _Invalid as e:
                inner = text.lstrip()[:1] in ("{", "[")  # a table or a list: name the key within it at fault
                shown = e.key != key and (inner or not e.key.startswith(key))
                where = f"{flag} {key} (at {e.key})" if shown else f"{flag} {key}"
                raise ScenarioError(where, "", e.message) from None
    digest = hashlib.sha256(json.dumps([scenario.text_hash, settings]).encode()).hexdigest()
    return attrs.evolve(loaded, text_hash=digest, path=scenario.path, bases=scenario.bases, tables=data,
                        settings=(*scenario.settings, *map(tuple, settings)))


def _apply_setting(data: dict[str, Any], key: str, text: str, flag: str) -> None:
    """One KEY=VALUE setting written into scenario data (a missing optional table made), a changed figure
    marked as such."""
    parts = key.split(".")
    table = data
    for depth, part in enumerate(parts[:-1]):
        if depth == 0 and part not in table and part in _TABLES:
            table[part] = {}  # a table the scenario leaves to its defaults, e.g. [data]
        if not isinstance(table.get(part), dict):
            known = ", ".join(k for k, v in table.items() if isinstance(v, dict))
            raise ScenarioError(f"{flag} {key}", "", f"no table {'.'.join(parts[:depth + 1])!r} in the "
                                f"scenario; expected one of {known}")
        table = table[part]
    table[parts[-1]] = setting_value(text, f"{flag} {key}")
    _mark_changed_figure(data, parts, f"{flag} {key}={text}")


_NOT_PLAYED = frozenset({"text_hash", "path", "bases", "tables", "settings", "source", "assumption"})


def plays_alike(a: Scenario, b: Scenario) -> bool:
    """True if the two scenarios play every replication the same: the same figures, rules and start date,
    whatever their names, titles, descriptions, sources and files (e.g. a sweep value equal to the base's)."""
    def played(s: Scenario) -> dict[str, Any]:
        values = attrs.asdict(s, filter=lambda field, _: field.name not in _NOT_PLAYED)
        values["scenario"] = values["scenario"]["start_date"]
        return values
    return played(a) == played(b)


def _figure_depth(parts: list[str]) -> tuple[int, Callable[[Any], Any]] | None:
    """If the key path names a figure or goes inside one: how many parts lead to it, and its parser."""
    cls: Any = Scenario
    for depth, part in enumerate(parts):
        field = next((f for f in attrs.fields(cls) if f.name == part), None) if attrs.has(cls) else None
        parse = field.metadata.get("parse") if field else None
        if parse in FIGURES:
            return depth + 1, parse
        cls = getattr(parse, "table", None)
        if cls is None:
            return None
    return None


def _mark_changed_figure(data: dict[str, Any], parts: list[str], setting: str) -> None:
    """A figure changed by a setting says so (`assumption = "--set KEY=VALUE"`) instead of keeping the
    source or assumption of the value it replaced; a source or assumption the setting gives is kept."""
    found = _figure_depth(parts)
    if found is None or parts[-1] in ("source", "assumption"):
        return
    depth, parse = found
    holder = data
    for part in parts[:depth - 1]:
        holder = holder[part]
    figure, name = holder[parts[depth - 1]], parts[depth - 1]
    if not isinstance(figure, dict):
        if isinstance(figure, bool) or not isinstance(figure, int | float) or parse is _doctrine:
            return
        figure = {"p": figure} if parse is _probability else {"days": figure}
    elif depth == len(parts) and ("source" in figure or "assumption" in figure):
        return  # a whole figure given with its own basis
    earlier = figure.get("assumption", "")
    setting_note = earlier.startswith(("--set ", "--sweep ")) and depth < len(parts)
    figure = {k: v for k, v in figure.items() if k not in ("source", "assumption")}
    holder[name] = {**figure, "assumption": f"{earlier}; {setting}" if setting_note else setting}


def resolve(name_or_path: str) -> Path:
    """A bundled scenario's name, or a path to a TOML file."""
    if not name_or_path.strip():
        names = ", ".join(p.stem for p in bundled_paths())
        raise ScenarioError(repr(name_or_path), "", f"an empty scenario name; expected a TOML path or one of {names}")
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path or candidate.is_file():
        return candidate
    bundled = SCENARIO_DIR / f"{name_or_path}.toml"
    if bundled.exists():  # before a folder of that name here (a report's, say: `run cloud_act --out cloud_act`)
        return bundled
    if candidate.exists():  # a folder or a device: reading it says which
        return candidate
    names = ", ".join(p.stem for p in bundled_paths())
    raise ScenarioError(name_or_path, "", f"unknown scenario; expected a TOML path or one of {names}")


def load(name_or_path: str) -> Scenario:
    """Load and validate a scenario by bundled name or path."""
    path = resolve(name_or_path)
    shown = _shown(path)
    return parse(_read(path, shown), shown, path.parent)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop
        return str(path)


def bundled_paths() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.toml"))


def renamed(scenario: Scenario, name: str, title: str) -> Scenario:
    """The scenario under another name and title (kept in the data a run records, so reports show them)."""
    about = {**scenario.tables.get("scenario", {}), "name": name, "title": title}
    return attrs.evolve(scenario, scenario=attrs.evolve(scenario.scenario, name=name, title=title),
                        tables={**scenario.tables, "scenario": about})
