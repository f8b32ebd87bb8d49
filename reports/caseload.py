"""A caseload run for the command line: its files (`outcomes.csv`, `caseload.csv`, `summary.json`), its
tables per court and its summary, and the charts of backlog, clearance, time to disposition and utilisation.
Everything comes from the store's events (as the matters are stored, or read back for a run already there).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from rich.table import Table

from reports import terminal
from sim.runs.caseload import CaseloadPlayed, CaseloadResult, record_caseload
from sim.scenario import Scenario
from sim.store import DocketStore
from sim.views.caseload import CASELOAD_KEYS, COURTS, MATTER_KEYS, Measures, write_csv, yearly
from sim.views.results import csv_cell


@attrs.define
class CaseloadFiles:
    """What a caseload command collects: the monthly rows, each matter's arrival and disposition, and the
    rows written to DIR/outcomes.csv as they come."""

    out_dir: Path | None
    months: list[dict[str, Any]] = attrs.Factory(list)
    matters: list[dict[str, Any]] = attrs.Factory(list)
    waits: dict[str, list[float]] = attrs.Factory(lambda: {court: [0.0, 0.0] for court in COURTS})
    _file: Any = None
    _writer: Any = None

    def __attrs_post_init__(self) -> None:
        if self.out_dir is not None:
            import csv

            self._file = (self.out_dir / "outcomes.csv").open("w", newline="", encoding="utf-8")
            self._writer = csv.DictWriter(self._file, fieldnames=MATTER_KEYS, lineterminator="\n",
                                          extrasaction="ignore")
            self._writer.writeheader()

    def matter(self, row: dict[str, Any]) -> None:
        self.matters.append({"arrived": row["arrived"], "disposed": row["disposed"]})
        if self._writer is not None:
            self._writer.writerow({k: csv_cell(row[k]) for k in MATTER_KEYS})

    def replication(self, replication: int, measures: Measures, record: CaseloadPlayed) -> None:
        self.months.extend(measures.rows(replication, {c: record.courts[c]["utilisation"] for c in COURTS}))
        for court in COURTS:
            self.waits[court][0] += sum(record.courts[court]["waited"])
            self.waits[court][1] += sum(record.courts[court]["granted"])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self.out_dir is not None:
            with (self.out_dir / "caseload.csv").open("w", newline="", encoding="utf-8") as f:
                write_csv(self.months, CASELOAD_KEYS, f)


def run_caseload(store: DocketStore, scenario: Scenario, seed: int, n: int, out_dir: Path | None,
                 note: Any) -> tuple[CaseloadResult, CaseloadFiles]:
    """Play (or read back) a caseload run and collect its measures; files into `out_dir` if given."""
    files = CaseloadFiles(out_dir)
    try:
        with terminal.progress(f"{scenario.name} (caseload)", n) as update:
            result = record_caseload(store, scenario, seed, n, files.matter, files.replication, update, note)
    finally:
        files.close()
    if out_dir is not None:
        (out_dir / "summary.json").write_text(json.dumps(summary(scenario, result, files), indent=2) + "\n",
                                              encoding="utf-8")
    return result, files


def summary(scenario: Scenario, result: CaseloadResult, files: CaseloadFiles) -> dict[str, Any]:
    """The caseload's summary: per court and year, and over the whole horizon."""
    standard = scenario.caseload.within_days if scenario.caseload else 365
    days = np.array([_days(m) for m in files.matters if m["disposed"]], dtype=float)
    return {"run_id": result.run_id, "scenario": scenario.name, "cases": result.cases, "within_days": standard,
            "time_to_disposition": {
                "median_days": float(np.median(days)) if days.size else None,
                "p90_days": float(np.quantile(days, 0.9)) if days.size else None,
                "within_standard": float(np.mean(days <= standard)) if days.size else None},
            "queue_wait_days": {court: (w / g if g else 0.0) for court, (w, g) in files.waits.items()},
            "by_court_and_year": yearly(files.months, standard, files.matters)}


def _days(matter: dict[str, Any]) -> int:
    import datetime as dt
    return (dt.date.fromisoformat(matter["disposed"]) - dt.date.fromisoformat(matter["arrived"])).days


def court_tables(document: dict[str, Any]) -> list[Table]:
    """One table per court: each year's filings, dispositions, clearance rate, pending at the year's end,
    the oldest pending then (days) and utilisation."""
    tables = []
    for court in COURTS:
        table = Table(title=terminal.text(f"{document['scenario']}: {court}"), title_justify="left")
        for column in ("year", "filed", "disposed", "clearance", "pending at year end", "oldest pending (days)",
                       "utilisation"):
            table.add_column(column, justify="right")
        for row in document["by_court_and_year"]:
            if row["court"] != court:
                continue
            clearance = "" if row["clearance"] is None else f"{row['clearance']:.2f}"
            table.add_row(str(row["year"]), f"{row['filed']:,}", f"{row['disposed']:,}", clearance,
                          f"{row['pending']:,}", f"{row['oldest_pending_days']:,}", f"{row['utilisation']:.2f}")
        tables.append(table)
    return tables


def summary_lines(document: dict[str, Any]) -> list[str]:
    t = document["time_to_disposition"]
    waits = ", ".join(f"{court} {days:.1f}" for court, days in document["queue_wait_days"].items())

    def shown(value: float | None, fmt: str) -> str:
        return "none disposed" if value is None else format(value, fmt)
    return [f"{document['scenario']}: {document['cases']:,} matters; time to disposition (warrant to final "
            f"disposition): median {shown(t['median_days'], '.0f')} days, 90th percentile "
            f"{shown(t['p90_days'], '.0f')}, within {document['within_days']} days "
            f"{shown(t['within_standard'], '.1%')}",
            f"mean wait for a judge (days): {waits}"]
