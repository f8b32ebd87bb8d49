"""Stage durations: how long a matter spent at each stage of the procedure, a pure function of its stored
events (for `run.py stages`, the calibration report and its tests).

The stages, each from the day it starts to the day it ends, where the matter reached it:

- `magistrate`: the warrant issued, to the magistrate judge's ruling on the provider's first challenge
  (its motion to vacate or quash, or its answer to the government's motion to compel);
- `district`: that ruling, to the district judge's ruling on the objection to it;
- `circuit`: the notice of appeal, to the panel's decision (or the dismissal of the appeal);
- `rehearing`: the panel's decision, to the ruling on a petition for rehearing;
- `certiorari`: the petition for certiorari, to the decision on it;
- `merits`: the grant, to the Supreme Court's decision;
- `mlat`: the request for mutual legal assistance, to its execution or refusal;
- `total`: the warrant (the matter's first day where no warrant was sought), to the final disposition.

A stage pending when the matter is dismissed as moot ends with the dismissal, as the real case's merits
stage did (the per curiam of 2018-04-17).

>>> STAGES
('magistrate', 'district', 'circuit', 'rehearing', 'certiorari', 'merits', 'mlat', 'total')
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, TextIO

import attrs

from sim.domain import registry

STAGES = ("magistrate", "district", "circuit", "rehearing", "certiorari", "merits", "mlat", "total")
STAGE_KEYS = ("matter_id", "replication", "stage", "start", "end", "days")
COURT_STAGES = STAGES[:6]

# The stages that count as reached once started; `district` and `rehearing` need an entry that reaches them.
_REACHED_ONCE_STARTED = frozenset({"magistrate", "circuit", "certiorari", "merits", "mlat", "total"})


@attrs.define
class _Stages:
    """A matter's stages as its entries go by: each entry's `registry.Stage` steps applied in order."""

    start: dict[str, str]
    end: dict[str, str] = attrs.Factory(dict)
    reached: set[str] = attrs.Factory(lambda: set(_REACHED_ONCE_STARTED))
    challenge: str | None = None  # the motion the magistrate judge rules on first

    def starts(self, stage: str, e: Any) -> None:
        self.start.setdefault(stage, e.date)

    def restarts(self, stage: str, e: Any) -> None:
        self.start[stage] = e.date

    def reaches(self, stage: str, e: Any) -> None:
        self.reached.add(stage)

    def ends(self, stage: str, e: Any) -> None:
        if stage in self.start:
            self.end.setdefault(stage, e.date)

    def opens(self, stage: str, e: Any) -> None:
        if stage not in self.start:
            self.start[stage] = self.start["total"] = e.date

    def challenges(self, stage: str, e: Any) -> None:
        if self.challenge is None:
            self.challenge = e.motion_id

    def challenge_ruled(self, stage: str, e: Any) -> None:
        if e.motion_id == self.challenge and stage not in self.end:
            self.end[stage] = self.start[STAGES[STAGES.index(stage) + 1]] = e.date

    def ends_pending(self, stage: str, e: Any) -> None:
        for pending in COURT_STAGES:
            if pending in self.start and pending not in self.end and pending in self.reached:
                self.end[pending] = e.date


def stage_rows(events: list[Any]) -> list[dict[str, Any]]:
    """One row per stage the matter reached (its start and its end on record), in the order of `STAGES`."""
    opened = events[0]
    matter_id, replication = str(opened.originator_id), opened.replication
    return [{"matter_id": matter_id, "replication": replication, "stage": stage, "start": start, "end": end,
             "days": (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days}
            for stage, start, end in stage_spans(events) if end is not None]


def stage_spans(events: list[Any], still_open: bool = False) -> list[tuple[str, str, str | None]]:
    """Each stage the matter reached, in the order of `STAGES`: (stage, start, end), the end None for a stage
    begun and not yet ended. `still_open`: the matter has not ended (a caseload's at its horizon), so a
    warrant issued whose challenge may be still to come counts at the magistrate judge's (the stage begun and
    not yet shown reached, where no later stage has begun). A stage that only a later entry reaches
    (an objection, a petition for rehearing) does not count before it: the matter may have gone on past it."""
    opened = events[0]
    track = _Stages({"total": opened.start_date})
    for e in events[1:]:
        for step in registry.STAGE_STEPS.get(type(e).__name__, ()):
            if step.when(e):
                getattr(track, step.verb)(step.stage, e)
    if "magistrate" in track.start and track.challenge is None:
        track.reached.discard("magistrate")
    start, end = track.start, track.end
    begun = [stage for stage in COURT_STAGES if stage in start]
    latest = begun[-1] if still_open and begun == ["magistrate"] and "magistrate" not in end else None
    return [(stage, start[stage], end.get(stage)) for stage in STAGES
            if stage in start and (stage in track.reached or stage == latest)]


_WIDTHS = (36, 11, 10, 10, 10, 6)


def write_stages(matters: Iterable[list[dict[str, Any]]], fmt: str, out: TextIO) -> int:
    """Write each matter's stage rows as they come: "text" (aligned columns), "csv" or "json" (an array of
    objects); returns the number of rows written."""
    written = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=STAGE_KEYS, lineterminator="\n")
        writer.writeheader()
    elif fmt == "json":
        out.write("[")
    else:
        out.write(_line(STAGE_KEYS))
    for rows in matters:
        for row in rows:
            if fmt == "csv":
                writer.writerow(row)
            elif fmt == "json":
                out.write(("," if written else "") + "\n  " + json.dumps(row))
            else:
                out.write(_line([row[k] for k in STAGE_KEYS]))
            written += 1
    if fmt == "json":
        out.write("\n]\n" if written else "]\n")
    return written


def _line(cells: Iterable[Any]) -> str:
    parts = [f"{cell!s:>{width}}" if i in (1, 5) else f"{cell!s:<{width}}"
             for i, (cell, width) in enumerate(zip(cells, _WIDTHS, strict=True))]
    return "  ".join(parts).rstrip() + "\n"
