"""The event store: an eventsourcing Application over SQLite (a file), PostgreSQL or POPO (memory).

Store URLs (`sim.store.url`): ``sqlite:///PATH`` (relative to the current folder; ``sqlite:////abs/path``
for an absolute one), ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` and ``memory://``. Besides matters
it holds `Run` aggregates (provenance of each run) and one `RunRegister` listing the runs in the order
they started. Many processes may record into one store at once: the register retries its optimistic
conflicts, and a run has one writer at a time (`run_lock`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, TypeVar, overload
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, EventSourcingError, event
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    OperationalError,
    PersistenceError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.sqlite import SQLiteAggregateRecorder
from eventsourcing.utils import TopicError

from sim.domain.matter import EVENT_FORMAT, Matter, matter_id
from sim.errors import Fault, StoreError
from sim.store import backends
from sim.store.backends import Backend, fault, lock_path
from sim.store.locks import IN_USE, ProcessLocks, run_key
from sim.store.transcoder import EventMapper, OrjsonTranscoder
from sim.store.url import DEFAULT_STORE, STORE_ENV, Location, parse, store_url

__all__ = ["DEFAULT_STORE", "STORE_ENV", "DocketStore", "MatterIds", "Run", "RunRegister", "open_store",
           "recording", "store_url"]

RUN_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run")
REGISTER_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run-register")
FORMAT_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/event-format")
WAIT_SECONDS = 600.0   # how long a writer waits in all for another process's lock on the store
UNDECODABLE = (ValueError, TypeError, KeyError, AttributeError, TopicError, EventSourcingError)
T = TypeVar("T")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in ("docketsim", "eventsourcing", "simpy", "attrs"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


class Run(Aggregate):
    """Provenance of one run: which scenario text (and --set settings), which seed, which versions,
    when; for a fork, the source matter and the last entry copied from it. The effective scenario
    (every table, after `extends` and settings) is kept too, so any result can be reproduced and
    reported from the store alone."""

    class Started(Aggregate.Created):
        scenario: str
        scenario_path: str
        scenario_hash: str
        seed: int
        replications: int
        versions: dict[str, str]
        started_at: str
        settings: list[list[str]]
        fork: dict[str, Any] | None
        scenario_data: dict[str, Any]

    def __init__(self, scenario: str, scenario_path: str, scenario_hash: str, seed: int,
                 replications: int, versions: dict[str, str], started_at: str,
                 settings: list[list[str]], fork: dict[str, Any] | None, scenario_data: dict[str, Any]) -> None:
        self.scenario, self.scenario_path, self.scenario_hash = scenario, scenario_path, scenario_hash
        self.scenario_data = scenario_data
        self.settings, self.fork = [tuple(s) for s in settings], fork
        self.seed, self.replications, self.versions = seed, replications, versions
        self.started_at = started_at
        self.finished_at: str | None = None

    @staticmethod
    def create_id(scenario_hash: str, seed: int, replications: int,  # type: ignore[override]
                  fork: dict[str, Any] | None = None) -> UUID:
        """Deterministic: the same scenario text, seed, size (and fork point) make the same run."""
        where = "" if fork is None else f"/{fork['matter_id']}@{fork['seq']}"
        return uuid5(RUN_NAMESPACE, f"{scenario_hash}/{seed}/{replications}{where}")

    @event("Finished")
    def finish(self, finished_at: str) -> None:
        self.finished_at = finished_at

    def matter_ids(self) -> MatterIds:
        return MatterIds(str(self.id), self.scenario, self.replications)


class MatterIds(Sequence[str]):
    """The matter ids of a run's replications, computed when asked (a run may have billions)."""

    def __init__(self, run_id: str, scenario: str, n: int) -> None:
        self.run_id, self.scenario, self.n = run_id, scenario, n

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return str(matter_id(self.run_id, self.scenario, i % self.n))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MatterIds):
            return (self.run_id, self.scenario, self.n) == (other.run_id, other.scenario, other.n)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.run_id, self.scenario, self.n))


