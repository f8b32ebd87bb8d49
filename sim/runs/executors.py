"""Executors: where batches of replications are played. Local worker processes, or a Dask cluster.

Between the writer and an executor there is one picklable task, a `Batch` (the scenario, the run, the
root seed and a range of replications), and its result, the batch's outcome rows in replication order; or,
for a batch naming a PostgreSQL store, the worker stores the rows itself (one transaction, keyed by the run
and the batch's first replication, so a batch played twice is stored once) and returns only their number.
Each replication's seed derives from the root seed and its index alone (`replication_seed`), so a batch
gives the same rows wherever it is played, and as often as it is played: a batch a dead worker lost is
simply played again (Dask's scheduler does so by itself). Executors yield results in task order with a
bounded number in flight, so memory stays flat however many batches there are; the caller is the single
writer.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import attrs
from eventsourcing.persistence import IntegrityError, PersistenceError

from sim.engine import simulate
from sim.errors import Fault, UserError
from sim.runs.runner import Row, ordered, replication_seed, usable_jobs, worker_pool
from sim.scenario import Scenario
from sim.store import DocketStore, open_store
from sim.store.backends import fault
from sim.store.outcomes import COLUMNS, OutcomeBatch, packed
from sim.views.projections import outcome_row

EXECUTORS = ("local", "dask")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
CONNECT_SECONDS = 20


@attrs.frozen
class Batch:
    """Replications `start`..`stop`-1 of run `run_id` of `scenario` on root seed `seed`."""

    scenario: Scenario
    run_id: str
    seed: int
    start: int
    stop: int
    store: str | None = None  # a PostgreSQL store the worker writes the batch's rows into itself


def play_outcomes(batch: Batch) -> list[Row]:
    """Play a batch; its outcome rows, in replication order (no events are kept)."""
    return [outcome_row(simulate(batch.scenario, batch.run_id, i, replication_seed(batch.seed, i)).collect_events())
            for i in range(batch.start, batch.stop)]


def run_batch(batch: Batch) -> list[Row] | int:
    """The task an executor runs: a batch played, its outcome rows returned to the writer; or, for a batch
    naming a `store`, stored by this worker and only the number of its replications returned."""
    rows = play_outcomes(batch)
    if batch.store is None:
        return rows
    store_batch(batch, rows)
    return len(rows)


_stores: dict[str, DocketStore] = {}  # a worker process's own connection to each store it writes
os.register_at_fork(after_in_child=_stores.clear)  # a forked worker opens its own: a pool's threads stay behind


def store_batch(batch: Batch, rows: list[Row]) -> None:
    """A batch's rows saved as one `OutcomeBatch` record, in one transaction, on this worker's connection. A
    batch already stored (played again after its worker died having committed it) is left as it is."""
    assert batch.store is not None
    store = _stores.get(batch.store)
    if store is None:
        store = _stores[batch.store] = open_store(batch.store)
        store.locks.close()  # a worker takes no lock: one connection a worker, not two (max_connections)
    record = OutcomeBatch(batch.run_id, batch.start, list(COLUMNS), [packed(row) for row in rows])
    records = [store.mapper.to_record(e) for e in record.collect_events()]
    try:
        store.retrying(lambda: store.append(records))
    except IntegrityError:
        pass  # the unique key (record id, version) refused it: every one of its replications is stored already
    except PersistenceError as e:
        raise fault(e, store.shown) from None


class Executor(Protocol):
    workers: int
    where: str

    def play(self, batches: Iterable[Batch]) -> Iterator[list[Row] | int]: ...


class LocalExecutor:
    """This machine's cores: `jobs` worker processes (one: this process plays the batches itself)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.workers = usable_jobs(jobs, 64)
        self.where = f"{self.workers} local process{'es' if self.workers != 1 else ''}"

    def play(self, batches: Iterable[Batch]) -> Iterator[list[Row] | int]:
        if self.workers == 1:
            yield from map(run_batch, batches)
            return
        with worker_pool(self.workers) as pool:
            yield from ordered(pool, run_batch, batches, self.workers)


class DaskExecutor:
    """A Dask cluster: the scheduler at `address`, or a `LocalCluster` of this machine's cores (one
    single-threaded worker process a core) started for the command and closed after it."""

    def __init__(self, address: str | None = None, jobs: int | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UserError("--executor dask needs dask.distributed: pip install 'docketsim[dask]'") from None
        self._stack = contextlib.ExitStack()
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if address:
                self.client = self._stack.enter_context(Client(address, timeout=CONNECT_SECONDS))
                self.where = f"the Dask scheduler at {address}"
            else:
                cluster = self._stack.enter_context(LocalCluster(
                    n_workers=usable_jobs(jobs, 64), threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.ERROR))
                self.client = self._stack.enter_context(Client(cluster))
                self.where = f"a Dask LocalCluster of {len(cluster.workers)} workers"
        except (OSError, TimeoutError) as e:
            self._stack.close()
            raise Fault(f"--scheduler {address}: cannot reach the Dask scheduler ({e})") from None
        except ValueError as e:
            self._stack.close()
            raise UserError(f"--scheduler {address}: expected an address such as tcp://HOST:8786 ({e})") from None
        self.workers = max(1, sum(w.get("nthreads", 1) for w in
                                  self.client.scheduler_info().get("workers", {}).values()))

    def play(self, batches: Iterable[Batch]) -> Iterator[list[Row] | int]:
        pending: deque[Any] = deque()
        for batch in batches:
            key = f"docketsim-{batch.run_id}-{batch.start}-{batch.stop}"
            pending.append(self.client.submit(run_batch, batch, key=key, pure=False, retries=2))
            if len(pending) >= 4 * self.workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def executor(kind: str, scheduler: str | None = None, jobs: int | None = None) -> Iterator[Executor]:
    """The executor a command asked for: `local`, or `dask` at `scheduler` (else $DASK_SCHEDULER_ADDRESS,
    else a LocalCluster)."""
    if kind == "local":
        if scheduler:
            raise UserError("--scheduler is for --executor dask")
        yield LocalExecutor(jobs)
        return
    if kind != "dask":
        raise UserError(f"--executor {kind}: expected one of {', '.join(EXECUTORS)}")
    found = DaskExecutor(scheduler or os.environ.get(SCHEDULER_ENV) or None, jobs)
    try:
        yield found
    finally:
        with contextlib.suppress(Exception):
            found.close()
