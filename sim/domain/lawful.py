"""What makes a docket entry lawful, checked against the matter's state before it: legal order,
the docket header the law fixes, periods and their extensions and what lateness leads to, the
courts' calendars, who may file what, and the labels that keep simulation apart from the record;
then each kind's own checks, as the registry declares them (`sim.domain.entry_checks`).

The `Matter` aggregate refuses an entry with any problem (so the engine cannot write one), and the
audit (`sim.runs.audit`) folds stored events through the same checks, so a store edited by hand is caught.
Each problem is an `Unlawful` naming the rule and what was expected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from sim import calendar
from sim.domain import countries, ladder, laws, periods, registry
from sim.domain.conditions import Condition
from sim.domain.entry_checks import AMICI, COUNSEL, LABELS, Check
from sim.domain.unlawful import OutOfOrder, Unlawful

APPROXIMATE = "[date approximate]"
NUMBERING, CAPTIONS = "sources §9.4 (numbering)", "sources §9.3 (captions)"
CALENDAR = "sources §9.2 (courts act on business days)"


@attrs.frozen
class Law:
    """What the law asks of one event class, compiled once from its registry entry: whether it may follow a
    final disposition, its conditions of legal order, and the checks of an entry being recorded (`recorded`:
    what the recorder chose) and of a stored entry or a fork's copy (`stored`: everything)."""

    name: str
    after_disposition: bool
    order: tuple[Condition, ...]
    recorded: tuple[Check, ...]
    stored: tuple[Check, ...]


_LAWS: dict[type, Law] = {}


def law_of(event_class: type) -> Law:
    """The compiled law of `event_class` (compiled on its first entry, then kept)."""
    law = _LAWS.get(event_class)
    if law is None:
        law = _LAWS[event_class] = _compile(event_class)
    return law


def problems(m: Any, event_class: type, fields: dict[str, Any], derived: bool = False) -> list[Unlawful]:
    """Every way the entry `fields` of type `event_class` would break the law on matter `m` now.
    `derived`: the entry is being recorded, its header, deadline fields and labels derived by the
    aggregate itself, so only what the recorder chose is checked (order, who files, periods, the
    calendar, each event's own rules); the audit and a fork's copies check everything."""
    law = _LAWS.get(event_class) or law_of(event_class)
    order = _order(m, law, fields)
    if order is not None:
        return [order]  # an entry out of order is judged on nothing else
    out: list[Unlawful] = []
    if derived and fields["approximate"] and fields["counterfactual"]:  # the one label the recorder chooses
        out.append(Unlawful(law.name, LABELS, "no approximate date on a simulated entry"))
    for check in law.recorded if derived else law.stored:
        check(m, law.name, fields, out)
    return out


def _compile(cls: type) -> Law:
    """The checks that apply to `cls`, in the order they are reported: the header and the labels (of a
    stored entry; a recorded one only may not be both simulated and approximate), the period a filing meets
    and who files it or a court's business day, then the kind's own checks."""
    name = cls.__name__
    kind = registry.KINDS[name]
    if cls.KIND == "filing":
        met = registry.MEETS.get(name)
        by_kind: tuple[Check, ...] = (_filing_check(met, kind.meets_if, kind.amicus, kind.filed_by),)
        recorded: tuple[Check, ...] = (_filing_check(met, kind.meets_if, kind.amicus, kind.filed_by, derived=True),)
    else:
        by_kind = recorded = (_business_day,) if cls.KIND == "court" else ()
    return Law(name, kind.after_disposition, registry.LEGAL_ORDER[name],
               recorded=(*recorded, *kind.checks),
               stored=(_header_check(cls, kind.numbers), _labels, *by_kind, *kind.checks))


