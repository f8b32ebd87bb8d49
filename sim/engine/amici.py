"""Friends of the court: at the merits stage of the court of appeals (after the appellant's opening brief)
and of the Supreme Court (after a grant), the data's country's government and other amici may file
briefs; the government of the country may offer to process a request under its treaty, as Ireland did
(docs/sources.md §1, §4, §9.7).

Each filing is its own process, timed from the start of the stage, and is recorded only while the
stage is still open. The foreign government draws from its own stream, the other amici from theirs,
every draw made whatever the outcome.
"""

from __future__ import annotations

import datetime as dt

from sim.domain.matter import Matter
from sim.domain.steps import AMICI
from sim.engine.proceeding import Proceeding, Wait

SIDES = ("provider", "government", "neither")


def file(p: Proceeding, level: str) -> None:
    """Start the amicus filings of the merits stage at `level` ("circuit" or "supreme")."""
    at, start = getattr(p.scenario.amici, level), p.day
    foreign = p.occurs("foreign_government", at.foreign_government)
    offers = p.occurs("foreign_government", p.scenario.amici.offers_mlat)
    delay = p.draw("foreign_government", at.after)
    if foreign:
        p.env.process(_brief(p, level, "foreign_amicus", start, delay, offers))
    for side in SIDES:
        files = p.occurs("amici", getattr(at, f"supporting_{side}"))
        delay = p.draw("amici", at.after)
        if files:
            p.env.process(_brief(p, level, f"amici_{side}", start, delay, False))


def _open(p: Proceeding, level: str) -> bool:
    """True while the stage at `level` awaits its decision."""
    m = p.matter
    if m.disposition is not None or "DismissedAsMoot" in m.seen:
        return False
    if level == "circuit":
        return "PanelDecided" not in m.seen and "AppealDismissed" not in m.seen
    return "SupremeCourtDecided" not in m.seen and m.argued_on is None


def _brief(p: Proceeding, level: str, who: str, start: dt.date, delay: int, offers: bool) -> Wait:
    assert who in AMICI
    step = f"{level}_{who}"
    yield from p.until(step, lambda: start + dt.timedelta(days=delay))
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
