"""Deletes beside writers, readers and other deletes (issue 18.2 and the delete messages of 18.10): real
processes on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import signal
import time

import pytest

from sim.runs.runner import stored_prefix
from sim.store import open_store
from tests.conftest import cli, interrupted_run, popen

STOCHASTIC = "microsoft_ireland_stochastic"


def _writing(store_url, cwd, n=1500):
    """A writer recording a large run in the background, once it has stored a few groups: (process, run id)."""
    writer = popen("run", STOCHASTIC, "-n", str(n), "--seed", "4", "--jobs", "1", "--store", store_url, cwd=cwd)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            store = open_store(store_url)
            runs = [run for run in store.runs() if run.scenario == STOCHASTIC]  # the writer's, not another run
            if runs and stored_prefix(store, runs[0]) > 20:
                return writer, str(runs[0].id)
        except Exception:
            pass
        assert writer.poll() is None, writer.communicate()
        time.sleep(0.2)
    writer.kill()
    raise AssertionError("the writer stored nothing in two minutes")


@pytest.mark.slow
def test_a_run_being_recorded_is_not_deleted_and_finishes_whole(tmp_path, store_url):
    writer, run_id = _writing(store_url, tmp_path)
    try:
        refused = cli("runs", "--delete", run_id, "--store", store_url, cwd=tmp_path)
    finally:
        _stdout, stderr = writer.communicate(timeout=300)
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 1 and len(lines) == 1, refused.stderr
    assert f"run {run_id} is being recorded by another process" in lines[0] and "nothing was deleted" in lines[0]
    assert writer.returncode == 0, stderr
    store = open_store(store_url)
    (run,) = store.runs()
    assert run.finished_at and stored_prefix(store, run) == 1500
    audited = cli("audit", run_id, "--store", store_url, cwd=tmp_path)
    assert "Traceback" not in audited.stderr and "1,500 matters" in audited.stdout
    deleted = cli("runs", "--delete", run_id, "--store", store_url, cwd=tmp_path)
    assert deleted.returncode == 0 and f"deleted run {run_id}" in deleted.stdout, deleted.stderr
    assert "freed 0 bytes" not in deleted.stdout
    assert open_store(store_url).runs() == []


@pytest.mark.slow
def test_deletes_of_different_runs_at_once_all_succeed_beside_listings(tmp_path, store_url):
    recorded = cli("run", "location_rule", "control_rule", "cloud_act", "provider_complies", "-n", "30", "--jobs",
                   "1", "--store", store_url, cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    run_ids = list(dict.fromkeys(line.split()[1] for line in recorded.stdout.splitlines() if line.startswith("run ")))
    assert len(run_ids) == 4
    deletes = [popen("runs", "--delete", run_id, "--store", store_url, cwd=tmp_path) for run_id in run_ids]
    listings = [popen("runs", "--store", store_url, cwd=tmp_path) for _ in range(4)]
    for process in deletes + listings:
        _stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0 and "Traceback" not in stderr, stderr
    assert open_store(store_url).runs() == []


@pytest.mark.slow
def test_deleting_a_run_of_a_trillion_replications_reads_only_what_is_stored(tmp_path, store_url, monkeypatch):
    run_id = interrupted_run(store_url, monkeypatch, 10**12, 40)
    done = cli("runs", "--delete", run_id, "--store", store_url, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"deleted run {run_id} ({STOCHASTIC}, 1,000,000,000,000 matters" in done.stdout
    assert open_store(store_url).runs() == []


@pytest.mark.slow
def test_a_delete_interrupted_after_the_run_is_gone_says_it_is_gone(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    recorded = cli("run", STOCHASTIC, "-n", "800", "--jobs", "1", "--store", url, cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    run_id = recorded.stdout.split()[1]
    deleting = popen("runs", "--delete", run_id, "--store", url, cwd=tmp_path)
    line = deleting.stdout.readline()  # said as soon as the transaction committed, before compacting
    assert line.startswith(f"deleted run {run_id}"), line
    deleting.send_signal(signal.SIGINT)
    rest, stderr = deleting.communicate(timeout=60)
    assert "Traceback" not in stderr
    if deleting.returncode:  # the signal came before compacting was done
        assert deleting.returncode == 130, stderr
        assert stderr.strip() == f"run.py runs: interrupted: run {run_id} deleted; the store file may not be " \
                                 "compacted (the next delete compacts it)"
    else:
        assert "compacted the store file" in rest
    assert open_store(url).runs() == []


@pytest.mark.slow
def test_a_delete_beside_a_writer_of_another_run_says_what_it_removed_not_freed_0_bytes(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    done = cli("run", "cloud_act", "-n", "200", "--jobs", "1", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    other = done.stdout.split()[1]
    writer, _ = _writing(url, tmp_path, n=5000)  # still writing when the delete looks at the file
    try:
        deleted = cli("runs", "--delete", other, "--store", url, cwd=tmp_path)
    finally:
        writer.communicate(timeout=300)
    assert deleted.returncode == 0, deleted.stderr
    lines = deleted.stdout.splitlines()
    assert lines[0].startswith(f"deleted run {other} (cloud_act, 200 matters; ") and " of events)" in lines[0]
    assert lines[1].startswith("the store file was not compacted: another process is recording into it")
    assert "freed 0 bytes" not in deleted.stdout and writer.returncode == 0
