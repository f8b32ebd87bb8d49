"""Experiments: a design over a scenario's keys, played by an executor, its measures and sensitivity indices.

An experiment file (TOML) names a base scenario, the factors (keys with a list of values or a range), a design
(`sim.runs.designs`), replications a point, a root seed and the measures to analyse. Every design point is a
run of the base scenario with the point's settings, on the same root seed: replication i of every point meets
the same draws (common random numbers), so differences between points are the factors' doing. Runs are
outcomes-only: the store keeps each point's outcome rows a batch at a time (`OutcomeBatch`), then its `Run` and
the list of its batches (`BatchedOutcomes`) once it is whole, not the matters' events; a point or a batch
already stored is read back, not played again, so an interrupted experiment carries on when run again.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from uuid import UUID

import attrs
import numpy as np
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from sim import interrupts
from sim import scenario as scenarios
from sim.engine import simulate
from sim.errors import Fault, UserError
from sim.runs.designs import INDICES, Index, analyse, unit_points
from sim.runs.executors import Batch, Executor, play_outcomes
from sim.runs.experiment_file import DEFAULT_MEASURES, MEASURES, ExperimentFile, _at
from sim.runs.runner import COMMIT_SECONDS, Note, Row, quiet, replication_seed
from sim.scenario import Scenario
from sim.store import DocketStore, Run, now, package_versions
from sim.store.outcomes import (
    COLUMNS,
    EXPERIMENT_REGISTER_ID,
    BatchedOutcomes,
    Experiment,
    ExperimentRegister,
    OutcomeBatch,
    kept_rows,
    outcomes_id,
    packed,
    unpacked,
)
from sim.store.url import connect_url
from sim.views.estimates import wilson
from sim.views.results import Tally

BATCH = 250           # replications a task at most
UNUSED_SAMPLE = 32    # replications played at each end of a factor's range to see whether it changes anything
SAMPLE_RUN = "00000000-0000-0000-0000-000000000000"  # the run id of replications played only to look
Estimate = tuple[float, float, float]  # estimate, low, high (NaN where there is none)


# The plan ------------------------------------------------------------------------------------------
@attrs.frozen
class Point:
    """A design point: its coordinates, its factors' values, its run and its scenario's name. The scenario
    itself is made when its batches are (`scenario_of`), so a design of many points stays small."""

    index: int
    unit: tuple[float, ...]
    values: tuple[Any, ...]
    name: str
    run_id: str


def plan(experiment: ExperimentFile) -> Iterator[Point]:
    """The design's points in design order, each scenario made once to check it and name its run."""
    unit = unit_points(experiment.design, experiment.size, experiment.factors, experiment.seed)
    for i, row in enumerate(unit):
        scenario = _point_scenario(experiment, i, row)
        run_id = str(Run.create_id(f"outcomes:{scenario.text_hash}", experiment.seed, experiment.replications))
        yield Point(i, tuple(float(u) for u in row), tuple(f.at(u) for f, u in zip(experiment.factors, row,
                                                                                      strict=True)),
                    scenario.name, run_id)


def scenario_of(experiment: ExperimentFile, point: Point) -> Scenario:
    """The scenario a point plays: the base with each factor at the point's value."""
    return _point_scenario(experiment, point.index, point.unit)


def _point_scenario(experiment: ExperimentFile, i: int, unit: Any) -> Scenario:
    scenario = _at(experiment.base, experiment.factors, unit, experiment.path)
    return scenarios.renamed(scenario, f"{experiment.base.name} [{experiment.name} point {i}]",
                             f"{experiment.base.scenario.title}, {experiment.name} point {i}")


def unused_factors(experiment: ExperimentFile, sample: int = UNUSED_SAMPLE) -> list[str]:
    """Factors that changed no docket among `sample` replications between their two extremes, the others at
    the base's values: likely never used by the base scenario. A probability is tried at 0 and 1 (so any
    draw of it changes the docket); any other factor at the ends of its range or its first and last values."""
    quiet_ones = []
    for factor in experiment.factors:
        ends = [_at(experiment.base, [factor], [u], experiment.path) for u in (0.0, 1.0)]
        if factor.values is None and factor.key.endswith((".p", ".location")):
            ends = [scenarios.with_settings(experiment.base, [(factor.key, p)]) for p in ("0.0", "1.0")]
        dockets = [[_docket(scenario, experiment.seed, i) for i in range(sample)] for scenario in ends]
        if dockets[0] == dockets[1]:
            quiet_ones.append(factor.key)
    return quiet_ones


