"""Several scenarios run on one root seed and compared: the service behind `run`, `fork` and `compare`.

Runs each scenario into the store, tallies outcome rows as they are written, optionally streams them
to DIR/outcomes.csv, and summarizes each run and the paired differences against the first.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import attrs

from sim.engine import Fork
from sim.errors import UserError
from sim.projections import outcome_row
from sim.results import OutcomeWriter, Tally, summary_document
from sim.runner import Note, Row, RunResult, quiet, record_run, resume_run
from sim.scenario import Scenario
from sim.store import DocketStore

ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]]


@attrs.frozen
class Comparison:
    runs: list[tuple[Scenario, RunResult, Tally]]
    summary: dict[str, Any]


def check_out_dir(out: str | None) -> Path | None:
    """The output folder, created if need be; a clear error if it is a file or not writable."""
    if out is None:
        return None
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UserError(f"--out {out}: is a file, expected a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"--out {out}: cannot create the folder ({e.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"--out {out}: the folder is not writable")
    return path


OnRow = Callable[[Row], None]
Update = Callable[[int, int], None]
Task = tuple[str, Callable[[OnRow, Update], tuple[Scenario, RunResult]]]


def run_scenarios(store: DocketStore, scenarios: list[Scenario], seed: int, n: int, jobs: int,
                  out_dir: Path | None, progress: ProgressFactory, fork: Fork | None = None,
                  note: Note = quiet) -> Comparison:
    """Run each scenario n times on `seed` (forks of a stored matter, if `fork` is given) and compare."""
    def task(scenario: Scenario) -> Task:
        def play(on_row: OnRow, update: Update) -> tuple[Scenario, RunResult]:
            result = record_run(store, scenario, seed=seed, replications=n, jobs=jobs, on_row=on_row,
                                on_progress=update, fork=fork, note=note)
            if result.already_recorded:  # the same run is in the store: rebuild its rows from it
                for i, matter_id in enumerate(result.matter_ids):
                    on_row(outcome_row(store.matter_events(matter_id)))
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
