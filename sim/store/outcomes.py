"""Records of outcomes-only runs: an experiment's design, and each run's outcome rows (not its events).

An experiment stores, for each design point, the run's provenance (a `Run`, as any run: scenario, seed,
versions) and one `Outcomes` record with the run's outcome rows; the `Experiment` record names the file,
the design and the points' runs, so `report` rebuilds every result from the store alone. Both are new
aggregates beside the matters: stored events of existing kinds are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

EXPERIMENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/experiment")
OUTCOMES_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/outcomes")
EXPERIMENT_REGISTER_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/experiment-register")
# The columns an `Outcomes` record keeps a replication by (run, scenario, replication, seed and matter id
# follow from the run and the position).
COLUMNS = ("disclosed", "route", "days_to_disclosure", "highest_court", "final_disposition", "contempt", "mooted",
           "entries", "sanctioned", "reached")


class Outcomes(Aggregate):
    """The outcome rows of one outcomes-only run, in replication order, as lists in `COLUMNS` order: the
    first commit's rows as it is created, each later commit's as one more event."""

    class Recorded(Aggregate.Created):
        run_id: str
        columns: list[str]
        rows: list[list[Any]]

    def __init__(self, run_id: str, columns: list[str], rows: list[list[Any]]) -> None:
        self.run_id, self.columns, self.rows = run_id, columns, list(rows)

    @event("Added")
    def add(self, rows: list[list[Any]]) -> None:
        self.rows.extend(rows)

    @staticmethod
    def create_id(run_id: str) -> UUID:  # type: ignore[override]
        return uuid5(OUTCOMES_NAMESPACE, run_id)


class Experiment(Aggregate):
    """One experiment: its file's data, the base scenario, the design (factor keys, each point's values
    and unit coordinates) and each point's run."""

    class Designed(Aggregate.Created):
        name: str
        path: str
        text_hash: str
        spec: dict[str, Any]
        factors: list[str]
        unit: list[list[float]]
        values: list[list[Any]]
        run_ids: list[str]
        started_at: str

    def __init__(self, name: str, path: str, text_hash: str, spec: dict[str, Any], factors: list[str],
                 unit: list[list[float]], values: list[list[Any]], run_ids: list[str], started_at: str) -> None:
        self.name, self.path, self.text_hash, self.spec = name, path, text_hash, spec
        self.factors, self.unit, self.values, self.run_ids = factors, unit, values, run_ids
        self.started_at = started_at
        self.finished_at: str | None = None

    @staticmethod
    def create_id(text_hash: str) -> UUID:  # type: ignore[override]
        """Deterministic: the same experiment (file text and base scenario) makes the same record."""
        return uuid5(EXPERIMENT_NAMESPACE, text_hash)

    @event("Finished")
    def finish(self, finished_at: str) -> None:
        self.finished_at = finished_at


class ExperimentRegister(Aggregate):
    """The experiments in a store, in the order they started (their points' runs are not in the run register)."""

    class Opened(Aggregate.Created):
        pass

    def __init__(self) -> None:
        self.experiment_ids: list[str] = []

    @staticmethod
    def create_id() -> UUID:  # type: ignore[override]
        return EXPERIMENT_REGISTER_ID

    @event("ExperimentAdded")
    def add(self, experiment_id: str) -> None:
        self.experiment_ids.append(experiment_id)


class OutcomeBatch(Aggregate):
    """The outcome rows of replications `start`.. of one run, stored by the worker that played them (an
    experiment into PostgreSQL). Its id follows from the run and `start`, so a batch played again (its worker
    was killed after committing) is refused by the store's unique key: a replication is never stored twice."""

    class Stored(Aggregate.Created):
        run_id: str
        start: int
        columns: list[str]
        rows: list[list[Any]]

    def __init__(self, run_id: str, start: int, columns: list[str], rows: list[list[Any]]) -> None:
        self.run_id, self.start, self.columns, self.rows = run_id, start, columns, rows

    @staticmethod
    def create_id(run_id: str, start: int) -> UUID:  # type: ignore[override]
        return uuid5(OUTCOMES_NAMESPACE, f"{run_id}/batch/{start}")


class BatchedOutcomes(Aggregate):
    """In place of an `Outcomes` record (the same id), a run whose rows its workers stored as `OutcomeBatch`
    records: the first replication of each batch, in order. Saved with the run's `Run` once every batch is."""

    class Completed(Aggregate.Created):
        run_id: str
        starts: list[int]

    def __init__(self, run_id: str, starts: list[int]) -> None:
        self.run_id, self.starts = run_id, starts

    @staticmethod
    def create_id(run_id: str) -> UUID:  # type: ignore[override]
        return uuid5(OUTCOMES_NAMESPACE, run_id)


def outcomes_id(run_id: str) -> UUID:
    return Outcomes.create_id(run_id)


PAGE = 64  # events of an `Outcomes` record read at a time


def kept_parts(store: Any, run_id: str) -> Iterator[Any]:
    """The parts of a run's kept outcome rows, in replication order, each with `columns` and `rows`: the events
    of its `Outcomes` record (its first commit's rows, then each later commit's), or the `OutcomeBatch` records
    its `BatchedOutcomes` names. Read a page at a time, so a run of any size is never held whole."""
    key = outcomes_id(run_id)
    after = 0
    columns: list[str] = []
    while records := store._select(key, gt=after or None, limit=PAGE):
        for record in records:
            part = store.mapper.to_domain_event(record)
            if isinstance(part, BatchedOutcomes.Completed):
                for start in part.starts:
                    yield store._rebuilt(OutcomeBatch.create_id(run_id, start))
                return
            columns = getattr(part, "columns", columns)
            yield _Part(columns, part.rows)
        after = records[-1].originator_version


class _Part:
    def __init__(self, columns: list[str], rows: list[list[Any]]) -> None:
        self.columns, self.rows = columns, rows


def kept_rows(store: Any, run_id: str) -> Iterator[list[Any]]:
    """A run's kept outcome rows in replication order, each in `COLUMNS` order (`kept_parts`)."""
    for part in kept_parts(store, run_id):
        index = [part.columns.index(c) for c in COLUMNS]
        for values in part.rows:
            yield [values[i] for i in index]


def kept_count(store: Any, run_id: str) -> int:
    """How many replications a run's kept outcome rows hold."""
    return sum(len(part.rows) for part in kept_parts(store, run_id))


def packed(row: dict[str, Any]) -> list[Any]:
    """An outcome row as an `Outcomes` record keeps it."""
    return [row[k] for k in COLUMNS]


def unpacked(values: list[Any], run_id: str, scenario: str, replication: int) -> dict[str, Any]:
    """A kept row as an outcome row again (without seed and matter id, which the reader derives if needed)."""
    return {"run_id": run_id, "scenario": scenario, "replication": replication, **dict(zip(COLUMNS, values,
                                                                                          strict=True))}
