"""Bounds: memory does not grow with -n (run, report), workers are capped at the cores, scenario files are read
only from regular files of bounded size, and every unreadable file is one line."""

from __future__ import annotations

import os
import re
import signal
import time
import tracemalloc
from pathlib import Path

import pytest

from reports import build
from sim import scenario as scenarios
from sim.runs.runner import record_run, usable_jobs
from sim.store import open_store
from tests.conftest import ROOT, cli, popen

HISTORICAL = ROOT / "scenarios" / "microsoft_ireland_2013.toml"


def test_a_trillion_replications_start_at_once_and_stop_cleanly(tmp_path):
    """-n 10**12 used to build every matter id in memory until MemoryError."""
    process = popen("run", "cloud_act", "-n", str(10**12), "--jobs", "1", "--store", "sqlite:///s.sqlite",
                    cwd=tmp_path)
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None:
        if Path(tmp_path / "s.sqlite-wal").exists() and (tmp_path / "s.sqlite-wal").stat().st_size > 1 << 20:
            break
        time.sleep(0.1)
    peak_kib = int(re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{process.pid}/status").read_text()).group(1))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "of 1,000,000,000,000 replications stored whole" in stderr, stderr
    assert peak_kib < 400 * 1024


def test_workers_are_capped_at_the_cores(tmp_path):
    cores = len(os.sched_getaffinity(0))
    assert usable_jobs(1000, 3) == cores and usable_jobs(None, 10) == 1 and usable_jobs(None, 10**6) == cores
    done = cli("run", "cloud_act", "-n", "3", "--jobs", "1000", "--store", "memory://", cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr


def _report_peak(store, run_id, out, monkeypatch) -> int:
    """Peak traced memory of building the report of one run, charts and page left out."""
    monkeypatch.setattr("reports.html.write_report", lambda out_dir, **kw: sum(1 for _ in kw["runs"][0]["rows"]))
    out.mkdir()
    tracemalloc.start()
    try:
        build.build_report(store, [run_id], out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_report_memory_does_not_grow_with_the_replications(tmp_path, monkeypatch):
    """Rows stream from the store to outcomes.csv and the tallies (they used to be kept: 1.3 KB each)."""
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}", create=True)
    scenario = scenarios.load("cloud_act")
    small = record_run(store, scenario, seed=1, replications=100).run_id
    large = record_run(store, scenario, seed=2, replications=900).run_id
    peaks = [_report_peak(store, run_id, tmp_path / name, monkeypatch)
             for run_id, name in ((small, "s"), (large, "l"), (small, "s2"))]
    per_replication = (peaks[1] - max(peaks[0], peaks[2])) / 800
    # the tally keeps ~6 bytes a replication; sorting days for the quantiles and the median replication
    # takes a few float arrays for a moment; keeping the rows took 1,300
    assert per_replication < 300, f"{per_replication:.0f} bytes per replication"


def one_line_2(done, *needles) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_device_is_not_read_as_a_scenario(tmp_path, command):
    one_line_2(cli(command, "/dev/zero", cwd=tmp_path, timeout=30), "/dev/zero", "not a regular file")


def test_a_fifo_is_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    one_line_2(cli("run", "pipe.toml", cwd=tmp_path, timeout=30), "pipe.toml", "not a regular file")


def test_a_scenario_file_over_the_size_limit(tmp_path):
    (tmp_path / "big.toml").write_text(HISTORICAL.read_text() + "# padding\n" * 200_000)
    one_line_2(cli("validate", "big.toml", cwd=tmp_path, timeout=30), "big.toml", "larger than 1024 KiB")


def test_a_symlink_loop(tmp_path):
    os.symlink("loop_b.toml", tmp_path / "loop_a.toml")
    os.symlink("loop_a.toml", tmp_path / "loop_b.toml")
    one_line_2(cli("run", "loop_a.toml", cwd=tmp_path, timeout=30), "loop_a.toml")


@pytest.mark.parametrize("nesting", ["x = " + "[" * 50_000 + "]" * 50_000, "x = " + "[" * 20 + "]" * 20,
                                     "x = " + "{ a = " * 30 + "1" + " }" * 30])
@pytest.mark.slow
def test_a_deeply_nested_file(tmp_path, nesting):
    (tmp_path / "deep.toml").write_text(nesting + "\n")
    one_line_2(cli("validate", "deep.toml", cwd=tmp_path, timeout=30), "deep.toml", "nest more than")


def test_an_extends_loop_through_a_symlink_is_one_line(tmp_path):
    os.symlink("nowhere/../self.toml", tmp_path / "self.toml")
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "self.toml"\nname = "a"\n')
    one_line_2(cli("run", "a.toml", cwd=tmp_path, timeout=30), "a.toml")
