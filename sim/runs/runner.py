"""Runs: replications of a scenario, their seeds, the workers that play them and the one writer.

Each replication's seed derives from the root seed and its index alone, so results do not depend on
the number of worker processes. Workers simulate and serialize; this process is the single writer
and stores replications in replication order, each whole inside one transaction (several
consecutive replications share a transaction), so a run's stored replications are always a prefix
0..k-1 and `resume_run` carries on from k. Nothing is written
before the first replication has played to its end, so a scenario that fails at run time writes
nothing. One process writes a run at a time (the store's run lock): another process asked for the
same run waits, then finds it finished, or carries on what an interrupted writer left.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain
from typing import Any, TypeVar
from uuid import UUID

import attrs
from eventsourcing.persistence import PersistenceError

from sim import interrupts
from sim.domain.matter import matter_id
from sim.engine import Fork, simulate
from sim.errors import Fault, UserError
from sim.scenario import Scenario, from_data, plain
from sim.store import DocketStore, MatterIds, Run, now, package_versions
from sim.store.backends import fault
from sim.store.outcomes import COLUMNS, Outcomes, kept_count, kept_rows, outcomes_id, packed, unpacked
from sim.store.transcoder import Record
from sim.views.projections import outcome_row

Row = dict[str, Any]
# A commit waits for the disk (an fsync: about 15 ms here, a sixth of a `--jobs 1` run's time when groups
# were capped at 64 replications), so groups are bounded by time; the count only bounds their memory.
COMMIT_GROUP = 256     # replications per transaction at most
COMMIT_SECONDS = 0.25  # or fewer, so progress and Ctrl-C stay prompt
Played = tuple[list[Record], Row]  # a replication's stored events (`EventMapper.to_record`) and its outcome row
Note = Callable[[str], None]  # a line for the person waiting (waits, resumes)
T = TypeVar("T")
R = TypeVar("R")


def quiet(_: str) -> None:
    pass


def usable_jobs(requested: int | None, n: int) -> int:
    """Worker processes: as asked but at most one per available core; by default every core, and one
    (this process) for a handful of replications."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if requested is None:
        return 1 if n < 64 else cores
    return max(1, min(requested, cores))