def _business_day(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    day = dt.date.fromisoformat(f["date"])
    if not calendar.is_business_day(day, f["court_level"] == "supreme"):
        out.append(Unlawful(name, CALENDAR, f"a business day, got {day:%A} {day}"))


def opening(m: Any) -> list[Unlawful]:
    """What the law fixes when a matter opens: the data's country is one of the countries table, and the
    day it counts as a qualifying foreign government follows from its agreement (or the one a
    counterfactual assumes): 18 U.S.C. 2703(h)(1)(A), 2523 (sources §3, §9.5)."""
    country = m.parties.get("foreign_state")
    if country not in countries.COUNTRIES:
        return [Unlawful("Opened", "sources §9.5", f"a country of the countries table, got {country!r}")]
    expected = countries.qualifying_since(country, m.parties.get("agreement_assumed_from"))
    if m.qualifying_since != expected:
        return [Unlawful("Opened", "18 U.S.C. 2703(h)(1)(A), 2523 (sources §3, §9.5)",
                         f"qualifying_since {expected!r} for {country}, got {m.qualifying_since!r}")]
    return []


def _order(m: Any, law: Law, f: dict[str, Any]) -> Unlawful | None:
    name = law.name
    if m.disposition is not None and not law.after_disposition:
        return OutOfOrder(name, f"FinalDisposition ({m.disposition}, {m.disposed_on})", "comes after")
    if f["sim_day"] < m.last_day or f["sim_day"] < 0:
        last = m.history[-1] if m.history else "Opened"
        return OutOfOrder(name, f"{last} on day {m.last_day}", f"on day {f['sim_day']} would come before")
    number, docket = f.get("entry_number"), f["docket_number"]
    if number is not None and number <= m.last_entry.get(docket, 0):
        last = m.last_entry_event.get(docket, "the docket's opening")
        return OutOfOrder(name, f"{last} (entry {m.last_entry.get(docket, 0)} of docket {docket})",
                          f"as entry {number} would not follow")
    for condition in law.order:
        lacking = condition(m, f)
        if lacking:
            return OutOfOrder(name, lacking)
    return None


def _header_check(cls: type, numbers_lane: str | None) -> Check:
    """The header of a stored entry of `cls` (which numbers the docket of `numbers_lane` by its own date)."""
    def check(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
        _header(m, cls, numbers_lane, name, f, out)
    return check


def _header(m: Any, cls: type, numbers_lane: str | None, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    level = f["court_level"]
    if level not in ladder.LEVEL and level not in ladder.FORUMS:
        out.append(Unlawful(name, "sources §9", f"a court level or forum, got {level!r}"))
        return
    start = dt.date.fromisoformat(m.start_date)
    if f["date"] != (start + dt.timedelta(days=f["sim_day"])).isoformat():
        out.append(Unlawful(name, "the matter's calendar", f"the date of day {f['sim_day']} after {m.start_date}, "
                            f"got {f['date']}"))
    if (cls.KIND == "outside") != (ladder.lane_of(level) is None):
        where = "off every docket" if cls.KIND == "outside" else "on a court's docket"
        out.append(Unlawful(name, "sources §6", f"{where}, got level {level!r}"))
        return
    lane = ladder.lane_of(level)
    numbers = lane is not None and numbers_lane == lane  # numbers its docket by its own date
    numbered = lane != "supreme" or lane in m.dockets or numbers
    expected = m.header(cls, level, f["date"], f.get("party"))
    if not numbered:  # a Supreme Court docket is numbered for the Term of its petition (checked then)
        expected["docket_number"] = f["docket_number"]
    if numbers:
        expected["docket_number"] = ladder.docket_number(lane, m.courts[lane]["docket_number"],
                                                         dt.date.fromisoformat(f["date"]))
    for key, rule in (("docket_number", NUMBERING), ("caption", CAPTIONS), ("counsel", COUNSEL)):
        if key in expected and f.get(key) != expected[key]:
            out.append(Unlawful(name, rule, f"{key} {expected[key]!r}, got {f.get(key)!r}"))
    if (f.get("entry_number") is None) != (not f["docket_number"]):
        out.append(Unlawful(name, "sources §6", "an entry number exactly when the entry is on a docket"))


def _filing_check(met: str | None, met_if: Any, amicus: bool, mover: str | None, derived: bool = False) -> Check:
    """A filing of a kind: the period it meets (`met`, when `met_if` holds of its fields), and who may file
    it (an amicus curiae exactly when it is an amicus brief; `mover` alone, if named)."""
    def check(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
        _filing_period(m, name, f, out, met if met_if is None or met_if(f) else None, derived)
        _parties(name, f, out, amicus, mover)
    return check


def _filing_period(m: Any, name: str, f: dict[str, Any], out: list[Unlawful], needed: str | None,
                   derived: bool) -> None:
    period = f["period"]
    if period != needed:
        out.append(Unlawful(name, "sources §9.1", f"period {needed!r}, got {period!r}"))
        return
    if period is None:
        if f.get("deadline") is not None or f.get("timely") is not None or f.get("extended_to") is not None:
            out.append(Unlawful(name, "sources §9.1", "no deadline on a filing with no period"))
        return
    opened = m.deadlines.get(period)
    if opened is None:
        out.append(Unlawful(name, periods.PERIODS[period].rules[0], f"a running period to "
                            f"{periods.PERIODS[period].action} (none is open)"))
        return
    expected = f if derived else m.timeliness(period, f["date"])
    for key in () if derived else ("deadline", "timely", "extended_to"):
        if f.get(key) != expected[key]:
            out.append(Unlawful(name, opened["rule"], f"{key} {expected[key]!r}, got {f.get(key)!r}"))
    if f["party"] != opened["party"]:
        out.append(Unlawful(name, opened["rule"], f"filed by {opened['party']}, who may "
                            f"{opened['action']}, got {f['party']}"))
    refused = periods.PERIODS[period].refused_late
    if not expected["timely"] and refused is not None:
        out.append(Unlawful(name, refused[0], refused[1].format(deadline=expected["deadline"])))


def _parties(name: str, f: dict[str, Any], out: list[Unlawful], amicus: bool, mover: str | None) -> None:
    party = f["party"]
    if party not in ladder.PARTIES:
        out.append(Unlawful(name, COUNSEL, f"one of {', '.join(ladder.PARTIES)}, got {party!r}"))
        return
    if (party in AMICI) != amicus:
        out.append(Unlawful(name, "sources §1, §9.3", "an amicus brief, and only that, filed by an amicus curiae or "
                            f"the foreign government (got {party})"))
        return
    if mover is not None and party != mover:
        out.append(Unlawful(name, COUNSEL, f"filed by the {mover}, got the {party}"))


def _labels(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    text = f["text"]
    if f["approximate"] != (APPROXIMATE in text):
        out.append(Unlawful(name, LABELS, f"'{APPROXIMATE}' in the text exactly when the date is approximate"))
    if f["inherited"] is None:
        if f["counterfactual"] == m.historical:
            out.append(Unlawful(name, LABELS, "counterfactual " + ("false on the record" if m.historical
                                                                   else "true in a simulated matter")))
        if f["counterfactual"] and f["approximate"]:
            out.append(Unlawful(name, LABELS, "no approximate date on a simulated entry"))
    assumed = laws.assumed_laws(f["rule"], f["date"]) if f["date"] < laws.CLOUD_ACT_ENACTED else ()
    if assumed and laws.assumption_label(assumed) not in text:
        out.append(Unlawful(name, LABELS, f"the label {laws.assumption_label(assumed)!r}"))


