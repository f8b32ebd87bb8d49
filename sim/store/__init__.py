"""The event store: an eventsourcing Application over SQLite (a file), PostgreSQL or POPO (memory).

Store URLs (`sim.store.url`): ``sqlite:///PATH`` (relative to the current folder; ``sqlite:////abs/path``
for an absolute one), ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` and ``memory://``. Besides matters
it holds `Run` aggregates (provenance of each run) and one `RunRegister` listing the runs in the order
they started. Many processes may record into one store at once: the register retries its optimistic
conflicts, and a run has one writer at a time (`run_lock`).
"""

from __future__ import annotations

import contextlib
import dataclasses
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
from eventsourcing.utils import TopicError

from sim.domain.matter import EVENT_FORMAT, Matter, matter_id
from sim.errors import Fault, StoreError
from sim.store import backends
from sim.store.backends import Backend, fault, lock_path
from sim.store.evolution import check_readable, register_renames
from sim.store.locks import IN_USE, ProcessLocks, run_key
from sim.store.transcoder import EventMapper, OrjsonTranscoder, Record
from sim.store.url import DEFAULT_STORE, STORE_ENV, Location, parse, store_url

__all__ = ["DEFAULT_STORE", "STORE_ENV", "DocketStore", "MatterIds", "Run", "RunRegister", "open_store",
           "recording", "store_url"]

RUN_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run")
REGISTER_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run-register")
FORMAT_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/event-format")
POSTGRES_GROUP_EVENTS = 4000  # events in one PostgreSQL insert at most (a group of replications, whole)
DELETE_CHUNK = 500     # matters deleted a statement at a time
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
    """The shape of the events a store holds (`EVENT_FORMAT`), recorded with its first run and raised
    when a later release records into it (`sim.store.evolution`). A store without one was written
    before formats were recorded (format 1)."""

    class Created(Aggregate.Created):
        event_format: int

    def __init__(self, event_format: int) -> None:
        self.event_format = event_format

    @staticmethod
    def create_id(event_format: int) -> UUID:  # type: ignore[override]
        return FORMAT_ID

    @event("Raised")
    def raise_to(self, event_format: int) -> None:
        self.event_format = event_format


