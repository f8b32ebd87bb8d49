"""A caseload run for the command line: its files (`outcomes.csv`, `caseload.csv`, `summary.json`), its
tables per court and its summary, and the charts of backlog, clearance, time to disposition and utilisation.
Everything comes from the store's events (as the matters are stored, or read back for a run already there).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from rich.table import Table

from reports import terminal
from sim.runs.caseload import (
    CaseloadPlayed,
    CaseloadResult,
    _from_store,
    is_caseload,
    record_caseload,
    stored_replications,
)
from sim.scenario import Scenario
from sim.store import DocketStore
from sim.views.caseload import CASELOAD_KEYS, COURTS, MATTER_KEYS, Measures, write_csv, yearly
from sim.views.results import csv_cell


@attrs.define
class CaseloadFiles:
    """What a caseload command collects: the monthly rows, each matter's arrival and disposition, and the
    rows written to DIR/outcomes.csv, a replication's at a time in the order of their cases (the same file
    whether the matters come as they end, from the store, or from a resumed run)."""

    out_dir: Path | None
    months: list[dict[str, Any]] = attrs.Factory(list)
    matters: list[dict[str, Any]] = attrs.Factory(list)
    waits: dict[str, list[float]] = attrs.Factory(lambda: {court: [0.0, 0.0] for court in COURTS})
    _file: Any = None
    _writer: Any = None
    _cases: dict[int, list[Any]] = attrs.Factory(dict)  # the replication's rows so far, by case

    def __attrs_post_init__(self) -> None:
        if self.out_dir is not None:
            import csv

            self._file = (self.out_dir / "outcomes.csv").open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._file, lineterminator="\n")
            self._writer.writerow(MATTER_KEYS)

    def matter(self, row: dict[str, Any]) -> None:
        self.matters.append({"replication": row["replication"], "arrived": row["arrived"],
                             "disposed": row["disposed"]})
        if self._writer is not None:
            self._cases[row["case"]] = [csv_cell(row[k]) for k in MATTER_KEYS]

    def replication(self, replication: int, measures: Measures, record: CaseloadPlayed) -> None:
        if self._writer is not None:  # the replication's rows in the order of their cases, however they came
            self._writer.writerows(self._cases[case] for case in sorted(self._cases))
            self._cases.clear()
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
                 note: Any, jobs: int = 1) -> tuple[CaseloadResult, CaseloadFiles]:
    """Play (or read back) a caseload run, its replications split over `jobs` processes, and collect its
    measures; files into `out_dir` if given."""
    files = CaseloadFiles(out_dir)
    try:
        with terminal.progress(f"{scenario.name} (caseload)", n) as update:
            result = record_caseload(store, scenario, seed, n, files.matter, files.replication, update, note, jobs)
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
            "replications": len({m["replication"] for m in files.matters}),
            "pending_at_horizon": sum(1 for m in files.matters if not m["disposed"]),
            "time_to_disposition": {
                "median_days": float(np.median(days)) if days.size else None,
                "p90_days": float(np.quantile(days, 0.9)) if days.size else None,
                "within_standard": float(np.mean(days <= standard)) if days.size else None},
            "queue_wait_days": {court: (w / g if g else 0.0) for court, (w, g) in files.waits.items()},
            "by_court_and_year": yearly(files.months, standard, files.matters)}


def _days(matter: dict[str, Any]) -> int:
    return (dt.date.fromisoformat(matter["disposed"]) - dt.date.fromisoformat(matter["arrived"])).days


def court_tables(document: dict[str, Any]) -> list[Table]:
    """One table per court: each year's filings, dispositions, clearance rate, pending at the year's end,
    the oldest pending then (days) and utilisation."""
    tables = []
    for court in COURTS:
        title = f"{document['scenario']}: {court}"
        if document["replications"] > 1:
            title += f" (medians of {document['replications']} replications)"
        table = Table(title=terminal.text(title), title_justify="left")
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
    return [f"{document['scenario']}: {document['cases']:,} matters, {document['pending_at_horizon']:,} of them "
            f"still open at the horizon; time to disposition (warrant to final disposition, of those disposed): "
            f"median {shown(t['median_days'], '.0f')} days, 90th percentile "
            f"{shown(t['p90_days'], '.0f')}, within {document['within_days']} days "
            f"{shown(t['within_standard'], '.1%')}",
            f"mean wait for a judge (days): {waits}"]


# The report: charts of backlog, clearance, time to disposition and utilisation -----------------------

@attrs.frozen
class Gathered:
    """One caseload run read back from the store, for the report."""

    scenario: Scenario
    result: CaseloadResult
    files: CaseloadFiles


def gather(store: DocketStore, run_id: str, out_dir: Path | None) -> Gathered:
    """A stored caseload run's measures, from its stored events (files into `out_dir` if given)."""
    from sim.errors import UserError
    from sim.runs.runner import run_scenario

    run = store.run(run_id)
    if not is_caseload(run):
        raise UserError(f"run {run_id} ({run.scenario}) is not a caseload run; report caseload runs together, "
                        "and one-matter runs together")
    scenario = run_scenario(run)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    files = CaseloadFiles(out_dir)
    try:
        done = stored_replications(store, run)
        _from_store(store, run, done, files.matter, files.replication)
    finally:
        files.close()
    result = CaseloadResult(run_id, [], True, len(files.matters))
    if out_dir is not None:
        (out_dir / "summary.json").write_text(json.dumps(summary(scenario, result, files), indent=2) + "\n",
                                              encoding="utf-8")
    return Gathered(scenario, result, files)


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.quantile(values, 0.05, axis=0), np.median(values, axis=0), np.quantile(values, 0.95, axis=0))


