"""Congress: enacts the CLOUD Act on the scenario's date, unless the matter has ended first."""

from __future__ import annotations

import datetime as dt

from sim.domain.laws import CLOUD_ACT_STATUTES
from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait


def legislate(p: Proceeding) -> Wait:
    """Record the enactment while the matter is open and signal it to the other actors."""
    enacted = p.scenario.cloud_act.enacted
    if not isinstance(enacted, dt.date) or p.law_in_force("18 U.S.C. 2713"):
        return
    yield p.env.timeout(max(0, p.calendar.day_of(enacted) - int(p.env.now))) | p.closed
    if p.closed.triggered:
        return
    p.record(Matter.LegislationEnacted, "legislation", "congress",
             "CLOUD Act enacted (Consolidated Appropriations Act, 2018, Division V): adds 18 U.S.C. 2713 "
             "(disclosure regardless of location), 2703(h) (comity motions) and 2523 (executive agreements).",
             actor="Congress and the President", public_law="Pub. L. 115-141", statutes=list(CLOUD_ACT_STATUTES))
    p.enacted.succeed()
