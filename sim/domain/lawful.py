"""What makes a docket entry lawful, checked against the matter's state before it: legal order,
the docket header the law fixes, periods and their extensions and what lateness leads to, the
courts' calendars, who may file what, and the labels that keep simulation apart from the record.

The `Matter` aggregate refuses an entry with any problem (so the engine cannot write one), and the
audit (`sim.runs.audit`) folds stored events through the same checks, so a store edited by hand is caught.
Each problem is an `Unlawful` naming the rule and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sim import calendar
from sim.domain import countries, jurisdiction, ladder, laws, periods, registry
from sim.domain.procedure import AFTER_DISPOSITION, MOOTNESS_MOTIONS, OutOfOrder, Unlawful, requirement

APPROXIMATE = "[date approximate]"
NUMBERING, CAPTIONS, COUNSEL = "sources §9.4 (numbering)", "sources §9.3 (captions)", "28 U.S.C. 518(a); sources §9.3"
CALENDAR, TERM = "sources §9.2 (courts act on business days)", "28 U.S.C. 2; sources §9.2 (the Term)"
LABELS = "sources §9 (simulated entries labelled)"


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
    for check in CHECKS.get(name, ()):
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
    numbered = lane != "supreme" or lane in m.dockets or name == "CertPetitioned"
    expected = m.header(cls, level, f["date"], f.get("party"))
    if not numbered:  # a Supreme Court docket is numbered for the Term of its petition (checked then)
        expected["docket_number"] = f["docket_number"]
    if name == "CertPetitioned":
        court = m.courts["supreme"]
        expected["docket_number"] = ladder.docket_number("supreme", court["docket_number"],
                                                         dt.date.fromisoformat(f["date"]))
    for key, rule in (("docket_number", NUMBERING), ("caption", CAPTIONS), ("counsel", COUNSEL)):
        if key in expected and f.get(key) != expected[key]:
            out.append(Unlawful(name, rule, f"{key} {expected[key]!r}, got {f.get(key)!r}"))
    if (f.get("entry_number") is None) != (not f["docket_number"]):
        out.append(Unlawful(name, "sources §6", "an entry number exactly when the entry is on a docket"))


def _consequence(period: str, says_late: Any) -> Check:
    """A ruling on a filing with a period: "untimely" exactly when the filing was late (sources §9.1)."""
    def check(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
        late = says_late(f)
        if late != (period in m.late):
            out.append(Unlawful(name, periods.PERIODS[period].rules[0] + " (sources §9.1)",
                                periods.PERIODS[period].late if period in m.late else
                                "a ruling on the merits of a filing made in time"))
        if late and f.get("granted"):
            out.append(Unlawful(name, "FRAP 40(a)(1)", "an untimely petition denied, not granted"))
    return check


def _panel(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if not m.appeal_timely:
        out.append(Unlawful(name, "FRAP 4(a) (sources §9.1)", "a notice of appeal filed in time, or dismissal"))
    _against_below(m, name, f, out)


def _against_below(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """An affirmance leaves the side that prevailed below prevailing; a reversal the other side."""
    below = (m.last_decision or {}).get("prevailing")
    disposition = f.get("disposition")
    if below is None or disposition not in ("affirmed", "reversed"):
        return
    if (disposition == "affirmed") != (f.get("prevailing") == below):
        side = "the" if disposition == "affirmed" else "not the"
        out.append(Unlawful(name, "the decision below",
                            f"{disposition} with {side} side that prevailed below ({below}) prevailing, "
                            f"got {f.get('prevailing')}"))


def _dismissal(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if "notice_of_appeal" not in m.late:
        out.append(Unlawful(name, "FRAP 4(a) (sources §9.1)", "a notice of appeal filed out of time"))


def _distribution(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if m.opposed_on is not None:
        earliest = (dt.date.fromisoformat(m.opposed_on) + dt.timedelta(days=14)).isoformat()
        if f["date"] < earliest:
            out.append(Unlawful(name, "Sup. Ct. R. 15.5", f"no earlier than {earliest}, 14 days after the "
                                "brief in opposition"))
    elif (m.due("brief_in_opposition") or "9999") >= f["date"]:
        out.append(Unlawful(name, "Sup. Ct. R. 15.5", "a brief in opposition, or the time to file one expired"))


def _final(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    owed = jurisdiction.still_owed(m)
    if owed:
        out.append(Unlawful(name, "FRAP 41(b); Sup. Ct. R. 45.3 (sources §9.6, §10.4)",
                            f"the end only once every judgment and mandate has come down: {' and '.join(owed)} first"))
    if m.sanction_running:
        out.append(Unlawful(name, "Shillitani v. United States (sources §9.3, §9.8)",
                            "coercive contempt ended (compliance and ContemptPurged) before the end"))
    if m.late:
        out.append(Unlawful(name, "sources §9.1", f"the consequence of the late {', '.join(m.late)} first"))
    running = [d for d in m.running(f["date"]) if d["period"] in periods.REVIEW]
    if running:
        d = running[0]
        out.append(Unlawful(name, d["rule"], f"the time to {d['action']} to run out first "
                            f"({m.parties[d['party']]}, until {m.due(d['period'])})"))


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


def _application(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    period, date = f["extends"], f["date"]
    if period not in m.deadlines:
        out.append(Unlawful("ExtensionApplied", "sources §9.1", f"a running period {period!r} to extend"))
        return
    ext = periods.PERIODS[period].extension
    due = m.deadlines[period]["due"]
    day = dt.date.fromisoformat(due)
    latest = (day - dt.timedelta(days=ext.apply_before) + dt.timedelta(days=ext.after_expiry)).isoformat()
    if date > latest:
        out.append(Unlawful("ExtensionApplied", ext.rule, f"applied for by {latest}"))
    if f["party"] != m.deadlines[period]["party"]:
        out.append(Unlawful("ExtensionApplied", ext.rule, f"applied for by {m.deadlines[period]['party']}"))
    if f["until"] <= due or (ext.longest is not None
                             and f["until"] > (day + dt.timedelta(days=ext.longest)).isoformat()):
        out.append(Unlawful("ExtensionApplied", ext.rule, f"a day after {due}"
                            + (f", at most {ext.longest} days" if ext.longest else "")))


def _extension(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    period = f["extends"]
    opened, asked = m.deadlines.get(period), m.applications.get(period)
    if opened is None or asked is None:
        return  # legal order reports the missing application
    ext = periods.PERIODS[period].extension
    if f["extended_to"] != asked["until"]:
        out.append(Unlawful("TimeExtended", ext.rule, f"the time asked for, {asked['until']}"))
    if ext.after_expiry:  # FRAP 4(a)(5)(C): 30 days after the time prescribed or 14 after the order
        due = dt.date.fromisoformat(opened["due"])
        order = dt.date.fromisoformat(f["date"])
        latest = max(due + dt.timedelta(days=ext.after_expiry), order + dt.timedelta(days=14)).isoformat()
        if f["extended_to"] > latest:
            out.append(Unlawful("TimeExtended", ext.rule, f"no later than {latest}"))


def _conference(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    date = dt.date.fromisoformat(f["date"])
    if calendar.in_summer_recess(date):
        out.append(Unlawful(name, TERM, f"a conference, not the summer recess (got {date})"))


def _argument(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["court_level"] != "supreme":
        return
    date = dt.date.fromisoformat(f["date"])
    term = calendar.argument_term(dt.date.fromisoformat(m.granted_on) if m.granted_on else date)
    if not calendar.is_argument_day(date) or date < calendar.first_monday_in_october(term):
        out.append(Unlawful(name, TERM, f"an argument day in a sitting (October to April) of OT{term} or "
                            f"later, got {date}"))


def _decision(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["court_level"] != "supreme":
        return
    date = dt.date.fromisoformat(f["date"])
    if m.argued_on is not None:
        last = calendar.opinion_deadline(dt.date.fromisoformat(m.argued_on))
        if date > last:
            out.append(Unlawful(name, TERM, f"a decision within the Term of argument, by {last}"))
    elif calendar.in_summer_recess(date):
        out.append(Unlawful(name, TERM, f"an order during the Term, not the summer recess (got {date})"))


def _judgment_issued(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    due = calendar.deadline(dt.date.fromisoformat(m.supreme_judgment_on), 25).isoformat()
    if f["date"] != due:
        out.append(Unlawful(name, "Sup. Ct. R. 45.2", f"25 days after entry of the judgment: {due}"))


def _mandate(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    due = jurisdiction.mandate_due(m)
    if due is not None and f["date"] < due:
        out.append(Unlawful(name, "FRAP 41(b) (sources §8.6, §9.8)", f"no earlier than {due}, 7 days after the "
                            "time to petition for rehearing expired or a timely petition was denied"))


def _contempt(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """Contempt enforcing a magistrate judge's order waits for the time to object, or the ruling on an
    objection (Fed. R. Crim. P. 59(a); sources §9.8)."""
    due = m.due("objection")
    if due is not None and f["date"] <= due:
        out.append(Unlawful(name, "Fed. R. Crim. P. 59(a) (sources §9.8)", f"after the time to object ran out "
                            f"({due}) or an objection was decided"))
    elif m.seen.get("ObjectionFiled", 0) > m.seen.get("ObjectionRuled", 0):
        out.append(Unlawful(name, "Fed. R. Crim. P. 59(a) (sources §9.8)", "the ruling on the pending objection"))


# District-court acts that need the case there (a notice of appeal divests it; the mandate returns it).
MOOTNESS = "Munsingwear, 340 U.S. 36 (sources §9.6, §9.8)"


def _moot(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A dismissal as moot comes from the court that holds the case (the Supreme Court once a petition
    is before it), on a motion made there, and not while a period for review runs that it does not hear,
    unless one it hears still ran when the motion was made (the court of appeals may then vacate its own
    judgment; once only the time to petition for certiorari runs, the Supreme Court alone may)."""
    lane = ladder.LANE_OF[f["court_level"]]
    holds = "CertPetitioned" in m.seen if lane == "supreme" else m.holding == lane
    if not holds:
        out.append(Unlawful(name, MOOTNESS, f"the court that holds the case ({m.holding}), got {lane}"))
    made = m.motions.get(f["motion_id"], {}).get("filed_on", f["date"])
    review = [(key, periods.PERIODS[key]) for key in periods.REVIEW if key in m.deadlines]
    if any(p.heard_in == lane and (m.due(key) or "") >= made for key, p in review):
        return
    for key, period in review:
        if period.heard_in != lane and (m.due(key) or "") >= f["date"]:
            out.append(Unlawful(name, MOOTNESS, f"no dismissal by the {lane} court while the time to "
                                f"{period.action} runs (until {m.due(key)}, {m.deadlines[key]['rule']})"))


