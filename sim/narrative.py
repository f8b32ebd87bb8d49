"""Plain-English narration of a matter's events, and the deadlines each event opens.

Pure functions of stored events, for `replay` and `docket --as-of`. A deadline is computed from the
rules table and the FRAP 26(a) calendar, never typed in, and stays open until a later event answers
it or its day passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from sim.calendar import Calendar
from sim.domain.rules import RULES
from sim.text import tidy

LONGEST_PERIOD = 150  # days: Sup. Ct. R. 13.1 with the longest 13.5 extension; no deadline runs longer


@attrs.frozen
class Deadline:
    """Something a party may do, by when, under which rule; `closed_by` are the events that answer it."""

    party: str
    action: str
    due: dt.date
    rule: str
    opened_seq: int
    closed_by: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.party} may {self.action} by {self.due.isoformat()} ({self.rule})"


def _parties(opened: Any) -> dict[str, str]:
    return {"government": opened.parties["government"], "provider": opened.parties["provider"]}


def _loser_of_motion(event: Any) -> str:
    kind = event.motion_id.split("-")[0]
    mover = "provider" if kind in ("vacate", "quash", "modify") else "government"
    granted = event.disposition == "granted"
    return ("government" if mover == "provider" else "provider") if granted else mover


def _opens(event: Any, opened: Any, calendar: Calendar, appeal_loser: str) -> list[Deadline]:
    """The deadlines `event` opens; `appeal_loser` lost the last appellate decision."""
    names = _parties(opened)
    us = opened.parties.get("united_states_party", True)
    day = dt.date.fromisoformat(event.date)
    seq = event.originator_version

    def due(rule_key: str, extra: int = 0) -> tuple[dt.date, str]:
        rule = RULES[rule_key]
        return calendar.deadline(day, (rule.period_days or 0) + extra), rule.citation

    def make(side: str, action: str, rule_key: str, closed_by: tuple[str, ...], extra: int = 0) -> Deadline:
        when, citation = due(rule_key, extra)
        return Deadline(names[side], action, when, citation, seq, (*closed_by, "FinalDisposition"))

    kind = type(event).__name__
    other = {"government": "provider", "provider": "government"}
    if kind == "MotionRuled" and event.court_level == "magistrate":
        return [make(_loser_of_motion(event), "object to the magistrate judge's order", "objection",
                     ("ObjectionFiled",))]
    if kind == "WarrantServed" and "18 U.S.C. 2703(h)" in opened.statutes_in_force:
        return [make("provider", "move to quash or modify under 18 U.S.C. 2703(h) (where the content is in a "
                     "qualifying foreign government's territory)", "comity_motion", ("ComityMotionFiled",))]
    appeal_rule = "notice_of_appeal_us" if us else "notice_of_appeal"
    if kind == "ObjectionRuled" and event.final_order:
        return [make("government", "appeal to the court of appeals", appeal_rule, ("NoticeOfAppealFiled",))]
    if kind == "ContemptHeld":
        return [make("provider", "appeal the contempt order to the court of appeals", appeal_rule,
                     ("NoticeOfAppealFiled",))]
    if kind in ("PanelDecided", "EnBancDecided"):
        loser = other[event.prevailing]
        found = [make(loser, "petition for certiorari", "cert_petition", ("CertPetitioned", "RehearingPetitioned"))]
        if kind == "PanelDecided":
            found.insert(0, make(loser, "petition for panel rehearing or rehearing en banc",
                                 "rehearing_us" if us else "rehearing", ("RehearingPetitioned",)))
        return found
    if kind == "RehearingDecided" and not event.granted:
        return [make(appeal_loser, "petition for certiorari (Sup. Ct. R. 13.3; up to 60 more days "
                     "under 13.5)", "cert_petition", ("CertPetitioned",))]
    if kind == "CertPetitioned":
        return [make(other[event.petitioner], "file a brief in opposition", "brief_in_opposition",
                     ("BriefFiled", "CertDecided"))]
    if kind == "CertDecided" and event.granted:
        return [Deadline("The petitioner", "file its brief on the merits", due("merits_brief")[0],
                         RULES["merits_brief"].citation, seq, ("HearingHeld", "DismissedAsMoot", "FinalDisposition"))]
    return []


def deadlines(events: list[Any]) -> list[tuple[Deadline, int | None]]:
    """Every deadline the events open, with the seq of the event that closed it (None if none did)."""
    opened = events[0]
    calendar = Calendar(dt.date.fromisoformat(opened.start_date))
    found: list[tuple[Deadline, int | None]] = []
    loser = "government"
    for event in events[1:]:
        name = type(event).__name__
        found = [(d, closed if closed is not None or name not in d.closed_by else event.originator_version)
                 for d, closed in found]
        if name in ("PanelDecided", "EnBancDecided"):
            loser = "government" if event.prevailing == "provider" else "provider"
        found += [(d, None) for d in _opens(event, opened, calendar, loser)]
    return found


def open_deadlines(events: list[Any], as_of: dt.date) -> list[Deadline]:
    """Deadlines running on `as_of`: opened by the events, not yet answered, not yet passed."""
    return [d for d, closed in deadlines(events) if closed is None and d.due >= as_of]


def opened_by(events: list[Any], seq: int) -> list[Deadline]:
    """The deadlines the event at position `seq` opens (what can happen next, and by when)."""
    return [d for d, _ in deadlines([e for e in events if e.originator_version <= seq]) if d.opened_seq == seq]


# Narration ----------------------------------------------------------------------------------------
def _sentence(e: Any, names: dict[str, str]) -> str:
    kind = type(e).__name__
    gov, prov = names["government"], names["provider"]
    say: dict[str, Callable[[], str]] = {
        "WarrantApplied": lambda: f"{gov} asks a magistrate judge for a warrant for the e-mail account's contents.",
        "WarrantIssued": lambda: f"{e.actor} finds probable cause and issues the warrant.",
        "WarrantServed": lambda: f"The warrant is served on {prov}.",
        "DomesticDataProduced": lambda: f"{prov} hands over the account records it stores in the United States.",
        "ProductionRefused": lambda: f"{prov} refuses to hand over the e-mails themselves: {e.reason}.",
        "NewWarrantIssued": lambda: f"{gov} obtains a new warrant under the amended statute.",
        "MotionFiled": lambda: f"{e.actor} files a motion ({e.kind.replace('_', ' ')}).",
        "MotionRuled": lambda: f"{e.actor} rules on the motion to {e.motion_id.split('-')[0].replace('_', ' ')}: "
                               f"{e.disposition}.",
        "BriefFiled": lambda: f"{e.actor} files its {e.kind}.",
        "HearingHeld": lambda: f"The court hears the parties ({e.kind}).",
        "ObjectionFiled": lambda: f"{e.actor} objects to the magistrate judge's ruling and asks the district judge "
                                  "to review it.",
        "ObjectionRuled": lambda: f"{e.actor} reviews the ruling: {e.disposition}."
                                  + (" That is a final order the government can appeal." if e.final_order else ""),
        "StayGranted": lambda: "The court puts its order on hold while an appeal is sought.",
        "StayLifted": lambda: "The court lifts the stay: its order was not yet one that could be appealed.",
        "ContemptHeld": lambda: f"The court holds {prov} in civil contempt ({e.sanctions})."
                                + (" This gives it a final order to appeal." if "appeal" in e.sanctions else ""),
        "NoticeOfAppealFiled": lambda: f"{e.actor} appeals to the court of appeals.",
        "PanelDecided": lambda: f"A panel of the court of appeals decides: {e.disposition}, under the {e.doctrine} "
                                f"rule; {names[e.prevailing]} prevails.",
        "RehearingPetitioned": lambda: f"{e.actor} asks the whole court of appeals to rehear the case.",
        "RehearingDecided": lambda: "The court of appeals " + ("grants" if e.granted else "denies")
                                    + " rehearing en banc.",
        "EnBancDecided": lambda: f"The full court of appeals decides: {e.disposition}; {names[e.prevailing]} prevails.",
        "CertPetitioned": lambda: f"{e.actor} asks the Supreme Court to take the case."
                                  + (f" (Its time was extended by {e.extension_days} days.)"
                                     if e.extension_days else ""),
        "CertDecided": lambda: "The Supreme Court " + ("agrees to hear" if e.granted else "declines to hear")
                               + " the case.",
        "SupremeCourtDecided": lambda: f"The Supreme Court decides: {e.disposition}, under the {e.doctrine} rule; "
                                       f"{names[e.prevailing]} prevails.",
        "LegislationEnacted": lambda: "Congress passes, and the President signs, the CLOUD Act: providers must "
                                      "disclose data they control wherever it is stored.",
        "DismissedAsMoot": lambda: "With nothing left to decide, the court vacates the rulings below and orders the "
                                   "case dismissed as moot.",
        "MLATRequestSent": lambda: f"{gov} asks {e.requested_state}'s authorities for the e-mails under the mutual "
                                   "legal assistance treaty.",
        "MLATRequestExecuted": lambda: f"{e.actor} grants the request and obtains the e-mails under local law.",
        "MLATRequestRefused": lambda: f"{e.actor} refuses the request.",
        "ComityMotionFiled": lambda: f"{prov} moves to quash, saying disclosure would break a foreign law.",
        "ComityMotionRuled": lambda: f"The court rules on the comity motion: {e.disposition}.",
        "DataDisclosed": lambda: f"The e-mails reach {gov} (by {e.route.replace('_', ' ')}).",
        "FinalDisposition": lambda: f"The matter ends: {e.disposition}.",
    }
    return say[kind]() if kind in say else e.text


def narrate(events: list[Any], seq: int) -> str:
    """The event at position `seq` told in plain English, with its rule and what it opens."""
    opened = events[0]
    e = next(x for x in events if x.originator_version == seq)
    names = _parties(opened)
    when = dt.date.fromisoformat(e.date).strftime("%A %d %B %Y").replace(" 0", " ")
    lines = [f"{when}{' (approximately)' if e.approximate else ''} - {e.court}",
             f"  {tidy(_sentence(e, names))}", f"  Authority: {e.rule}"]
    lines += [f"  Next: {d.describe()}" for d in opened_by(events, seq)]
    return "\n".join(lines)
