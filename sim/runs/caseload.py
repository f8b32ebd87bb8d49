"""Caseload runs: each replication a world of many matters (`sim.engine.world`), written as they end.

This process is the single writer: a matter's events are stored in a group commit soon after it ends, so
memory holds only the matters still open and a group; a replication's `CaseloadPlayed` record (how many
cases, and what the world measured: utilisation and queue waits per court and month) is written last, in
the same transaction as its last matters, and marks it whole. The world stops at the horizon; the matters
open then are stored as they are, after the others, and the record names them (`HorizonReached`), so the
audit knows the horizon, not a doctored store, left them without a final disposition. `--resume` plays an
unfinished replication again (the same draws) and stores only the matters not yet stored (they are stored
in the order they end, so those stored are the first ones). Replications are played here, one after another,
or by worker processes while this process stores them (`sim.runs.worlds`), in the same order.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import attrs
from eventsourcing.domain import Aggregate, event

from sim import interrupts
from sim.domain.ladder import lane_of
from sim.engine import world
from sim.errors import Fault, UserError
from sim.runs import worlds
from sim.runs.audit import Cut
from sim.runs.runner import (
    RunInterrupted,
    _check_writable,
    _waiting,
    quiet,
    run_scenario,
)
from sim.scenario import Scenario, plain
from sim.store import DocketStore, MatterIds, Run, now, package_versions
from sim.views.caseload import Measures, court_intervals, matter_row
from sim.views.narrative import running
from sim.views.projections import entries

PLAYED_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/caseload-played")
GROUP_EVENTS = 4_000    # events a commit at most (their records are held until it: about 4 MiB)
GROUP_SECONDS = 0.5


class CaseloadPlayed(Aggregate):
    """One replication of a caseload stored whole: its number of cases, the months of the horizon and,
    per court, its places and each month's utilisation, days waited in the queue and places granted."""

    class Recorded(Aggregate.Created):
        run_id: str
        replication: int
        cases: int
        months: list[str]
        courts: dict[str, Any]

    horizon: str = ""                # the first day after the horizon (a record of an earlier release: none)
    pending: Sequence[int] = ()      # the cases still open at the horizon, stored as they were then

    def __init__(self, run_id: str, replication: int, cases: int, months: list[str], courts: dict[str, Any]) -> None:
        self.run_id, self.replication, self.cases = run_id, replication, cases
        self.months, self.courts = months, courts

    @event("HorizonReached")
    def reached_horizon(self, horizon: str, pending: list[int]) -> None:
        """The world stopped at `horizon` with the cases `pending` still open."""
        self.horizon, self.pending = horizon, pending

    @staticmethod
    def create_id(run_id: str, replication: int) -> UUID:  # type: ignore[override]
        return uuid5(PLAYED_NAMESPACE, f"{run_id}/{replication}")


def is_caseload(run: Run) -> bool:
    return "caseload" in run.scenario_data


def played(store: DocketStore, run: Run, replication: int) -> CaseloadPlayed | None:
    aggregate_id = CaseloadPlayed.create_id(str(run.id), replication)
    return store._rebuilt(aggregate_id) if store.has_events(aggregate_id) else None


def stored_replications(store: DocketStore, run: Run) -> int:
    """How many replications of a caseload run are stored whole (a prefix: they are stored in order)."""
    low, high = 0, run.replications
    while low < high:
        mid = (low + high) // 2
        if store.has_events(CaseloadPlayed.create_id(str(run.id), mid)):
            low = mid + 1
        else:
            high = mid
    return low


def matter_ids(store: DocketStore, run: Run) -> Iterator[str]:
    """The ids of every matter of a run stored whole: a caseload's by replication and case, a run's
    otherwise."""
    if not is_caseload(run):
        from sim.runs.runner import stored_prefix
        yield from run.matter_ids()[:stored_prefix(store, run)]
        return
    for replication in range(stored_replications(store, run)):
        record = played(store, run, replication)
        assert record is not None
        for case in range(record.cases):
            yield str(world.case_matter_id(str(run.id), run.scenario, replication, case))