def replication_seed(root_seed: int, replication: int) -> int:
    """The seed of replication `replication`, from the root seed and the index alone."""
    digest = hashlib.sha256(f"docketsim/{root_seed}/{replication}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen
class RunResult:
    run_id: str
    matter_ids: MatterIds
    already_recorded: bool
    resumed_from: int | None = None  # replications an earlier, interrupted command had stored


class RunInterrupted(Exception):
    """A run stopped part way, by Ctrl-C (`cause` None) or by a fault (`cause` says which): every stored
    replication is whole and the run is left incomplete, for `--resume`."""

    def __init__(self, run_id: str, stored: int, total: int, cause: str | None = None) -> None:
        super().__init__(run_id, stored, total, cause)
        self.run_id, self.stored, self.total, self.cause = run_id, stored, total, cause


def play(scenario: Scenario, run_id: str, replication: int, root_seed: int, mapper: Any,
         fork: Fork | None = None) -> Played:
    """Simulate one replication; return its events as store records (none without a `mapper`: an
    outcomes-only run), and its outcome row."""
    matter = simulate(scenario, run_id, replication, replication_seed(root_seed, replication), fork)
    events = matter.collect_events()
    return ([mapper.to_record(e) for e in events] if mapper is not None else []), outcome_row(events)


# Worker processes: one context each, set by the initializer.
_context: tuple[Scenario, str, int, Any, Fork | None] | None = None


def _die_with_parent() -> None:
    """On Linux, ask the kernel to end this worker if the writer is killed (no orphans left playing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def worker_started() -> None:
    """In a worker process: signals as `interrupts.worker_handling` says, and ended with the writer."""
    interrupts.worker_handling()
    _die_with_parent()


def worker_mapper() -> Any:
    """The store's mapper without a store, as a worker uses it: events to the records the writer stores."""
    return DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def _init_worker(scenario: Scenario, run_id: str, root_seed: int, fork: Fork | None, events: bool = True) -> None:
    global _context
    worker_started()
    mapper = worker_mapper() if events else None
    _context = (scenario, run_id, root_seed, mapper, fork)


def _play_batch(bounds: tuple[int, int]) -> list[Played]:
    assert _context is not None
    scenario, run_id, root_seed, mapper, fork = _context
    return [play(scenario, run_id, i, root_seed, mapper, fork) for i in range(*bounds)]


def _batches(start: int, stop: int, size: int) -> Iterator[tuple[int, int]]:
    for low in range(start, stop, size):
        yield low, min(stop, low + size)


DEATH_GRACE_SECONDS = 1.0  # how long a dead worker's pool may take to fail its futures itself


def _workers(executor: ProcessPoolExecutor) -> list[Any]:
    return list((getattr(executor, "_processes", None) or {}).values())


def worker_died(executor: ProcessPoolExecutor) -> bool:
    """Whether one of the pool's worker processes has ended (they live as long as the pool)."""
    return any(process.exitcode is not None for process in _workers(executor))


def settled(future: Future[R], executor: ProcessPoolExecutor) -> R:
    """The future's result, or BrokenProcessPool once a worker is dead. A worker killed while sending its
    result leaves part of a message in the pipe, and the pool's manager thread waits for the rest for ever
    instead of failing the futures (CPython 3.11): so the death is noticed here too."""
    died = None
    while not wait([future], timeout=0.2).done:
        if worker_died(executor):
            died = died or time.monotonic()
            if time.monotonic() - died > DEATH_GRACE_SECONDS:
                raise BrokenProcessPool("a worker process died")
    return future.result()


@contextmanager
def worker_pool(jobs: int, initializer: Callable[..., None] = worker_started,
                initargs: tuple[Any, ...] = ()) -> Iterator[ProcessPoolExecutor]:
    """Worker processes for one run. On the way out after a failure (Ctrl-C, a fault, a dead worker)
    they are ended at once rather than awaited, so stopping takes a moment, not a batch."""
    executor = ProcessPoolExecutor(jobs, initializer=initializer, initargs=initargs)
    try:
        yield executor
    except BaseException:
        processes = _workers(executor)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(1)
                if process.is_alive():
                    process.kill()
                    process.join(1)
        # A worker ended while sending its result leaves part of a message in the pipe, and the pool's
        # manager thread would wait for the rest for ever (a hang seen about once in ten SIGTERMs): with
        # every worker gone, closing our own end of the pipe turns that wait into end-of-file.
        with contextlib.suppress(Exception):
            executor._result_queue._writer.close()  # type: ignore[attr-defined]
        executor.shutdown(wait=True, cancel_futures=True)  # quick: the workers are gone
        raise
    executor.shutdown(wait=True)


def ordered(executor: ProcessPoolExecutor, work: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """`work` done on each task by the workers, yielded in order, with a bounded number in flight (so
    memory stays flat however many replications there are)."""
    pending: deque[Any] = deque()
    for task in tasks:
        if not pending:
            with interrupts.blocked():  # the first submit forks the workers
                pending.append(executor.submit(work, task))
        else:
            pending.append(executor.submit(work, task))
        if len(pending) >= 4 * jobs:
            yield settled(pending.popleft(), executor)
    while pending:
        yield settled(pending.popleft(), executor)


@contextmanager
def _replications(scenario: Scenario, run_id: str, seed: int, start: int, stop: int, jobs: int,
                  mapper: Any, fork: Fork | None) -> Iterator[Iterator[Played]]:
    """Replications start..stop-1 played in order, in this process or by `jobs` workers."""
    if jobs == 1 or stop - start < 2:
        yield (play(scenario, run_id, i, seed, mapper, fork) for i in range(start, stop))
        return
    size = max(1, min(64, (stop - start) // (jobs * 8) or 1))
    jobs = min(jobs, -(-(stop - start) // size))
    with worker_pool(jobs, _init_worker, (scenario, run_id, seed, fork, mapper is not None)) as executor:
        yield (played for batch in ordered(executor, _play_batch, _batches(start, stop, size), jobs)
               for played in batch)


def record_run(store: DocketStore, scenario: Scenario, seed: int = 0, replications: int = 1, jobs: int = 1,
               on_row: Callable[[Row], None] | None = None,
               on_progress: Callable[[int, int], None] | None = None, fork: Fork | None = None,
               note: Note = quiet, keep: str = "events") -> RunResult:
    """Simulate `replications` of `scenario` (a fork of a stored matter, if `fork` is given) and
    record them with the run's provenance: every event of every matter (`keep` "events"), or only the
    outcome rows ("outcomes": a matter is played again from the run's scenario and seed when it is opened,
    `sim.runs.replays`). The same run already in the store is not recorded again; one another command left
    incomplete is carried on (`note` says so)."""
    where = None if fork is None else {"matter_id": fork.source_id, "seq": fork.seq}
    run_id = str(Run.create_id(scenario.text_hash, seed, replications, where))
    ids = MatterIds(run_id, scenario.name, replications)
    with store.run_lock(run_id, lambda: note(_waiting(run_id, scenario.name))):
        if store.has_events(UUID(run_id)):
            run = store.run(run_id)
            if run.finished_at is not None:
                return RunResult(run_id, ids, already_recorded=True)
            stored = stored_prefix(store, run)
            note(f"run {run_id} ({scenario.name}) is incomplete, {stored:,} of {replications:,} replications "
                 f"stored: resuming it, as `python run.py run --resume {run_id}` would")
            _carry_on(store, run, jobs, on_row, on_progress)
            return RunResult(run_id, ids, already_recorded=False, resumed_from=stored)
        _check_writable(store)
        mapper = store.mapper if keep == "events" else None
        with _replications(scenario, run_id, seed, 0, replications, jobs, mapper, fork) as stream:
            first = next(stream)  # the first replication plays whole before anything is written
            run = store.add_run(lambda: Run(
                scenario=scenario.name, scenario_path=scenario.path, scenario_hash=scenario.text_hash,
                seed=seed, replications=replications, versions=package_versions(), started_at=now(),
                settings=[list(setting) for setting in scenario.settings], fork=where,
                scenario_data=plain({**scenario.tables, "scenario": {**scenario.tables.get("scenario", {}),
                                                                   "name": scenario.name}})))
            _write(store, run, [first], stream, 0, on_row, on_progress, outcomes_only=mapper is None)
    return RunResult(run_id, ids, already_recorded=False)


def _waiting(run_id: str, scenario: str) -> str:
    return f"waiting for another process that is recording run {run_id} ({scenario}) ..."


def _check_writable(store: DocketStore) -> None:
    if not store.writable:
        raise Fault(f"{store.shown}: the store is read-only; `runs`, `docket`, `replay` and `report` still read it")


def resume_run(store: DocketStore, run_id: str, jobs: int = 1, on_row: Callable[[Row], None] | None = None,
               on_progress: Callable[[int, int], None] | None = None,
               note: Note = quiet) -> tuple[Scenario, RunResult]:
    """Finish an interrupted run: rebuild the stored replications' rows, then play the rest under
    the effective scenario the run recorded (so an edited or moved scenario file does not matter)."""
    run = store.run(run_id)
    with store.run_lock(run_id, lambda: note(_waiting(run_id, run.scenario))):
        run = store.run(run_id)
        if run.finished_at is not None:
            raise UserError(f"run {run_id} is already finished ({run.finished_at}); nothing to resume")
        stored = stored_prefix(store, run)
        scenario = _carry_on(store, run, jobs, on_row, on_progress)
    return scenario, RunResult(run_id, run.matter_ids(), already_recorded=False, resumed_from=stored)


def _carry_on(store: DocketStore, run: Run, jobs: int, on_row: Callable[[Row], None] | None,
              on_progress: Callable[[int, int], None] | None) -> Scenario:
    """Rows of the stored replications rebuilt from the store, then the rest played and written."""
    _check_writable(store)
    scenario = run_scenario(run)
    stored = stored_prefix(store, run)
    try:  # a signal while the stored rows are rebuilt stops the resume as one while it writes does
        for row in stored_rows(store, run):
            if on_row:
                on_row(row)
        fork = None if run.fork is None else source_entries(store, run.fork["matter_id"], run.fork["seq"])
    except KeyboardInterrupt:
        raise RunInterrupted(str(run.id), stored, run.replications) from None
    outcomes_only = kept_outcomes(store, str(run.id))
    with _replications(scenario, str(run.id), run.seed, stored, run.replications, jobs,
                       None if outcomes_only else store.mapper, fork) as stream:
        _write(store, run, [], stream, stored, on_row, on_progress, outcomes_only=outcomes_only)
    return scenario


def run_scenario(run: Run) -> Scenario:
    """The effective scenario a run recorded (after `extends`, settings and a fork's or sweep's name:
    such a name, e.g. "location_rule [key=value]", is the run's, checked as its scenario's own name)."""
    about = run.scenario_data.get("scenario", {})
    name = about.get("name", "")
    own = name.split("@")[0].split(" [")[0] if isinstance(name, str) else name
    try:
        loaded = from_data({**run.scenario_data, "scenario": {**about, "name": own}}, run.scenario_path,
                           run.scenario_hash)
    except UserError as e:
        raise UserError(f"run {run.id}: its scenario is no longer loadable: {e}") from None
    return attrs.evolve(loaded, scenario=attrs.evolve(loaded.scenario, name=name), tables=run.scenario_data)


def source_entries(store: DocketStore, source_id: str, seq: int) -> Fork:
    """A fork point: the source matter's entries up to position `seq`, read from the store."""
    events = store.matter_events(source_id)
    return Fork(source_id, [e for e in events[1:] if e.originator_version <= seq])


def kept_outcomes(store: DocketStore, run_id: str) -> bool:
    """True for a run that stored outcome rows, not its matters' events (`run --keep outcomes`, experiments)."""
    return store.has_events(outcomes_id(run_id))


def stored_rows(store: DocketStore, run: Run) -> Iterator[Row]:
    """The outcome rows of a run's stored replications, in order: read from an outcomes-only run's record,
    else rebuilt from each matter's events one at a time."""
    ids = run.matter_ids()
    if kept_outcomes(store, str(run.id)):
        for i, values in enumerate(kept_rows(store, str(run.id))):
            row = unpacked(values, str(run.id), run.scenario, i)
            yield {**row, "seed": replication_seed(run.seed, i), "matter_id": ids[i]}
        return
    for i in range(stored_prefix(store, run)):
        yield outcome_row(store.matter_events(ids[i]))


def stored_prefix(store: DocketStore, run: Run) -> int:
    """How many replications of `run` are stored (always a prefix: the writer stores in order)."""
    if kept_outcomes(store, str(run.id)):
        return kept_count(store, str(run.id))
    return store.stored_count(run)


def _groups(played: Iterator[Played], size: int, seconds: float, events: int | None = None) -> Iterator[list[Played]]:
    """Consecutive replications grouped for one commit: up to `size`, or what `seconds` brought, or (if
    `events` is given) as many as stay within that many events (a replication longer than that alone)."""
    group: list[Played] = []
    held = 0
    since = time.monotonic()
    for item in played:
        if events is not None and group and held + len(item[0]) > events:
            yield group
            group, held, since = [], 0, time.monotonic()
        group.append(item)
        held += len(item[0])
        if len(group) >= size or time.monotonic() - since >= seconds:
            yield group
            group, held, since = [], 0, time.monotonic()
    if group:
        yield group


def _write(store: DocketStore, run: Run, first: list[Played], stream: Iterator[Played], done: int,
           on_row: Callable[[Row], None] | None, on_progress: Callable[[int, int], None] | None,
           outcomes_only: bool = False) -> None:
    """The single writer. Replications are committed in order, in groups, one transaction a group:
    a replication is stored whole or not at all (its events, or for an outcomes-only run its outcome
    row), and rows are reported only once committed. A signal during a commit is not held back (a server
    that stops answering must not make the writer deaf to SIGTERM): the transaction is then committed or
    rolled back, and the count reported is read back from the store, so it is the count stored."""
    total = run.replications
    stored = done
    pending: list[Played] = []
    kept: list[Any] = []  # an outcomes-only run's record, once it exists

    def commit(group: list[Played]) -> None:
        nonlocal stored
        pending[:] = group
        if outcomes_only:
            _keep_rows(store, str(run.id), kept, [packed(row) for _, row in group])
        else:
            store.append([record for records, _ in group for record in records])
        with interrupts.deferred():
            stored += len(group)
            pending.clear()
            for _, row in group:
                if on_row:
                    on_row(row)
            if on_progress:
                on_progress(stored, total)

    try:
        for group in _groups(chain(first, stream), COMMIT_GROUP, COMMIT_SECONDS, store.largest_group_events):
            store.retrying(lambda group=group: commit(group))
        store.retrying(lambda: _finish(store, str(run.id)))
    except KeyboardInterrupt:
        raise RunInterrupted(str(run.id), _committed(store, run, stored, pending, outcomes_only), total) from None
    except BrokenProcessPool:
        raise RunInterrupted(str(run.id), stored, total, "a worker process died") from None
    except PersistenceError as e:
        raise RunInterrupted(str(run.id), _committed(store, run, stored, pending, outcomes_only), total,
                             str(fault(e, store.shown))) from None
    except Fault as e:
        raise RunInterrupted(str(run.id), _committed(store, run, stored, pending, outcomes_only), total,
                             str(e)) from None
    except OSError as e:
        raise RunInterrupted(str(run.id), stored, total, f"cannot write {e.filename or 'a file'} ({e.strerror})") \
            from None


def _committed(store: DocketStore, run: Run, stored: int, pending: list[Played], outcomes_only: bool) -> int:
    """The replications stored when a commit of `pending` was cut short: it committed whole or not at all,
    as its last matter says. A store that cannot answer within seconds (a table locked, a server gone) has
    not committed it: the commit was waiting on that very store. An outcomes-only run's rows have no matter
    to ask for: the count before the cut is said (at most one group short; `--resume` reads the true one)."""
    if not pending or outcomes_only:
        return stored
    last = matter_id(str(run.id), run.scenario, stored + len(pending) - 1)
    return stored + len(pending) if store.has_events_within(last) else stored


def _keep_rows(store: DocketStore, run_id: str, kept: list[Any], rows: list[list[Any]]) -> None:
    """Rows saved into the run's `Outcomes` record: made by the first commit, added to by later ones."""
    if not kept:
        if store.has_events(outcomes_id(run_id)):
            kept.append(store._rebuilt(outcomes_id(run_id)))
            kept[0].rows = []  # only its version is needed to add to it: rows are read from its events
        else:
            record = Outcomes(run_id, list(COLUMNS), rows)
            store.save(record)
            record.rows = []
            kept.append(record)
            return
    try:
        kept[0].add(rows=rows)
        store.save(kept[0])
        kept[0].rows = []
    except BaseException:
        kept.clear()  # read again before the next try: the failed event is not in the store
        raise


def _finish(store: DocketStore, run_id: str) -> None:
    with interrupts.deferred():
        run = store.run(run_id)
        run.finish(finished_at=now())
        store.save(run)
