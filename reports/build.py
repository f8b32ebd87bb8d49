"""A report from stored runs alone: rows rebuilt by the outcome projection, the effective scenarios
the runs recorded, the historical docket, the median replication's timeline; then charts and HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from sim.colours import family
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


def run_label(store: DocketStore, run: Run) -> str:
    """What sets a run apart from a plain run of its scenario: a fork's source, fork point and changes, or a
    sweep's (or other setting's) key and value; "" for a plain run."""
    changes = ", ".join(f"{key}={value}" for key, value in run.settings)
    if run.fork:
        source_id, seq = run.fork["matter_id"], run.fork["seq"]
        try:
            (cut,) = store.matter_events_between(source_id, seq - 1, seq)
            opened = store.matter_events_between(source_id, 0, 1)[0]
            source = f"{opened.scenario} matter {source_id[:8]}, after entry {seq} ({cut.date})"
        except (UserError, ValueError):
            source = f"matter {source_id[:8]} (no longer in the store), after entry {seq}"
        return f"fork of {source}" + (f": {changes}" if changes else "")
    if changes and family(run.scenario) != run.scenario:
        return f"sweep: {changes}"
    return changes


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
    """The docket of the newest run of a historical scenario as recorded (not a fork of it, nor a run with
    changed settings); empty if there is none."""
    for run in reversed(store.runs()):
        as_recorded = run.fork is None and not run.settings
        if run.scenario_data.get("scenario", {}).get("kind") == HISTORICAL_KIND and as_recorded \
                and stored_prefix(store, run):
            return timeline(store.matter_events(str(run.matter_ids()[0])))
    return []


def _tally(run: Run, rows: list[dict[str, Any]]) -> Tally:
    tally = Tally(str(run.id), run.scenario, run.seed, len(rows))
    for row in rows:
        tally.add(row)
    return tally


def build_report(store: DocketStore, run_ids: list[str], out_dir: Path,
                 sweep: tuple[str, list[SweepPoint]] | None = None) -> Path:
    """Write index.html, every chart (PNG and SVG), outcomes.csv and summary.json into `out_dir`: the runs
    `run_ids` (the first is the baseline of the paired differences), and the runs of a sweep's points
    (in its table and chart only, unless also among `run_ids`)."""
    from reports.html import write_report

    point_ids = [p.run_id for p in sweep[1]] if sweep else []
    runs = [store.run(run_id) for run_id in dict.fromkeys([*run_ids, *point_ids])]
    sweep_ids = set(point_ids) - set(run_ids)
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
    if sweep:
        summary["sweep"] = {"key": sweep[0], "scenario": sweep[1][0].scenario,
                            "points": [{"value": p.value, "run_id": p.run_id} for p in sweep[1]]}
    writer.summary(summary, [])
    sweep_arg = None
    if sweep:
        key, points = sweep
        sweep_arg = {"key": key, "points": [(p.value, tallies[p.run_id].summary()) for p in points],
                     "scenario": points[0].scenario}
    return write_report(out_dir, runs=[{k: g[k] for k in ("scenario", "summary", "rows")} for g in gathered],
                        pairs=summary["paired_differences"], historical_entries=historical_entries(store),
                        timelines=timelines, seed=seed, n=n, sweep=sweep_arg)


def sweep_values(text: str) -> tuple[str, list[str]]:
    """KEY=V1,V2,... as (key, values); values are parsed later, as --set values are."""
    key, sep, values = text.partition("=")
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or not key.strip() or not items:
        raise UserError(f"--sweep {text!r}: expected KEY=V1,V2,..., e.g. "
                        "court_of_appeals.doctrine.location=0.2,0.5,0.8")
    return key.strip(), items
