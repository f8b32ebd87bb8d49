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

from sim.domain import registry

STAGES = ("magistrate", "district", "circuit", "rehearing", "certiorari", "merits", "mlat", "total")
STAGE_KEYS = ("matter_id", "replication", "stage", "start", "end", "days")
COURT_STAGES = STAGES[:6]

# Event -> the stage it starts, reaches or ends (declared in the registry).
_STARTS, _REACHED_BY, _ENDS = registry.STAGE_STARTS, registry.STAGE_REACHED, registry.STAGE_ENDS


def stage_rows(events: list[Any]) -> list[dict[str, Any]]:
    """One row per stage the matter reached (its start and its end on record), in the order of `STAGES`."""
    opened = events[0]
    start: dict[str, str] = {"total": opened.start_date}
    end: dict[str, str] = {}
    reached: set[str] = {"magistrate", "circuit", "certiorari", "merits", "mlat", "total"}
    challenge: str | None = None  # the motion the magistrate judge rules on first
    for e in events[1:]:
        name, date = type(e).__name__, e.date
        if name == "WarrantIssued" and "magistrate" not in start:
            start["magistrate"] = start["total"] = date
        elif name in ("MotionFiled", "ComityMotionFiled") and challenge is None and e.court_level == "magistrate":
            challenge = e.motion_id
        elif name in ("MotionRuled", "ComityMotionRuled") and e.motion_id == challenge and "magistrate" not in end:
            end["magistrate"] = start["district"] = date
        elif name in _REACHED_BY:
            reached.add(_REACHED_BY[name])
        elif name in _STARTS:
            start.setdefault(_STARTS[name], date)
        elif name == "DismissedAsMoot":
            for stage in COURT_STAGES:
                if stage in start and stage not in end and stage in reached:
                    end[stage] = date
        if name in _ENDS and _ENDS[name] in start:
            end.setdefault(_ENDS[name], date)
        if name == "PanelDecided":
            start["rehearing"] = date
        elif name == "CertDecided" and e.granted:
            start["merits"] = date
    if "magistrate" in start and challenge is None:
        reached.discard("magistrate")
    matter_id, replication = str(opened.originator_id), opened.replication
    return [{"matter_id": matter_id, "replication": replication, "stage": stage, "start": start[stage],
             "end": end[stage], "days": (dt.date.fromisoformat(end[stage]) - dt.date.fromisoformat(start[stage])).days}
            for stage in STAGES if stage in reached and stage in start and stage in end]


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
