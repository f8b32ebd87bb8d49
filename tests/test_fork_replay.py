"""Teaching and what-ifs: the docket as of any date, replay, and forks of a recorded matter."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from sim import scenario as scenarios
from sim.engine.script import payload
from sim.runs.runner import record_run, source_entries
from sim.store import open_store
from sim.views.narrative import running
from sim.views.projections import state
from tests.conftest import ROOT, cli, system_tool


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """The historical matter in a real SQLite store, and its events."""
    folder = tmp_path_factory.mktemp("fork")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    done = cli("run", "microsoft_ireland_2013", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    matter_id = done.stdout.split("matter ")[1].split()[0]
    return folder, url, matter_id, open_store(url).matter_events(matter_id)


@pytest.mark.slow
def test_as_of_matches_the_rebuilt_state_at_every_version_boundary(recorded):
    _, url, matter_id, events = recorded
    store = open_store(url)
    for event in events[1:]:
        day = dt.date.fromisoformat(event.date)
        expected = max(e.originator_version for e in events[1:] if e.date <= event.date)
        matter = store.matter_as_of(matter_id, day)
        assert matter.version == expected
        assert matter.history == [type(e).__name__ for e in events[1:expected]]
        assert matter.last_day == events[expected - 1].sim_day


@pytest.mark.slow
def test_docket_as_of_shows_the_deadlines_then_running(recorded):
    folder, url, matter_id, _ = recorded
    done = cli("docket", matter_id, "--as-of", "2016-07-14", "--format", "json", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["entries"][-1]["event"] == "PanelDecided"
    assert all(e["date"] <= "2016-07-14" for e in document["entries"])
    running = {(d["action"], d["due"]) for d in document["open_deadlines"]}
    assert ("petition for panel rehearing or rehearing en banc", "2016-08-29") in running  # FRAP 40(a)(1)
    text = cli("docket", matter_id, "--as-of", "2016-07-14", "--store", url, cwd=folder).stdout
    assert "by 29 August 2016 (FRAP 40(a)(1))" in text


def test_deadlines_close_when_answered(recorded):
    _, _, _, events = recorded
    upto = [e for e in events if getattr(e, "date", "") <= "2016-10-13" or e is events[0]]
    actions = [d.action for d in running(state(upto), dt.date(2016, 10, 13))]
    assert not any("rehearing" in a for a in actions)  # answered by the petition of 2016-10-13
    assert not any("certiorari" in a for a in actions)  # a timely rehearing petition: time runs from the denial
    before = [e for e in events if getattr(e, "date", "") <= "2016-10-12" or e is events[0]]
    due = {d.action: (d.due, d.extended) for d in running(state(before), dt.date(2016, 10, 12))}
    assert due["petition for panel rehearing or rehearing en banc"] == (dt.date(2016, 10, 13), True)


def test_a_forks_prefix_is_identical_to_the_source(recorded):
    _, url, matter_id, events = recorded
    store = open_store(url)
    cut = next(e.originator_version for e in events if type(e).__name__ == "RehearingDecided")
    scenario = scenarios.with_settings(scenarios.load("microsoft_ireland_2013"), [("cloud_act.enacted", "never")])
    result = record_run(store, scenario, seed=1, replications=3, fork=source_entries(store, matter_id, cut))
    for fork_id in result.matter_ids:
        forked = store.matter_events(fork_id)
        assert forked[0].forked_from == {"matter_id": matter_id, "seq": cut}
        assert [payload(e) for e in forked[1:cut]] == [payload(e) for e in events[1:cut]]
        assert all(e.inherited == {"matter_id": matter_id, "seq": e.originator_version} for e in forked[1:cut])
        assert all(e.inherited is None for e in forked[cut:])


@pytest.mark.slow
def test_a_fork_after_the_last_entry_reproduces_the_source_outcome(recorded):
    folder, url, matter_id, events = recorded
    last = events[-1].originator_version
    done = cli("fork", matter_id, "--after-entry", str(last), "-n", "3", "--out", "same", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    rows = (folder / "same" / "outcomes.csv").read_text().splitlines()[1:]
    assert len(rows) == 3
    for row in rows:
        assert ",true,warrant,1602,supreme,dismissed as moot,true,true," in row


@pytest.mark.slow
def test_fork_without_the_cloud_act_after_en_banc_denial(recorded):
    """Never records the CLOUD Act; the Supreme Court decides in some replications."""
    folder, url, matter_id, _ = recorded
    done = cli("fork", matter_id, "--as-of", "2017-01-24", "--set", "cloud_act.enacted=never", "-n", "40",
               "--seed", "3", "--out", "nocloud", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    store = open_store(url)
    run = store.runs()[-1]
    assert run.fork["matter_id"] == matter_id and run.settings == [("cloud_act.enacted", "never")]
    decided = 0
    for fork_id in run.matter_ids():
        names = [type(e).__name__ for e in store.matter_events(str(fork_id))]
        assert "LegislationEnacted" not in names
        decided += "SupremeCourtDecided" in names
    assert decided > 0


@pytest.mark.slow
def test_fork_supreme_court_doctrine_control(recorded):
    folder, url, matter_id, _ = recorded
    done = cli("fork", matter_id, "--as-of", "2017-01-24", "--set", "supreme_court.doctrine=control",
               "--set", "cloud_act.enacted=never", "-n", "5", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    store = open_store(url)
    for fork_id in store.runs()[-1].matter_ids():
        decision = [e for e in store.matter_events(str(fork_id)) if type(e).__name__ == "SupremeCourtDecided"]
        assert decision and decision[0].doctrine == "control" and decision[0].prevailing == "government"


@pytest.mark.parametrize(("args", "message"), [
    (["--after-entry", "999"], "outside the matter"),
    (["--after-entry", "1"], "outside the matter"),
    (["--as-of", "2010-01-01"], "before the matter began"),
    (["--as-of", "2017-01-24", "--set", "cloud_act.no_such_key=1"], "--set cloud_act.no_such_key"),
    (["--as-of", "2017-01-24", "--set", "supreme_court.doctrine=sometimes"], "--set supreme_court.doctrine"),
    (["--as-of", "2017-01-24", "--set", "nonsense"], "KEY=VALUE"),
    (["--as-of", "2018-03-25", "--set", "cloud_act.enacted=never"], "under it the legislation of 2018-03-23 does not"),
])
@pytest.mark.slow
def test_bad_fork_requests(recorded, args, message):
    folder, url, matter_id, _ = recorded
    before = (folder / "store.sqlite").read_bytes()
    done = cli("fork", matter_id, *args, "--store", url, cwd=folder)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert (folder / "store.sqlite").read_bytes() == before


@pytest.mark.slow
def test_fork_needs_no_scenario_file_but_refuses_a_scenario_no_longer_loadable(tmp_path):
    """A run keeps its effective scenario: forking works with the file gone; a stored scenario that no
    longer validates is refused with one clear line."""
    import attrs

    scenario_file = tmp_path / "gone.toml"
    shutil.copy(ROOT / "scenarios" / "microsoft_ireland_2013.toml", scenario_file)
    done = cli("run", "gone.toml", "--store", "sqlite:///s.sqlite", cwd=tmp_path)
    matter_id = done.stdout.split("matter ")[1].split()[0]
    scenario_file.unlink()
    forked = cli("fork", matter_id, "--after-entry", "5", "--store", "sqlite:///s.sqlite", cwd=tmp_path)
    assert forked.returncode == 0, forked.stderr

    historical = scenarios.load("microsoft_ireland_2013")
    broken = attrs.evolve(historical, tables={k: v for k, v in historical.tables.items() if k != "provider"},
                          text_hash="0" * 64)
    store = open_store(f"sqlite:///{tmp_path / 'b.sqlite'}", create=True)
    result = record_run(store, broken)
    failed = cli("fork", result.matter_ids[0], "--after-entry", "5", "--store", "sqlite:///b.sqlite", cwd=tmp_path)
    assert failed.returncode == 2 and "no longer loadable" in failed.stderr and "provider" in failed.stderr


@pytest.mark.slow
def test_an_interrupted_fork_resumes_to_the_same_outcomes(recorded, tmp_path, monkeypatch):
    from sim.runs import runner
    from sim.runs.runner import resume_run

    _, url, matter_id, _ = recorded
    scenario = scenarios.with_settings(scenarios.load("microsoft_ireland_2013"), [("cloud_act.enacted", "never")])
    source = open_store(url)
    fork = source_entries(source, matter_id, 23)
    rows_whole: list = []
    record_run(open_store("memory://"), scenario, seed=2, replications=120, fork=fork, on_row=rows_whole.append)
    cut_store = open_store(f"sqlite:///{tmp_path / 'cut.sqlite'}", create=True)
    real = runner.simulate

    def crash(scenario, run_id, replication, seed, fork=None):
        if replication == 80:
            raise KeyboardInterrupt
        return real(scenario, run_id, replication, seed, fork)

    monkeypatch.setattr(runner, "simulate", crash)
    monkeypatch.setattr(runner, "COMMIT_GROUP", 10)
    with pytest.raises(runner.RunInterrupted):
        record_run(cut_store, scenario, seed=2, replications=120, fork=fork)
    monkeypatch.setattr(runner, "simulate", real)
    run_id = str(cut_store.runs()[0].id)
    rows_resumed: list = []
    assert cut_store.runs()[0].finished_at is None
    # resume reads the fork's source entries from its own store: copy the source matter there
    cut_store.recorder.insert_events([cut_store.mapper.to_stored_event(e) for e in source.matter_events(matter_id)])
    resume_run(cut_store, run_id, on_row=rows_resumed.append)
    assert [r["final_disposition"] for r in rows_resumed] == [r["final_disposition"] for r in rows_whole]
    assert [r["days_to_disclosure"] for r in rows_resumed] == [r["days_to_disclosure"] for r in rows_whole]


@pytest.mark.slow
def test_replay_narrates_in_plain_english(recorded):
    folder, url, matter_id, _ = recorded
    done = cli("replay", matter_id, "--as-of", "2016-07-14", "--store", url, cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "Thursday 14 July 2016" in done.stdout
    assert "may petition for panel rehearing or rehearing en banc by 29 August 2016 (FRAP 40(a)(1))" in done.stdout
    assert "PanelDecided" not in done.stdout and matter_id not in done.stdout
    assert "2016-10-13" not in done.stdout


@contextmanager
def terminal(command: str, cwd) -> Iterator[tuple[Callable[[], str], Callable[[str], str], Callable[..., None]]]:
    """`command` in a real terminal (tmux): the screen, a wait for text on it, and keys to press."""
    tmux = system_tool("tmux", "apt-get install -y tmux")
    session = f"docketsim{time.monotonic_ns()}"
    subprocess.run([tmux, "new-session", "-d", "-s", session, "-x", "200", "-y", "50", command], check=True, cwd=cwd)
    try:
        def screen() -> str:
            return subprocess.run([tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        def wait_for(text: str) -> str:
            for _ in range(100):
                shown = screen()
                if text in shown:
                    return shown
                time.sleep(0.1)
            raise AssertionError(f"{text!r} never appeared:\n{shown}")

        def press(*keys: str) -> None:
            subprocess.run([tmux, "send-keys", "-t", session, *keys], check=True)

        yield screen, wait_for, press
    finally:
        subprocess.run([tmux, "kill-session", "-t", session], capture_output=True)


@pytest.mark.slow
def test_replay_steps_with_enter_in_a_real_terminal(recorded):
    """tmux gives replay a real terminal: nothing more shows until Enter, q quits."""
    folder, url, matter_id, _ = recorded
    command = f"{sys.executable} {ROOT / 'run.py'} replay {matter_id} --step --store {url}; sleep 30"
    with terminal(command, folder) as (screen, wait_for, press):
        first = wait_for("asks a magistrate judge for a warrant")
        assert "issues the warrant" not in first
        press("Enter")
        wait_for("issues the warrant")
        press("q", "Enter")
        time.sleep(0.5)
        assert "is served on" not in screen()


@pytest.mark.slow
def test_ctrl_d_at_the_step_prompt_ends_the_replay_quietly(recorded):
    folder, url, matter_id, _ = recorded
    command = f"{sys.executable} {ROOT / 'run.py'} replay {matter_id} --step --store {url}; echo ended $?; sleep 30"
    with terminal(command, folder) as (_, wait_for, press):
        wait_for("asks a magistrate judge for a warrant")
        press("Enter")
        wait_for("issues the warrant")
        press("C-d")
        shown = wait_for("ended ")
        assert "ended 0" in shown and "Traceback" not in shown and "EOFError" not in shown
        assert "is served on" not in shown


@pytest.mark.slow
def test_a_bundled_recipe_forks_the_historical_matter(tmp_path):
    """One command: the historical matter is recorded if need be, then forked as the recipe says."""
    recipe = ROOT / "scenarios" / "what-ifs" / "no_cloud_act_after_en_banc.toml"
    done = cli("fork", "--recipe", str(recipe), "-n", "20", "--store", "sqlite:///r.sqlite", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    store = open_store(f"sqlite:///{tmp_path / 'r.sqlite'}")
    historical, fork = store.runs()
    assert historical.scenario == "microsoft_ireland_2013" and fork.fork["matter_id"] == str(historical.matter_ids()[0])
    assert fork.settings == [("cloud_act.enacted", "never")] and fork.seed == 3 and fork.replications == 20
    assert fork.scenario_data["scenario"]["title"] == "Had the CLOUD Act never passed"  # legends show it


@pytest.mark.parametrize(("edit", "message"), [
    (("as_of = 2017-01-24", 'as_of = "soon"'), "recipe.as_of: expected a date"),
    (("n = 2000", "n = 0"), "recipe.n: expected a number of replications"),
    (('"cloud_act.enacted" = "never"', '"cloud_act.no_such" = 1'), "--set cloud_act.no_such"),
])
@pytest.mark.slow
def test_bad_recipes(tmp_path, edit, message):
    text = (ROOT / "scenarios" / "what-ifs" / "no_cloud_act_after_en_banc.toml").read_text()
    assert edit[0] in text
    (tmp_path / "bad.toml").write_text(text.replace(*edit))
    done = cli("fork", "--recipe", "bad.toml", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "docketsim.sqlite").exists()


@pytest.mark.parametrize("args", [
    ["replay", "--latest", "--delay", "-1"], ["replay", "--latest", "--delay", "nan"],
    ["replay", "--latest", "--as-of", "2016-13-01"], ["replay"], ["docket", "--latest", "--as-of", "2010-01-01"],
    ["docket", "not-a-uuid", "--as-of", "2016-01-01"], ["replay", "not-a-uuid", "--as-of", "2016-01-01"],
    ["fork", "not-a-uuid", "--as-of", "2016-01-01"],
])
@pytest.mark.slow
def test_bad_replay_and_as_of_requests(recorded, args):
    folder, url, _, _ = recorded
    done = cli(*args, "--store", url, cwd=folder)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_as_of_sees_deadlines_when_nothing_happened_on_day_zero():
    """A matter whose first entry comes days after its start still shows the deadlines running."""
    from sim.domain.matter import Matter
    from sim.specimen import START, Clerk, opened

    store = open_store("memory://")
    matter = opened()
    clerk = Clerk(matter)
    clerk.enter(Matter.WarrantApplied, 5, party="government")
    clerk.enter(Matter.WarrantIssued, 5)
    clerk.enter(Matter.WarrantServed, 5)
    clerk.enter(Matter.MotionFiled, 6, party="provider", motion_id="vacate-1", kind="vacate")
    clerk.enter(Matter.MotionRuled, 12, motion_id="vacate-1", disposition="denied")
    store.save(matter)
    when = START + dt.timedelta(days=14)
    assert [d.action for d in running(store.matter_as_of(str(matter.id), when), when)] == [
        "object to the magistrate judge's order"]
