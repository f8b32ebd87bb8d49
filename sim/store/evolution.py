"""Stored events are an interface: how this release reads a store written by an earlier one.

`EVENT_FORMAT` (`sim.domain.matter`) numbers the shape of the events a release writes. A store records
the format of the release that created it (`StoreFormat`), and is raised to this release's format when
this release records into it. A store of format `OLDEST_FORMAT` to `EVENT_FORMAT` opens with no manual
step, its events evolved as they are read, the event-sourced way:

- an event class whose fields change gets ``class_version = N + 1`` and a static method
  ``upcast_vN_vN1(state)`` that turns the stored state of version N into version N + 1 in place (the
  library's own mechanism: a stored state carries its ``class_version`` when it is above 1, and the
  mapper applies the upcasts in turn on read). An aggregate whose snapshots change (`Matter`) gets the
  same on the aggregate class (the library upcasts snapshot states with it);
- a class renamed or moved keeps its old topic in `RENAMED` (old topic -> new topic), registered with the
  library's `register_topic` before anything is read.

A store of a newer format than this release knows, or of a format older than `OLDEST_FORMAT`, is refused
in one line. To change an event: commit a fixture store made by the release *before* the change
(``tests/fixtures/formatN.sqlite`` and its ``formatN.expected.json``, recorded by
``tests/fixtures/expect.py``), then bump `EVENT_FORMAT`, declare the upcast or rename here or on the class,
and `tests/test_evolution.py` checks every fixture in the folder still opens, lists its runs, shows its
dockets as recorded, audits, reports and takes a new run.
"""

from __future__ import annotations

from eventsourcing.utils import TopicError, register_topic, resolve_topic

from sim.domain.matter import EVENT_FORMAT
from sim.errors import StoreError
from sim.store.url import Location

OLDEST_FORMAT = 3  # formats 1 and 2 were development stages before stores were kept; no fixture, no upcasts

RENAMED: dict[str, str] = {
    # "sim.old_module:Matter.OldName": "sim.domain.matter:Matter.NewName",
}


def register_renames() -> None:
    """Make every old topic in `RENAMED` resolve to its class (once per process; idempotent)."""
    for old, new in RENAMED.items():
        try:
            register_topic(old, resolve_topic(new))
        except TopicError as e:
            raise AssertionError(f"sim.store.evolution.RENAMED[{old!r}]: {e}") from None


def check_readable(found: int | None, where: Location) -> None:
    """Refuse a store whose format this release cannot read (`found` None: a format it does not know)."""
    if found is not None and OLDEST_FORMAT <= found <= EVENT_FORMAT:
        return
    if found is None or found > EVENT_FORMAT:
        written = "a newer event format" if found is None else f"event format {found}"
        raise StoreError(f"{where.shown}: written by a newer docketsim ({written}; this version reads formats "
                         f"{OLDEST_FORMAT} to {EVENT_FORMAT}); upgrade docketsim to read it")
    raise StoreError(f"{where.shown}: written with docketsim event format {found}, from before stores were kept "
                     f"across releases (this version reads formats {OLDEST_FORMAT} to {EVENT_FORMAT}); record "
                     f"into {new_store(where)}")


def new_store(where: Location) -> str:
    """Advice naming a new store of the same kind as `where`."""
    if where.scheme == "postgresql":
        return "a new database (--store postgresql://USER@HOST:PORT/NEWDB)"
    if where.scheme == "memory":
        return "a new store"
    return "a new store file (--store sqlite:///NEW.sqlite)"
