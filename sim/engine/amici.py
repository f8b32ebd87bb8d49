"""Friends of the court: at the merits stage of the court of appeals and of the Supreme Court, the data's
country's government and other amici may file briefs, each no later than 7 days after the principal brief
of the party it supports, or, supporting neither party, after the appellant's or petitioner's (FRAP
29(a)(6), Sup. Ct. R. 37.3(a); docs/sources.md §11.3); the government of the country may offer to
process a request under its treaty, as Ireland did (§1, §4, §9.7).

Each filing is its own process, waiting for the brief it follows, and is recorded only while the stage
is still open. The foreign government draws from its own stream, the other amici from theirs, every
draw made when the stage opens, whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
import weakref

import simpy

from sim import calendar
from sim.domain.matter import Matter
from sim.domain.steps import AMICI
from sim.engine.proceeding import Proceeding, Wait

SIDES = ("provider", "government", "neither")
AMICUS_DAYS = 7  # FRAP 29(a)(6), Sup. Ct. R. 37.3(a): no later than 7 days after the brief supported

# Per matter (its clock): (level, side) -> the event of that side's principal brief, its value the day filed.
_BRIEFS: weakref.WeakKeyDictionary[simpy.Environment, dict[tuple[str, str], simpy.Event]] = weakref.WeakKeyDictionary()


def _brief_of(p: Proceeding, level: str, side: str) -> simpy.Event:
    return _BRIEFS.setdefault(p.env, {}).setdefault((level, side), p.env.event())


def principal_brief(p: Proceeding, level: str, side: str) -> None:
    """`side`'s principal brief is on record at `level` today: the amici supporting it may file."""
    event = _brief_of(p, level, side)
    if not event.triggered:
        event.succeed(p.day)


def file(p: Proceeding, level: str, opening: str) -> None:
    """Start the amicus filings of the merits stage at `level` ("circuit" or "supreme"), where `opening`
    (the appellant or petitioner) files the first principal brief."""
    at = getattr(p.scenario.amici, level)
    foreign = p.occurs("foreign_government", at.foreign_government)
    offers = p.occurs("foreign_government", p.scenario.amici.offers_mlat)
    delay = p.draw("foreign_government", at.after)
    if foreign:
        p.env.process(_brief(p, level, "foreign_amicus", opening, delay, offers))
    for side in SIDES:
        files = p.occurs("amici", getattr(at, f"supporting_{side}"))
        delay = p.draw("amici", at.after)
        if files:
            p.env.process(_brief(p, level, f"amici_{side}", side if side != "neither" else opening, delay, False))


def _open(p: Proceeding, level: str) -> bool:
    """True while the stage at `level` awaits its decision."""
    m = p.matter
    if m.disposition is not None or "DismissedAsMoot" in m.seen:
        return False
    if level == "circuit":
        return "PanelDecided" not in m.seen and "AppealDismissed" not in m.seen
    return "SupremeCourtDecided" not in m.seen and m.argued_on is None


def _brief(p: Proceeding, level: str, who: str, follows: str, delay: int, offers: bool) -> Wait:
    """Wait for the principal brief of `follows`, then file within the 7 days after it (the drawn delay,
    at most 7; on a business day in the Supreme Court, whose Clerk dockets on business days)."""
    assert who in AMICI
    step = f"{level}_{who}"
    anchor: dt.date = yield _brief_of(p, level, follows)
    day = anchor + dt.timedelta(days=min(delay, AMICUS_DAYS))
    if level == "supreme":
        day = max(calendar.roll_back(day, True), anchor)
    yield from p.until(step, lambda: day)
    if not _open(p, level):
        return
    if who == "foreign_amicus":
        country = p.matter.parties["foreign_state_called"]
        supporting = "neither" if level == "supreme" else ""
        offer = (f": {country} would consider a request for mutual legal assistance under the "
                 f"{p.matter.parties['treaty']}") if offers else ""
        p.record(Matter.AmicusBriefFiled, step, level,
                 f"BRIEF of {country} as amicus curiae{' supporting neither party' if supporting else ''}{offer}.",
                 party="foreign_government", supporting=supporting, offers_mlat=offers)
        return
    side = who.removeprefix("amici_")
    whom = "supporting neither party" if side == "neither" else f"in support of {p.name(side)}"
    p.record(Matter.AmicusBriefFiled, step, level, f"BRIEFS of amici curiae {whom}.", party="amicus",
             supporting=side, offers_mlat=False)
