"""Locks between the processes sharing a store, each ending with the process that holds it, however it ends.

Keys: `IN_USE`, held shared by every process recording into the store (so that a failed first run removes
a store file it created only when no other process has opened it meanwhile); a run's key, held
exclusively by the one process writing that run (`run_key`); `TABLES`, held while a process creates the
tables of a new PostgreSQL store.

- SQLite: open-file-description locks (Linux) on one byte each of a file beside the store, ``PATH-lock``.
- PostgreSQL: session advisory locks on a connection of their own.
- memory: the store lives in one process; the locks only keep that process honest.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

IN_USE = 0
TABLES = (1 << 63) + 1  # beyond every run key: held while one process creates a store's tables
_OFD = hasattr(fcntl, "F_OFD_SETLK")


def run_key(run_id: str) -> int:
    """A run's lock key: 1 + 62 bits of its id."""
    return 1 + (UUID(run_id).int & ((1 << 62) - 1))


class Locks(Protocol):
    def try_lock(self, key: int, *, shared: bool = False) -> bool: ...
    def unlock(self, key: int) -> None: ...
    def close(self) -> None: ...


class ProcessLocks:
    """Locks within one process (the memory store)."""

    def __init__(self) -> None:
        self.held: dict[int, int] = {}

    def try_lock(self, key: int, *, shared: bool = False) -> bool:
        if key in self.held and not shared:
            return False
        self.held[key] = self.held.get(key, 0) + 1
        return True

    def unlock(self, key: int) -> None:
        if self.held.get(key, 0) > 1:
            self.held[key] -= 1
        else:
            self.held.pop(key, None)

    def close(self) -> None:
        self.held.clear()


class FileLocks:
    """Byte-range locks on `path` (created on first use), one open file description per store object."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def _open(self) -> int:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        return self.fd

    def _set(self, kind: int, key: int) -> bool:
        fd = self._open()
        try:
            if _OFD:
                flock = struct.pack("hhqqi4x", kind, os.SEEK_SET, key, 1, 0)
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, flock)
            else:  # process-owned locks where open-file-description locks are missing
                fcntl.lockf(fd, {fcntl.F_WRLCK: fcntl.LOCK_EX, fcntl.F_RDLCK: fcntl.LOCK_SH,
                                 fcntl.F_UNLCK: fcntl.LOCK_UN}[kind] | fcntl.LOCK_NB, 1, key)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def try_lock(self, key: int, *, shared: bool = False) -> bool:
        return self._set(fcntl.F_RDLCK if shared else fcntl.F_WRLCK, key)

    def unlock(self, key: int) -> None:
        if self.fd is not None:
            self._set(fcntl.F_UNLCK, key)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class AdvisoryLocks:
    """PostgreSQL session advisory locks, on a connection opened for them alone. A lock ends with its
    session: a connection the server dropped (stopped, restarted) holds nothing any more, so unlocking it
    is done; taking a lock through it is a fault naming the store (`shown`)."""

    def __init__(self, connect: Any, shown: str = "") -> None:
        self.connect = connect
        self.shown = shown
        self.connection: Any = None
        self.shared: set[int] = set()

    def _call(self, function: str, key: int) -> bool:
        from sim.store.backends import fault  # backends makes these locks

        signed = key - (1 << 64) if key >= 1 << 63 else key
        try:
            if self.connection is None:
                self.connection = self.connect()
            return bool(self.connection.execute(f"SELECT {function}(%s)", (signed,)).fetchone()[0])
        except Exception as e:  # psycopg's errors: the server is gone or refused
            self.close()
            raise fault(e, self.shown) from None

    def try_lock(self, key: int, *, shared: bool = False) -> bool:
        locked = self._call("pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock", key)
        if locked and shared:
            self.shared.add(key)
        return locked

    def unlock(self, key: int) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # a dropped session has released its locks
                self._call("pg_advisory_unlock_shared" if key in self.shared else "pg_advisory_unlock", key)
            self.shared.discard(key)

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None