UNCOMPARED = frozenset({"timestamp", "scenario", "title"})  # when recorded, and the point's name: not the docket


def _docket(scenario: Scenario, seed: int, i: int) -> list[dict[str, Any]]:
    """A sample replication's docket as the facts its events record (rendering its text cost as much again)."""
    return [{k: v for k, v in vars(e).items() if k not in UNCOMPARED}
            for e in simulate(scenario, SAMPLE_RUN, i, replication_seed(seed, i)).collect_events()]


# Measures ------------------------------------------------------------------------------------------
def measure_values(tally: Tally) -> dict[str, Estimate]:
    """Each measure of a point's replications with its 95% interval across them."""
    summary = tally.summary()
    n = tally.stored
    out: dict[str, Estimate] = {}
    for name in MEASURES:
        level = name.removeprefix("reached_")
        share = summary["reached"][level] if level != name else summary[name]
        if isinstance(share, dict):
            out[name] = tuple(math.nan if share[k] is None else float(share[k])  # type: ignore[assignment]
                              for k in ("estimate", "low", "high"))
        else:
            low, high = wilson(round(share * n), n)
            out[name] = (float(share), low, high)
    return out


# Running -------------------------------------------------------------------------------------------
@attrs.frozen
class ExperimentResult:
    """What `report` and the command show: the design and each point's measures, and the indices."""

    experiment_id: str
    name: str
    base: str
    base_title: str
    design: str
    keys: list[str]
    measures: list[str]
    replications: int
    seed: int
    values: list[list[Any]]                     # per point, per factor
    estimates: list[dict[str, Estimate]]        # per point, per measure
    indices: dict[str, list[Index]]             # per measure
    played: int = 0                             # points played by this command (the rest read from the store)


class ExperimentInterrupted(Exception):
    """An experiment stopped part way (Ctrl-C, or a fault named by `cause`): every stored point is whole."""

    def __init__(self, stored: int, total: int, cause: str | None = None) -> None:
        super().__init__(stored, total, cause)
        self.stored, self.total, self.cause = stored, total, cause


Progress = Callable[[int, int], None]


def run_experiment(store: DocketStore, experiment: ExperimentFile, executor: Executor,
                   on_progress: Progress | None = None, note: Note = quiet) -> ExperimentResult:
    """Play every design point not yet in the store (all on the same root seed), storing each batch's rows as
    it comes and each point's run once its batches are in (commit groups of a quarter of a second), and
    analyse. Into SQLite (or memory) this process is the single writer and the executor only plays; into
    PostgreSQL the workers store their batches themselves (`sim.runs.executors.run_batch`). Stopped (Ctrl-C)
    or failed at any point, it says how many points are stored whole (`ExperimentInterrupted`)."""
    points: list[Point] = []
    try:
        return _run(store, experiment, executor, on_progress, note, points)
    except KeyboardInterrupt:
        cause = None
    except BrokenProcessPool:
        cause = "a worker process died"
    except Fault as e:
        cause = str(e)
    unique = _distinct(points)
    raise ExperimentInterrupted(_stored(store, unique), len(unique) or experiment.points, cause)


def _distinct(points: list[Point]) -> list[Point]:
    """The points in design order, one a distinct run (a point the design repeats is played once)."""
    return list({p.run_id: p for p in reversed(points)}.values())[::-1]


