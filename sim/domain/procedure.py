"""Legal order of the procedure: what must be on record before each kind of event.

`requirement` answers with the missing prerequisite, named as an event, or None when the event may
be recorded now. It reads only the matter's state, so it holds on a rebuilt matter too. What each kind
needs is declared in the registry of steps (`sim.domain.registry`: `after`, `disposes`, `requires`),
from the conditions of `sim.domain.conditions`, and compiled there once per kind (`LEGAL_ORDER`).
"""

from __future__ import annotations

from typing import Any, Protocol

from sim.domain import registry
from sim.domain.conditions import MOOTNESS_MOTIONS, MOTIONS
from sim.domain.unlawful import OutOfOrder, Unlawful

__all__ = ["AFTER_DISPOSITION", "MOOTNESS_MOTIONS", "MOTION_PREREQUISITES", "PREREQUISITES", "RULINGS",
           "OutOfOrder", "Unlawful", "requirement"]


class MatterState(Protocol):
    seen: dict[str, int]
    motions: dict[str, dict[str, Any]]
    appealable_order: str | None
    warrants_served: int
    cert_granted: bool
    en_banc_granted: bool
    stayed: bool
    mlat_outcome: str | None
    statutes_in_force: list[str]
    applications: dict[str, dict[str, Any]]
    nondisclosure: dict[str, Any] | None
    holding: str
    owed: dict[str, bool]
    mandate: dict[str, Any] | None
    sanction_running: bool

    @property
    def pending_motions(self) -> dict[str, str]: ...


# Derived from the registry: what must be on record (one of them), the motion kinds (each with what it
# needs), the rulings and the kinds of motion each disposes of, and what may follow a final disposition.
PREREQUISITES = registry.PREREQUISITES
MOTION_PREREQUISITES = MOTIONS
RULINGS = registry.RULINGS
AFTER_DISPOSITION = registry.AFTER_DISPOSITION


def requirement(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    """The prerequisite `event` lacks on `matter`, described by event name, or None if it may follow:
    its kind's conditions of legal order (`registry.LEGAL_ORDER`), in order."""
    for condition in registry.LEGAL_ORDER[event]:
        lacking = condition(matter, fields)
        if lacking:
            return lacking
    return None
