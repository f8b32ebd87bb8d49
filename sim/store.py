"""The event store: an eventsourcing Application over SQLite (a file) or POPO (memory).

Store URLs: ``sqlite:///PATH`` (relative to the current folder; ``sqlite:////abs/path`` for an
absolute one) and ``memory://``. Besides matters it holds `Run` aggregates (provenance of each run)
and one `RunRegister` listing the runs in the order they started.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event

from sim.domain.matter import EVENT_FORMAT, Matter, matter_id
from sim.errors import StoreError

DEFAULT_STORE = "sqlite:///docketsim.sqlite"
STORE_ENV = "DOCKETSIM_STORE"
RUN_NAMESPACE = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run")
REGISTER_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/run-register")
FORMAT_ID = uuid5(NAMESPACE_URL, "https://docketsim.invalid/event-format")
SQLITE_MAGIC = b"SQLite format 3\x00"


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

    def matter_ids(self) -> list[UUID]:
        return [matter_id(str(self.id), self.scenario, i) for i in range(self.replications)]


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
    """docketsim's application: saves and reads matters and runs."""

    name = "docketsim"
    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {Matter: 100}

    def register(self) -> RunRegister:
        try:
            return self.repository.get(REGISTER_ID)
        except AggregateNotFoundError:
            return RunRegister()

    def format_marker(self) -> list[StoreFormat]:
        """The format record to save with the first run into a new store (none if it has one)."""
        return [] if self.has_events(FORMAT_ID) else [StoreFormat(EVENT_FORMAT)]

    def check_format(self, url: str) -> None:
        """Refuse a store whose events have another shape than this version reads."""
        records = self.recorder.select_events(FORMAT_ID, limit=1)
        if not records and not self.has_events(REGISTER_ID):
            return  # no run recorded yet
        found = self.mapper.to_domain_event(records[0]).event_format if records else 1
        if found != EVENT_FORMAT:
            raise StoreError(f"{url}: written with docketsim event format {found}; this version reads format "
                             f"{EVENT_FORMAT}; record into a new store (--store sqlite:///NEW.sqlite)")

    def runs(self) -> list[Run]:
        return [self.repository.get(UUID(run_id)) for run_id in self.register().run_ids]

    def run(self, run_id: str) -> Run:
        try:
            return self.repository.get(UUID(run_id))
        except (ValueError, AggregateNotFoundError):
            raise StoreError(f"unknown run id {run_id!r}; `python run.py runs` lists the runs") from None

    def has_events(self, aggregate_id: UUID) -> bool:
        """True if anything is stored under `aggregate_id` (reads one record, rebuilds nothing)."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def matter_events(self, matter_id: str) -> list[Any]:
        """The stored events of one matter, in order; a clear error if there is no such matter."""
        return self.matter_events_between(matter_id, 0, None)

    def version_on(self, matter_id: str, when: dt.date) -> int:
        """The matter's last version dated on or before `when` (binary search: dates never go back)."""
        opened = self.matter_events_between(matter_id, 0, 1)[0]
        return self._version_on(matter_id, when, opened, self._last_version(matter_id))

    def _last_version(self, matter_id: str) -> int:
        return self.recorder.select_events(UUID(matter_id), desc=True, limit=1)[0].originator_version

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
        (no rebuild); from the start, a clear error if there is no such matter."""
        try:
            events = list(self.events.get(UUID(matter_id), gt=after or None, lte=upto))
        except ValueError:
            events = []
        if after == 0 and (not events or not isinstance(events[0], Matter.Opened)):
            raise StoreError(f"unknown matter id {matter_id!r}; `python run.py run` prints the matter ids it records")
        return events

    def matter_as_of(self, matter_id: str, when: dt.date) -> Matter:
        """The matter rebuilt at its last version on or before `when` (snapshots make it fast); its
        state holds the deadlines then open."""
        opened = self.matter_events_between(matter_id, 0, 1)[0]
        version = self._version_on(matter_id, when, opened, self._last_version(matter_id))
        return self.repository.get(UUID(matter_id), version=version)

    def delete_run(self, run: Run) -> int:
        """Remove a run, its matters and their snapshots, and strike it from the register, in one transaction;
        return the bytes the store file shrank by (0 in memory, where nothing outlives the process)."""
        register = self.register()
        register.remove(run_id=str(run.id))
        if self.env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite":
            self.save(register)
            return 0
        path = Path(self.env.get("SQLITE_DBNAME"))
        before = _file_bytes(path)
        ids = [(UUID(str(run.id)).hex,), *((m.hex,) for m in run.matter_ids())]
        records = [self.mapper.to_stored_event(e) for e in register.collect_events()]
        with self.recorder.datastore.transaction(commit=True) as cursor:
            for table in ("stored_events", "stored_snapshots"):
                cursor.executemany(f"DELETE FROM {table} WHERE originator_id = ?", ids)
            self.recorder._insert_events(cursor, records)
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
        return str(self.run(self.latest_run_id()).matter_ids()[0])


def _file_bytes(path: Path) -> int:
    """An SQLite store's size on disk, its write-ahead log included."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def store_url(url: str | None) -> str:
    """The URL given, else $DOCKETSIM_STORE, else the default file in the current folder."""
    return url or os.environ.get(STORE_ENV) or DEFAULT_STORE


