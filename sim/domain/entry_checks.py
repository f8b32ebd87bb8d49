"""Each kind of entry's own checks, beyond legal order, the header, the period a filing meets, the
business day and the labels (`sim.domain.lawful`): the registry of steps (`sim.domain.registry`) declares
which of these each kind carries, so no check branches on an event's name.

Each check reads the matter's state before the entry and the entry's fields, and adds an `Unlawful`
naming the rule and what was expected for each problem it finds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sim import calendar
from sim.domain import jurisdiction, ladder, laws, periods
from sim.domain.unlawful import Unlawful

Check = Callable[[Any, str, dict[str, Any], list[Unlawful]], None]
TERM = "28 U.S.C. 2; sources §9.2 (the Term)"
LABELS = "sources §9 (simulated entries labelled)"
COUNSEL = "28 U.S.C. 518(a); sources §9.3"
AMICI = ("amicus", "foreign_government")
MOVERS = {"vacate": "provider", "compel": "government", "lift_stay": "government", "contempt": "government"}


def consequence(period: str, says_late: Any) -> Check:
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


def panel(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if not m.appeal_timely:
        out.append(Unlawful(name, "FRAP 4(a) (sources §9.1)", "a notice of appeal filed in time, or dismissal"))
    against_below(m, name, f, out)


def against_below(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
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


def appeal_dismissed(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if "notice_of_appeal" not in m.late:
        out.append(Unlawful(name, "FRAP 4(a) (sources §9.1)", "a notice of appeal filed out of time"))


def distribution(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if m.opposed_on is not None:
        earliest = (dt.date.fromisoformat(m.opposed_on) + dt.timedelta(days=14)).isoformat()
        if f["date"] < earliest:
            out.append(Unlawful(name, "Sup. Ct. R. 15.5", f"no earlier than {earliest}, 14 days after the "
                                "brief in opposition"))
    elif (m.due("brief_in_opposition") or "9999") >= f["date"]:
        out.append(Unlawful(name, "Sup. Ct. R. 15.5", "a brief in opposition, or the time to file one expired"))


def final(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
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


def application(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    period, date = f["extends"], f["date"]
    if period not in m.deadlines:
        out.append(Unlawful(name, "sources §9.1", f"a running period {period!r} to extend"))
        return
    ext = periods.PERIODS[period].extension
    due = m.deadlines[period]["due"]
    day = dt.date.fromisoformat(due)
    latest = (day - dt.timedelta(days=ext.apply_before) + dt.timedelta(days=ext.after_expiry)).isoformat()
    if date > latest:
        out.append(Unlawful(name, ext.rule, f"applied for by {latest}"))
    if f["party"] != m.deadlines[period]["party"]:
        out.append(Unlawful(name, ext.rule, f"applied for by {m.deadlines[period]['party']}"))
    if f["until"] <= due or (ext.longest is not None
                             and f["until"] > (day + dt.timedelta(days=ext.longest)).isoformat()):
        out.append(Unlawful(name, ext.rule, f"a day after {due}"
                            + (f", at most {ext.longest} days" if ext.longest else "")))


def extension(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    period = f["extends"]
    opened, asked = m.deadlines.get(period), m.applications.get(period)
    if opened is None or asked is None:
        return  # legal order reports the missing application
    ext = periods.PERIODS[period].extension
    if f["extended_to"] != asked["until"]:
        out.append(Unlawful(name, ext.rule, f"the time asked for, {asked['until']}"))
    if ext.after_expiry:  # FRAP 4(a)(5)(C): 30 days after the time prescribed or 14 after the order
        due = dt.date.fromisoformat(opened["due"])
        order = dt.date.fromisoformat(f["date"])
        latest = max(due + dt.timedelta(days=ext.after_expiry), order + dt.timedelta(days=14)).isoformat()
        if f["extended_to"] > latest:
            out.append(Unlawful(name, ext.rule, f"no later than {latest}"))


def conference(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    date = dt.date.fromisoformat(f["date"])
    if calendar.in_summer_recess(date):
        out.append(Unlawful(name, TERM, f"a conference, not the summer recess (got {date})"))


def argument(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["court_level"] != "supreme":
        return
    date = dt.date.fromisoformat(f["date"])
    term = calendar.argument_term(dt.date.fromisoformat(m.granted_on) if m.granted_on else date)
    if not calendar.is_argument_day(date) or date < calendar.first_monday_in_october(term):
        out.append(Unlawful(name, TERM, f"an argument day in a sitting (October to April) of OT{term} or "
                            f"later, got {date}"))


def decision(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["court_level"] != "supreme":
        return
    date = dt.date.fromisoformat(f["date"])
    if m.argued_on is not None:
        last = calendar.opinion_deadline(dt.date.fromisoformat(m.argued_on))
        if date > last:
            out.append(Unlawful(name, TERM, f"a decision within the Term of argument, by {last}"))
    elif calendar.in_summer_recess(date):
        out.append(Unlawful(name, TERM, f"an order during the Term, not the summer recess (got {date})"))


def judgment_issued(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    due = calendar.deadline(dt.date.fromisoformat(m.supreme_judgment_on), 25, supreme=True).isoformat()
    if f["date"] != due:
        out.append(Unlawful(name, "Sup. Ct. R. 45.2", f"25 days after entry of the judgment: {due}"))


def mandate(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    due = jurisdiction.mandate_due(m)
    if due is not None and f["date"] < due:
        out.append(Unlawful(name, "FRAP 41(b) (sources §8.6, §9.8)", f"no earlier than {due}, 7 days after the "
                            "time to petition for rehearing expired or a timely petition was denied"))


def contempt(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """Contempt enforcing a magistrate judge's order waits for the time to object, or the ruling on an
    objection (Fed. R. Crim. P. 59(a); sources §9.8)."""
    due = m.due("objection")
    if due is not None and f["date"] <= due:
        out.append(Unlawful(name, "Fed. R. Crim. P. 59(a) (sources §9.8)", f"after the time to object ran out "
                            f"({due}) or an objection was decided"))
    elif m.seen.get("ObjectionFiled", 0) > m.seen.get("ObjectionRuled", 0):
        out.append(Unlawful(name, "Fed. R. Crim. P. 59(a) (sources §9.8)", "the ruling on the pending objection"))


MOOTNESS = "Munsingwear, 340 U.S. 36 (sources §9.6, §9.8)"


def moot(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
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


def in_district_court(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A district-court act that needs the case there (a notice of appeal divests it; the mandate returns it)."""
    if f["court_level"] in ("magistrate", "district") and m.holding != "district":
        out.append(Unlawful(name, "Griggs v. Provident Consumer Discount Co. (sources §9.8)",
                            f"the district court to act only in aid of the appeal while the {m.holding} court "
                            "holds the case"))


