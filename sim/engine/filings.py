"""Filing within a period: a party files in time, or applies for more time and has the extension
docketed first, or files late and the law's consequence follows (docs/sources.md §9.1).

Every draw is made whatever the path (the filing's delay, whether the party would seek more time,
how early it applies, how long the court takes), so scenarios stay paired on one seed.
"""

from __future__ import annotations

import datetime as dt

import simpy

from sim import calendar
from sim.distributions import Duration
from sim.domain.ladder import SOLICITOR_GENERAL, in_supreme_court
from sim.domain.matter import Matter
from sim.domain.periods import PERIODS
from sim.engine.courts import Court
from sim.engine.proceeding import Proceeding, Wait

# Where an extension of each period is docketed, and whose stream times the order.
EXTENSION_LEVEL = {key: period.extension.docketed for key, period in PERIODS.items()}
GRANTOR_STREAM = {"magistrate": "magistrate", "district_court": "district_court",
                  "court_of_appeals": "court_of_appeals", "circuit_justice": "supreme_court", "clerk": "supreme_court"}
GRANTOR_NAME = {"circuit_justice": "Circuit Justice", "clerk": "Clerk"}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def clerk(p: Proceeding, level: str | None) -> Court | None:
    """The court on whose calendar a party's filing at `level` lands: the Supreme Court's Clerk dockets on
    business days (paper filings until November 2017, Sup. Ct. R. 29.2); below, electronic filing
    (CM/ECF) is open every day, so a filing there may bear a weekend date (docs/sources.md §11.1)."""
    return p.courts["supreme"] if in_supreme_court(level) else None


def lands(p: Proceeding, level: str | None, day: dt.date) -> dt.date:
    """The day a filing made on `day` at `level` is docketed."""
    court = clerk(p, level)
    return court.sitting(day) if court else day


def _us(day: dt.date | str) -> str:
    """A date as the docket writes it: "April 24, 2017"."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def meet(p: Proceeding, period: str, filer: str, step: str, duration: Duration, lapse: bool = False) -> Wait:
    """Wait until `filer` files under `period` (the caller records the filing); True if the filing
    will be timely, False if it will be late (with `lapse`, a party that would be late files nothing:
    the wait ends the day after the period ran out)."""
    s, key = p.scenario, PERIODS[period]
    ext = key.extension
    delay = p.draw(filer, duration)
    seeks = p.occurs(filer, p.litigant(filer).seeks_extension)
    lead = p.draw(filer, s.timeliness.application_lead)
    ruling = p.draw(GRANTOR_STREAM[ext.granted_by], s.timeliness.extension_ruling_after)
    due = dt.date.fromisoformat(p.matter.due(period) or p.today)
    app_step, order_step = f"{period}_extension_application", f"{period}_extension"
    asked_of = in_supreme_court(ext.docketed)  # Sup. Ct. R. 30.1 counts the Supreme Court's closed days
    target = calendar.roll_forward(p.after(delay), key.heard_in == "supreme")
    latest = due - dt.timedelta(days=ext.apply_before) + dt.timedelta(days=ext.after_expiry)  # last day to apply
    pin = p.pin(step)
    if pin is not None and pin.date is not None:
        target, seeks = pin.date, p.pin(app_step) is not None
    if p.replaying and p.source_day(app_step) is not None:  # the source sought more time: so does the copy
        target, seeks, latest = max(target, due + dt.timedelta(days=1)), True, dt.date.max
    elif p.replaying and p.source_day(step) is not None:    # the source filed without: on its day
        target = p.calendar.date_of(p.source_day(step) or 0)
    if target <= due:
        yield from p.until(step, lambda: target)
        return True
    if not seeks or p.day > latest or (ext.after_expiry and target > latest):
        if lapse:
            target = max(p.day, due + dt.timedelta(days=1))
        yield from p.until(step, lambda: target)
        return False
    if ext.after_expiry:  # FRAP 4(a)(5): the motion when the party would have filed, within 30 days
        applied = calendar.roll_back(min(target, latest), asked_of)
    else:
        applied = calendar.roll_back(min(max(p.day, due - dt.timedelta(days=ext.apply_before + lead)), latest),
                                     asked_of)
    applied = max(applied, p.day)
    ordered = p.courts[EXTENSION_LEVEL[period]].sitting(applied + dt.timedelta(days=ruling))
    if ext.after_expiry:
        until = max(due + dt.timedelta(days=ext.after_expiry), ordered + dt.timedelta(days=14))
    else:  # what the party needs, and no earlier than the order can come; within the rule's limit
        until = max(target, ordered)
        if ext.longest is not None:
            until = calendar.roll_back(min(until, due + dt.timedelta(days=ext.longest)), asked_of)
    yield from p.until(app_step, lambda: applied)
    _apply(p, period, filer, app_step, until, planned=max(ordered, min(target, until)))
    try:
        yield from p.until(order_step, lambda: ordered)
    except simpy.Interrupt:  # the matter is mooted meanwhile: the application is ruled on first
        yield from p.until(order_step, lambda: ordered)
        _grant(p, period, order_step)
        raise
    _grant(p, period, order_step)
    extended = dt.date.fromisoformat(p.matter.due(period) or p.today)
    filed = max(p.day, min(target, extended))
    yield from p.until(step, lambda: filed)
    return True


def _apply(p: Proceeding, period: str, filer: str, step: str, until: dt.date, planned: dt.date) -> None:
    key, level = PERIODS[period], EXTENSION_LEVEL[period]
    due = p.matter.due(period)
    supreme = in_supreme_court(level)  # the Supreme Court's docket: an application, to a Justice or the Clerk
    kind = "APPLICATION" if supreme else "MOTION"
    to = f", submitted to the {GRANTOR_NAME[key.extension.granted_by]}" if supreme else ""
    by = f"the {SOLICITOR_GENERAL} for {p.name(filer)}" if filer == "government" and supreme else p.name(filer)
    p.record(Matter.ExtensionApplied, step, level,
             f"{kind} to extend the time to {key.action} from {_us(due or p.today)} to {_us(until)}, filed by "
             f"{by}{to}.", party=filer, extends=period, until=until.isoformat(), numbered_on=planned.isoformat())


def _grant(p: Proceeding, period: str, step: str) -> None:
    key, level = PERIODS[period], EXTENSION_LEVEL[period]
    until = p.matter.applications[period]["until"]
    grantor = key.extension.granted_by
    actor = {"circuit_justice": "The Circuit Justice", "clerk": "The Clerk",
             "court_of_appeals": "The Court of Appeals"}.get(grantor) or p.matter.judge(level, p.today)
    asked = "application" if in_supreme_court(level) else "motion"
    p.record(Matter.TimeExtended, step, level,
             f"ORDER granting the {asked}: the time to {key.action} is "
             f"extended to {_us(until)}.",
             actor=actor, extends=period, extended_to=until)