def caseload_ids(store: DocketStore, run: Run) -> list[UUID]:
    """Every aggregate a caseload run stored whole besides the run: its matters and its replications' records
    (the matters an interrupted replication stored are not found: `--resume` the run before deleting it)."""
    if not is_caseload(run):
        return []
    records = [CaseloadPlayed.create_id(str(run.id), r) for r in range(stored_replications(store, run))]
    return [*(UUID(m) for m in matter_ids(store, run)), *records]


def stored_matters(store: DocketStore, runs: list[Run]) -> Iterator[list[Any]]:
    """The stored events of every matter of `runs`, one matter at a time."""
    for run in runs:
        for matter_id in matter_ids(store, run):
            yield store.matter_events(matter_id)


def audited_matters(store: DocketStore, runs: list[Run]) -> Iterator[list[Any] | Cut]:
    """What the audit reads of caseload runs: each matter's stored events, a `Cut` for those the replication's
    record names as open at the horizon."""
    for run in runs:
        for replication in range(stored_replications(store, run)):
            record = played(store, run, replication)
            assert record is not None
            pending = set(record.pending)
            for case in range(record.cases):
                events = store.matter_events(str(world.case_matter_id(str(run.id), run.scenario, replication, case)))
                yield Cut(events, record.horizon) if case in pending else events


@attrs.frozen
class CaseloadResult:
    run_id: str
    matter_ids: MatterIds | list[str]
    already_recorded: bool
    cases: int = 0
    resumed_from: int | None = None


Row = dict[str, Any]


def record_caseload(store: DocketStore, scenario: Scenario, seed: int = 0, replications: int = 1,
                    on_matter: Callable[[Row], None] | None = None,
                    on_replication: Callable[[int, Measures, CaseloadPlayed], None] | None = None,
                    on_progress: Callable[[int, int], None] | None = None,
                    note: Callable[[str], None] = quiet, jobs: int = 1) -> CaseloadResult:
    """Play and store `replications` of a caseload scenario (by `jobs` worker processes, a replication each
    at a time); `on_matter` gets each matter's row as it is stored, `on_replication` each replication's
    measures once it is whole, both in the same order whatever `jobs`. A run already in the store is not
    played again (its rows come from the store); one left incomplete is carried on."""
    run_id = str(Run.create_id(scenario.text_hash, seed, replications, None))
    with store.run_lock(run_id, lambda: note(_waiting(run_id, scenario.name))):
        if store.has_events(UUID(run_id)):
            run = store.run(run_id)
            done = stored_replications(store, run)
            if run.finished_at is not None:
                _from_store(store, run, done, on_matter, on_replication)
                return CaseloadResult(run_id, _first_ids(store, run), True, _cases(store, run))
            note(f"run {run_id} ({scenario.name}) is incomplete, {done:,} of {replications:,} replications "
                 f"stored: resuming it, as `python run.py run --resume {run_id}` would")
            _carry_on(store, run, run_scenario(run), on_matter, on_replication, on_progress, jobs=jobs)
            return CaseloadResult(run_id, _first_ids(store, run), False, _cases(store, run), done)
        _check_writable(store)

        def make_run() -> Run:
            return Run(scenario=scenario.name, scenario_path=scenario.path, scenario_hash=scenario.text_hash,
                       seed=seed, replications=replications, versions=package_versions(), started_at=now(),
                       settings=[list(s) for s in scenario.settings], fork=None,
                       scenario_data=plain({**scenario.tables, "scenario": {**scenario.tables.get("scenario", {}),
                                                                          "name": scenario.name}}))
        run = _carry_on(store, None, scenario, on_matter, on_replication, on_progress, make_run, run_id, seed,
                        replications, jobs)
    return CaseloadResult(run_id, _first_ids(store, run), False, _cases(store, run))