class DocketStore(Application):
    """docketsim's application: saves and reads matters and runs. `where` names the store in every
    message; `locks` are shared with the other processes using it; `writable` is False for a store
    opened read-only."""

    name = "docketsim"
    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {Matter: 100}

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, quicker for docket entries (`sim.store.transcoder.EventMapper`); the
        topics of renamed classes registered first (`sim.store.evolution`)."""
        register_renames()
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
    def largest_group_events(self) -> int | None:
        """Events one `append` may take (None: any number). PostgreSQL takes a group as one statement whose
        parameter holds every event: a long matter is about 800 events, and 64 of them in one statement
        (about 50 MB) hung the library's pipelined insert with the server waiting on the client, 3 times
        in 3; groups of a few thousand events (a few MB) keep each insert short."""
        return POSTGRES_GROUP_EVENTS if self.where.scheme == "postgresql" else None

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
        """The format record to save with a new run: created with the first run into a new store, raised
        to `EVENT_FORMAT` in a store an earlier release wrote (none if the store has this format)."""
        if not self.has_events(FORMAT_ID):
            return [StoreFormat(EVENT_FORMAT)]
        marker: StoreFormat = self._rebuilt(FORMAT_ID)
        if marker.event_format >= EVENT_FORMAT:
            return []
        marker.raise_to(event_format=EVENT_FORMAT)
        return [marker]

    def event_format(self) -> int | None:
        """The store's event format: None for a new store, 1 for one written before formats were recorded.
        The register is read first: the first run's transaction saves it with the format record, so once
        the register is seen, so is the format (read the other way round, another process's first commit
        between the two reads looked like a store of format 1)."""
        if not self.has_events(REGISTER_ID):
            return None if not self.has_events(FORMAT_ID) else self._format_recorded()
        return self._format_recorded() if self.has_events(FORMAT_ID) else 1

    def _format_recorded(self) -> int:
        """The latest format record's format; 0 for a record this release cannot decode (a newer one's)."""
        (record,) = self._select(FORMAT_ID, desc=True, limit=1)
        try:
            return int(self.mapper.to_domain_event(record).event_format)
        except UNDECODABLE:
            return 0

    def check_format(self) -> None:
        """Refuse a store whose events this release cannot read (`sim.store.evolution`)."""
        found = self.event_format()
        if found is not None:
            check_readable(found or None, self.where)

    def runs(self) -> list[Run]:
        """The runs in the register, in the order they started (a run deleted by another process after
        the register was read is left out)."""
        runs = []
        for run_id in self.register().run_ids:
            with contextlib.suppress(AggregateNotFoundError):
                runs.append(self._rebuilt(UUID(run_id)))
        return runs

    def run(self, run_id: str) -> Run:
        """The run `run_id`; an id of another kind (a matter's, the register's) is told for what it is."""
        try:
            found = self._rebuilt(UUID(run_id))
        except (ValueError, AggregateNotFoundError):
            raise StoreError(f"unknown run id {run_id!r}; `python run.py runs` lists the runs") from None
        if isinstance(found, Run):
            return found
        if isinstance(found, Matter):
            raise StoreError(f"{run_id} is a matter id, not a run id; its run is {found.run_id}")
        what = "run register" if isinstance(found, RunRegister) else "format record"
        raise StoreError(f"{run_id} is the id of the store's {what}, not a run id; `python run.py runs` lists "
                         "the runs")

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

    def append(self, records: Sequence[Record]) -> None:
        """Store events, each as `EventMapper.to_record` gives it, in one transaction, without the library's
        application recorder (it numbers notifications, which no reader of ours uses): on SQLite in one
        `executemany` (the recorder inserts row by row to return those numbers); on PostgreSQL in one
        statement outside psycopg's pipeline (the recorder's pipeline also takes a table lock that queues
        every writer behind one)."""
        if self.where.scheme == "sqlite":
            rows, last, key = [], None, ""
            for originator_id, version, topic, state in records:
                if originator_id is not last:  # a matter's events share one id: its text is made once
                    last, key = originator_id, originator_id.hex
                rows.append((key, version, topic, state))
            with self.recorder.datastore.transaction(commit=True) as cursor:
                cursor.executemany(self.recorder.insert_events_statement, rows)  # type: ignore[attr-defined]
        elif self.where.scheme == "postgresql":
            recorder: Any = self.recorder
            # made before the transaction opens: a busy machine is not idle in it
            rows = [recorder.construct_pg_stored_event(*r) for r in records]
            with recorder.datastore.transaction(commit=True) as cursor:
                cursor.execute(recorder.insert_events_statement, (rows,))
        else:
            self.recorder.insert_events([StoredEvent(*r) for r in records])

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

    def has_events_within(self, aggregate_id: UUID | str, seconds: float = 2.0) -> bool | None:
        """`has_events`, answered within `seconds` or None: after an interrupted commit, whose server may be
        stuck (a table lock, a stopped server), on a connection of its own (PostgreSQL); SQLite answers
        within its lock timeout."""
        if self.where.scheme != "postgresql":
            try:
                return self.has_events(aggregate_id)
            except Fault:
                return None
        try:
            with self.locks.connect() as connection:
                connection.execute(f"SET statement_timeout = {int(seconds * 1000)}")
                return connection.execute(f'SELECT 1 FROM "{self.recorder.events_table_name}" WHERE originator_id '
                                          "= %s LIMIT 1", (UUID(str(aggregate_id)),)).fetchone() is not None
        except Exception:  # psycopg's errors: the server is stuck or gone
            return None

    def _select(self, aggregate_id: UUID, **query: Any) -> Sequence[Any]:
        try:
            return self.recorder.select_events(aggregate_id, **query)
        except PersistenceError as e:
            raise fault(e, self.shown) from None

    def matter_events(self, matter_id: str, *, whole: bool = True) -> list[Any]:
        """The stored events of one matter, in order; a clear error if there is no such matter, a fault if
        one is missing (unless not `whole`: the audit reports gaps itself)."""
        return self.matter_events_between(matter_id, 0, None, whole=whole)

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

    def matter_events_between(self, matter_id: str, after: int, upto: int | None, *,
                              whole: bool = True) -> list[Any]:
        """Stored events of a matter with after < version <= upto (None: to the end), read from the store
        (no rebuild); from the start, a clear error if there is no such matter. An event that no longer
        decodes (its JSON, topic or date) is a fault naming the matter and its position."""
        try:
            records = self._select(UUID(matter_id), gt=after or None, lte=upto)
        except ValueError:
            records = []
        events = [self._decoded(matter_id, record) for record in records]
        if after == 0 and (not events or not isinstance(events[0], Matter.Opened)):
            if events:
                raise Fault(f"{self.shown}: matter {matter_id}, event 1: missing (the matter's first event, "
                            f"Opened, is not in the store; it holds {type(events[0]).__name__} first)")
            raise StoreError(f"unknown matter id {matter_id!r}; `python run.py run` prints the matter ids it records")
        expected = after + 1
        for entry in events if whole else ():
            if entry.originator_version != expected:
                raise Fault(f"{self.shown}: matter {matter_id}, event {expected}: missing (the stored events "
                            f"skip from {expected - 1} to {entry.originator_version})")
            expected += 1
        return events

    def _decoded(self, matter_id: str, record: Any) -> Any:
        """A stored event decoded, with every field its class declares (an edited topic or a deleted field
        is a fault naming the matter and the event, not an error wherever the field is first read)."""
        try:
            event = self.mapper.to_domain_event(record)
            missing = _fields(type(event)) - event.__dict__.keys()
            if missing:
                raise ValueError(f"{type(event).__name__} without {', '.join(sorted(missing))}")
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

    def stored_count(self, run: Run) -> int:
        """How many replications of `run` are stored (always a prefix: the writer stores in order); a binary
        search, reading one record a step."""
        low, high = 0, run.replications
        while low < high:
            mid = (low + high) // 2
            if self.has_events(matter_id(str(run.id), run.scenario, mid)):
                low = mid + 1
            else:
                high = mid
        return low

    @contextmanager
    def deleting(self, run_id: str) -> Iterator[None]:
        """Hold `run_id`'s writer lock for a delete; refuse (a fault, naming the run) while another process
        records it (deleting under a writer left its later matters belonging to no run)."""
        key = run_key(run_id)
        if not self.locks.try_lock(key):
            raise Fault(f"{self.shown}: run {run_id} is being recorded by another process; delete it when that "
                        "process has finished or been stopped (nothing was deleted)")
        try:
            yield
        finally:
            self.locks.unlock(key)

    def delete_run(self, run: Run, also: Sequence[UUID] = ()) -> int:
        """Remove a run, its stored matters and their snapshots, and strike it from the register, in one
        transaction, under the run's writer lock (with the aggregates `also` names: a caseload's matters and
        records); return the bytes of events removed. Matter ids are made
        a chunk at a time from the stored prefix (a run may ask for 10^12 replications). Deletes of other
        runs by other processes conflict on the register: it is read again and the delete retried."""
        with self.deleting(str(run.id)):
            while True:
                try:
                    return self._delete(str(run.id), also)
                except IntegrityError:
                    time.sleep(random.uniform(0.005, 0.05))

    def _delete(self, run_id: str, also: Sequence[UUID] = ()) -> int:
        register = self.register()
        if run_id not in register.run_ids:
            raise StoreError(f"unknown run id {run_id!r}; another process deleted it meanwhile")
        run = self.run(run_id)
        register.remove(run_id=run_id)
        if self.where.scheme == "memory":
            self.save(register)
            return 0
        records = [self.mapper.to_stored_event(e) for e in register.collect_events()]
        stored = self.stored_count(run)
        tables = [self.recorder.events_table_name, self.snapshots.recorder.events_table_name]  # type: ignore[union-attr]
        sqlite = self.where.scheme == "sqlite"

        def chunks() -> Iterator[list[UUID]]:
            yield [UUID(run_id)]
            for low in range(0, stored, DELETE_CHUNK):
                yield [matter_id(run_id, run.scenario, i) for i in range(low, min(stored, low + DELETE_CHUNK))]
            for low in range(0, len(also), DELETE_CHUNK):
                yield list(also[low:low + DELETE_CHUNK])

        def delete() -> int:
            removed = 0
            with self.recorder.datastore.transaction(commit=True) as cursor:
                for ids in chunks():
                    for table in tables:
                        if sqlite:
                            marks = ",".join("?" * len(ids))
                            keys = [i.hex for i in ids]
                            cursor.execute(f"SELECT COALESCE(SUM(LENGTH(state)), 0) FROM {table} "
                                           f"WHERE originator_id IN ({marks})", keys)
                            removed += cursor.fetchone()[0]
                            cursor.execute(f"DELETE FROM {table} WHERE originator_id IN ({marks})", keys)
                        else:
                            cursor.execute(f'DELETE FROM "{table}" WHERE originator_id = ANY(%s) '
                                           "RETURNING octet_length(state)", (ids,))
                            removed += sum(row[0] if isinstance(row, tuple) else next(iter(row.values()))
                                           for row in cursor.fetchall())
                self.recorder._insert_events(cursor, records)
            return removed

        return self.retrying(delete)

    def compact(self) -> tuple[int, int] | None:
        """Compact an SQLite store file after deletes: (bytes before, bytes after); None if there is nothing
        to compact (another kind of store) or another process is recording into it (its free pages are
        reused by later runs; the next delete compacts it)."""
        path = self.where.path
        if path is None or not self.locks.try_lock(IN_USE):
            return None
        try:
            before = _file_bytes(path)
            con = sqlite3.connect(path)
            try:
                con.execute("VACUUM")
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
            return before, _file_bytes(path)
        finally:
            self.locks.unlock(IN_USE)

    def latest_run_id(self) -> str:
        runs = self.register().run_ids
        if not runs:
            raise StoreError("the store holds no runs yet; record one with `python run.py run SCENARIO`")
        return runs[-1]

    def latest_matter_id(self) -> str:
        return self.run(self.latest_run_id()).matter_ids()[0]


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(cls: type) -> frozenset[str]:
    """The fields an event of class `cls` holds (its dataclass fields), remembered per class."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls)) \
            if dataclasses.is_dataclass(cls) else frozenset()
    return found


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