def _run(store: DocketStore, experiment: ExperimentFile, executor: Executor, on_progress: Progress | None,
         note: Note, points: list[Point]) -> ExperimentResult:
    points.extend(plan(experiment))
    experiment_id = Experiment.create_id(experiment.text_hash)
    if not store.has_events(experiment_id):
        _check_writable(store)
        record = Experiment(experiment.name, experiment.path, experiment.text_hash, scenarios.plain(experiment.data),
                            experiment.keys, [list(p.unit) for p in points], [list(p.values) for p in points],
                            [p.run_id for p in points], now())
        _save_new(store, record)
    n = experiment.replications
    unique = _distinct(points)
    tallies = {p.run_id: stored_tally(store, p.run_id, p.name, experiment.seed, n) for p in unique
               if store.has_events(outcomes_id(p.run_id))}
    todo = [p for p in unique if p.run_id not in tallies]
    if tallies and todo:
        note(f"{len(tallies):,} of {len(unique):,} distinct design points are already in the store; playing the "
             f"other {len(todo):,}")
    if todo:
        _check_writable(store)
        _play(store, experiment, executor, _Points(store, experiment, todo, tallies), on_progress,
              len(unique) * n, len(tallies) * n)
    elif on_progress:
        on_progress(len(unique) * n, len(unique) * n)
    _finish(store, experiment_id)
    return summarise(str(experiment_id), experiment.name, experiment.base.name, experiment.base.scenario.title,
                     experiment.design, experiment.keys, list(experiment.measures), n, experiment.seed,
                     [list(p.values) for p in points], [tallies[p.run_id] for p in points],
                     np.array([p.unit for p in points]), played=len(todo))


def _play(store: DocketStore, experiment: ExperimentFile, executor: Executor, todo: _Points,
          on_progress: Progress | None, total: int, done: int) -> None:
    """The points to play, their batches sent to the executor, their results committed a quarter second's worth
    at a time."""
    done += todo.stored_already
    if on_progress:
        on_progress(done, total)
    todo.settle()
    since = time.monotonic()
    played = executor.play(todo.batches())
    try:  # closed at once when stopped: local workers are ended, not awaited
        for result in played:
            done += todo.take(result)
            if time.monotonic() - since >= COMMIT_SECONDS or not todo.order:
                todo.commit()
                since = time.monotonic()
            if on_progress:
                on_progress(min(done, total), total)
    finally:
        played.close()  # type: ignore[attr-defined]
    if todo.group:
        todo.commit()


