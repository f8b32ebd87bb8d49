"""A report from stored runs alone: rows rebuilt by the outcome projection, the effective scenarios
the runs recorded, the historical docket, the median replication's timeline; then charts and HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from sim.calibration import Calibration, calibrate
from sim.errors import UserError
from sim.projections import outcome_row, timeline
from sim.results import OutcomeWriter, Tally, summary_document
from sim.runner import run_scenario, stored_prefix
from sim.store import DocketStore, Run

HISTORICAL_KIND = "historical"


@attrs.frozen
class SweepPoint:
    """One value of a swept parameter and the run made with it."""

    scenario: str
    value: str
    run_id: str


def stored_rows(store: DocketStore, run: Run) -> list[dict[str, Any]]:
    """The outcome rows of a run's stored replications, rebuilt from their events."""
    ids = run.matter_ids()[:stored_prefix(store, run)]
    return [outcome_row(store.matter_events(str(m))) for m in ids]


def median_replication(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The replication at the median time to disclosure (the first replication if none disclosed)."""
    if not rows:
        return None
    disclosed = sorted((r for r in rows if r["days_to_disclosure"] is not None),
                       key=lambda r: (r["days_to_disclosure"], r["replication"]))
    return disclosed[(len(disclosed) - 1) // 2] if disclosed else rows[0]


def historical_entries(store: DocketStore) -> list[dict[str, Any]]:
    """The docket of the newest historical run in the store (empty if there is none)."""
    run = historical_run(store)
    return timeline(store.matter_events(str(run.matter_ids()[0]))) if run else []


def historical_run(store: DocketStore) -> Run | None:
    """The newest historical run in the store with its matter stored (None if there is none)."""
    for run in reversed(store.runs()):
        if run.scenario_data.get("scenario", {}).get("kind") == HISTORICAL_KIND and stored_prefix(store, run):
            return run
    return None


def calibration_of(store: DocketStore, runs: list[Run]) -> Calibration | None:
    """The calibration of the report's first stochastic run (else its first simulated run) against the
    historical case in the store; None when either is missing."""
    simulated = [r for r in runs if r.scenario_data.get("scenario", {}).get("kind") != HISTORICAL_KIND]
    stochastic = [r for r in simulated if r.scenario_data.get("scenario", {}).get("kind") == "stochastic"]
    historical = historical_run(store)
    if not simulated or historical is None:
        return None
    return calibrate(store, (stochastic or simulated)[0], historical)


def _tally(run: Run, rows: list[dict[str, Any]]) -> Tally:
    tally = Tally(str(run.id), run.scenario, run.seed, len(rows))
    for row in rows:
        tally.add(row)
    return tally


def build_report(store: DocketStore, run_ids: list[str], out_dir: Path,
                 sweep: tuple[str, list[SweepPoint]] | None = None) -> Path:
    """Write index.html, every chart (PNG and SVG), outcomes.csv and summary.json into `out_dir`."""
    from reports.html import write_report

    runs = [store.run(run_id) for run_id in run_ids]
    sweep_ids = {p.run_id for p in sweep[1]} if sweep else set()
    gathered = []
    tallies: dict[str, Tally] = {}
    writer = OutcomeWriter(out_dir)
    try:
        for run in runs:
            rows = stored_rows(store, run)
            for row in rows:
                writer.write(row)
            tallies[str(run.id)] = _tally(run, rows)
            if str(run.id) not in sweep_ids:
                gathered.append({"scenario": run_scenario(run), "summary": tallies[str(run.id)].summary(),
                                 "rows": rows, "run_id": str(run.id)})
    finally:
        writer.close()
    main = [tallies[g["run_id"]] for g in gathered]
    timelines = {}
    for g in gathered:
        median = median_replication(g["rows"])
        if median is not None:
            timelines[g["scenario"].name] = timeline(store.matter_events(median["matter_id"]))
    seeds = sorted({r.seed for r in runs})
    sizes = sorted({r.replications for r in runs})
    seed, n = (seeds[0] if len(seeds) == 1 else seeds), (sizes[0] if len(sizes) == 1 else sizes)
    summary = summary_document([(r.scenario_path, r.scenario_hash, tallies[str(r.id)]) for r in runs], main,
                               seed, n)
    writer.summary(summary, [])
    sweep_arg = None
    if sweep:
        key, points = sweep
        sweep_arg = {"key": key, "points": [(p.value, tallies[p.run_id].summary()) for p in points],
                     "scenario": points[0].scenario}
    return write_report(out_dir, runs=[{k: g[k] for k in ("scenario", "summary", "rows")} for g in gathered],
                        pairs=summary["paired_differences"], historical_entries=historical_entries(store),
                        timelines=timelines, seed=seed, n=n, sweep=sweep_arg, calibration=calibration_of(store, runs))


def sweep_values(text: str) -> tuple[str, list[str]]:
    """KEY=V1,V2,... as (key, values); values are parsed later, as --set values are."""
    key, sep, values = text.partition("=")
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or not key.strip() or not items:
        raise UserError(f"--sweep {text!r}: expected KEY=V1,V2,..., e.g. "
                        "court_of_appeals.doctrine.location=0.2,0.5,0.8")
    return key.strip(), items