class RunRegister(Aggregate):
    """The runs in a store, in the order they started."""

    class Opened(Aggregate.Created):
        pass

    def __init__(self) -> None:
        self.run_ids: list[str] = []

    @staticmethod
    def create_id() -> UUID:  # type: ignore[override]
        return REGISTER_ID

    @event("RunAdded")
    def add(self, run_id: str) -> None:
        self.run_ids.append(run_id)

    @event("RunRemoved")
    def remove(self, run_id: str) -> None:
        self.run_ids.remove(run_id)


class StoreFormat(Aggregate):
    """The shape of the events a store holds (`EVENT_FORMAT`), recorded with its first run. A store
    without one was written before formats were recorded (format 1)."""

    class Created(Aggregate.Created):
        event_format: int

    def __init__(self, event_format: int) -> None:
        self.event_format = event_format

    @staticmethod
    def create_id(event_format: int) -> UUID:  # type: ignore[override]
        return FORMAT_ID


class DocketStore(Application):
    """docketsim's application: saves and reads matters and runs. `where` names the store in every
    message; `locks` are shared with the other processes using it; `writable` is False for a store
    opened read-only."""

    name = "docketsim"
    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {Matter: 100}

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, quicker for docket entries (`sim.store.transcoder.EventMapper`)."""
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=EventMapper)

    def construct_transcoder(self) -> Transcoder:
        """The library's JSON transcodings, written by orjson (`sim.store.transcoder`)."""
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder
    where: Location = Location("memory", "memory://")
    locks: Any = None
    writable: bool = True

    @property
    def shown(self) -> str:
        return self.where.shown

    @property
    def largest_batch(self) -> int | None:
        """Replications one `append` may take (None: any number). The library writes to PostgreSQL
        through psycopg's pipeline, which hung here (the server waiting on the client, deaf to SIGTERM)
        in 4 of 18 runs of `-n 1500 --jobs 2` with batches of up to 256 replications, in none of 13
        with 64."""
        return 64 if self.where.scheme == "postgresql" else None

    def _rebuilt(self, aggregate_id: UUID, version: int | None = None) -> Any:
        """An aggregate rebuilt from the store; undecodable records are a fault naming the aggregate."""
        try:
            return self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise
        except PersistenceError as e:
            raise fault(e, self.shown) from None
        except UNDECODABLE as e:
            raise Fault(f"{self.shown}: {aggregate_id}: a stored event cannot be decoded ({e})") from None

    def register(self) -> RunRegister:
        try:
            return self._rebuilt(REGISTER_ID)
        except AggregateNotFoundError:
            return RunRegister()

    def format_marker(self) -> list[StoreFormat]:
        """The format record to save with the first run into a new store (none if it has one)."""
        return [] if self.has_events(FORMAT_ID) else [StoreFormat(EVENT_FORMAT)]

    def check_format(self) -> None:
        """Refuse a store whose events have another shape than this version reads."""
        records = self._select(FORMAT_ID, limit=1)
        if not records and not self.has_events(REGISTER_ID):
            return  # no run recorded yet
        found = self._decoded(str(FORMAT_ID), records[0]).event_format if records else 1
        if found != EVENT_FORMAT:
            raise StoreError(f"{self.shown}: written with docketsim event format {found}; this version reads "
                             f"format {EVENT_FORMAT}; record into a new store (--store sqlite:///NEW.sqlite)")

    def runs(self) -> list[Run]:
        return [self.run(run_id) for run_id in self.register().run_ids]

    def run(self, run_id: str) -> Run:
        try:
            return self._rebuilt(UUID(run_id))
        except (ValueError, AggregateNotFoundError):
            raise StoreError(f"unknown run id {run_id!r}; `python run.py runs` lists the runs") from None

    def add_run(self, make_run: Callable[[], Run]) -> Run:
        """Save a new run and add it to the register in one transaction. Runs started at once by other
        processes make the register's save conflict: it is read again and the save retried."""
        while True:
            run, register = make_run(), self.register()
            register.add(run_id=str(run.id))
            marker = self.format_marker()
            try:
                self.retrying(lambda: self.save(run, register, *marker))  # noqa: B023
                return run
            except IntegrityError:
                time.sleep(random.uniform(0.005, 0.05))

    def append(self, records: Sequence[StoredEvent]) -> None:
        """Store events in one transaction. On SQLite in one `executemany`: the library's application
        recorder inserts row by row, to return notification ids that no writer of ours reads."""
        if self.where.scheme != "sqlite":
            self.recorder.insert_events(records)
            return
        with self.recorder.datastore.transaction(commit=True) as cursor:
            SQLiteAggregateRecorder._insert_events(self.recorder, cursor, records)  # type: ignore[arg-type]

    def retrying(self, write: Callable[[], T]) -> T:
        """A write, tried again while another process holds the store's write lock (SQLite waits at most a
        second each time, so Ctrl-C stays prompt); after `WAIT_SECONDS` in all, a fault."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                return write()
            except OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise fault(e, self.shown) from None
                time.sleep(random.uniform(0.01, 0.1))

    @contextmanager
    def run_lock(self, run_id: str, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
        """Hold `run_id`'s writer lock: while another process holds it, `on_wait()` once, then wait."""
        key = run_key(run_id)
        waited = False
        while not self.locks.try_lock(key):
            if not waited:
                on_wait()
                waited = True
            time.sleep(0.2)
        try:
            yield
        finally:
            self.locks.unlock(key)

    def has_events(self, aggregate_id: UUID | str) -> bool:
        """True if anything is stored under `aggregate_id` (reads one record, rebuilds nothing)."""
        return bool(self._select(UUID(str(aggregate_id)), limit=1))

    def _select(self, aggregate_id: UUID, **query: Any) -> Sequence[Any]:
        try:
            return self.recorder.select_events(aggregate_id, **query)
        except PersistenceError as e:
            raise fault(e, self.shown) from None

    def matter_events(self, matter_id: str) -> list[Any]:
        """The stored events of one matter, in order; a clear error if there is no such matter."""
        return self.matter_events_between(matter_id, 0, None)

    def version_on(self, matter_id: str, when: dt.date) -> int:
        """The matter's last version dated on or before `when` (binary search: dates never go back)."""
        opened = self.matter_events_between(matter_id, 0, 1)[0]
        return self._version_on(matter_id, when, opened, self._last_version(matter_id))

    def _last_version(self, matter_id: str) -> int:
        return self._select(UUID(matter_id), desc=True, limit=1)[0].originator_version

    def _version_on(self, matter_id: str, when: dt.date, opened: Any, high: int) -> int:
        if when < dt.date.fromisoformat(opened.start_date):
            raise StoreError(f"{when.isoformat()} is before the matter began ({opened.start_date})")
        low = 1
        while low < high:
            mid = (low + high + 1) // 2
            (event,) = self.matter_events_between(matter_id, mid - 1, mid)
            if dt.date.fromisoformat(event.date) <= when:
                low = mid
            else:
                high = mid - 1
        return low

    def matter_events_between(self, matter_id: str, after: int, upto: int | None) -> list[Any]:
        """Stored events of a matter with after < version <= upto (None: to the end), read from the store
        (no rebuild); from the start, a clear error if there is no such matter. An event that no longer
        decodes (its JSON, topic or date) is a fault naming the matter and its position."""
        try:
            records = self._select(UUID(matter_id), gt=after or None, lte=upto)
        except ValueError:
            records = []
        events = [self._decoded(matter_id, record) for record in records]
        if after == 0 and (not events or not isinstance(events[0], Matter.Opened)):
            raise StoreError(f"unknown matter id {matter_id!r}; `python run.py run` prints the matter ids it records")
        return events

    def _decoded(self, matter_id: str, record: Any) -> Any:
        try:
            event = self.mapper.to_domain_event(record)
            day = getattr(event, "date", None) or getattr(event, "start_date", None)
            if day is not None:
                dt.date.fromisoformat(day)
            return event
        except UNDECODABLE as e:
            raise Fault(f"{self.shown}: matter {matter_id}, event {record.originator_version}: cannot be "
                        f"decoded ({e})") from None

    def matter_as_of(self, matter_id: str, when: dt.date) -> Matter:
        """The matter rebuilt at its last version on or before `when` (snapshots make it fast); its
        state holds the deadlines then open."""
        opened = self.matter_events_between(matter_id, 0, 1)[0]
        version = self._version_on(matter_id, when, opened, self._last_version(matter_id))
        return self._rebuilt(UUID(matter_id), version)

    def delete_run(self, run: Run, also: Sequence[UUID] = ()) -> int:
        """Remove a run, its matters and their snapshots (and the aggregates `also` names: a caseload's matters
        and records), and strike it from the register, in one transaction; return the bytes the store shrank by
        (an SQLite file, compacted; 0 elsewhere)."""
        register = self.register()
        register.remove(run_id=str(run.id))
        if self.where.scheme == "memory":
            self.save(register)
            return 0
        ids = [UUID(str(run.id)), *(UUID(m) for m in run.matter_ids()), *also]
        records = [self.mapper.to_stored_event(e) for e in register.collect_events()]
        tables = [self.recorder.events_table_name, self.snapshots.recorder.events_table_name]  # type: ignore[union-attr]
        path = self.where.path
        before = _file_bytes(path) if path else 0

        def delete() -> None:
            with self.recorder.datastore.transaction(commit=True) as cursor:
                for table in tables:
                    if self.where.scheme == "sqlite":
                        cursor.executemany(f"DELETE FROM {table} WHERE originator_id = ?", [(i.hex,) for i in ids])
                    else:
                        cursor.execute(f'DELETE FROM "{table}" WHERE originator_id = ANY(%s)', (ids,))
                self.recorder._insert_events(cursor, records)

        self.retrying(delete)
        if path is None:
            return 0
        con = sqlite3.connect(path)
        try:
            con.execute("VACUUM")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        return max(0, before - _file_bytes(path))

    def latest_run_id(self) -> str:
        runs = self.register().run_ids
        if not runs:
            raise StoreError("the store holds no runs yet; record one with `python run.py run SCENARIO`")
        return runs[-1]

    def latest_matter_id(self) -> str:
        return self.run(self.latest_run_id()).matter_ids()[0]