class _Points:
    """The points still to play, in order, each with the batches it still needs (a batch an interrupted command
    stored is not played again), their tallies, and the records the next commit saves."""

    def __init__(self, store: DocketStore, experiment: ExperimentFile, todo: list[Point],
                 tallies: dict[str, Tally]) -> None:
        n = experiment.replications
        self.store, self.experiment, self.tallies = store, experiment, tallies
        self.size = -(-n // -(-n // BATCH))  # even batches of at most BATCH
        self.starts = list(range(0, n, self.size))
        self.workers_write = connect_url(store.where) if store.where.scheme == "postgresql" else None
        plans = [(p, tuple(low for low in self.starts if not store.has_events(OutcomeBatch.create_id(p.run_id, low))))
                 for p in todo]
        self.plans = plans
        self.stored_already = sum(min(n, low + self.size) - low for _, lows in plans for low in self.starts
                                  if low not in lows)
        for p, lows in plans:  # played here in order, whole: tallied as they come; else read back once stored
            if self.workers_write is None and len(lows) == len(self.starts):
                tallies[p.run_id] = Tally(p.run_id, p.name, experiment.seed, n)
        self.order = deque((p, deque(lows)) for p, lows in plans)
        self.made: dict[str, Scenario] = {}  # the points in flight's scenarios, made once for batches and run
        self.versions = package_versions()  # read once: 15 ms a time, each point's run records them
        self.group: list[Any] = []           # records for the next commit
        self.completed: list[Point] = []     # points whole once it commits

    def batches(self) -> Iterator[Batch]:
        n, seed = self.experiment.replications, self.experiment.seed
        for p, lows in self.plans:
            if lows:
                scenario = self.made[p.run_id] = scenario_of(self.experiment, p)
                for low in lows:
                    yield Batch(scenario, p.run_id, seed, low, min(n, low + self.size), self.workers_write)

    def take(self, result: list[Row] | int) -> int:
        """A batch's result (its rows; or their number, stored by the worker): the replications it holds."""
        point, lows = self.order[0]
        low = lows.popleft()
        if isinstance(result, list):
            self.group.append(OutcomeBatch(point.run_id, low, list(COLUMNS), [packed(row) for row in result]))
            for row in result if point.run_id in self.tallies else ():
                self.tallies[point.run_id].add(row)
        self.settle()
        return result if isinstance(result, int) else len(result)

    def settle(self) -> None:
        """The points at the head with every batch in: their run and the list of their batches, to commit."""
        while self.order and not self.order[0][1]:
            p = self.order.popleft()[0]
            scenario = self.made.pop(p.run_id, None) or scenario_of(self.experiment, p)
            self.group.extend(_point_records(self.experiment, p, scenario, self.starts, self.versions))
            self.completed.append(p)

    def commit(self) -> None:
        _commit(self.store, self.group)
        for p in self.completed:
            if p.run_id not in self.tallies:
                self.tallies[p.run_id] = stored_tally(self.store, p.run_id, p.name, self.experiment.seed,
                                                      self.experiment.replications)
        self.group.clear()
        self.completed.clear()


def _save_new(store: DocketStore, record: Experiment) -> None:
    """A new experiment's record saved with its place in the experiment register, in one transaction (read
    again and retried while another process adds one at the same time)."""
    while True:
        register = experiment_register(store)
        register.add(experiment_id=str(record.id))
        try:
            store.retrying(lambda: store.save(record, register, *store.format_marker()))  # noqa: B023
            return
        except IntegrityError:
            time.sleep(random.uniform(0.005, 0.05))


def experiment_register(store: DocketStore) -> ExperimentRegister:
    try:
        return store._rebuilt(EXPERIMENT_REGISTER_ID)
    except AggregateNotFoundError:
        return ExperimentRegister()


def experiments_in(store: DocketStore) -> list[Experiment]:
    """The experiments in the store, oldest first."""
    return [store._rebuilt(UUID(i)) for i in experiment_register(store).experiment_ids]


def _check_writable(store: DocketStore) -> None:
    if not store.writable:
        raise Fault(f"{store.shown}: the store is read-only; `report` still reads it")


def stored_tally(store: DocketStore, run_id: str, scenario: str, seed: int, n: int) -> Tally:
    """A point's tally from its stored outcome rows."""
    tally = Tally(run_id, scenario, seed, n)
    for i, values in enumerate(kept_rows(store, run_id)):
        tally.add(unpacked(values, run_id, scenario, i))
    return tally


def _point_records(experiment: ExperimentFile, point: Point, scenario: Scenario, starts: list[int],
                   versions: dict[str, str]) -> list[Any]:
    """What makes a point whole in the store: its run (finished) and the list of its stored batches."""
    run = Run._create(  # the point's own id: not a run `run` would make of the same scenario (its events)
        Run.Started, id=UUID(point.run_id), scenario=scenario.name, scenario_path=scenario.path,
        scenario_hash=scenario.text_hash, seed=experiment.seed, replications=experiment.replications,
        versions=versions, started_at=now(), settings=[list(s) for s in scenario.settings],
        fork=None, scenario_data=scenarios.plain(scenario.tables))
    run.finish(finished_at=now())
    return [run, BatchedOutcomes(point.run_id, starts)]


def _commit(store: DocketStore, records: list[Any]) -> None:
    """Batches and whole points saved in one transaction. A batch found stored already (an interrupted
    command's, or a worker's) is left out and the rest saved again."""
    with interrupts.deferred():
        try:
            store.retrying(lambda: store.save(*records))
        except IntegrityError:
            store.retrying(lambda: store.save(*(r for r in records if not (
                isinstance(r, OutcomeBatch) and store.has_events(r.id)))))


def _finish(store: DocketStore, experiment_id: Any) -> None:
    with interrupts.deferred():
        record = store._rebuilt(experiment_id)
        if record.finished_at is None:
            record.finish(finished_at=now())
            store.retrying(lambda: store.save(record))


def _stored(store: DocketStore, points: list[Point]) -> int:
    return sum(1 for p in points if store.has_events(outcomes_id(p.run_id)))


def summarise(experiment_id: str, name: str, base: str, base_title: str, design: str, keys: list[str],
              measures: list[str], n: int, seed: int, values: list[list[Any]], tallies: list[Tally],
              unit: np.ndarray, played: int = 0) -> ExperimentResult:
    """Each point's measures, and each measure's indices (Morris or Sobol)."""
    estimates = [measure_values(t) for t in tallies]
    indices = {m: analyse(design, keys, unit, np.array([e[m][0] for e in estimates]), seed) for m in measures} \
        if design in INDICES else {}
    return ExperimentResult(experiment_id, name, base, base_title, design, keys, measures, n, seed, values,
                            estimates, indices, played)


def from_store(store: DocketStore, experiment_id: str) -> ExperimentResult:
    """An experiment's results rebuilt from the store alone (its record and its points' outcome rows)."""
    record = store._rebuilt(UUID(experiment_id))
    about = record.spec["experiment"]
    n, seed = about["replications"], about.get("seed", 0)
    read: dict[str, Tally] = {}
    for run_id in record.run_ids:
        if run_id in read:
            continue
        if not store.has_events(outcomes_id(run_id)):
            raise UserError(f"experiment {experiment_id} is incomplete: run its file again to finish it "
                            f"({record.path})")
        read[run_id] = stored_tally(store, run_id, store.run(run_id).scenario, seed, n)
    tallies = [read[run_id] for run_id in record.run_ids]
    base = store.run(record.run_ids[0]).scenario.split(" [")[0]
    return summarise(experiment_id, record.name, base, base, about["design"], list(record.factors),
                     list(about.get("measures", DEFAULT_MEASURES)), n, seed, record.values, tallies,
                     np.array(record.unit), played=0)


def estimate(experiment: ExperimentFile, workers: int, sample: int = 50) -> dict[str, Any]:
    """The design's size, and the time and store size expected, from `sample` replications timed here."""
    started = time.perf_counter()
    rows = play_outcomes(Batch(experiment.base, SAMPLE_RUN, experiment.seed, 0, sample))
    seconds = (time.perf_counter() - started) / sample
    replications = experiment.points * experiment.replications
    events = sum(row["entries"] for row in rows) / sample
    return {"points": experiment.points, "replications": replications, "events_played": round(events * replications),
            "store_bytes": replications * ROW_BYTES + experiment.points * POINT_BYTES,
            "seconds": seconds * replications / max(1, workers), "per_replication": seconds, "workers": workers}


ROW_BYTES = 90       # an outcome row as an `Outcomes` record keeps it, measured on SQLite
POINT_BYTES = 30000  # a point's run record (its effective scenario) and the records' overheads


def dry_run_lines(experiment: ExperimentFile, executor: str, workers: int) -> list[str]:
    """What `experiment --dry-run` prints: the design's size, and what playing it would take here."""
    e = estimate(experiment, workers)
    where = f"{workers} local worker process{'es' if workers != 1 else ''}" if executor == "local" else \
        f"{workers} workers (as many as this machine's cores; a cluster divides the time by its own workers)"
    return [
        f"{experiment.name}: a {experiment.design} design over {len(experiment.factors)} factors of "
        f"{experiment.base.name}",
        f"  design points: {e['points']:,}",
        f"  replications:  {e['replications']:,} ({experiment.replications:,} a point, common random numbers on "
        f"seed {experiment.seed})",
        f"  events played: about {e['events_played']:,} (not stored: an experiment keeps each point's run and "
        "outcome rows)",
        f"  store size:    about {e['store_bytes'] / 1e6:,.1f} MB",
        f"  time:          about {_duration(e['seconds'])} on {where} "
        f"({e['per_replication'] * 1000:.1f} ms a replication, timed on a sample of 50 here)",
        "nothing was written (--dry-run)",
    ]


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def is_experiment(store: DocketStore, text: str) -> bool:
    """True if `text` is the id of an experiment in the store."""
    try:
        found = store._rebuilt(UUID(text))
    except (ValueError, AggregateNotFoundError):
        return False
    return isinstance(found, Experiment)