def _sqlite_path(url: str) -> Path:
    path = url[len("sqlite:///"):]
    if not path:
        raise StoreError(f"store URL {url!r} names no file; expected sqlite:///PATH")
    return Path(path)


def _check_sqlite_file(path: Path, url: str) -> None:
    """Refuse a file that is not a docketsim store, before the library touches it."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except IsADirectoryError:
        raise StoreError(f"{url}: {path} is a directory, not a store file") from None
    except OSError as e:
        raise StoreError(f"{url}: cannot read the store file ({e.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(f"{url}: {path} is not a docketsim store (not an SQLite database)")
    if not head:
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            topic = None
            if "stored_events" in tables:
                row = con.execute("SELECT topic FROM stored_events LIMIT 1").fetchone()
                topic = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{url}: {path} cannot be read as a docketsim store ({e})") from None
    if tables and ("stored_events" not in tables or (topic and not topic.startswith("sim."))):
        raise StoreError(f"{url}: {path} is an SQLite database but not a docketsim store")


@contextmanager
def recording(url: str | None) -> Iterator[DocketStore]:
    """The store to record into, created if need be; if what runs inside fails before anything is
    recorded, a file this call created is removed again (a failed run leaves no store behind)."""
    url = store_url(url)
    path = _sqlite_path(url) if url.startswith("sqlite:///") else None
    existed = path is None or path.exists()
    store = open_store(url, create=True)
    try:
        yield store
    except BaseException:
        if not existed and not store.recorder.max_notification_id():
            store.close()
            path.unlink(missing_ok=True)  # type: ignore[union-attr]
        raise


def open_store(url: str | None, *, create: bool = False) -> DocketStore:
    """Open the store at `url`; `create` allows a new SQLite file (only commands that record do)."""
    url = store_url(url)
    if url == "memory://":
        return DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    if not url.startswith("sqlite:///"):
        scheme = url.split("://", 1)[0] if "://" in url else url
        raise StoreError(f"unknown store scheme {scheme!r} in {url!r}; expected sqlite:///PATH or memory://")
    path = _sqlite_path(url)
    if path.exists():
        _check_sqlite_file(path, url)
    elif not create:
        raise StoreError(f"{url}: no store file at {path}; record a run first with `python run.py run "
                         "SCENARIO`, or pass --store")
    elif not path.parent.exists():
        raise StoreError(f"{url}: folder {path.parent} does not exist")
    store = DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    store.check_format(url)
    return store
