"""Replications: independence from --jobs, common random numbers, resume, outcome projection."""

from __future__ import annotations

import csv
import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from sim import scenario as scenarios
from sim.runs.runner import record_run, replication_seed
from sim.store import open_store
from sim.views.projections import OUTCOME_KEYS, outcome_row
from tests.conftest import ROOT, cli, comparable

STOCHASTIC = "microsoft_ireland_stochastic"



def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_outcomes_identical_whatever_the_number_of_workers(tmp_path):
    for jobs in ("1", "2"):
        done = cli("run", STOCHASTIC, "cloud_act", "-n", "300", "--seed", "11", "--jobs", jobs,
                   "--out", f"out{jobs}", "--store", f"sqlite:///s{jobs}.sqlite", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    one, two = (tmp_path / "out1" / "outcomes.csv").read_bytes(), (tmp_path / "out2" / "outcomes.csv").read_bytes()
    assert one == two
    rows = read_csv(tmp_path / "out1" / "outcomes.csv")
    assert len(rows) == 600 and list(rows[0]) == list(OUTCOME_KEYS)
    assert {r["scenario"] for r in rows} == {STOCHASTIC, "cloud_act"}


def test_a_run_stores_each_event_once_as_one_row_the_bench_counts(tmp_path):
    """The writer stores the plain records its workers send (`EventMapper.to_record`): each replication's
    events read back as they were played, one row an event, which is what the bench counts."""
    from sim.engine import simulate
    from sim.runs.bench import rows_in

    path, scenario = tmp_path / "s.sqlite", scenarios.load(STOCHASTIC)
    store = open_store(f"sqlite:///{path}", create=True)
    result = record_run(store, scenario, seed=2, replications=6, jobs=2)
    stored = [comparable(store.matter_events(m)) for m in result.matter_ids]
    played = [comparable(simulate(scenario, result.run_id, i, replication_seed(2, i)).collect_events())
              for i in range(6)]
    assert stored == played
    assert rows_in(path) == store.recorder.max_notification_id() > sum(map(len, played)) > 6 * 20


@pytest.mark.slow
def test_event_streams_identical_whatever_the_number_of_workers(tmp_path):
    scenario = scenarios.load(STOCHASTIC)
    streams = []
    for jobs in (1, 2):
        store = open_store(f"sqlite:///{tmp_path / f'j{jobs}.sqlite'}", create=True)
        result = record_run(store, scenario, seed=4, replications=200, jobs=jobs)
        streams.append([comparable(store.matter_events(m)) for m in result.matter_ids[::37]])
    assert streams[0] == streams[1]


@pytest.mark.slow
def test_a_scenario_compared_with_itself_gives_zero_paired_differences(tmp_path):
    """Same parameters under another name: common random numbers make every pair identical."""
    (tmp_path / "twin.toml").write_text(
        f'[scenario]\nextends = "{STOCHASTIC}"\nname = "twin"\ntitle = "t"\ndescription = "d"\n')
    done = cli("run", STOCHASTIC, "twin.toml", "-n", "400", "--seed", "3", "--out", "out",
               "--store", "memory://", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pair = json.loads((tmp_path / "out" / "summary.json").read_text())["paired_differences"][0]
    for measure in ("p_disclosed", "p_disclosed_within_365", "p_disclosed_within_730", "restricted_mean_days",
                    "median_days"):
        assert pair[measure] == {"estimate": 0.0, "low": 0.0, "high": 0.0}, measure
    assert "Paired differences against microsoft_ireland_stochastic" in done.stdout


def test_common_random_numbers_pair_the_early_steps_of_different_regimes(historical):
    """Scenarios differing only in the Supreme Court's timing share everything before it."""
    import attrs

    from sim.distributions import Fixed
    from sim.engine import simulate

    base = scenarios.load(STOCHASTIC)
    slower = attrs.evolve(base, supreme_court=attrs.evolve(base.supreme_court, decision_after=Fixed(400)))
    argued_somewhere = 0
    for i in range(60):
        a, b = ([(type(e).__name__, getattr(e, "date", None), getattr(e, "step", None)) for e in
                 simulate(s, "r", i, replication_seed(9, i)).pending_events] for s in (base, slower))
        first_difference = next((j for j, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        if first_difference is None:
            assert a == b  # never argued in the Supreme Court: identical to the end
            continue
        argued_somewhere += 1
        argued = next(j for j, e in enumerate(a) if e[2] == "supreme_argument")
        assert first_difference > argued
    assert argued_somewhere > 0


def test_outcome_rows_rebuilt_from_the_store_equal_the_rows_written_at_run_time(tmp_path):
    scenario = scenarios.load("control_rule")
    store = open_store(f"sqlite:///{tmp_path / 'o.sqlite'}", create=True)
    written = []
    result = record_run(store, scenario, seed=2, replications=150, jobs=2, on_row=written.append)
    reopened = open_store(f"sqlite:///{tmp_path / 'o.sqlite'}")
    rebuilt = [outcome_row(reopened.matter_events(m)) for m in result.matter_ids]
    assert rebuilt == written
    assert {r["final_disposition"] for r in written} >= {"warrant executed", "contempt sanctions"}


def _stored_matters(path) -> int:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%Matter.Opened'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill", "interrupt"])
def test_resume_after_a_killed_or_interrupted_run_equals_an_uninterrupted_run(tmp_path, how):
    n = "4000"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "run", STOCHASTIC, "-n", n, "--seed", "5",
                             "--jobs", "2", "--store", "sqlite:///cut.sqlite"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while _stored_matters(tmp_path / "cut.sqlite") < 300 and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL if how == "kill" else signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    stored = _stored_matters(tmp_path / "cut.sqlite")
    assert 300 <= stored < int(n), "the run should have been cut part way"
    if how == "interrupt":
        assert proc.returncode == 130 and "--resume" in err and "Traceback" not in err

    runs = cli("runs", "--store", "sqlite:///cut.sqlite", cwd=tmp_path)
    assert "incomplete" in runs.stdout
    run_id = str(open_store(f"sqlite:///{tmp_path / 'cut.sqlite'}").runs()[0].id)
    resumed = cli("run", "--resume", run_id, "--out", "resumed", "--store", "sqlite:///cut.sqlite", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    whole = cli("run", STOCHASTIC, "-n", n, "--seed", "5", "--out", "whole", "--store", "sqlite:///whole.sqlite",
                cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr
    assert (tmp_path / "resumed" / "outcomes.csv").read_bytes() == (tmp_path / "whole" / "outcomes.csv").read_bytes()
    assert "incomplete" not in cli("runs", "--store", "sqlite:///cut.sqlite", cwd=tmp_path).stdout
    again = cli("run", "--resume", run_id, "--store", "sqlite:///cut.sqlite", cwd=tmp_path)
    assert again.returncode == 2 and "already finished" in again.stderr


@pytest.mark.parametrize("args", [
    ["run", "no_such_scenario", "-n", "10"],
    ["run", STOCHASTIC, "-n", "0"],
    ["run", STOCHASTIC, "--seed", "-3"],
    ["run", STOCHASTIC, "--jobs", "0"],
    ["run", "--resume", "00000000-0000-0000-0000-000000000000"],
    ["run", "--resume", "not-a-uuid"],
    ["run", STOCHASTIC, "--resume", "00000000-0000-0000-0000-000000000000"],
    ["run"],
])
@pytest.mark.slow
def test_bad_run_arguments(tmp_path, args):
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "docketsim.sqlite").exists()


@pytest.mark.parametrize(("old", "new", "key"), [
    ('refuses_mlat = { p = 0.1,', 'refuses_mlat = { p = 1.5,', "foreign_authority.refuses_mlat.p"),
    ('mlat_response_after = { dist = "lognormal", median = 270, spread = 1.6,',
     'mlat_response_after = { dist = "lognormal", median = 270, spread = 0.5,',
     "foreign_authority.mlat_response_after.spread"),
    ('serve_after = { dist = "uniform", low = 0, high = 3,', 'serve_after = { dist = "uniform", low = 5, high = 3,',
     "government.serve_after.low"),
    ('objection_after = { dist = "uniform", low = 7, high = 14,',
     'objection_after = { dist = "triangular", low = 7, mode = 20, high = 14,', "government.objection_after.mode"),
])
@pytest.mark.slow
def test_impossible_figures_are_refused(tmp_path, old, new, key):
    text = (ROOT / "scenarios" / f"{STOCHASTIC}.toml").read_text()
    assert old in text
    (tmp_path / "bad.toml").write_text(text.replace(old, new))
    done = cli("run", "bad.toml", "-n", "5", cwd=tmp_path)
    assert done.returncode == 2 and f"bad.toml: {key}:" in done.stderr
    assert not (tmp_path / "docketsim.sqlite").exists()


def test_an_extending_scenarios_figure_replaces_the_base_figure_whole():
    """A regime's figure keeps only its own provenance (the base's `source` does not leak into it)."""
    from sim import scenario as scenarios

    refuses = scenarios.load("cloud_act").provider.refuses
    assert refuses.p == 0.3 and refuses.source is None and refuses.assumption.startswith("with 2713 in force")


def test_the_floor_stores_what_play_stores_without_the_procedure():
    """`bench --floor` measures `play` against its skeleton: the skeleton must take the replication's SimPy steps
    on its days and map the very records `play` stores (the library's timestamps aside), or the floor it
    reports bounds nothing."""
    import orjson

    from sim.runs.floor import bare, skeleton
    from sim.runs.runner import play
    from sim.store import DocketStore

    def facts(records):
        return [(i, v, t, {k: x for k, x in orjson.loads(s).items() if k != "timestamp"}) for i, v, t, s in records]

    mapper = DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    scenario = scenarios.load(STOCHASTIC)
    for replication in (0, 5):
        s = skeleton(scenario, "floor", replication, 3)
        played = play(scenario, "floor", replication, 3, mapper)[0]
        assert facts(bare(s, mapper)) == facts(played)
        assert len(s.days) > len(s.entries) > 20 and list(s.days) == sorted(s.days)
        assert {f["sim_day"] for _, f in s.entries[1:]} <= {0, *s.days}  # every entry is made on a step's day
