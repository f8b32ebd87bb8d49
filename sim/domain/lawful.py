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

from sim import calendar
from sim.domain import countries, ladder, laws, periods, registry
from sim.domain.entry_checks import AMICI, COUNSEL, LABELS
from sim.domain.procedure import AFTER_DISPOSITION, OutOfOrder, Unlawful, requirement

APPROXIMATE = "[date approximate]"
NUMBERING, CAPTIONS = "sources §9.4 (numbering)", "sources §9.3 (captions)"
CALENDAR = "sources §9.2 (courts act on business days)"


def problems(m: Any, event_class: type, fields: dict[str, Any], derived: bool = False) -> list[Unlawful]:
    """Every way the entry `fields` of type `event_class` would break the law on matter `m` now.
    `derived`: the entry is being recorded, its header, deadline fields and labels derived by the
    aggregate itself, so only what the recorder chose is checked (order, who files, periods, the
    calendar, each event's own rules); the audit and a fork's copies check everything."""
    name = event_class.__name__
    out: list[Unlawful] = []
    order = _order(m, name, fields)
    if order is not None:
        return [order]  # an entry out of order is judged on nothing else
    kind = event_class.KIND
    if not derived:  # what the aggregate derives itself when it records: the header and the labels
        _header(m, event_class, name, fields, out)
        _labels(m, name, fields, out)
    elif fields["approximate"] and fields["counterfactual"]:
        out.append(Unlawful(name, LABELS, "no approximate date on a simulated entry"))
    if kind == "filing":
        _filing_period(m, name, fields, out, derived)
        _parties(m, name, fields, out)
    elif kind == "court" and not calendar.is_business_day(dt.date.fromisoformat(fields["date"])):
        day = dt.date.fromisoformat(fields["date"])
        out.append(Unlawful(name, CALENDAR, f"a business day, got {day:%A} {day}"))
    for check in registry.CHECKS.get(name, ()):
        check(m, name, fields, out)
    return out


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


def _order(m: Any, name: str, f: dict[str, Any]) -> Unlawful | None:
    if m.disposition is not None and name not in AFTER_DISPOSITION:
        return OutOfOrder(name, f"FinalDisposition ({m.disposition}, {m.disposed_on})", "comes after")
    if f["sim_day"] < m.last_day or f["sim_day"] < 0:
        last = m.history[-1] if m.history else "Opened"
        return OutOfOrder(name, f"{last} on day {m.last_day}", f"on day {f['sim_day']} would come before")
    number, docket = f.get("entry_number"), f["docket_number"]
    if number is not None and number <= m.last_entry.get(docket, 0):
        last = m.last_entry_event.get(docket, "the docket's opening")
        return OutOfOrder(name, f"{last} (entry {m.last_entry.get(docket, 0)} of docket {docket})",
                          f"as entry {number} would not follow")
    missing = requirement(m, name, f)
    return OutOfOrder(name, missing) if missing else None


def _header(m: Any, cls: type, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
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
    numbers = lane is not None and registry.KINDS[name].numbers == lane  # numbers its docket by its own date
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


def _filing_period(m: Any, name: str, f: dict[str, Any], out: list[Unlawful], derived: bool = False) -> None:
    period, needed = f["period"], registry.period_met(name, f)
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


def _parties(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    party = f["party"]
    if party not in ladder.PARTIES:
        out.append(Unlawful(name, COUNSEL, f"one of {', '.join(ladder.PARTIES)}, got {party!r}"))
        return
    if (party in AMICI) != registry.KINDS[name].amicus:
        out.append(Unlawful(name, "sources §1, §9.3", "an amicus brief, and only that, filed by an amicus curiae or "
                            f"the foreign government (got {party})"))
        return
    mover = registry.FILED_BY.get(name)
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


