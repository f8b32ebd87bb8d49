"""Several scenarios run on one root seed and compared: the service behind `run`, `fork` and `compare`.

Runs each scenario into the store, tallies outcome rows as they are written, optionally streams them
to DIR/outcomes.csv, and summarizes each run and the paired differences against the first.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import attrs

from sim import scenario as scenarios
from sim.engine import Fork
from sim.runs.runner import Note, Row, RunResult, quiet, record_run, resume_run, stored_rows
from sim.scenario import Scenario
from sim.store import DocketStore
from sim.views.results import OutcomeWriter, Tally, summary_document

ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]]


@attrs.frozen
class Comparison:
    runs: list[tuple[Scenario, RunResult, Tally]]
    summary: dict[str, Any]


OnRow = Callable[[Row], None]
Update = Callable[[int, int], None]
Task = tuple[str, Callable[[OnRow, Update], tuple[Scenario, RunResult]]]


def run_scenarios(store: DocketStore, scenarios: list[Scenario], seed: int, n: int, jobs: int,
                  out_dir: Path | None, progress: ProgressFactory, fork: Fork | None = None,
                  note: Note = quiet, keep: str = "events") -> Comparison:
    """Run each scenario n times on `seed` (forks of a stored matter, if `fork` is given) and compare;
    `keep` "outcomes" stores outcome rows rather than events (`record_run`)."""
    def task(scenario: Scenario) -> Task:
        def play(on_row: OnRow, update: Update) -> tuple[Scenario, RunResult]:
            result = record_run(store, scenario, seed=seed, replications=n, jobs=jobs, on_row=on_row,
                                on_progress=update, fork=fork, note=note, keep=keep)
            if result.already_recorded:  # the same run is in the store: rebuild its rows from it
                for i, row in enumerate(stored_rows(store, store.run(result.run_id))):
                    on_row(row)
                    update(i + 1, n)
            return scenario, result
        return scenario.name, play

    return _gather([task(s) for s in scenarios], seed, n, out_dir, progress)


def resume(store: DocketStore, run_id: str, jobs: int, out_dir: Path | None,
           progress: ProgressFactory, note: Note = quiet) -> Comparison:
    """Finish an interrupted run, with its full outcomes (stored rows rebuilt from the store)."""
    run = store.run(run_id)

    def play(on_row: OnRow, update: Update) -> tuple[Scenario, RunResult]:
        return resume_run(store, run_id, jobs=jobs, on_row=on_row, on_progress=update, note=note)

    return _gather([(run.scenario, play)], run.seed, run.replications, out_dir, progress)


def _gather(tasks: list[Task], seed: int, n: int, out_dir: Path | None, progress: ProgressFactory) -> Comparison:
    """Play each task, tallying (and writing) its rows as they come; then summarize."""
    writer = OutcomeWriter(out_dir) if out_dir else None
    runs: list[tuple[Scenario, RunResult, Tally]] = []
    with ExitStack() as stack:
        if writer:
            stack.callback(writer.close)
        for label, play in tasks:
            rows = _Rows(seed, n, writer)
            with progress(label, n) as update:
                scenario, result = play(rows, update)
            assert rows.tally is not None
            runs.append((scenario, result, rows.tally))
    summary = _summary(runs, seed)
    if writer:
        files = [f for s, _, _ in runs for f in (*s.bases, s.path)]
        writer.summary(summary, list(dict.fromkeys(files)))
    return Comparison(runs, summary)


class _Rows:
    """Takes a run's outcome rows as they come: into its tally, and to outcomes.csv if asked."""

    def __init__(self, seed: int, n: int, writer: OutcomeWriter | None) -> None:
        self.seed, self.n, self.writer = seed, n, writer
        self.tally: Tally | None = None

    def __call__(self, row: Row) -> None:
        if self.tally is None:
            self.tally = Tally(row["run_id"], row["scenario"], self.seed, self.n)
        self.tally.add(row)
        if self.writer:
            self.writer.write(row)


def _summary(runs: list[tuple[Scenario, RunResult, Tally]], seed: int) -> dict[str, Any]:
    tallies = [t for _, _, t in runs]
    return summary_document([(s.path, s.text_hash, t) for s, _, t in runs], tallies, seed)


HISTORICAL = "microsoft_ireland_2013"  # the recorded case, shown beside every comparison
Variants = list[tuple[str, Scenario]]  # a sweep's values, each with the scenario it plays
Swept = tuple[str, list[tuple[str, dict[str, Any]]]]  # the swept key, each value with its run's summary


def compare(store: DocketStore, loaded: list[Scenario], seed: int, n: int, jobs: int,
            sweep: tuple[str, Variants] | None, progress: ProgressFactory, show: Callable[[Comparison], None],
            note: Note = quiet) -> tuple[list[str], Swept | None]:
    """Record the historical case (for its docket and timeline), run the scenarios (`show`n as they finish)
    and the sweep's variants, each distinct scenario once; the run ids to report and the sweep's summaries."""
    record_run(store, scenarios.load(HISTORICAL), seed=0, note=note)
    run_ids: list[str] = []
    played: dict[int, dict[str, Any]] = {}  # id of a scenario object -> its run's summary
    if loaded:
        comparison = run_scenarios(store, loaded, seed, n, jobs, None, progress, note=note)
        show(comparison)
        run_ids += [result.run_id for _, result, _ in comparison.runs]
        summaries = comparison.summary["runs"]
        played = {id(s): summary for (s, _, _), summary in zip(comparison.runs, summaries, strict=True)}
    if not sweep:
        return run_ids, None
    key, variants = sweep
    for _, variant in variants:
        if id(variant) not in played:
            played[id(variant)] = run_scenarios(store, [variant], seed, n, jobs, None, progress,
                                                note=note).summary["runs"][0]
    return run_ids, (key, [(value, played[id(variant)]) for value, variant in variants])
