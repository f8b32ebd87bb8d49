"""Runs: replications of a scenario, their seeds, the workers that play them and the one writer.

Each replication's seed derives from the root seed and its index alone, so results do not depend on
the number of worker processes. Workers simulate and serialize; this process is the single writer
and stores replications in replication order, each whole inside one transaction (several
consecutive replications share a transaction), so a run's stored replications are always a prefix
0..k-1 and `resume_run` carries on from k. Nothing is written
before the first replication has played to its end, so a scenario that fails at run time writes
nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import chain
from typing import Any
from uuid import UUID

import attrs

from sim.domain.matter import matter_id
from sim.engine import Fork, simulate
from sim.errors import UserError
from sim.projections import outcome_row
from sim.scenario import Scenario, from_data, plain
from sim.store import DocketStore, Run, now, package_versions

Row = dict[str, Any]
COMMIT_GROUP = 64      # replications per transaction at most
COMMIT_SECONDS = 0.25  # or fewer, so progress and Ctrl-C stay prompt
Played = tuple[list[Any], Row]  # a replication's stored-event records and its outcome row


def replication_seed(root_seed: int, replication: int) -> int:
    """The seed of replication `replication`, from the root seed and the index alone."""
    digest = hashlib.sha256(f"docketsim/{root_seed}/{replication}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen
class RunResult:
    run_id: str
    matter_ids: list[str]
    already_recorded: bool


class RunInterrupted(Exception):
    """Ctrl-C during a run: every stored replication is whole and the run is marked incomplete."""

    def __init__(self, run_id: str, stored: int, total: int) -> None:
        super().__init__(run_id, stored, total)
        self.run_id, self.stored, self.total = run_id, stored, total


def play(scenario: Scenario, run_id: str, replication: int, root_seed: int, mapper: Any,
         fork: Fork | None = None) -> Played:
    """Simulate one replication; return its events as store records, and its outcome row."""
    matter = simulate(scenario, run_id, replication, replication_seed(root_seed, replication), fork)
    events = matter.collect_events()
    return [mapper.to_stored_event(e) for e in events], outcome_row(events)


# Worker processes: one context each, set by the initializer.
_context: tuple[Scenario, str, int, Any, Fork | None] | None = None


def _die_with_parent() -> None:
    """On Linux, ask the kernel to end this worker if the writer is killed (no orphans left playing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _init_worker(scenario: Scenario, run_id: str, root_seed: int, fork: Fork | None) -> None:
    global _context
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle
    _die_with_parent()
    mapper = DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    _context = (scenario, run_id, root_seed, mapper, fork)


def _play_batch(bounds: tuple[int, int]) -> list[Played]:
    assert _context is not None
    scenario, run_id, root_seed, mapper, fork = _context
    return [play(scenario, run_id, i, root_seed, mapper, fork) for i in range(*bounds)]


def _batches(start: int, stop: int, size: int) -> Iterator[tuple[int, int]]:
    for low in range(start, stop, size):
        yield low, min(stop, low + size)


def _ordered(tasks: Iterable[tuple[int, int]], jobs: int, initargs: tuple[Any, ...]) -> Iterator[list[Played]]:
    """Batches played by `jobs` worker processes, yielded in order, with a bounded number in flight
    (so memory stays flat however many replications there are)."""
    executor = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=initargs)
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(executor.submit(_play_batch, task))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _played(scenario: Scenario, run_id: str, seed: int, start: int, stop: int, jobs: int,
            mapper: Any, fork: Fork | None) -> Iterator[Played]:
    size = max(1, min(64, (stop - start) // (jobs * 8) or 1))
    if jobs == 1:
        for i in range(start, stop):
            yield play(scenario, run_id, i, seed, mapper, fork)
        return
    for batch in _ordered(_batches(start, stop, size), jobs, (scenario, run_id, seed, fork)):
        yield from batch


def record_run(store: DocketStore, scenario: Scenario, seed: int = 0, replications: int = 1, jobs: int = 1,
               on_row: Callable[[Row], None] | None = None,
               on_progress: Callable[[int, int], None] | None = None, fork: Fork | None = None) -> RunResult:
    """Simulate `replications` of `scenario` (a fork of a stored matter, if `fork` is given) and
    record them with the run's provenance."""
    where = None if fork is None else {"matter_id": fork.source_id, "seq": fork.seq}
    run_id = str(Run.create_id(scenario.text_hash, seed, replications, where))
    ids = [str(matter_id(run_id, scenario.name, i)) for i in range(replications)]
    if store.has_events(UUID(run_id)):
        return RunResult(run_id, ids, already_recorded=True)
    stream = _played(scenario, run_id, seed, 0, replications, jobs, store.mapper, fork)
    records, row = next(stream)  # the first replication plays whole before anything is written
    run = Run(scenario=scenario.name, scenario_path=scenario.path, scenario_hash=scenario.text_hash,
              seed=seed, replications=replications, versions=package_versions(), started_at=now(),
              settings=[list(setting) for setting in scenario.settings], fork=where,
              scenario_data=plain({**scenario.tables, "scenario": {**scenario.tables.get("scenario", {}),
                                                                 "name": scenario.name}}))
    register = store.register()
    register.add(run_id=run_id)
    store.save(run, register, *store.format_marker())
    _write(store, run, [(records, row)], stream, 0, on_row, on_progress)
    return RunResult(run_id, ids, already_recorded=False)


def resume_run(store: DocketStore, run_id: str, jobs: int = 1, on_row: Callable[[Row], None] | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> tuple[Scenario, RunResult]:
    """Finish an interrupted run: rebuild the stored replications' rows, then play the rest under
    the effective scenario the run recorded (so an edited or moved scenario file does not matter)."""
    run = store.run(run_id)
    if run.finished_at is not None:
        raise UserError(f"run {run_id} is already finished ({run.finished_at}); nothing to resume")
    scenario = run_scenario(run)
    stored = stored_prefix(store, run)
    for i in range(stored):
        if on_row:
            on_row(outcome_row(store.matter_events(str(matter_id(run_id, run.scenario, i)))))
    fork = None if run.fork is None else source_entries(store, run.fork["matter_id"], run.fork["seq"])
    stream = _played(scenario, run_id, run.seed, stored, run.replications, jobs, store.mapper, fork)
    _write(store, run, [], stream, stored, on_row, on_progress)
    ids = [str(m) for m in run.matter_ids()]
    return scenario, RunResult(run_id, ids, already_recorded=False)


def run_scenario(run: Run) -> Scenario:
    """The effective scenario a run recorded (after `extends`, settings and a fork's name)."""
    try:
        return from_data(run.scenario_data, run.scenario_path, run.scenario_hash)
    except UserError as e:
        raise UserError(f"run {run.id}: its scenario is no longer loadable: {e}") from None


def source_entries(store: DocketStore, source_id: str, seq: int) -> Fork:
    """A fork point: the source matter's entries up to position `seq`, read from the store."""
    events = store.matter_events(source_id)
    return Fork(source_id, [e for e in events[1:] if e.originator_version <= seq])


def stored_prefix(store: DocketStore, run: Run) -> int:
    """How many replications of `run` are stored (always a prefix: the writer stores in order)."""
    low, high = 0, run.replications
    while low < high:
        mid = (low + high) // 2
        if store.has_events(matter_id(str(run.id), run.scenario, mid)):
            low = mid + 1
        else:
            high = mid
    return low


def _groups(played: Iterator[Played], size: int, seconds: float) -> Iterator[list[Played]]:
    """Consecutive replications grouped for one commit: up to `size`, or what `seconds` brought."""
    group: list[Played] = []
    since = time.monotonic()
    for item in played:
        group.append(item)
        if len(group) >= size or time.monotonic() - since >= seconds:
            yield group
            group, since = [], time.monotonic()
    if group:
        yield group


def _write(store: DocketStore, run: Run, first: list[Played], stream: Iterator[Played], done: int,
           on_row: Callable[[Row], None] | None, on_progress: Callable[[int, int], None] | None) -> None:
    """The single writer. Replications are committed in order, in groups, one transaction a group:
    a replication is stored whole or not at all, and rows are reported only once committed."""
    total = run.replications
    try:
        for group in _groups(chain(first, stream), COMMIT_GROUP, COMMIT_SECONDS):
            store.recorder.insert_events([record for records, _ in group for record in records])
            done += len(group)
            for _, row in group:
                if on_row:
                    on_row(row)
            if on_progress:
                on_progress(done, total)
    except KeyboardInterrupt:
        raise RunInterrupted(str(run.id), done, total) from None
    run.finish(finished_at=now())
    store.save(run)