def _series(files: CaseloadFiles, court: str, key: str) -> tuple[list[str], np.ndarray]:
    """Per replication (rows) and month (columns): one court's `key`."""
    by_rep: dict[int, list[float]] = {}
    months: list[str] = []
    for row in files.months:
        if row["court"] == court:
            by_rep.setdefault(row["replication"], []).append(row[key])
            if row["replication"] == 0:
                months.append(f"{row['year']}-{row['month']:02d}")
    return months, np.array(list(by_rep.values()), dtype=float)


def charts(gathered: list[Gathered], out_dir: Path, colours: dict[str, str]) -> list[dict[str, str]]:
    """The caseload section's charts, each as PNG and SVG: backlog over time (median and 5-95% band across
    replications), clearance rate by year, time to disposition by regime, utilisation by court; what the
    report's page shows of each (`colours`: the report's, by scenario)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reports.charts import save

    written = []

    def shown(fig: Any, stem: str, question: str, caption: str) -> None:
        png, svg = save(fig, out_dir, stem)
        plt.close(fig)
        written.append({"stem": stem, "png": png.name, "svg": svg.name, "question": question, "caption": caption,
                        "section": "caseload"})

    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, layout="constrained")
    for ax, court in zip(axes.flat, COURTS, strict=True):
        for g in gathered:
            months, values = _series(g.files, court, "pending")
            if not values.size:
                continue
            x = np.arange(len(months))
            low, mid, high = _band(values)
            ax.fill_between(x, low, high, color=colours[g.scenario.name], alpha=0.2, linewidth=0)
            ax.plot(x, mid, color=colours[g.scenario.name], label=g.scenario.name)
            ticks = x[::12]
            ax.set_xticks(ticks, [months[i][:4] for i in ticks], fontsize=8)
        ax.set_title(f"{court}: matters pending at the month's end", fontsize=10)
    _legend(fig, axes)
    fig.suptitle("Backlog over time (median and 5-95% band across replications)")
    shown(fig, "caseload-backlog", "How many matters wait at each court?",
          "Matters pending at each court on each month's last day: the median across replications, and the band "
          "from the 5th to the 95th percentile. A matter is pending at a court over the stage `stages` reports for "
          "it; one still open at the horizon counts as pending to the end.")

    fig, axes = plt.subplots(2, 2, figsize=(11, 7), layout="constrained")
    for ax, court in zip(axes.flat, COURTS, strict=True):
        for g in gathered:
            years = [r for r in yearly(g.files.months, 365, []) if r["court"] == court]
            ax.plot([r["year"] for r in years], [r["clearance"] if r["clearance"] is not None else np.nan
                                                for r in years],
                    marker="o", color=colours[g.scenario.name], label=g.scenario.name)
        ax.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
        ax.set_title(f"{court}: dispositions / filings", fontsize=10)
    _legend(fig, axes)
    fig.suptitle("Clearance rate by year (1 = the court keeps up)")
    shown(fig, "caseload-clearance", "Does each court keep up?",
          "Each year's dispositions over its filings at each court (CourTools' clearance rate), the median across "
          "replications; below the dashed line the court's backlog grows.")

    fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    for g in gathered:
        days = np.sort([_days(m) for m in g.files.matters if m["disposed"]])
        if days.size:
            ax.step(days, np.arange(1, days.size + 1) / days.size, where="post", color=colours[g.scenario.name],
                    label=g.scenario.name)
    standard = gathered[0].scenario.caseload.within_days if gathered and gathered[0].scenario.caseload else 365
    ax.axvline(standard, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel("days from the warrant to the final disposition")
    ax.set_ylabel("share of matters disposed")
    ax.legend(fontsize=8)
    ax.set_title(f"Time to disposition by regime (dashed: the standard, {standard} days)")
    shown(fig, "caseload-time-to-disposition", "How long from the warrant to the final disposition?",
          "Share of the matters disposed by the horizon that were disposed within each number of days of their "
          f"warrant, every replication pooled; the dashed line is the standard of {standard} days. Matters still "
          "open at the horizon are not in these curves (the tables give how many).")

    fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    width = 0.8 / max(1, len(gathered))
    for i, g in enumerate(gathered):
        means = [float(np.mean(_series(g.files, court, "utilisation")[1])) for court in COURTS]
        ax.bar(np.arange(len(COURTS)) + i * width, means, width, color=colours[g.scenario.name],
               label=g.scenario.name)
    ax.set_xticks(np.arange(len(COURTS)) + width * (len(gathered) - 1) / 2, COURTS)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of the judges' places in use")
    ax.legend(fontsize=8)
    ax.set_title("Utilisation by court (mean over the horizon and replications)")
    shown(fig, "caseload-utilisation", "How busy are the judges these matters get?",
          "The share of each court's places (judges times the matters each carries at once) in use, the mean over "
          "the horizon's months and the replications. At the Supreme Court a granted case holds a place until its "
          "decision; the Court's conferences and sittings keep their own calendar (see the scenario's assumption).")
    return written


def _legend(fig: Any, axes: Any) -> None:
    """One legend for a figure of panels, below them (so it never covers a panel's lines), each scenario once."""
    from reports.charts import legend_below

    labelled: dict[str, Any] = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            labelled.setdefault(label, handle)
    if labelled:
        legend_below(fig, list(labelled.values()), list(labelled), fontsize=8)


def folder_name(scenario: str) -> str:
    """A run's folder in the report: its scenario's name with anything but letters, digits, _ . - as _."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario).strip("_") or "run"


def section(store: DocketStore, run_ids: list[str], out_dir: Path,
            colours: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The report's caseload section from stored caseload runs: per run its files in DIR/SCENARIO/, the four
    charts in DIR, and what the page shows (`colours`: the report's, by scenario); with each run's summary
    document."""
    from reports.html import scenario_parameters

    gathered = [gather(store, run_id, out_dir / folder_name(store.run(run_id).scenario)) for run_id in run_ids]
    drawn = charts(gathered, out_dir, colours)
    documents = [summary(g.scenario, g.result, g.files) for g in gathered]
    runs = []
    for g, document in zip(gathered, documents, strict=True):
        rows = [dict(row, clearance="" if row["clearance"] is None else f"{row['clearance']:.2f}",
                     utilisation=f"{row['utilisation']:.2f}",
                     **{key: "" if row[key] is None else f"{row[key]:,}" for key in
                        ("filed", "disposed", "pending", "oldest_pending_days")})
                for row in document["by_court_and_year"]]
        runs.append({"name": g.scenario.name, "colour": colours[g.scenario.name], "run_id": g.result.run_id,
                     "folder": folder_name(g.scenario.name), "lines": summary_lines(document), "rows": rows,
                     "replications": document["replications"]})
    return ({"runs": runs, "charts": drawn,
             "scenarios": [dict(scenario_parameters(g.scenario), colour=colours[g.scenario.name]) for g in gathered]},
            documents)


def report(store: DocketStore, run_ids: list[str], out_dir: Path) -> Path:
    """The report of stored caseload runs alone: index.html (the report's page, with its caseload section),
    the charts, summary.json and per run its files in DIR/SCENARIO/."""
    from reports.html import write_report
    from sim.colours import palette

    runs = [store.run(run_id) for run_id in run_ids]
    colours = palette(run.scenario for run in runs)
    shown, documents = section(store, run_ids, out_dir, colours)
    (out_dir / "summary.json").write_text(json.dumps({"caseloads": documents}, indent=2) + "\n", encoding="utf-8")
    seeds = sorted({run.seed for run in runs})
    ns = sorted({run.replications for run in runs})
    return write_report(out_dir, runs=[], pairs=[], historical_entries=[], timelines={},
                        seed=seeds[0] if len(seeds) == 1 else seeds, n=ns[0] if len(ns) == 1 else ns, caseload=shown)
