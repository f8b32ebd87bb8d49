"""A report from stored runs alone: rows rebuilt by the outcome projection, the effective scenarios
the runs recorded, the historical docket, the median replication's timeline; then charts and HTML. Caseload
runs among them make the page's caseload section (`reports.caseload`).

Rows stream from the store into outcomes.csv and each run's tally (no row is kept), so memory stays
flat however many replications a run has. A run still incomplete is reported for what it stored, and
says so: "n stored of n requested".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from sim import scenario as scenarios
from sim.colours import family, ordered
from sim.errors import StoreError, UserError
from sim.runs.calibration import Calibration, calibrate
from sim.runs.replays import ensure_matter
from sim.runs.runner import Note, quiet, run_scenario, stored_prefix, stored_rows
from sim.store import DocketStore, Run
from sim.views.projections import timeline
from sim.views.results import OutcomeWriter, Tally, summary_document

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
        return f"{'sweep' if _swept(run) else 'set'}: {changes}"
    return changes


def _swept(run: Run) -> bool:
    """A run of one value of `compare --sweep KEY=...`: named "NAME [KEY=VALUE]" and titled "... (KEY = VALUE)"
    for its last setting (a run of `--set KEY=VALUE` keeps its scenario's title)."""
    if not run.settings:
        return False
    key, value = run.settings[-1]
    title = str(run.scenario_data.get("scenario", {}).get("title", ""))
    return run.scenario.endswith(f" [{key}={value}]") and title.endswith(f" ({key} = {value})")


def report_names(runs: list[Run]) -> dict[str, str]:
    """Each run's name in a report (run id -> name): its scenario's, unless another run of the report has
    that name too (say a file that sets `name = "location_rule"` beside the bundled one); then each after
    the first is told apart by its run id, so that no two runs share a label or a colour."""
    names: dict[str, str] = {}
    for run in runs:
        name = run.scenario
        names[str(run.id)] = name if name not in names.values() else f"{name} (run {str(run.id)[:8]})"
    return names


def in_report_order(runs: list[Run]) -> list[Run]:
    """The runs as a report shows them: each scenario's variants together, in the order of their swept value
    (`sim.colours.ordered`); the first is the baseline of the paired differences."""
    by_name = {run.scenario: run for run in reversed(runs)}  # the first run of a name
    rest = [run for run in runs if by_name[run.scenario] is not run]
    return [by_name[name] for name in ordered(run.scenario for run in runs)] + rest


def historical_entries(store: DocketStore) -> list[dict[str, Any]]:
    """The docket of the newest run of a historical scenario as recorded (not a fork of it, nor a run with
    changed settings); empty if there is none."""
    return _docket_of(store, historical_run(store))


def _docket_of(store: DocketStore, run: Run | None) -> list[dict[str, Any]]:
    return timeline(store.matter_events(str(run.matter_ids()[0]))) if run else []


def historical_run(store: DocketStore) -> Run | None:
    """The newest run of a historical scenario as recorded, with its matter stored (None if there is none)."""
    for run in reversed(store.runs()):
        as_recorded = run.fork is None and not run.settings
        if run.scenario_data.get("scenario", {}).get("kind") == HISTORICAL_KIND and as_recorded \
                and stored_prefix(store, run):
            return run
    return None


def calibration_of(store: DocketStore, runs: list[Run], historical: Run | None,
                   tallies: dict[str, Tally] | None = None) -> tuple[Calibration | None, str]:
    """The calibration against the historical run of the report's first stochastic run that goes to court
    (else its first simulated run that does), and a note: why there is none, when there is none. A run
    none of whose matters comes before a court (say the location rule's MLAT route) has no stage to set
    beside the real case's but the whole, so it is never the one calibrated."""
    simulated = [r for r in runs if r.scenario_data.get("scenario", {}).get("kind") != HISTORICAL_KIND]
    if not simulated or historical is None:
        return None, ""
    summaries = {run_id: tally.summary() for run_id, tally in (tallies or {}).items()}
    to_court = [r for r in simulated if str(r.id) not in summaries or summaries[str(r.id)]["reached"]["magistrate"]]
    if not to_court:
        names = ", ".join(dict.fromkeys(r.scenario for r in simulated))
        return None, (f"No calibration: no simulated matter of this report comes before a court ({names}), so "
                      "none has the real case's stages to set beside its own. Add a scenario that goes to court, "
                      "e.g. microsoft_ireland_stochastic.")
    stochastic = [r for r in to_court if r.scenario_data.get("scenario", {}).get("kind") == "stochastic"]
    return calibrate(store, (stochastic or to_court)[0], historical), ""


def build_report(store: DocketStore, run_ids: list[str], out_dir: Path,
                 sweep: tuple[str, list[SweepPoint]] | None = None, note: Note = quiet) -> Path:
    """Write index.html, every chart (PNG and SVG), outcomes.csv and summary.json into `out_dir`: the runs
    `run_ids` (the first is the baseline of the paired differences), and the runs of a sweep's points
    (in its table and chart only, unless also among `run_ids`). `note`: a line for the reader (a chart left out)."""
    from reports import caseload as caseload_report
    from reports.html import write_report
    from sim.colours import palette
    from sim.runs.caseload import is_caseload

    caseloads = [run_id for run_id in dict.fromkeys(run_ids) if is_caseload(store.run(run_id))]
    run_ids = [run_id for run_id in run_ids if run_id not in caseloads]
    if caseloads and not run_ids and not sweep:
        return caseload_report.report(store, caseloads, out_dir)
    point_ids = [p.run_id for p in sweep[1]] if sweep else []
    runs = [store.run(run_id) for run_id in dict.fromkeys([*run_ids, *point_ids])]
    sweep_ids = set(point_ids) - set(run_ids)
    runs = [run for run in in_report_order(runs) if str(run.id) not in sweep_ids] + \
        [run for run in runs if str(run.id) in sweep_ids]
    names = report_names(runs)
    single = {str(run.matter_ids()[0]): str(run.id) for run in runs if run.replications == 1}
    tallies: dict[str, Tally] = {}
    writer = OutcomeWriter(out_dir)
    try:
        for run in runs:
            source = single.get((run.fork or {}).get("matter_id", ""))  # a fork of a matter in the report
            tally = Tally(str(run.id), names[str(run.id)], run.seed, run.replications, source)
            for row in stored_rows(store, run):
                writer.write(row)
                tally.add(row)
            tallies[str(run.id)] = tally
    finally:
        writer.close()
    shown = [run for run in runs if str(run.id) not in sweep_ids]
    gathered = [{"scenario": _named(run_scenario(run), names[str(run.id)]), "summary": tallies[str(run.id)].summary(),
                 "rows": tallies[str(run.id)].rows()} for run in shown]
    timelines = {}
    for run, g in zip(shown, gathered, strict=True):
        median = tallies[str(run.id)].median_replication()
        if median is not None:
            try:
                ensure_matter(store, run.matter_ids()[median])  # an outcomes-only run's: played again
            except StoreError as e:  # this release plays it otherwise than the run kept: not drawn
                note(f"the report leaves out the timeline of {g['scenario'].name}: {e}")
                continue
            timelines[g["scenario"].name] = timeline(store.matter_events(run.matter_ids()[median]))
    seeds = sorted({r.seed for r in runs})
    seed = seeds[0] if len(seeds) == 1 else seeds
    summary = summary_document([(r.scenario_path, r.scenario_hash, tallies[str(r.id)]) for r in runs],
                               [tallies[str(r.id)] for r in shown], seed)
    if sweep:
        summary["sweep"] = {"key": sweep[0], "scenario": sweep[1][0].scenario,
                            "points": [{"value": p.value, "run_id": p.run_id} for p in sweep[1]]}
    section = None
    if caseloads:  # the report's caseload section, in the colours of the page
        colours = palette([*(g["scenario"].name for g in gathered), *([sweep[1][0].scenario] if sweep else []),
                           *(store.run(run_id).scenario for run_id in caseloads)])
        section, summary["caseloads"] = caseload_report.section(store, caseloads, out_dir, colours)
    writer.summary(summary, [])
    sweep_arg = None
    if sweep:
        key, points = sweep
        sweep_arg = {"key": key, "points": [(p.value, tallies[p.run_id].summary()) for p in points],
                     "scenario": points[0].scenario}
    historical = historical_run(store)  # found once: its docket and the calibration's real case
    calibration, calibration_note = calibration_of(store, runs, historical, tallies)
    return write_report(out_dir, runs=gathered, pairs=summary["paired_differences"],
                        historical_entries=_docket_of(store, historical), timelines=timelines, seed=seed,
                        n=summary["n"], n_requested=summary["n_requested"], sweep=sweep_arg,
                        calibration=calibration, calibration_note=calibration_note, caseload=section)


def _named(scenario: scenarios.Scenario, name: str) -> scenarios.Scenario:
    return scenario if scenario.name == name else scenarios.renamed(scenario, name, scenario.scenario.title)


def incomplete(store: DocketStore, run_ids: list[str]) -> list[str]:
    """A line for each run that is still incomplete: what a report of it covers, and how to finish it."""
    lines = []
    for run_id in dict.fromkeys(run_ids):
        run = store.run(run_id)
        if run.finished_at is None:
            lines.append(f"run {run_id} ({run.scenario}) is incomplete: {stored_prefix(store, run):,} stored of "
                         f"{run.replications:,} requested; the report covers those stored; finish it with: "
                         f"python run.py run --resume {run_id}")
    return lines


def sweep_values(text: str) -> tuple[str, list[str]]:
    """KEY=V1,V2,... as (key, values); values are parsed later, as --set values are."""
    key, sep, values = text.partition("=")
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or not key.strip() or not items:
        raise UserError(f"--sweep {text!r}: expected KEY=V1,V2,..., e.g. "
                        "court_of_appeals.doctrine.location=0.2,0.5,0.8")
    return key.strip(), items
