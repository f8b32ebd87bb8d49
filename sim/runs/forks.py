"""A fork: a stored matter copied up to an entry or a date, then played on under a changed scenario."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sim import outputs
from sim import scenario as scenarios
from sim.engine.script import Divergence, ForkImpossible
from sim.errors import UserError
from sim.runs.comparison import Comparison, ProgressFactory, run_scenarios
from sim.runs.runner import Note, run_scenario, source_entries, usable_jobs
from sim.store import DocketStore


def fork(store: DocketStore, matter_id: str, after_entry: int | None, as_of: dt.date | None,
         settings: list[tuple[str, str]], n: int, seed: int, jobs: int | None, out: str | None,
         progress: ProgressFactory, note: Note, title: str | None = None) -> tuple[Comparison, Path | None]:
    """Fork `matter_id` after an entry or as of a date, under its scenario with `settings` applied; the
    fork's title is `title` (a recipe's), else one naming the fork point and the changes. The comparison and
    the output folder (made once the fork is known to be possible)."""
    source = store.matter_events(matter_id)
    if (after_entry is None) == (as_of is None):
        raise UserError("give exactly one of --after-entry SEQ or --as-of DATE")
    last = source[-1].originator_version
    if as_of is not None:
        ended = dt.date.fromisoformat(source[-1].date)
        if as_of >= ended:
            raise UserError(f"--as-of {as_of}: the matter's last entry is of {ended} (entry {last}): nothing is "
                            f"left to play after {as_of}; fork at a date before {ended}")
        seq = store.version_on(matter_id, as_of)
    else:
        seq = after_entry
        if not 2 <= seq <= last:
            raise UserError(f"--after-entry {seq} is outside the matter: its entries run from 2 to {last} in the "
                            "matter's own numbering (the `seq` of `docket --format json`, not a docket sheet's #)")
    base = run_scenario(store.run(source[0].run_id))
    scenario = scenarios.with_settings(base, settings)
    if scenario.scenario.start_date.isoformat() != source[0].start_date:
        raise UserError("scenario.start_date cannot change in a fork (the copied entries keep their dates)")
    label = " ".join([f"{base.name.split('@')[0]}@{seq}", *(f"{k}={v}" for k, v in settings)])
    when = source[seq - 1].date  # the event at version seq
    title = title or f"{base.scenario.title}, forked on {when}" + \
        (f": {', '.join(f'{k} = {v}' for k, v in settings)}" if settings else "")
    scenario = scenarios.renamed(scenario, label, title)
    copied = source_entries(store, matter_id, seq)
    try:
        with outputs.folder(out) as folder:
            comparison = run_scenarios(store, [scenario], seed, n, usable_jobs(jobs, n),
                                       folder.work if folder else None, progress, fork=copied, note=note)
        return comparison, folder.path if folder else None
    except ForkImpossible as e:
        raise UserError(refusal(e.divergence, settings, dt.date.fromisoformat(source[0].start_date), when)) from None


def _words(step: str | None) -> str:
    return (step or "a step").replace("_", " ")


def refusal(divergence: Divergence | None, settings: list[tuple[str, str]], start: dt.date, cut: str) -> str:
    """Why a fork cannot be played, in what the user did and what to do: the change alters what happened
    on or before the fork point (of date `cut`), which a fork keeps as it was."""
    change = "the change (" + ", ".join(f"{k} = {v}" for k, v in settings) + ")" if settings else "the scenario"
    head = f"{change} alters what happened on or before the fork point ({cut}), which a fork keeps as recorded"
    if divergence is None or divergence.day is None:
        return f"{head}; fork at an earlier date, or change something that matters only after {cut}"
    on = start + dt.timedelta(days=divergence.day)
    instead = "" if divergence.reached is None or divergence.reached_day is None else \
        f" (it comes to the {_words(divergence.reached)} on {start + dt.timedelta(days=divergence.reached_day)} " \
        "instead)"
    what = f"{head}: under it the {_words(divergence.step)} of {on} does not happen as recorded{instead}"
    if on <= start:
        return f"{what}; a fork cannot change how the matter began: run the changed scenario on its own " \
               "(python run.py run SCENARIO --set KEY=VALUE)"
    return f"{what}; fork at a date before {on}, or change something that matters only after {cut}"
