"""Judgments and mandates going down, and the orders on remand that follow them (sources §9.6, §9.8).

The court of appeals' mandate issues on the day FRAP 41(b) gives (`sim.domain.jurisdiction.mandate_due`),
unless stayed pending a petition for certiorari (41(d)), when it issues at once on the denial; the
Supreme Court's judgment issues 25 days after entry (R. 45.2) and the courts below act on it (R. 45.3).
Each descent is a process of its own; the matter ends only once every one has settled (`settled`).
"""

import datetime as dt
from collections.abc import Generator
from typing import Any

import simpy

from sim import calendar
from sim.domain import jurisdiction
from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait


def descend(p: Proceeding, process: Generator[Any, Any, None]) -> None:
    """Start a descent (a mandate, a judgment and its remands) the end of the matter waits for."""
    p.descending.append(p.env.process(process))


def settled(p: Proceeding) -> Wait:
    """Wait until every judgment, mandate and order on remand under way has been entered."""
    while True:
        running = [process for process in p.descending if process.is_alive]
        if not running:
            return
        yield simpy.AllOf(running[0].env, running)  # the environment itself (p.env may be a matter's clock)


def judgment_issues(p: Proceeding) -> Wait:
    """Sup. Ct. R. 45.2, 45.3: the judgment issues 25 days after entry; a certified copy goes down."""
    decided = dt.date.fromisoformat(p.matter.supreme_judgment_on or p.today)
    yield from p.until("judgment_issued", lambda: calendar.deadline(decided, 25, supreme=True))
    p.record(Matter.JudgmentIssued, "judgment_issued", "supreme",
             f"JUDGMENT ISSUED; a certified copy sent to the {p.matter.courts['circuit']['name']}.",
             actor="The Clerk")


def mandate(p: Proceeding) -> Wait:
    """FRAP 41(b): the mandate of the judgment now owed issues on its day (none while stayed, none if
    a later judgment replaced it); then the district court acts on a remand."""
    owed = p.matter.mandate
    if owed is None:
        return
    due = dt.date.fromisoformat(jurisdiction.mandate_due(p.matter) or p.today)
    yield from p.until("mandate", lambda: max(due, p.day))
    yield from _issue(p, owed)


def stay_timer(p: Proceeding) -> Wait:
    """FRAP 41(d)(2): a stay of the mandate runs for 90 days unless a petition filed, or the time to file one
    extended, continues it; on the day after, the mandate issues if nothing did. A timer rather than a step (no
    draw, no pin): it records nothing when the stay was continued, so a fork copying a source whose stay was
    continued has no entry to wait for."""
    owed = p.matter.mandate
    if owed is None or not owed.get("stay_until"):
        return
    due = dt.date.fromisoformat(jurisdiction.mandate_due(p.matter) or p.today)
    yield p.env.timeout(max(0, (due - p.day).days))
    yield from _issue(p, owed)


def _issue(p: Proceeding, owed: dict[str, Any]) -> Wait:
    """The mandate `owed` issues now, unless it is owed no longer, still stayed, the matter closed, or a motion
    before the court of appeals awaits its ruling; then the district court acts on a remand."""
    ran_out = jurisdiction.stay_runs_out(p.matter, p.today)
    if p.matter.mandate is not owed or (owed["stayed"] and not ran_out) or p.closed.triggered \
            or jurisdiction.motion_before_the_court_of_appeals(p.matter):  # its ruling sends the mandate (mootness)
        return
    released = RELEASED.get(owed.get("released_by", ""))
    p.record(Matter.MandateIssued, "mandate", "circuit", "MANDATE ISSUED." if not ran_out else
             "MANDATE ISSUED: the stay of the mandate has run out, no petition for a writ of certiorari having been "
             "filed nor the time to file one extended.", rule_key="mandate_stay_ran_out" if ran_out else released,
             actor="The Clerk")
    p.pending_level = "district"  # the mandate gives the case back (a petition out of time may still be on its way)
    yield from on_remand(p, "district", f"ORDER on the mandate of the Court of Appeals: {carried_out(p)}proceedings "
                                        "in conformity with its judgment.")


def carried_out(p: Proceeding) -> str:
    """What a district court's order on remand does first when the provider prevailed above: a contempt order
    still standing is vacated and so is the warrant, as to the content abroad (sources §9.8: the Second Circuit
    reversed the denial of Microsoft's motion and vacated the contempt order, 14-2985 Doc. 286-1). "" otherwise."""
    m = p.matter
    if (m.last_decision or {}).get("prevailing") != "provider":
        return ""
    done = []
    if "ContemptHeld" in m.seen and "ContemptPurged" not in m.seen:
        done.append(f"the order holding {p.name('provider')} in civil contempt is VACATED")
    done.append(f"the warrant is VACATED as to the content stored in {p.scenario.data.place_in_text}")
    return "; ".join(done) + "; "


# FRAP 41(d): what released a stayed mandate -> the rule under which it then issues
RELEASED = {"CertDecided": "mandate_cert_denied", "PetitionReturned": "mandate_petition_returned"}


def on_remand(p: Proceeding, lane: str, text: str, action: str = "proceedings in conformity with the judgment") \
        -> Wait:
    """The court on `lane` acts on the judgment or mandate from above, if a remand is owed there."""
    if lane not in p.matter.owed:
        return
    s = p.scenario
    court = p.courts[lane]
    table = s.court_of_appeals if lane == "circuit" else s.district_court
    yield from p.wait(f"{lane}_remand", court.actor, table.dismissal_after, court)
    p.record(Matter.OrderOnRemand, f"{lane}_remand", lane, text, action=action)


def supreme_remand(p: Proceeding) -> Wait:
    """After the Supreme Court's decision: its judgment issues, the court of appeals acts on it (and its
    mandate goes down), then the district court."""
    yield from judgment_issues(p)
    yield from on_remand(p, "circuit", "ORDER on the judgment of the Supreme Court: the case is REMANDED to the "
                                       "district court for proceedings in conformity with it; the mandate issues "
                                       "forthwith.")
    yield from on_remand(p, "district", f"ORDER on remand: {carried_out(p)}proceedings in conformity with the "
                                        "judgment of the Supreme Court.")