def agreement(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["qualifying_foreign_government"]:
        label = laws.assumed_agreement(m.parties["foreign_state"], f["date"])
        if label and label not in f["text"]:
            out.append(Unlawful(name, LABELS, f"the label {label!r}"))
    elif m.comity_by_statute_only:
        out.append(Unlawful(name, "18 U.S.C. 2703(h)(2)(A) (sources §8.1)", "a motion under 2703(h)(2), the sole "
                            f"basis to quash for a conflict with the laws of {m.parties['foreign_state']}, a "
                            "qualifying foreign government when the warrant was served"))


def amicus(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    if f["supporting"] not in ("provider", "government", "neither", ""):
        out.append(Unlawful(name, "sources §1", f"supporting provider, government, neither or '', got "
                            f"{f['supporting']!r}"))
    if f["offers_mlat"] and f["party"] != "foreign_government":
        out.append(Unlawful(name, "sources §4", "an offer to process a treaty request only from the foreign "
                            "government"))


NOT_TO_NOTIFY = "18 U.S.C. 2705(b) (sources §9.7)"


def _nondisclosure_until(m: Any) -> str | None:
    return m.nondisclosure["until"] if m.nondisclosure else None


def _in_force(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A 2705(b) order is extended or challenged while it is in force."""
    until, date = _nondisclosure_until(m), f["date"]
    if until and f.get("extension", True) and date > until:
        out.append(Unlawful(name, NOT_TO_NOTIFY, f"while the order is in force (until {until}), got {date}"))


def nondisclosure_ordered(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A 2705(b) order runs "for such period as the court deems appropriate": to a day after it is made."""
    if f["until"] <= f["date"]:
        out.append(Unlawful(name, NOT_TO_NOTIFY, f"a period ending after the order ({f['date']}), got {f['until']}"))
    _in_force(m, name, f, out)


nondisclosure_challenged = _in_force


def nondisclosure_lapsed(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """A 2705(b) order lapses the day after its last day."""
    until = _nondisclosure_until(m)
    if until:
        expected = (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
        if f["date"] != expected:
            out.append(Unlawful(name, NOT_TO_NOTIFY, f"the day after the order's last day: {expected}"))


def motion_party(m: Any, name: str, f: dict[str, Any], out: list[Unlawful]) -> None:
    """Who makes a motion of each kind; as moot, the party that lost the decision below asks to vacate
    it, and the government moves to dismiss where nothing was decided (sources §9.6)."""
    kind, party, decided = f["kind"], f["party"], m.last_decision
    if party not in ladder.PARTIES or party in AMICI:
        return  # `lawful` names the party
    mover = MOVERS.get(kind)
    if kind == "vacate_moot" and decided is None:
        out.append(Unlawful(name, "sources §9.6", "a decision below to vacate (else a motion to dismiss)"))
    elif kind == "vacate_moot":
        mover = ladder.other(decided["prevailing"])
    elif kind == "dismiss_moot":
        mover = "government"
        if decided is not None:
            out.append(Unlawful(name, "sources §9.6", "a motion to vacate the decision below, made by the "
                                "party that lost it"))
    if mover is not None and party != mover:
        rule = "United States v. Munsingwear (sources §9.6)" if kind == "vacate_moot" else COUNSEL
        out.append(Unlawful(name, rule, f"filed by the {mover}, got the {party}"))
