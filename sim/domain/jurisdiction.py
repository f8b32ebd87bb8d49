"""Where the case is, and what must still come down (docs/sources.md §9.6, §9.8, §10.4).

A notice of appeal gives the case to the court of appeals (the district court keeps only what aids
the appeal or is collateral to it); the court of appeals' mandate returns it (FRAP 41(b): 7 days after
the time to petition for rehearing expires, or 7 days after an order denying a timely petition,
whichever is later); in the Supreme Court the judgment issues 25 days after entry (R. 44.1, 45.2) and
the Clerk sends it to the court below (R. 45.3), after which the court of appeals and then the district
court act on remand, each by order on its own docket.

Each event's function here says how it moves the case and what it leaves owed (declared per event
in `sim.domain.registry`); the `Matter` applies it to its own state (`holding`, `owed`, `mandate`),
so the engine, the audit and the narration read one answer. Coercive civil contempt runs until the
contemnor complies and the court purges it (§9.8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sim.calendar import deadline, roll_forward
from sim.domain.periods import PERIODS
from sim.domain.rules import RULES

MANDATE, JUDGMENT = "mandate", "judgment"  # owed by the court of appeals' clerk, by the Supreme Court's
OWED_BY = {MANDATE: "MandateIssued", JUDGMENT: "JudgmentIssued", "circuit": "OrderOnRemand (court of appeals)",
           "district": "OrderOnRemand (district court)"}
# What must have come down before each is done: a court acts on remand once the judgment or mandate
# of the court above has reached it.
BEFORE: dict[str, tuple[str, ...]] = {MANDATE: (), JUDGMENT: (), "circuit": (JUDGMENT,),
                                      "district": (JUDGMENT, "circuit", MANDATE)}
STAY_MOTION = "stay_mandate"  # the motion kind of FRAP 41(d)(1)
STAY_DAYS = 90  # FRAP 41(d)(2): the longest a stay pending a petition lasts unless continued (sources §8.6)
NO_SANCTIONS = "none while the appeal proceeds"  # ContemptHeld.sanctions of a contempt that only makes an order final


def rehearing_days(matter: Any) -> int:
    """FRAP 40: the time to petition for rehearing, 14 days, 45 with the United States a party."""
    return RULES[PERIODS["rehearing"].rule(matter.united_states_party)].period_days or 0


def mandate_due(matter: Any) -> str | None:
    """FRAP 41(b): the day the owed mandate issues (None if none is owed)."""
    mandate = matter.mandate
    if mandate is None:
        return None
    last = deadline(dt.date.fromisoformat(mandate["rehearing_until"]), RULES["mandate"].period_days or 0)
    if mandate["denied_on"]:
        last = max(last, deadline(dt.date.fromisoformat(mandate["denied_on"]), RULES["mandate"].period_days or 0))
    released = mandate.get("released_on")
    if mandate["stayed"] and mandate.get("stay_until"):  # FRAP 41(d)(2): the day after the stay runs out
        last = max(last, deadline(dt.date.fromisoformat(mandate["stay_until"]), 1))
    if released:  # FRAP 41(d)(4): on the Supreme Court's order, the court of appeals' next business day
        last = max(last, roll_forward(dt.date.fromisoformat(released)))  # (the two calendars differ: R. 30.1)
    return last.isoformat()


def motion_before_the_court_of_appeals(matter: Any) -> bool:
    """A motion addressed to the court of appeals awaits its ruling: the court still has its judgment before
    it, and its mandate waits (assumption, sources §10.4)."""
    return any(m["disposition"] is None and m["level"] in ("circuit", "en_banc") for m in matter.motions.values())


def stay_runs_out(matter: Any, on: str) -> bool:
    """FRAP 41(d)(2): a stay of the mandate that neither a petition filed nor the time to file one extended has
    continued "must not exceed 90 days"; True once its last day is past on `on`."""
    mandate = matter.mandate
    until = mandate.get("stay_until") if mandate is not None and mandate["stayed"] else None
    return until is not None and on > until


def _owe_mandate(matter: Any, on: str, remand: bool) -> None:
    """A judgment of the court of appeals: its mandate is owed, counted from the time to petition for
    rehearing; a remand also owes the district court's order."""
    until = deadline(dt.date.fromisoformat(on), rehearing_days(matter)).isoformat()
    matter.mandate = {"rehearing_until": until, "denied_on": None, "stayed": False}
    matter.owed[MANDATE] = True
    if remand:
        matter.owed["district"] = True


