"""Matters of outcomes-only runs, played again when opened.

A run that kept only outcome rows (`run --keep outcomes`) stores no events of its matters. Replications are
deterministic (scenario and seed, `sim.runs.runner.replication_seed`), so `docket`, `replay`, `fork`, the viewer
and the report's timelines open such a matter by playing it again from its run's recorded scenario and seed;
its events are then stored, exactly those a fully stored run would hold, and the person is told so.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from eventsourcing.persistence import IntegrityError

from sim.engine import simulate
from sim.errors import StoreError
from sim.runs.runner import Note, kept_outcomes, quiet, replication_seed, run_scenario, source_entries, stored_prefix
from sim.store import DocketStore, Run
from sim.store.outcomes import COLUMNS, kept_rows, packed
from sim.views.projections import outcome_row


def ensure_matter(store: DocketStore, matter_id: str, note: Note = quiet) -> None:
    """Make sure `matter_id`'s events are in the store: a matter of an outcomes-only run is played again and
    stored (`note` says so); any other id is left for the store's own reading (and its clear error)."""
    if not _uuid(matter_id) or store.has_events(matter_id):
        return
    found = _find(store, matter_id)
    if found is not None:
        play_again(store, *found, note=note)


def events_of(store: DocketStore, run: Run, replication: int, whole: bool = True,
              kept: list[Any] | None = None) -> list[Any]:
    """The events of replication `replication` of `run`: read from the store (`whole`: refusing a gap), or for
    a matter of an outcomes-only run played again in memory (nothing stored) and checked against `kept`, the
    outcome row the run kept for it (read from the store if not given)."""
    matter_id = run.matter_ids()[replication]
    if store.has_events(matter_id) or not kept_outcomes(store, str(run.id)):
        return store.matter_events(matter_id, whole=whole)
    return _played(store, run, replication, kept)


def _played(store: DocketStore, run: Run, replication: int, kept: list[Any] | None = None) -> list[Any]:
    """A matter of an outcomes-only run played again, its events, once they give the outcome row the run kept:
    a release whose engine plays it otherwise than the one that ran it (another procedure, another draw) must
    not show a docket that contradicts the run's own outcomes."""
    scenario = run_scenario(run)
    fork = None if run.fork is None else source_entries(store, run.fork["matter_id"], run.fork["seq"])
    events = simulate(scenario, str(run.id), replication, replication_seed(run.seed, replication),
                      fork).collect_events()
    kept = kept if kept is not None else next(islice(kept_rows(store, str(run.id)), replication, None), None)
    played = packed(outcome_row(events))
    if kept is not None and played != kept:
        differ = ", ".join(f"{c} {k!r} kept, {p!r} now" for c, k, p in zip(COLUMNS, kept, played, strict=True)
                           if k != p)
        raise StoreError(f"matter {run.matter_ids()[replication]} (replication {replication} of run {run.id}, "
                         f"which kept outcome rows only) plays otherwise in this release than in the one that ran "
                         f"it ({differ}): its docket cannot be shown as the run had it")
    return events


def play_again(store: DocketStore, run: Run, replication: int, note: Note = quiet) -> None:
    """Replication `replication` of `run` played from the run's scenario and seed, and its events stored."""
    events = _played(store, run, replication)
    records = [store.mapper.to_record(e) for e in events]
    try:
        store.retrying(lambda: store.append(records))
    except IntegrityError:
        return  # another process stored it first: the same events
    note(f"matter {events[0].originator_id} (replication {replication} of run {run.id}, which kept outcome rows "
         "only) was played again from the run's scenario and seed, and its events stored")


def _find(store: DocketStore, matter_id: str) -> tuple[Run, int] | None:
    """The outcomes-only run (of `run --keep outcomes`, or an experiment's point) and replication of a matter."""
    from sim.runs.experiment import experiments_in

    runs = [run for run in store.runs() if kept_outcomes(store, str(run.id))]
    for experiment in experiments_in(store):
        runs += [store.run(run_id) for run_id in dict.fromkeys(experiment.run_ids) if kept_outcomes(store, run_id)]
    for run in runs:
        ids = run.matter_ids()
        for i in range(stored_prefix(store, run)):
            if ids[i] == matter_id:
                return run, i
    return None


def _uuid(text: Any) -> bool:
    from uuid import UUID
    try:
        UUID(str(text))
    except ValueError:
        return False
    return True