CONFINED = frozenset({"MotionRuled", "ObjectionRuled", "HearingHeld", "ContemptHeld", "ContemptPurged"})


def _where(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["court_level"] in ("magistrate", "district") and name in CONFINED and m.holding != "district":
        out.append(Unlawful(name, "Griggs v. Provident Consumer Discount Co. (sources §9.8)",
                            f"the district court to act only in aid of the appeal while the {m.holding} court "
                            "holds the case"))


def _parties(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    party = f["party"]
    if party not in ladder.PARTIES:
        out.append(Unlawful(name, COUNSEL, f"one of {', '.join(ladder.PARTIES)}, got {party!r}"))
        return
    amicus = party in ("amicus", "foreign_government")
    if amicus != (name == "AmicusBriefFiled"):
        out.append(Unlawful(name, "sources §1, §9.3", "an amicus brief, and only that, filed by an amicus curiae or "
                            f"the foreign government (got {party})"))
        return
    mover = registry.FILED_BY.get(name)
    if name == "MotionFiled":
        kind = f["kind"]
        mover = {"vacate": "provider", "compel": "government", "lift_stay": "government",
                 "contempt": "government"}.get(kind)
        if kind in MOOTNESS_MOTIONS:
            decided = m.last_decision
            if kind == "vacate_moot" and decided is None:
                out.append(Unlawful(name, "sources §9.6", "a decision below to vacate (else a motion to dismiss)"))
            elif kind == "vacate_moot":
                mover = ladder.other(decided["prevailing"])
            else:
                mover = "government"
                if decided is not None:
                    out.append(Unlawful(name, "sources §9.6", "a motion to vacate the decision below, made by the "
                                        "party that lost it"))
    if mover is not None and party != mover:
        rule = "United States v. Munsingwear (sources §9.6)" if f.get("kind") == "vacate_moot" else COUNSEL
        out.append(Unlawful(name, rule, f"filed by the {mover}, got the {party}"))


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


def _agreement(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["qualifying_foreign_government"]:
        label = laws.assumed_agreement(m.parties["foreign_state"], f["date"])
        if label and label not in f["text"]:
            out.append(Unlawful(name, LABELS, f"the label {label!r}"))
    elif m.comity_by_statute_only:
        out.append(Unlawful(name, "18 U.S.C. 2703(h)(2)(A) (sources §8.1)", "a motion under 2703(h)(2), the sole "
                            f"basis to quash for a conflict with the laws of {m.parties['foreign_state']}, a "
                            "qualifying foreign government when the warrant was served"))


def _amicus(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["supporting"] not in ("provider", "government", "neither", ""):
        out.append(Unlawful(name, "sources §1", f"supporting provider, government, neither or '', got "
                            f"{f['supporting']!r}"))
    if f["offers_mlat"] and f["party"] != "foreign_government":
        out.append(Unlawful(name, "sources §4", "an offer to process a treaty request only from the foreign "
                            "government"))


NOT_TO_NOTIFY = "18 U.S.C. 2705(b) (sources §9.7)"


def _nondisclosure(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A 2705(b) order runs "for such period as the court deems appropriate": to a day after it is made;
    an extension or a challenge comes while it is in force; it lapses the day after its last day."""
    order, date = m.nondisclosure, f["date"]
    until = order["until"] if order else None
    if name == "NondisclosureOrdered" and f["until"] <= date:
        out.append(Unlawful(name, NOT_TO_NOTIFY, f"a period ending after the order ({date}), got {f['until']}"))
    if name in ("NondisclosureOrdered", "NondisclosureChallenged") and until and (f.get("extension", True)) \
            and date > until:
        out.append(Unlawful(name, NOT_TO_NOTIFY, f"while the order is in force (until {until}), got {date}"))
    if name == "NondisclosureLapsed" and until:
        expected = (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
        if date != expected:
            out.append(Unlawful(name, NOT_TO_NOTIFY, f"the day after the order's last day: {expected}"))


Check = Callable[[Any, str, dict[str, Any], list[Unlawful]], None]
# Each event's own checks, beyond order, header, period, business day and labels.
CHECKS: dict[str, tuple[Check, ...]] = {
    "ExtensionApplied": (_application,),
    "TimeExtended": (_extension,),
    "ObjectionRuled": (_consequence("objection", lambda f: f["disposition"] == "overruled as untimely"), _where),
    "ComityMotionRuled": (_consequence("comity_motion", lambda f: f["disposition"] == "denied as untimely"),),
    "RehearingDecided": (_consequence("rehearing", lambda f: bool(f["untimely"])),),
    "PanelDecided": (_panel,),
    "AppealDismissed": (_dismissal,),
    "PetitionDistributed": (_distribution,),
    "CertDecided": (_conference,),
    "SupremeCourtDecided": (_decision, _against_below),
    "DismissedAsMoot": (_decision, _moot),
    "JudgmentIssued": (_judgment_issued,),
    "MandateIssued": (_mandate,),
    "ContemptHeld": (_contempt, _where),
    "MotionRuled": (_where,),
    "HearingHeld": (_argument, _where),
    "ContemptPurged": (_where,),
    "FinalDisposition": (_final,),
    "ComityMotionFiled": (_agreement,),
    "AmicusBriefFiled": (_amicus,),
    "NondisclosureOrdered": (_nondisclosure,),
    "NondisclosureChallenged": (_nondisclosure,),
    "NondisclosureLapsed": (_nondisclosure,),
}
