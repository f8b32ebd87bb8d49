"""Experiments: the file's checks, the designs' sizes, what is stored, the outputs, and local against Dask."""

from __future__ import annotations

import csv
import os
import signal
from pathlib import Path

import pytest

from reports.experiment import write_experiment
from sim import scenario as scenarios
from sim.errors import UserError
from sim.runs import experiment as experiments
from sim.runs.designs import Factor, size_of, unit_points
from sim.runs.executors import DaskExecutor, LocalExecutor
from sim.runs.experiment_file import load as load_experiment
from sim.store import open_store
from sim.store.outcomes import outcomes_id
from tests.conftest import ROOT, cli

SMALL = """
[experiment]
scenario = "microsoft_ireland_stochastic"
design = "morris"
trajectories = 3
replications = 24
seed = 5
measures = ["p_disclosed_within_730", "restricted_mean_days"]

[factors]
"provider.complies_after_loss.p" = { low = 0.5, high = 1.0 }
"provider.comity_motion.p" = { low = 0.0, high = 0.3 }
"government.mlat_after_loss.p" = { low = 0.5, high = 1.0 }
"""
UNUSED = "provider.comity_motion.p"  # Ireland is no qualifying foreign government in 2013: never drawn


def _file(tmp_path: Path, text: str, name: str = "exp.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _replace(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new)


@pytest.mark.parametrize(("text", "said"), [
    (_replace("design = \"morris\"", "design = \"factorial\""), "experiment.design: expected one of grid, lhs"),
    (_replace("\"provider.comity_motion.p\"", "\"provider.no_such_key\""),
     "factors.provider.no_such_key: not a key of microsoft_ireland_stochastic"),
    (_replace("\"provider.comity_motion.p\" = { low = 0.0, high = 0.3 }",
              "\"government.route\" = { low = 0, high = 1 }"),
     "factors.government.route: a range needs a numeric key; government.route is a choice"),
    (_replace("design = \"morris\"\ntrajectories = 3", "design = \"sobol\"\nsamples = 12"),
     "experiment.samples: Sobol' sampling needs a power of two"),
    (_replace("trajectories = 3", "points = 3"), "experiment.points: not for the morris design"),
    (_replace("\"restricted_mean_days\"]", "\"happiness\"]"), "experiment.measures: unknown measure 'happiness'"),
    (_replace("{ low = 0.5, high = 1.0 }", "{ low = 1.0, high = 0.5 }"), "expected low < high"),
    (_replace("{ low = 0.0, high = 0.3 }", "{ low = 0.0, high = 1.3 }"), "expected a probability"),
    (_replace("replications = 24", "replications = 0"), "experiment.replications: expected a whole number >= 1"),
    (_replace("[factors]", "[factor]"), "factor: unknown table"),
])
def test_a_bad_experiment_file_gets_one_line_naming_the_file_and_key(tmp_path, text, said):
    path = _file(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_experiment(path)
    message = str(caught.value)
    assert said in message and path in message and "\n" not in message


@pytest.mark.slow
def test_design_sizes_follow_the_design():
    factors = [Factor("a.p", low=0.0, high=1.0), Factor("b", values=("x", "y")), Factor("c.p", low=0, high=1)]
    assert size_of("grid", 0, factors) == 3 * 2 * 3 == len(unit_points("grid", 0, factors, 0))
    assert size_of("morris", 4, factors) == 4 * 4 == len(unit_points("morris", 4, factors, 0))
    assert size_of("sobol", 8, factors) == 8 * 5 == len(unit_points("sobol", 8, factors, 0))
    assert size_of("lhs", 7, factors) == 7 == len(unit_points("lhs", 7, factors, 0))
    # the same seed makes the same design
    assert (unit_points("morris", 4, factors, 3) == unit_points("morris", 4, factors, 3)).all()


@pytest.mark.slow
def test_a_factor_the_scenario_never_uses_is_warned_of_and_ranks_last_with_mu_star_zero(tmp_path):
    found = load_experiment(_file(tmp_path, SMALL))
    assert experiments.unused_factors(found) == [UNUSED]
    result = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    for measure in ("restricted_mean_days",):
        mu_star = [(key, value) for key, index, value, _, _ in result.indices[measure] if index == "mu_star"]
        assert mu_star[-1] == (UNUSED, 0.0)
        assert all(value > 0 for key, value in mu_star[:-1]), mu_star


@pytest.mark.slow
def test_points_share_the_draws_and_are_stored_outcomes_only(tmp_path, sqlite_url):
    """Common random numbers: two points that differ only in the unused factor give the same rows. The store
    keeps each distinct point's run and outcome rows, no matter events; a second command plays nothing again,
    and `report` rebuilds the same files from the store."""
    found = load_experiment(_file(tmp_path, SMALL))
    store = open_store(sqlite_url, create=True)
    first = experiments.run_experiment(store, found, LocalExecutor(1))
    points = list(experiments.plan(found))
    assert first.played == len({p.run_id for p in points}) > 0
    assert all(store.has_events(outcomes_id(p.run_id)) for p in points)
    run = store.run(points[0].run_id)
    assert run.finished_at and not store.has_events(run.matter_ids()[0])
    by_other_factors: dict[tuple, list] = {}
    for values, estimates in zip(first.values, first.estimates, strict=True):
        by_other_factors.setdefault((values[0], values[2]), []).append(estimates)
    assert any(len(same) > 1 for same in by_other_factors.values())
    assert all(e == same[0] for same in by_other_factors.values() for e in same)
    again = experiments.run_experiment(store, found, LocalExecutor(1))
    assert again.played == 0 and again.estimates == first.estimates
    write_experiment(first, tmp_path / "fresh")
    write_experiment(experiments.from_store(open_store(sqlite_url), first.experiment_id), tmp_path / "stored")
    for name in ("experiment.csv", "sensitivity.csv"):
        assert (tmp_path / "fresh" / name).read_bytes() == (tmp_path / "stored" / name).read_bytes()


@pytest.mark.slow
def test_the_csv_files_have_exactly_the_columns_of_the_interface(tmp_path):
    found = load_experiment(_file(tmp_path, SMALL))
    result = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    write_experiment(result, tmp_path)
    with (tmp_path / "experiment.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["point", "provider.complies_after_loss.p", "provider.comity_motion.p",
                       "government.mlat_after_loss.p", "p_disclosed_within_730", "p_disclosed_within_730_low",
                       "p_disclosed_within_730_high", "restricted_mean_days", "restricted_mean_days_low",
                       "restricted_mean_days_high"]
    assert len(rows) == 1 + found.points == 1 + 3 * 4
    with (tmp_path / "sensitivity.csv").open() as f:
        sensitivity = list(csv.DictReader(f))
    assert list(sensitivity[0]) == ["measure", "key", "index", "value", "low", "high"]
    assert {r["index"] for r in sensitivity} == {"mu_star", "sigma"}
    assert len(sensitivity) == 2 * 3 * 2  # measures x keys x indices
    assert (tmp_path / "sensitivity-restricted_mean_days.png").stat().st_size > 0


def test_sobol_indices_with_bounds(tmp_path):
    text = _replace("design = \"morris\"\ntrajectories = 3", "design = \"sobol\"\nsamples = 4")
    result = experiments.run_experiment(open_store("memory://"), load_experiment(_file(tmp_path, text)),
                                        LocalExecutor(1))
    indices = result.indices["restricted_mean_days"]
    assert {index for _, index, _, _, _ in indices} == {"S1", "ST"}
    assert all(low is not None and low <= value <= high for _, _, value, low, high in indices)


def test_with_settings_at_once_still_names_the_setting_at_fault():
    base = scenarios.load("microsoft_ireland_stochastic")
    with pytest.raises(UserError, match=r"--set provider.refuses.p: expected a probability"):
        scenarios.with_settings(base, [("government.objects.p", "0.9"), ("provider.refuses.p", "2")])
    one_by_one = scenarios.with_settings(scenarios.with_settings(base, [("government.objects.p", "0.9")]),
                                         [("provider.refuses.p", "0.5")])
    at_once = scenarios.with_settings(base, [("government.objects.p", "0.9"), ("provider.refuses.p", "0.5")])
    assert scenarios.plays_alike(one_by_one, at_once) and at_once.tables == one_by_one.tables


@pytest.mark.slow
def test_the_dask_executor_gives_the_same_files_as_the_local_one(tmp_path):
    """The same experiment on 2 local processes and on a Dask LocalCluster: the same bytes."""
    found = load_experiment(_file(tmp_path, SMALL))
    local = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(2))
    dask = DaskExecutor(None, 2)
    try:
        remote = experiments.run_experiment(open_store("memory://"), found, dask)
    finally:
        dask.close()
    write_experiment(local, tmp_path / "local")
    write_experiment(remote, tmp_path / "dask")
    for name in ("experiment.csv", "sensitivity.csv"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()


@pytest.mark.slow
def test_dry_run_prints_the_size_and_writes_nothing(tmp_path):
    store = tmp_path / "s.sqlite"
    done = cli("experiment", str(ROOT / "scenarios" / "experiments" / "ireland_screening.toml"), "--dry-run",
               "--store", f"sqlite:///{store}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "design points: 420" in done.stdout and "210,000" in done.stdout and "time:" in done.stdout
    assert not store.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_bad_experiment_file_exits_2_with_one_line(tmp_path):
    path = _file(tmp_path, _replace("design = \"morris\"", "design = \"factorial\""))
    done = cli("experiment", path, "--store", f"sqlite:///{tmp_path / 's.sqlite'}", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "s.sqlite").exists()


def test_the_bench_measures_an_executor_by_the_replications_it_returns():
    from sim.runs.bench import executor_rate

    rate, start = executor_rate("local", 12, 1)
    assert rate > 0 and start >= 0


def interrupted(path: str, points: int, *args: str, cwd: Path) -> str:
    """`experiment path *args` in a subprocess, Ctrl-C once it has played a while: its last line, which must
    say how many points are stored whole and how to finish (exit 130)."""
    import time

    from tests.conftest import popen

    process = popen("experiment", path, *args, cwd=cwd)
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"experiment exp: {points} design points")
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    line = stderr.strip().splitlines()[-1]
    assert "interrupted;" in line and "design points stored whole; finish with: python run.py experiment" in line
    return line


@pytest.mark.slow
def test_ctrl_c_stops_an_experiment_with_the_hint_and_the_same_command_finishes_it(tmp_path):
    path = _file(tmp_path, _replace("trajectories = 3", "trajectories = 30").replace("replications = 24",
                                                                                      "replications = 200"))
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    line = interrupted(path, 120, "--store", url, "--out", str(tmp_path / "out"), cwd=tmp_path)
    stored, total = (int(x) for x in line.split("interrupted; ")[1].split(" design points")[0].split(" of "))
    assert stored < total
    again = cli("experiment", path, "--store", url, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert stored == 0 or f"{stored} of {total} distinct design points are already in the store" in again.stderr
    assert (tmp_path / "out" / "sensitivity.csv").exists()


class Killing:
    """A Dask executor that kills one of its workers once the second batch's result is in; `result_check` is
    applied to each result that comes back."""

    def __init__(self, dask: DaskExecutor, result_check=lambda result: None) -> None:
        self.dask, self.result_check = dask, result_check
        self.workers, self.where = dask.workers, dask.where

    def play(self, batches):
        victim = next(iter(self.dask.client.run(os.getpid).values()))
        for i, result in enumerate(self.dask.play(batches)):
            self.result_check(result)
            if i == 1:
                os.kill(victim, signal.SIGKILL)
            yield result


@pytest.mark.slow
def test_a_dask_worker_killed_mid_run_loses_nothing(tmp_path):
    """A worker process killed while batches are in flight: the scheduler plays them again, the writer stores
    each point once, and the results are those of the local executor."""
    found = load_experiment(_file(tmp_path, SMALL))
    local = experiments.run_experiment(open_store("memory://"), found, LocalExecutor(1))
    dask = DaskExecutor(None, 2)
    try:
        store = open_store("memory://")
        remote = experiments.run_experiment(store, found, Killing(dask))
    finally:
        dask.close()
    assert remote.estimates == local.estimates and remote.indices == local.indices
    assert remote.played == len({p.run_id for p in experiments.plan(found)})


def test_a_matter_of_an_experiment_point_opens_played_again(tmp_path, sqlite_url):
    from sim.runs.replays import ensure_matter
    from sim.runs.runner import stored_rows
    from sim.views.projections import outcome_row

    found = load_experiment(_file(tmp_path, SMALL))
    store = open_store(sqlite_url, create=True)
    experiments.run_experiment(store, found, LocalExecutor(1))
    assert [str(e.id) for e in experiments.experiments_in(store)] == [str(experiments.Experiment.create_id(
        found.text_hash))]
    point = list(experiments.plan(found))[5]
    run = store.run(point.run_id)
    matter_id = run.matter_ids()[7]
    said: list[str] = []
    ensure_matter(store, matter_id, said.append)
    assert len(said) == 1 and store.has_events(matter_id)
    row = list(stored_rows(store, run))[7]
    assert outcome_row(store.matter_events(matter_id)) == row


@pytest.mark.slow
def test_the_bench_measures_the_memory_of_an_experiment_and_its_report(tmp_path):
    from sim.runs.bench import experiment_memory_figures

    said: list[str] = []
    figures = experiment_memory_figures(4, 8, 1, tmp_path, said.append)
    assert figures["h_experiment_mib_small"] > 0 and figures["h_report_mib_big"] > 0
    assert [line.split(",")[0] for line in said] == ["(h) experiment", "(h) report"]
    assert (tmp_path / "report8" / "experiment.csv").read_text().count("\n") == 3  # the header and 2 points


@pytest.mark.slow
def test_a_factor_never_used_is_warned_of_in_one_line_and_a_dry_run_still_writes_nothing(tmp_path):
    path = _file(tmp_path, SMALL)
    done = cli("experiment", path, "--dry-run", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"run.py experiment: warning: factor {UNUSED} changed none of 32 sample "
                                        "dockets between its extremes: microsoft_ireland_stochastic may never use it"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.toml"]


def test_kept_rows_are_read_a_page_at_a_time_from_an_outcomes_record_of_many_commits():
    """An `Outcomes` record (run --keep outcomes, and experiments stored by earlier releases) read back whole
    and in order across pages of its events."""
    from sim.store.outcomes import COLUMNS, PAGE, Outcomes, kept_count, kept_rows

    store = open_store("memory://")
    rows = [[i % 2 == 0, "warrant", i, "supreme", "disclosed", False, False, 30 + i, False, "supreme"]
            for i in range(3 * PAGE + 5)]
    record = Outcomes("run", list(reversed(COLUMNS)), [list(reversed(rows[0]))])
    for row in rows[1:]:
        record.add(rows=[list(reversed(row))])
    store.save(record)
    assert list(kept_rows(store, "run")) == rows and kept_count(store, "run") == len(rows)
