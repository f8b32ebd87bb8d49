"""Caseflow measures of a caseload, projections of its stored events (the CourTools' clearance rate, time to
disposition and age of the pending caseload, per court and month or year).

A matter is pending at a court over the interval `run.py stages` reports as that court's stage:
`magistrate` and `district` their stages; `circuit` from the notice of appeal to the panel's decision, or to
the ruling on rehearing where one was sought; `supreme` from the petition for certiorari to its denial, or
to the decision on the merits. A matter pending on a month's last day counts in `pending` that month; it is
`filed` in the month its interval starts and `disposed` in the month it ends. Days are counted from the
caseload's start date. The world stops at the horizon: an interval still open then (`stages` reports none
yet) counts as pending to the horizon's end.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Any, TextIO

import numpy as np

from sim.domain.registry import ROW_PARTS
from sim.views.projections import OUTCOME_KEYS, outcome_row
from sim.views.results import csv_cell
from sim.views.stages import stage_spans

COURTS = ("magistrate", "district", "circuit", "supreme")
STAGES_OF = {"magistrate": ("magistrate",), "district": ("district",), "circuit": ("circuit", "rehearing"),
             "supreme": ("certiorari", "merits")}
CASELOAD_KEYS = ("replication", "year", "month", "court", "filed", "disposed", "pending", "oldest_pending_days",
                 "utilisation")
MATTER_KEYS = (*OUTCOME_KEYS, "case", "arrived", "disposed")
OPEN = 1 << 40  # the last day of an interval still open at the horizon
Interval = tuple[str, str, str | None]  # court, first day (ISO), last day (ISO; None: still pending)
PENDING = "pending"  # the final disposition of a matter still open at the horizon


def _ends(event: Any) -> bool:
    """Whether `event` is the matter's final disposition (its kind's part in the outcome row is the end)."""
    return ROW_PARTS.get(type(event).__name__) == "end"


def court_intervals(events: list[Any]) -> list[Interval]:
    """The courts a matter was pending at, each from the start of its first stage there to the end of its
    last (`stages`' own rows). For a matter without a final disposition (the horizon cut it) the last day is
    None where a stage there had begun and not ended, a warrant's challenge still to come included
    (`stage_spans`' `still_open`)."""
    still_open = not any(_ends(e) for e in reversed(events))
    spans = {stage: (start, end) for stage, start, end in stage_spans(events, still_open)}
    out: list[Interval] = []
    for court in COURTS:
        found = [spans[stage] for stage in STAGES_OF[court] if stage in spans]
        closed = [(start, end) for start, end in found if end is not None]
        if len(closed) < len(found) and still_open:
            out.append((court, found[0][0], None))
        elif closed:
            out.append((court, closed[0][0], max(end for _, end in closed)))
    return out


def matter_row(events: list[Any], pending: bool = False) -> dict[str, Any]:
    """A caseload matter's outcome row: the one-matter row, plus its case number, the day it arrived (its
    warrant) and the day of its final disposition (`pending`: the matter was open at the horizon; without a
    final disposition its `final_disposition` reads "pending" and `disposed` is empty)."""
    row = outcome_row(events)
    opened = events[0]
    final = next((e.date for e in events if _ends(e)), None)
    if pending and final is None:
        row["final_disposition"] = PENDING
    return {**row, "case": opened.parties.get("case"), "arrived": opened.start_date, "disposed": final}


class Measures:
    """A replication's matters, kept as a few numbers each (per court, the first and last day pending, and
    the matter's arrival and disposition), turned into monthly rows at the end."""

    def __init__(self, first: dt.date, months: list[str]) -> None:
        self.first, self.months = first, [dt.date.fromisoformat(m) for m in months]
        self.spans: dict[str, list[tuple[int, int]]] = {court: [] for court in COURTS}

    def _day(self, iso: str | None) -> int:
        return OPEN if iso is None else (dt.date.fromisoformat(iso) - self.first).days

    def add(self, events: list[Any], row: dict[str, Any]) -> None:
        for court, first, last in court_intervals(events):
            self.spans[court].append((self._day(first), self._day(last)))

    def month_ends(self) -> list[int]:
        """The last day of each month of the horizon, counted from the start."""
        nexts = [*self.months[1:], (self.months[-1] + dt.timedelta(days=32)).replace(day=1)]
        return [(m - self.first).days - 1 for m in nexts]

    def rows(self, replication: int, utilisation: dict[str, list[float]]) -> list[dict[str, Any]]:
        """caseload.csv's rows of the replication: one per month and court, in month order."""
        ends = self.month_ends()
        starts = [max(0, (m - self.first).days) for m in self.months]
        out = []
        arrays = {court: np.array(spans, dtype=np.int64).reshape(-1, 2) for court, spans in self.spans.items()}
        for i, month in enumerate(self.months):
            for court in COURTS:
                a = arrays[court]
                first, last = a[:, 0], a[:, 1]
                pending = (first <= ends[i]) & (last > ends[i])
                out.append({"replication": replication, "year": month.year, "month": month.month, "court": court,
                            "filed": int(np.sum((first >= starts[i]) & (first <= ends[i]))),
                            "disposed": int(np.sum((last >= starts[i]) & (last <= ends[i]))),
                            "pending": int(np.sum(pending)),
                            "oldest_pending_days": int(np.max(ends[i] - first[pending])) if pending.any() else 0,
                            "utilisation": round(utilisation[court][i], 4)})
        return out


def write_csv(rows: Iterable[dict[str, Any]], keys: tuple[str, ...], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row[k]) for k in keys})


