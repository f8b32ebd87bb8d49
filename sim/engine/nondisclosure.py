"""Orders not to notify (18 U.S.C. 2705(b), docs/sources.md §9.7): the government applies with the warrant,
the magistrate judge orders the provider not to tell anyone of it "for such period as the court deems
appropriate", and at the end of each period the order is extended or lapses; the provider may move to
vacate it (a power the CLOUD Act leaves untouched, 2703(h)(5)(B), §8.1).

A side track: it moves the matter nowhere, draws from its own stream ("nondisclosure") and ends when the
matter does.
"""

from __future__ import annotations

import datetime as dt

from sim import calendar
from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait

STREAM = "nondisclosure"


def apply(p: Proceeding) -> int | None:
    """With the warrant application: the government's application, for a period of days (None if none)."""
    n = p.scenario.nondisclosure
    sought, days = p.occurs(STREAM, n.sought), max(1, p.draw(STREAM, n.period))
    if not sought:
        return None
    p.record(Matter.NondisclosureSought, "nondisclosure_application", "magistrate",
             f"APPLICATION of {p.name('government')} under 18 U.S.C. 2705(b) for an order commanding "
             f"{p.name('provider')} not to notify any other person of the warrant for {days} days: notice would "
             "seriously jeopardize the investigation.", party="government", days=days)
    return days


def order(p: Proceeding, days: int) -> None:
    """With the warrant: the order, for the period asked; then its course in a process of its own."""
    until = (p.day + dt.timedelta(days=days)).isoformat()
    p.record(Matter.NondisclosureOrdered, "nondisclosure_order", "magistrate",
             f"ORDER under 18 U.S.C. 2705(b): {p.name('provider')} shall not notify any other person of the existence "
             f"of the warrant until {until}.", rule_key="nondisclosure", until=until, extension=False)
    p.env.process(_course(p))


def _course(p: Proceeding) -> Wait:
    """Extensions or the lapse, with the provider's challenge (drawn first) running beside them."""
    n, court = p.scenario.nondisclosure, p.courts["magistrate"]
    challenged, after = p.occurs(STREAM, n.challenged), p.draw(STREAM, n.challenge_after)
    if challenged:
        p.env.process(_challenge(p, p.day + dt.timedelta(days=after)))
    while True:
        extended, days = p.occurs(STREAM, n.extended), max(1, p.draw(STREAM, n.period))
        last = dt.date.fromisoformat(p.matter.nondisclosure["until"])  # type: ignore[index]
        # an extension is ordered on the order's last business day; a lapse is noted the day after
        when = court.sitting(calendar.roll_back(last)) if extended else last + dt.timedelta(days=1)
        step = "nondisclosure_extension" if extended else "nondisclosure_lapsed"
        yield from p.until(step, lambda when=when: max(when, p.day))
        order = p.matter.nondisclosure
        if p.closed.triggered or order is None or order["ended"] or p.day > when:
            return
        if not extended:
            p.record(Matter.NondisclosureLapsed, step, "out_of_court",
                     f"The order under 18 U.S.C. 2705(b) expired on {last.isoformat()} without extension; "
                     f"{p.name('provider')} may notify its customer.", rule_key="nondisclosure_lapsed")
            return
        until = (last + dt.timedelta(days=days)).isoformat()
        p.record(Matter.NondisclosureOrdered, step, "magistrate",
                 f"ORDER on the application of {p.name('government')}: the order under 18 U.S.C. 2705(b) is "
                 f"EXTENDED until {until}.", rule_key="nondisclosure", until=until, extension=True)


def _challenge(p: Proceeding, on: dt.date) -> Wait:
    """The provider's motion to vacate the order, and the magistrate judge's ruling."""
    n, court = p.scenario.nondisclosure, p.courts["magistrate"]
    vacated, ruling = p.occurs(STREAM, n.vacated), p.draw(STREAM, n.ruling_after)
    yield from p.until("nondisclosure_challenge", lambda: max(on, p.day))
    order = p.matter.nondisclosure
    if p.closed.triggered or order is None or order["ended"] or p.today > order["until"]:
        return
    p.record(Matter.NondisclosureChallenged, "nondisclosure_challenge", "magistrate",
             f"MOTION of {p.name('provider')} to vacate the order under 18 U.S.C. 2705(b), or to modify it so that "
             "the provider may notify its customer.", party="provider")
    filed = p.day
    yield from p.until("nondisclosure_ruling", lambda: court.sitting(filed + dt.timedelta(days=ruling)))
    if p.closed.triggered or p.matter.nondisclosure["ended"]:  # type: ignore[index]
        return  # the order has run out: nothing left to vacate
    text = (f"ORDER VACATING the order under 18 U.S.C. 2705(b): {p.name('provider')} may notify its customer."
            if vacated else "ORDER DENYING the motion: the order under 18 U.S.C. 2705(b) stands.")
    p.record(Matter.NondisclosureRuled, "nondisclosure_ruling", "magistrate", text, rule_key="nondisclosure_challenge",
             disposition="vacated" if vacated else "denied")
