"""Where a store lives: the library settings, the locks and the checks for each kind of location, and the
library's errors told as one line naming the store.

- SQLite: the file is checked before the library touches it (a foreign or damaged file is refused); a
  file or medium that cannot be written is opened read-only, so runs, dockets and reports still read it.
- PostgreSQL (psycopg 3, the optional extra `docketsim[postgres]`): a short connection checks the server
  and the tables first; the library's pool is kept to a few connections per process, so many processes
  can share one server.
- memory: one process, nothing to check.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs

from sim.errors import Fault, StoreError
from sim.store.locks import TABLES, AdvisoryLocks, FileLocks, Locks, ProcessLocks
from sim.store.url import Location

SQLITE_MAGIC = b"SQLite format 3\x00"
EVENT_COLUMNS = ["originator_id", "originator_version", "topic", "state"]
TOPIC_PREFIX = "sim."
SQLITE_WAIT_SECONDS = "1"  # each wait for another writer's lock; `sim.store.retrying` waits again
POSTGRES_TABLES = ("docketsim_events", "docketsim_snapshots")
CONNECT_SECONDS = 5
# The library ends a session idle in a transaction after 5 s; a writer descheduled that long on a busy
# machine (three writers and their workers on two cores) lost its connection mid-insert
IDLE_IN_TRANSACTION_SECONDS = "60"


@attrs.define
class Backend:
    """The library's settings for a store, its locks, and whether this process may write to it."""

    env: dict[str, str]
    locks: Locks
    writable: bool = True
    setup_key: int | None = None  # held while the library creates the tables (PostgreSQL races otherwise)


def prepare(where: Location, *, create: bool) -> Backend:
    """Check the location and return how to open it (`create`: a command that records)."""
    if where.scheme == "memory":
        return Backend({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ProcessLocks())
    if where.scheme == "sqlite":
        assert where.path is not None
        return _sqlite(where.path, where.shown, create)
    return _postgres(where, create)


# SQLite ------------------------------------------------------------------------------------------------
def lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-lock")


def _sqlite(path: Path, url: str, create: bool) -> Backend:
    if path.exists():
        _check_sqlite_file(path, url)
    elif not create:
        raise StoreError(f"{url}: no store file at {path}; record a run first with `python run.py run "
                         "SCENARIO`, or pass --store")
    elif not path.parent.is_dir():
        raise StoreError(f"{url}: folder {path.parent} does not exist")
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    writable = folder_writable and (not path.exists() or os.access(path, os.W_OK))
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_LOCK_TIMEOUT": SQLITE_WAIT_SECONDS}
    if writable:
        return Backend({**env, "SQLITE_DBNAME": str(path)}, FileLocks(lock_path(path)))
    if create:
        where = "the folder" if not folder_writable else "the file"
        raise Fault(f"{url}: the store is read-only ({where} cannot be written); `runs`, `docket`, `replay` and "
                    "`report` still read it")
    dbname = _read_only_uri(path)
    return Backend({**env, "SQLITE_DBNAME": dbname, "CREATE_TABLE": "no"}, ProcessLocks(), writable=False)


def _read_only_uri(path: Path) -> str:
    """An SQLite URI reading `path` without writing. A read-only medium has no room for the shared-memory
    index of the write-ahead log: a store closed cleanly (no log left) is read as immutable; otherwise
    SQLite reads the log it finds beside the file."""
    wal = path.with_name(path.name + "-wal")
    has_log = wal.exists() and wal.stat().st_size > 0
    mode = "mode=ro" if os.access(path.parent, os.W_OK | os.X_OK) or has_log else "immutable=1"
    return f"file:{quote(str(path.resolve()))}?{mode}"


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
        con = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            columns = {t: [row[1] for row in con.execute(f"PRAGMA table_info({t})")]
                       for t in ("stored_events", "stored_snapshots") if t in tables}
            topic = None
            if columns.get("stored_events") == EVENT_COLUMNS:
                row = con.execute("SELECT topic FROM stored_events LIMIT 1").fetchone()
                topic = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        if "malformed" in str(e):
            raise fault(e, url) from None
        raise StoreError(f"{url}: {path} cannot be read as a docketsim store ({e})") from None
    if tables and ("stored_events" not in tables or any(c != EVENT_COLUMNS for c in columns.values())
                   or (topic is not None and not str(topic).startswith(TOPIC_PREFIX))):
        raise StoreError(f"{url}: {path} is an SQLite database but not a docketsim store")


# PostgreSQL --------------------------------------------------------------------------------------------
def _postgres(where: Location, create: bool) -> Backend:
    try:
        import psycopg
    except ImportError:
        raise Fault(f"{where.shown}: PostgreSQL stores need psycopg: pip install 'docketsim[postgres]'") from None
    settings = where.postgres or {}

    def connect() -> Any:
        return psycopg.connect(host=settings["host"], port=settings["port"], user=settings["user"],
                               password=settings["password"] or None, dbname=settings["dbname"],
                               connect_timeout=CONNECT_SECONDS, autocommit=True)

    try:
        connection = connect()
        present = _postgres_tables(connection, where.shown)
    except psycopg.Error as e:
        raise fault(e, where.shown) from None
    if not present and not create:
        connection.close()
        raise StoreError(f"{where.shown}: no docketsim store in this database; record a run first with "
                         "`python run.py run SCENARIO`, or pass --store")
    env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": settings["dbname"],
           "POSTGRES_HOST": settings["host"], "POSTGRES_PORT": settings["port"], "POSTGRES_USER": settings["user"],
           "POSTGRES_PASSWORD": settings["password"], "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_SECONDS),
           "POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "2", "CREATE_TABLE": "no" if present else "yes",
           "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": IDLE_IN_TRANSACTION_SECONDS}
    locks = AdvisoryLocks(connect, where.shown)
    locks.connection = connection
    return Backend(env, locks, setup_key=None if present else TABLES)