def resume_caseload(store: DocketStore, run: Run, on_matter: Callable[[Row], None] | None = None,
                    on_replication: Callable[[int, Measures, CaseloadPlayed], None] | None = None,
                    on_progress: Callable[[int, int], None] | None = None, jobs: int = 1) -> CaseloadResult:
    """Finish an interrupted caseload run under the scenario it recorded."""
    with store.run_lock(str(run.id)):
        run = store.run(str(run.id))
        if run.finished_at is not None:
            raise UserError(f"run {run.id} is already finished ({run.finished_at}); nothing to resume")
        done = stored_replications(store, run)
        _carry_on(store, run, run_scenario(run), on_matter, on_replication, on_progress, jobs=jobs)
    return CaseloadResult(str(run.id), _first_ids(store, run), False, _cases(store, run), done)


def _cases(store: DocketStore, run: Run) -> int:
    return sum(played(store, run, r).cases for r in range(stored_replications(store, run)))  # type: ignore[union-attr]


def _first_ids(store: DocketStore, run: Run) -> list[str]:
    ids = []
    for matter_id in matter_ids(store, run):
        ids.append(matter_id)
        if len(ids) == 3:
            break
    return ids


def _from_store(store: DocketStore, run: Run, done: int, on_matter: Callable[[Row], None] | None,
                on_replication: Callable[[int, Measures, CaseloadPlayed], None] | None) -> None:
    """Rows and measures of stored replications, rebuilt from the store's events."""
    scenario = run_scenario(run)
    for replication in range(done):
        record = played(store, run, replication)
        assert record is not None
        measures = Measures(scenario.scenario.start_date, record.months)
        pending = set(record.pending)
        for case in range(record.cases):
            events = store.matter_events(str(world.case_matter_id(str(run.id), run.scenario, replication, case)))
            row = matter_row(events, pending=case in pending)
            measures.add(events, row)
            if on_matter:
                on_matter(row)
        if on_replication:
            on_replication(replication, measures, record)


def _carry_on(store: DocketStore, run: Run | None, scenario: Scenario, on_matter: Callable[[Row], None] | None,
              on_replication: Callable[[int, Measures, CaseloadPlayed], None] | None,
              on_progress: Callable[[int, int], None] | None, make_run: Callable[[], Run] | None = None,
              run_id: str = "", seed: int = 0, replications: int = 0, jobs: int = 1) -> Run:
    """Store the rest of a run's replications (all of a new run's: `make_run` makes it at the first write),
    played here or, with `jobs` above one, by worker processes while this process stores (`worlds`)."""
    _check_writable(store)
    if run is not None:
        run_id, seed, replications = str(run.id), run.seed, run.replications
        done = stored_replications(store, run)
        _from_store(store, run, done, on_matter, on_replication)
    else:
        done = 0
    state: dict[str, Any] = {"run": run, "stored": done}
    try:
        for replication, play in worlds.replications(scenario, run_id, seed, done, replications, jobs):
            writer, measures = _Writer(store, run_id, state, make_run, on_matter), _measures(scenario)
            result = play(functools.partial(_stored, writer, measures))
            record = CaseloadPlayed(run_id=run_id, replication=replication, cases=result.cases,
                                    months=result.months, courts=plain(result.courts))
            record.reached_horizon(horizon=result.horizon, pending=result.pending)
            writer.commit([writer.mapper.to_record(e) for e in record.collect_events()])
            if on_replication:
                on_replication(replication, measures, record)
            state["stored"] += 1
            if on_progress:
                on_progress(state["stored"], replications)
        store.retrying(lambda: _finish(store, run_id))
    except KeyboardInterrupt:
        raise RunInterrupted(run_id, state["stored"], replications) from None
    except BrokenProcessPool:
        raise RunInterrupted(run_id, state["stored"], replications, "a worker process died") from None
    except Fault as e:  # a worker's file cut short
        raise RunInterrupted(run_id, state["stored"], replications, str(e)) from None
    assert state["run"] is not None
    return state["run"]


