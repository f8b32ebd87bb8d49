"""The audit: stored matters checked, event by event, against the declared procedure.

It reads stored events only (never the engine): each matter's events are folded through the same
checks the `Matter` aggregate applies when it records (`sim.domain.lawful`), so an event edited or
deleted in the store after the fact shows up as a finding naming the matter, the position, the date,
the rule and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from typing import Any

import attrs
from eventsourcing.domain import OriginatorVersionError

from sim.domain import calendar_checks
from sim.domain.lawful import opening, problems
from sim.domain.matter import Matter
from sim.engine.script import payload
from sim.errors import Fault, UserError


@attrs.frozen
class Finding:
    """One violation: where (matter, seq, date, event), under which rule, and what was expected."""

    matter_id: str
    seq: int
    date: str
    event: str
    rule: str
    expected: str

    def describe(self) -> str:
        return f"{self.matter_id} seq {self.seq} {self.date} {self.event}: {self.rule}: expected {self.expected}"


@attrs.frozen
class Cut:
    """A caseload matter its run's record names as open at the horizon (`horizon`: the first day after it):
    its stored events."""

    events: list[Any]
    horizon: str


def audit_events(events: list[Any], horizon: str | None = None) -> list[Finding]:
    """Every violation in one matter's stored events, in order. `horizon`: the matter was open when its
    caseload's world stopped that day, so it owes no final disposition, but every entry must come before."""
    opened = events[0]
    matter_id = str(opened.originator_id)
    matter: Matter = opened.mutate(None)
    found = [Finding(matter_id, 1, opened.start_date, "Opened", problem.rule, problem.expected)
             for problem in opening(matter)]
    for event in events[1:]:
        seq, name = event.originator_version, type(event).__name__
        if seq != matter.version + 1:
            found.append(Finding(matter_id, seq, event.date, name, "the event stream",
                                 f"entry {matter.version + 1} next; the stream skips to {seq}"))
        try:
            for problem in problems(matter, type(event), payload(event) | {"inherited": event.inherited}):
                found.append(Finding(matter_id, seq, event.date, name, problem.rule, problem.expected))
        except (KeyError, TypeError, AttributeError, ValueError) as e:  # an edited value (an unknown party ...)
            found.append(Finding(matter_id, seq, event.date, name, "the event stream",
                                 f"an event the procedure can check ({e!r})"))
        matter = _apply(event, matter, found)
    found += [Finding(matter_id, *f) for f in calendar_checks.findings(events)]  # sources §11
    if horizon is not None:
        found += [Finding(matter_id, e.originator_version, e.date, type(e).__name__, "the caseload's horizon",
                          f"an entry before {horizon}, when the world stopped (the run's record)")
                  for e in events[1:] if e.date >= horizon]
    elif matter.disposition is None:
        found.append(Finding(matter_id, matter.version, matter.last_date, "(end)", "sources §9.6",
                             "a final disposition at the end of the matter"))
    return found


def _apply(event: Any, matter: Matter, found: list[Finding]) -> Matter:
    """The event's effect on the state, even where the stream has a gap or the event is malformed."""
    try:
        return event.mutate(matter)
    except OriginatorVersionError:
        pass
    try:
        event.apply(matter)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        found.append(Finding(str(matter.id), event.originator_version, event.date, type(event).__name__,
                             "the event stream", f"an event the matter's state can take ({e!r})"))
    matter.version = event.originator_version
    return matter


@attrs.define
class Tally:
    """What an audit looked at and found."""

    matters: int = 0
    entries: int = 0
    violations: int = 0

    def summary(self) -> str:
        return f"{self.matters:,} matters, {self.entries:,} entries, {self.violations:,} violations"


def audit(matters: Iterable[list[Any] | Cut | Finding], on_finding: Callable[[Finding], None]) -> Tally:
    """Audit each matter's events, reporting each finding as it is made (memory stays flat). A Finding in
    place of a matter's events (a matter that cannot be read, a run short of what its record promises) is
    reported as it is, and the audit goes on; a `Cut` is a caseload's matter open at its horizon."""
    tally = Tally()
    for events in matters:
        if isinstance(events, Finding):
            tally.matters += events.event != "(run)"
            tally.violations += 1
            on_finding(events)
            continue
        horizon = None
        if isinstance(events, Cut):
            events, horizon = events.events, events.horizon
        tally.matters += 1
        tally.entries += len(events) - 1
        for finding in audit_events(events, horizon):
            tally.violations += 1
            on_finding(finding)
    return tally


def stored_matters(store: Any, runs: Iterable[Any], stored: Callable[[Any, Any], int]) -> Iterator[list[Any]]:
    """The stored events of every stored matter of `runs`, one matter at a time (those of an outcomes-only
    run played again from its scenario and seed, in memory)."""
    from sim.runs.replays import events_of

    for run in runs:
        for i, kept in zip(range(stored(store, run)), _kept(store, run), strict=False):
            yield events_of(store, run, i, kept=kept)


def _kept(store: Any, run: Any) -> Iterator[list[Any] | None]:
    """The outcome rows an outcomes-only run kept, in order (a replayed matter is checked against its own);
    None for each replication of a run that stored its events."""
    from sim.runs.runner import kept_outcomes
    from sim.store.outcomes import kept_rows

    return kept_rows(store, str(run.id)) if kept_outcomes(store, str(run.id)) else repeat(None)


def audited_matters(store: Any, runs: Iterable[Any],
                    stored: Callable[[Any, Any], int]) -> Iterator[list[Any] | Finding]:
    """What the audit reads: each run's promise checked against the store (a finished run holds every
    replication its record names), then each stored matter's events as stored, gaps included (those of an
    outcomes-only run played again in memory); a matter that cannot be read is a finding naming it and the
    event, and the audit goes on."""
    from sim.runs.replays import events_of

    for run in runs:
        count = stored(store, run)
        if run.finished_at is not None and count < run.replications:
            yield Finding(str(run.id), count + 1, run.finished_at[:10], "(run)", "the run register",
                          f"{run.replications:,} replications stored, as the run's record says it finished; "
                          f"{count:,} are")
        for i, kept in zip(range(count), _kept(store, run), strict=False):
            try:
                yield events_of(store, run, i, whole=False, kept=kept)
            except (Fault, UserError) as e:
                yield Finding(str(run.matter_ids()[i]), 0, "", "(unreadable)", "the event stream",
                              f"events this release can read ({e})")