def _postgres_tables(connection: Any, url: str) -> bool:
    """True if the docketsim tables are there (a clear error if a table of that name is someone else's)."""
    rows = connection.execute(
        "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s) GROUP BY table_name",
        (list(POSTGRES_TABLES),)).fetchall()
    columns = dict(rows)
    if not columns:
        return False
    events = columns.get("docketsim_events", [])
    if any(c[:4] != EVENT_COLUMNS for c in columns.values()) or not events:
        raise StoreError(f"{url}: the database has docketsim tables of another shape: not a docketsim store")
    row = connection.execute("SELECT topic FROM docketsim_events LIMIT 1").fetchone()
    if row and not str(row[0]).startswith(TOPIC_PREFIX):
        raise StoreError(f"{url}: the table docketsim_events holds another application's events")
    return True


# Faults ------------------------------------------------------------------------------------------------
_KNOWN: list[tuple[tuple[str, ...], str]] = [
    (("disk is full", "no space left", "could not extend file", "diskfull"),
     "the disk is full"),
    (("readonly database", "read-only", "read only"),
     "the store is read-only"),
    (("malformed", "file is not a database", "disk i/o error", "data corrupted", "invalid page"),
     "the store is damaged"),
    (("database is locked",),
     "another process kept the store locked too long"),
    (("no password supplied",),
     "the server asks for a password: give it in the URL (postgresql://USER:PASSWORD@HOST:PORT/DB) or in "
     "$PGPASSWORD"),
    (("password authentication failed", "no pg_hba.conf entry", "role", "does not exist"),
     "the server refused the connection"),
    (("connection refused", "could not connect", "connection failed", "couldn't get a connection", "timeout",
      "server closed the connection", "terminating connection", "no route to host", "name or service not known"),
     "cannot reach the server"),
    (("permission denied",),
     "permission denied"),
]


def fault(error: BaseException, url: str) -> Fault:
    """The library's (or the driver's) error as one line naming the store and what happened."""
    detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
    lowered = f"{type(error).__name__} {detail}".lower()
    for needles, what in _KNOWN:
        if any(n in lowered for n in needles):
            return Fault(f"{url}: {what} ({detail})")
    return Fault(f"{url}: {detail}")

