"""PostgreSQL writers under strain (issue 18.3 and 18.4): long matters at several writers, a writer stuck on
the server stopped by the first SIGTERM within seconds, and a server stopped mid-run. Real processes, real
signals, a real server."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest

from sim.runs.runner import stored_prefix
from sim.store import open_store
from tests import throwaway_postgres
from tests.conftest import cli, popen

STOCHASTIC = "microsoft_ireland_stochastic"
LONG = ["--set", "nondisclosure.sought=1", "--set", "nondisclosure.extended=1", "--set",
        "nondisclosure.challenged=0", "--set", "nondisclosure.period=2"]  # about 800 events a replication


def _database(server: str) -> str:
    import psycopg

    name = f"docketsim_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rpartition('/')[0]}/{name}"


def _stored_some(url: str, process: subprocess.Popen, at_least: int = 20) -> str:
    """Wait until the writer has stored `at_least` replications; its run id."""
    deadline = time.time() + 180
    while time.time() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            store = open_store(url)
            runs = store.runs()
            if runs and stored_prefix(store, runs[0]) >= at_least:
                return str(runs[0].id)
        except Exception:
            pass
        time.sleep(0.3)
    process.kill()
    raise AssertionError("the writer stored nothing in three minutes")


@pytest.mark.slow
def test_long_matters_finish_at_one_two_and_four_writers(tmp_path, postgres_server):
    """The long-matter run hung in its first group at any number of writers (3 of 3); now each finishes,
    and the same run at 2 and 4 workers stores the same outcomes."""
    urls = {jobs: _database(postgres_server) for jobs in (1, 2, 4)}
    sizes = {1: 30, 2: 240, 4: 240}
    processes = {jobs: popen("run", STOCHASTIC, "-n", str(sizes[jobs]), "--seed", "1", "--jobs", str(jobs), *LONG,
                             "--out", f"out{jobs}", "--store", urls[jobs], cwd=tmp_path) for jobs in urls}
    for jobs, process in processes.items():
        _, stderr = process.communicate(timeout=900)
        assert process.returncode == 0 and "Traceback" not in stderr, (jobs, stderr)
        store = open_store(urls[jobs])
        (run,) = store.runs()
        assert run.finished_at and stored_prefix(store, run) == sizes[jobs]
        assert len(store.matter_events(str(run.matter_ids()[0]))) > 300  # long matters indeed
    assert (tmp_path / "out2" / "outcomes.csv").read_bytes() == (tmp_path / "out4" / "outcomes.csv").read_bytes()


@pytest.mark.slow
def test_a_writer_stuck_on_the_server_stops_at_the_first_sigterm_with_the_resume_line(tmp_path, postgres_url):
    """A table lock held by another session makes the writer's insert wait for ever: the first SIGTERM
    stops it within seconds, saying how many replications are stored and how to finish; resume does."""
    import psycopg

    writer = popen("run", STOCHASTIC, "-n", "600", "--jobs", "1", "--store", postgres_url, cwd=tmp_path)
    run_id = _stored_some(postgres_url, writer)
    with psycopg.connect(postgres_url) as blocker:
        blocker.execute("LOCK TABLE docketsim_events IN ACCESS EXCLUSIVE MODE")
        time.sleep(3)  # the writer is waiting on the lock now
        sent = time.monotonic()
        writer.send_signal(signal.SIGTERM)
        try:
            _, stderr = writer.communicate(timeout=20)
        finally:
            writer.kill()
        took = time.monotonic() - sent
        blocker.rollback()
    lines = stderr.strip().splitlines()
    assert writer.returncode == 128 + signal.SIGTERM and took < 10, (writer.returncode, took, stderr)
    assert len(lines) == 1 and lines[0].startswith("run.py run: interrupted; "), stderr
    assert f"finish with: python run.py run --resume {run_id}" in lines[0]
    store = open_store(postgres_url)
    stored = stored_prefix(store, store.run(run_id))
    assert f"{stored:,} of 600 replications stored whole" in lines[0]
    resumed = cli("run", "--resume", run_id, "--jobs", "1", "--store", postgres_url, cwd=tmp_path, timeout=600)
    assert resumed.returncode == 0, resumed.stderr


@pytest.mark.slow
def test_a_server_stopped_mid_run_is_one_line_exit_1_promptly_and_the_run_resumes(tmp_path):
    """`pg_ctl stop -m fast` under a writer: one line naming the store and the resume command (a traceback
    from the lock connection and 42 s before); the server started again, `--resume` finishes the run."""
    if throwaway_postgres.binaries() is None:
        pytest.skip("needs PostgreSQL installed, to stop and start a server of its own")
    url, folder = throwaway_postgres.start_cluster()
    try:
        writer = popen("run", STOCHASTIC, "-n", "600", "--jobs", "1", "--store", url, cwd=tmp_path)
        run_id = _stored_some(url, writer)
        throwaway_postgres.stop_server(folder)
        stopped = time.monotonic()
        try:
            _, stderr = writer.communicate(timeout=60)
        finally:
            writer.kill()
        took = time.monotonic() - stopped
        lines = stderr.strip().splitlines()
        assert writer.returncode == 1 and len(lines) == 1 and took < 15, (writer.returncode, took, stderr)
        assert "Traceback" not in stderr and "cannot reach the server" in lines[0]
        assert f"finish with: python run.py run --resume {run_id} --store {url}" in lines[0]
        throwaway_postgres.start_server(folder, urlsplit(url).port)
        resumed = cli("run", "--resume", run_id, "--jobs", "1", "--store", url, cwd=tmp_path, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        store = open_store(url)
        assert store.run(run_id).finished_at and stored_prefix(store, store.run(run_id)) == 600
    finally:
        throwaway_postgres.stop_cluster(folder)