class _Writer:
    """The single writer of one replication: its matters committed in groups as they come (those an
    interrupted writer stored skipped, when resuming), each row handed on once its matter is stored."""

    def __init__(self, store: DocketStore, run_id: str, state: dict[str, Any], make_run: Callable[[], Run] | None,
                 on_matter: Callable[[Row], None] | None) -> None:
        self.store, self.state, self.make_run, self.on_matter = store, state, make_run, on_matter
        self.mapper = store.mapper
        self.group: list[Any] = []
        self.rows: list[Row] = []
        self.since = time.monotonic()
        self.checking = state["run"] is not None  # resuming: skip the matters an interrupted writer stored

    def matter(self, matter_id: UUID, row: Row, records: Callable[[], list[Any]]) -> None:
        """A matter played: its row, and its stored-event records (made only if they are to be written)."""
        if self.checking and self.store.has_events(matter_id):
            if self.on_matter:
                self.on_matter(row)
            return
        self.checking = False
        self.group.extend(records())
        self.rows.append(row)
        if len(self.group) >= GROUP_EVENTS or time.monotonic() - self.since >= GROUP_SECONDS:
            self.commit([])

    def commit(self, extra: list[Any]) -> None:
        if self.state["run"] is None:
            assert self.make_run is not None
            self.state["run"] = self.store.add_run(self.make_run)
        group = [*self.group, *extra]
        with interrupts.deferred():
            self.store.retrying(lambda: self.store.append(group))
            for row in self.rows:
                if self.on_matter:
                    self.on_matter(row)
        self.group, self.rows, self.since = [], [], time.monotonic()


def _stored(writer: _Writer, measures: Measures, matter_id: UUID, pending: bool, events: list[Any]) -> None:
    """A matter its world ended (or the horizon left open): measured, and handed to the writer."""
    row = matter_row(events, pending=pending)
    measures.add(events, row)
    writer.matter(matter_id, row, lambda: [writer.mapper.to_record(e) for e in events])


def _measures(scenario: Scenario) -> Measures:
    first = scenario.scenario.start_date
    end = world.horizon_end(first, scenario.caseload.horizon_years)  # type: ignore[union-attr]
    return Measures(first, [m.isoformat() for m in world.month_starts(first, end)])


def _finish(store: DocketStore, run_id: str) -> None:
    with interrupts.deferred():
        run = store.run(run_id)
        run.finish(finished_at=now())
        store.save(run)


LANE_COURTS = {"district": ("magistrate", "district"), "circuit": ("circuit",), "supreme": ("supreme",)}


def court_docket(store: DocketStore, run: Run, lane: str, when: Any) -> list[dict[str, Any]]:
    """A court's docket report on a day: each matter of the run pending there (over the interval `stages`
    reports for the court: the district court's docket holds its magistrate judge's matters too), with its
    docket number, caption, last entry on or before the day, the deadlines then running and the days
    pending; sorted as a clerk lists them, oldest docket first (by the day it opened, then its number)."""
    day = when.isoformat()
    report = []
    for matter_id in matter_ids(store, run):
        events = store.matter_events(matter_id)
        if events[0].start_date > day:
            continue
        spans = [(first, last) for court, first, last in court_intervals(events) if court in LANE_COURTS[lane]]
        pending = [first for first, last in spans if first <= day and (last is None or day < last)]
        if not pending:
            continue
        upto = [e for e in events if getattr(e, "date", events[0].start_date) <= day]
        rows = [row for row in entries(upto) if row["docket_number"]]
        here = [row for row in rows if lane_of(row["court_level"]) == lane] or rows
        last = rows[-1] if rows else None
        matter = store.matter_as_of(matter_id, when)
        report.append({
            "matter_id": matter_id, "case": events[0].parties.get("case"),
            "docket_number": here[-1]["docket_number"] if here else "",
            "caption": here[0]["caption"] if here else "", "opened": spans[0][0] if spans else day,
            "pending_since": pending[0],
            "days_pending": (when - dt.date.fromisoformat(pending[0])).days,
            "last_entry": {"date": last["date"], "event": last["event"], "description": last["description"]}
            if last else None,
            "deadlines": [{"party": d.party, "action": d.action, "due": d.due.isoformat(), "rule": d.rule}
                          for d in running(matter, when)],
        })
    report.sort(key=lambda r: (r["pending_since"], r["docket_number"]))
    return report
