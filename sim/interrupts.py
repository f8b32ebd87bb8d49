"""Ctrl-C and SIGTERM for a command that writes a store.

The first signal stops the command: it raises KeyboardInterrupt where the command is, except inside
`deferred()` (a commit and its bookkeeping), where it waits for the block to end, so what the command
reports as stored is exactly what the store holds. Further signals in the next second are ignored while
the command cleans up (a second Ctrl-C right after the first used to interrupt the clean-up and hang);
one after that ends the process at once (a commit is atomic, so the store still holds whole
replications only). Until `install()` runs, Python's own handling applies and `deferred()` defers nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

GRACE_SECONDS = 1.0
SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = {"first": 0.0, "signal": 0, "deferring": 0, "pending": False}


def install() -> None:
    """Handle SIGINT and SIGTERM as above (main thread only)."""
    _state.update(first=0.0, signal=0, deferring=0, pending=False)
    for number in SIGNALS:
        signal.signal(number, _handler)


def received() -> int:
    """The number of the signal that stopped the command (0 if none did)."""
    return int(_state["signal"])


def _handler(number: int, frame: object) -> None:
    now = time.monotonic()
    if not _state["signal"]:
        _state.update(first=now, signal=number)
        if _state["deferring"]:
            _state["pending"] = True
            return
        raise KeyboardInterrupt
    if now - float(_state["first"]) > GRACE_SECONDS:
        os.write(2, b"run.py: interrupted again: stopped at once; the store holds whole replications only\n")
        os._exit(128 + number)


@contextmanager
def deferred() -> Iterator[None]:
    """A block that a signal does not cut short: a signal during it is raised when it ends."""
    _state["deferring"] = int(_state["deferring"]) + 1
    try:
        yield
    finally:
        _state["deferring"] = int(_state["deferring"]) - 1
        if _state["pending"] and not _state["deferring"]:
            _state["pending"] = False
            raise KeyboardInterrupt


@contextmanager
def blocked() -> Iterator[None]:
    """Signals held back (not lost) while worker processes are forked: a child starts with them blocked
    and sets its own handling before unblocking them."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def leave(status: int) -> None:
    """End the process with `status` once the command is over. A command stopped by a signal leaves at
    once (a further Ctrl-C while Python shuts down would kill it with the wrong status); otherwise
    signals arriving while Python shuts down are ignored."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if _state["signal"]:
        os._exit(status)
    for number in SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    sys.exit(status)


def worker_handling() -> None:
    """In a worker process: Ctrl-C is the writer's to handle, SIGTERM ends the worker; then unblock."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