def yearly(rows: list[dict[str, Any]], standard: int, matters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per court and year: each figure taken in each replication (filings, dispositions, clearance rate,
    pending at the year's end, the oldest pending then, mean utilisation; the system's time to disposition,
    arrival to final disposition, of the matters disposed that year: median, 90th percentile and share within
    `standard` days), then the median of each across the replications (with `replications`, how many)."""
    table: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
    for row in rows:  # a replication's months come in order
        t = table.setdefault((row["court"], row["year"]), {}).setdefault(row["replication"], {
            "filed": 0, "disposed": 0, "utilisation": []})
        t["filed"] += row["filed"]
        t["disposed"] += row["disposed"]
        t["utilisation"].append(row["utilisation"])
        t["pending"], t["oldest_pending_days"] = row["pending"], row["oldest_pending_days"]
    days: dict[tuple[int, int], list[int]] = {}
    for m in matters:
        if m["disposed"]:
            days.setdefault((m["replication"], int(m["disposed"][:4])), []).append(
                (dt.date.fromisoformat(m["disposed"]) - dt.date.fromisoformat(m["arrived"])).days)
    out = []
    for (court, year), by_rep in sorted(table.items(), key=lambda kv: (COURTS.index(kv[0][0]), kv[0][1])):
        per = []
        for replication, t in by_rep.items():
            done = np.array(days.get((replication, year), []), dtype=float)
            per.append({"filed": t["filed"], "disposed": t["disposed"],
                        "clearance": t["disposed"] / t["filed"] if t["filed"] else None,
                        "pending": t["pending"], "oldest_pending_days": t["oldest_pending_days"],
                        "utilisation": float(np.mean(t["utilisation"])),
                        "median_days": float(np.median(done)) if done.size else None,
                        "p90_days": float(np.quantile(done, 0.9)) if done.size else None,
                        "within_standard": float(np.mean(done <= standard)) if done.size else None})
        out.append({"court": court, "year": year, "replications": len(per),
                    **{key: _median([p[key] for p in per]) for key in per[0]}})
    return out


def _median(values: list[Any]) -> Any:
    """The median of the values given (None where there are none); an int where it is a whole number."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    middle = float(np.median(present))
    return int(middle) if all(isinstance(v, int) for v in present) and middle.is_integer() else middle