def _file_bytes(path: Path) -> int:
    """An SQLite store's size on disk, its write-ahead log included."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def open_store(url: str | None, *, create: bool = False) -> DocketStore:
    """Open the store at `url`; `create` allows a new store (only commands that record do)."""
    where = parse(store_url(url))
    return _opened(where, backends.prepare(where, create=create))


def _opened(where: Location, backend: Backend) -> DocketStore:
    if backend.setup_key is None:
        return _constructed(where, backend)
    try:
        while not backend.locks.try_lock(backend.setup_key):
            time.sleep(0.05)
        return _constructed(where, backend)
    finally:
        with contextlib.suppress(Exception):
            backend.locks.unlock(backend.setup_key)


def _constructed(where: Location, backend: Backend) -> DocketStore:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            store = DocketStore(env=backend.env)
            break
        except OperationalError as e:  # another process creating the tables or switching the journal
            if "locked" not in str(e) or time.monotonic() > deadline:
                backend.locks.close()
                raise fault(e, where.shown) from None
            time.sleep(random.uniform(0.01, 0.1))
        except (PersistenceError, OSError) as e:
            backend.locks.close()
            raise fault(e, where.shown) from None
    store.where, store.locks, store.writable = where, backend.locks, backend.writable
    try:
        store.check_format()
    except BaseException:
        backend.locks.close()
        raise
    return store


@contextmanager
def recording(url: str | None) -> Iterator[DocketStore]:
    """The store to record into, created if need be. If what runs inside fails before anything is
    recorded, an SQLite file this call created is removed again (a failed run leaves no store behind),
    unless another process has opened it meanwhile."""
    where = parse(store_url(url))
    backend = backends.prepare(where, create=True)
    path = where.path
    created = path is not None and not path.exists()
    deadline = time.monotonic() + 10
    while not backend.locks.try_lock(IN_USE, shared=True) and time.monotonic() < deadline:
        time.sleep(0.02)  # another process is removing the store file it had just created
    store = _opened(where, backend)
    try:
        yield store
    except BaseException:
        if created and path is not None and not isinstance(store.locks, ProcessLocks):
            _remove_if_unused(store, path)
        raise
    finally:
        with contextlib.suppress(Exception):
            store.locks.unlock(IN_USE)


def _remove_if_unused(store: DocketStore, path: Any) -> None:
    """Remove a new SQLite store that holds nothing and that no other process has opened."""
    with contextlib.suppress(Exception):
        if store.recorder.max_notification_id() or not store.locks.try_lock(IN_USE):
            return
        store.close()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                         lock_path(path)):
            leftover.unlink(missing_ok=True)