def notice(event: Any, matter: Any) -> None:
    matter.holding = "circuit"


def dismissed(event: Any, matter: Any) -> None:
    matter.holding = "district"


def panel(event: Any, matter: Any) -> None:
    _owe_mandate(matter, event.date, event.disposition != "affirmed")


def en_banc(event: Any, matter: Any) -> None:
    _owe_mandate(matter, event.date, event.prevailing != matter.decisions.get("district"))


def rehearing(event: Any, matter: Any) -> None:
    if matter.mandate is not None and not event.granted and not event.untimely:
        matter.mandate["denied_on"] = event.date
    if event.granted:
        matter.owed.pop(MANDATE, None)
        matter.owed.pop("district", None)
        matter.mandate = None


def extended(event: Any, matter: Any) -> None:
    if event.extends == "rehearing" and matter.mandate is not None:
        matter.mandate["rehearing_until"] = event.extended_to
    elif event.extends == "cert_petition":
        stay_continues(event, matter)


def stay(event: Any, matter: Any) -> None:
    """FRAP 41(d): the mandate stayed pending the petition for certiorari."""
    if matter.motions[event.motion_id]["kind"] == STAY_MOTION and event.disposition == "granted" \
            and matter.mandate is not None:
        matter.mandate["stayed"] = True  # for 90 days at most, unless continued (FRAP 41(d)(2))
        matter.mandate["stay_until"] = deadline(dt.date.fromisoformat(event.date), STAY_DAYS).isoformat()


def stay_continues(event: Any, matter: Any) -> None:
    """FRAP 41(d)(2): the petition filed (or the time to file it extended), the stay lasts until the Supreme
    Court disposes of the case."""
    if matter.mandate is not None and matter.mandate.get("stay_until"):
        matter.mandate["stay_until"] = None


def stay_ends(event: Any, matter: Any) -> None:
    """FRAP 41(d)(4): certiorari denied (or the petition returned unfiled), the stayed mandate issues at once."""
    if matter.mandate is not None and matter.mandate["stayed"] and not getattr(event, "granted", False):
        matter.mandate["stayed"] = False
        matter.mandate["released_on"] = event.date
        matter.mandate["released_by"] = type(event).__name__


def mandate(event: Any, matter: Any) -> None:
    matter.owed.pop(MANDATE, None)
    matter.mandate = None
    matter.holding = "district"


def supreme(event: Any, matter: Any) -> None:
    matter.owed.update(dict.fromkeys((JUDGMENT, "circuit", "district"), True))


def moot(event: Any, matter: Any) -> None:
    level = event.court_level
    if level == "supreme":
        supreme(event, matter)
    elif level in ("circuit", "en_banc"):
        _owe_mandate(matter, event.date, True)


def judgment(event: Any, matter: Any) -> None:
    matter.owed.pop(JUDGMENT, None)
    matter.holding = "circuit"


def on_remand(event: Any, matter: Any) -> None:
    lane = "circuit" if event.court_level in ("circuit", "en_banc") else "district"
    matter.owed.pop(lane, None)
    if lane == "circuit":  # the court of appeals' order on the Supreme Court's judgment sends its mandate down
        matter.owed.pop(MANDATE, None)
        matter.mandate = None
    matter.holding = "district"


def contempt(event: Any, matter: Any) -> None:
    if event.sanctions != NO_SANCTIONS:
        matter.sanction_running = True


def purged(event: Any, matter: Any) -> None:
    matter.sanction_running = False




def still_owed(matter: Any) -> list[str]:
    """What must still come down before the matter can end, as the entries that would do it."""
    return [OWED_BY[key] for key in (JUDGMENT, MANDATE, "circuit", "district") if key in matter.owed]


def remand_missing(matter: Any, lane: str) -> str | None:
    """What an order on remand on `lane` lacks: a remand owed there, and the judgment or mandate above."""
    if lane not in matter.owed:
        return f"a judgment or mandate remanding to the {'court of appeals' if lane == 'circuit' else 'district court'}"
    waiting = [OWED_BY[key] for key in BEFORE[lane] if key in matter.owed]
    return " and ".join(waiting) or None
