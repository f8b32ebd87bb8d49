"""An experiment into PostgreSQL: each worker stores the batches it plays, on its own connection, once.

A real server (tests/throwaway_postgres.py starts one; skipped outside CI without PostgreSQL, failed in CI).
"""

from __future__ import annotations

import pytest

from reports.experiment import write_experiment
from sim.runs import experiment as experiments
from sim.runs.executors import Batch, DaskExecutor, LocalExecutor, run_batch
from sim.runs.experiment_file import load as load_experiment
from sim.runs.runner import stored_rows
from sim.store import open_store
from sim.store.outcomes import BatchedOutcomes, OutcomeBatch, outcomes_id
from sim.store.url import connect_url, parse
from tests.test_experiment import SMALL, Killing, _file

pytestmark = pytest.mark.slow


def _same_files(tmp_path, one, other) -> None:
    write_experiment(one, tmp_path / "one")
    write_experiment(other, tmp_path / "other")
    for name in ("experiment.csv", "sensitivity.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "other" / name).read_bytes()


def test_workers_store_their_own_batches_with_the_single_writers_results(tmp_path, postgres_url):
    """Two local worker processes write their batches into PostgreSQL; the client stores only each point's
    run and the list of its batches. Results, files and the rows read back equal the single writer's (which
    stores the same records itself)."""
    found = load_experiment(_file(tmp_path, SMALL))
    single = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    store = open_store(postgres_url, create=True)
    workers = experiments.run_experiment(store, found, LocalExecutor(2))
    assert workers.estimates == single.estimates and workers.indices == single.indices
    _same_files(tmp_path, single, workers)
    point = next(experiments.plan(found))
    assert isinstance(store._rebuilt(outcomes_id(point.run_id)), BatchedOutcomes)
    assert store.has_events(OutcomeBatch.create_id(point.run_id, 0))
    memory = open_store("memory://")
    experiments.run_experiment(memory, found, LocalExecutor(1))
    assert isinstance(memory._rebuilt(outcomes_id(point.run_id)), BatchedOutcomes)  # the same records
    assert list(stored_rows(store, store.run(point.run_id))) == list(stored_rows(memory, memory.run(point.run_id)))
    again = experiments.run_experiment(open_store(postgres_url), found, LocalExecutor(2))
    assert again.played == 0 and again.estimates == single.estimates
    _same_files(tmp_path, single, experiments.from_store(open_store(postgres_url), workers.experiment_id))


def test_a_batch_played_again_is_stored_once(tmp_path, postgres_url):
    """A worker killed after committing its batch, the batch played again elsewhere: the second insert is
    refused by the record's key, and the experiment counts each replication once."""
    found = load_experiment(_file(tmp_path, SMALL))
    store = open_store(postgres_url, create=True)
    point = next(experiments.plan(found))
    url = connect_url(parse(postgres_url))
    batch = Batch(experiments.scenario_of(found, point), point.run_id, found.seed, 0, found.replications, url)
    assert run_batch(batch) == found.replications  # as if by a worker that died before answering
    assert run_batch(batch) == found.replications  # the scheduler's retry: stored already, nothing added
    assert len(store._select(OutcomeBatch.create_id(point.run_id, 0))) == 1
    result = experiments.run_experiment(store, found, LocalExecutor(2))
    single = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    assert result.estimates == single.estimates
    assert len(list(stored_rows(store, store.run(point.run_id)))) == found.replications


def test_dask_workers_write_into_postgresql_and_a_killed_one_loses_nothing(tmp_path, postgres_url):
    """On a Dask LocalCluster, with one worker killed while batches are in flight: the same results."""
    found = load_experiment(_file(tmp_path, SMALL))
    single = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    dask = DaskExecutor(None, 2)

    def stored_by_the_worker(result) -> None:
        assert isinstance(result, int)  # the workers stored the rows; only their number came back

    try:
        remote = experiments.run_experiment(open_store(postgres_url, create=True), found,
                                            Killing(dask, stored_by_the_worker))
    finally:
        dask.close()
    assert remote.estimates == single.estimates and remote.indices == single.indices
    _same_files(tmp_path, single, remote)


def test_ctrl_c_stops_workers_writing_into_postgresql_with_the_hint_and_the_same_command_finishes(tmp_path,
                                                                                                 postgres_url):
    """Ctrl-C while two local workers store their batches: the command stops saying how many points are whole
    and how to finish; the same command then plays only the rest, and its files are the single writer's."""
    from tests.conftest import cli
    from tests.test_experiment import _replace, interrupted

    text = _replace("trajectories = 3", "trajectories = 12").replace("replications = 24", "replications = 120")
    path = _file(tmp_path, text)
    interrupted(path, 48, "--jobs", "2", "--store", postgres_url, "--out", str(tmp_path / "out"), cwd=tmp_path)
    again = cli("experiment", path, "--jobs", "2", "--store", postgres_url, "--out", str(tmp_path / "out"),
                cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    found = load_experiment(path)
    write_experiment(experiments.run_experiment(open_store("memory://"), found, LocalExecutor(2)), tmp_path / "one")
    for name in ("experiment.csv", "sensitivity.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()
