"""Many writers on one store, on SQLite and on PostgreSQL: real processes started together."""

from __future__ import annotations

import time

import pytest

from sim.runs.runner import stored_prefix
from sim.store import open_store
from tests.conftest import cli, interrupted_run, popen

STOCHASTIC = "microsoft_ireland_stochastic"


def finish(processes, timeout=300):
    """Wait for every process; (returncode, stdout, stderr) of each."""
    out = []
    for p in processes:
        stdout, stderr = p.communicate(timeout=timeout)
        out.append((p.returncode, stdout, stderr))
    return out


@pytest.mark.slow
def test_runs_started_together_all_finish_each_recorded_once(tmp_path, store_url):
    """Six `run` commands at once (four different runs, one of them twice, and a compare): every one
    finishes, every run is in the register once and finished."""
    commands = [["run", "location_rule", "-n", "40", "--seed", str(seed)] for seed in (1, 2, 3)]
    commands += [["run", "control_rule", "-n", "40"], ["run", "control_rule", "-n", "40"],
                 ["compare", "cloud_act", "-n", "40", "--out", "report"]]
    processes = [popen(*c, "--jobs", "1", "--store", store_url, cwd=tmp_path) for c in commands]
    for code, _, stderr in finish(processes):
        assert code == 0 and "Traceback" not in stderr, stderr
    store = open_store(store_url)
    run_ids = store.register().run_ids
    assert len(run_ids) == len(set(run_ids)) == 6  # 3 location_rule, control_rule, cloud_act, the historical case
    assert all(run.finished_at for run in store.runs())
    assert {run.scenario for run in store.runs()} == {"location_rule", "control_rule", "cloud_act",
                                                     "microsoft_ireland_2013"}


@pytest.mark.slow
def test_the_same_run_twice_at_once_waits_then_reports_the_same_outcomes(tmp_path, store_url):
    first = popen("run", STOCHASTIC, "-n", "1500", "--seed", "8", "--jobs", "2", "--out", "a", "--store", store_url,
                  cwd=tmp_path)
    deadline = time.time() + 120
    while time.time() < deadline:  # the first has started writing
        try:
            if open_store(store_url).register().run_ids:
                break
        except Exception:
            pass
        time.sleep(0.1)
    second = cli("run", STOCHASTIC, "-n", "1500", "--seed", "8", "--out", "b", "--store", store_url, cwd=tmp_path)
    (code, _, stderr), = finish([first])
    assert code == 0, stderr
    assert second.returncode == 0, second.stderr
    assert "waiting for another process that is recording run" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert (tmp_path / "a" / "outcomes.csv").read_bytes() == (tmp_path / "b" / "outcomes.csv").read_bytes()
    assert len(open_store(store_url).register().run_ids) == 1


@pytest.mark.slow
def test_two_resumes_of_one_run_at_once_write_it_once(tmp_path, store_url, monkeypatch):
    run_id = interrupted_run(store_url, monkeypatch, 1200, 100)
    processes = [popen("run", "--resume", run_id, "--jobs", "1", "--out", name, "--store", store_url, cwd=tmp_path)
                 for name in ("r1", "r2")]
    results = finish(processes)
    whole = cli("run", STOCHASTIC, "-n", "1200", "--seed", "6", "--out", "whole", "--store", "memory://",
                cwd=tmp_path)
    expected = (tmp_path / "whole" / "outcomes.csv").read_bytes()
    finished = [name for (code, _, _), name in zip(results, ("r1", "r2"), strict=True) if code == 0]
    assert finished, results
    for name in finished:
        assert (tmp_path / name / "outcomes.csv").read_bytes() == expected
    for code, _, stderr in results:
        assert "Traceback" not in stderr
        if code != 0:  # the later one waited, then found the run finished
            lines = stderr.strip().splitlines()
            assert code == 2 and "already finished" in lines[-1] and len(lines) <= 2, stderr
    store = open_store(store_url)
    assert store.runs()[0].finished_at and stored_prefix(store, store.runs()[0]) == 1200
    assert whole.returncode == 0


@pytest.mark.slow
def test_rerunning_an_interrupted_command_resumes_it_saying_so(tmp_path, store_url, monkeypatch):
    interrupted_run(store_url, monkeypatch, 300, 50)
    again = cli("run", STOCHASTIC, "-n", "300", "--seed", "6", "--out", "again", "--store", store_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "is incomplete" in again.stderr and "resuming it" in again.stderr and "--resume" in again.stderr
    whole = cli("run", STOCHASTIC, "-n", "300", "--seed", "6", "--out", "whole", "--store", "memory://",
                cwd=tmp_path)
    assert whole.returncode == 0
    assert (tmp_path / "again" / "outcomes.csv").read_bytes() == (tmp_path / "whole" / "outcomes.csv").read_bytes()


def test_a_first_run_committed_while_another_process_checks_the_format_is_read_as_this_format(store_url,
                                                                                              historical):
    """Issue 19: the format check reads the store twice; another process's first run committed between
    the two reads (forced here, in the order the race took) must not read as a store of format 1."""
    from sim.runs.runner import record_run
    from sim.store import DocketStore

    checking = open_store(store_url, create=True)
    select, calls = DocketStore._select, []

    def commit_between(self, aggregate_id, **query):
        found = select(self, aggregate_id, **query)
        if self is checking and not calls:
            calls.append(aggregate_id)
            record_run(open_store(store_url, create=True), historical)  # another process's first run
        return found

    DocketStore._select = commit_between
    try:
        checking.check_format()
    finally:
        DocketStore._select = select
    assert calls and checking.event_format() == 3
