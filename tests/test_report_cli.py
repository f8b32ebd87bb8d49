"""compare, report and runs from the command line: sweeps shown whole, the report rebuilt from the store
alone, runs labelled and deleted; bad input."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import run
from reports import charts, terminal
from reports.build import historical_entries
from sim.runs.runner import stored_prefix
from sim.store import open_store
from sim.views.projections import timeline
from tests.conftest import cli, interrupted_run

SWEEP = "foreign_authority.mlat_response_after.median"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """location_rule and cloud_act, and a sweep of location_rule whose middle value (270) is location_rule's own."""
    folder = tmp_path_factory.mktemp("compare")
    done = cli("compare", "location_rule", "cloud_act", "-n", "120", "--seed", "7", "--out", "report",
               "--sweep", f"{SWEEP}=120,270,400", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, done


@pytest.mark.slow
def test_compare_prints_every_sweep_run_with_its_value_and_runs_the_base_value_once(compared):
    folder, done = compared
    store = open_store(f"sqlite:///{folder / 'docketsim.sqlite'}")
    runs = store.runs()
    assert [r.scenario for r in runs] == ["microsoft_ireland_2013", "location_rule", "cloud_act",
                                          f"location_rule [{SWEEP}=120]", f"location_rule [{SWEEP}=400]"]
    base = str(runs[1].id)
    shown = dict(re.findall(r"^│ (\d+) +│ ([0-9a-f-]{36}) ", done.stdout, flags=re.MULTILINE))
    assert shown == {"120": str(runs[3].id), "270": base, "400": str(runs[4].id)}
    summary = json.loads((folder / "report" / "summary.json").read_text())
    assert summary["sweep"] == {"key": SWEEP, "scenario": "location_rule",
                                "points": [{"value": v, "run_id": shown[v]} for v in ("120", "270", "400")]}
    from sim.colours import shades  # the variants: shades of location_rule's orange, darker to lighter by value

    assert [r["colour"] for r in summary["runs"]] == ["#e69f00", "#009e73", *shades("#e69f00", 2)]


def test_runs_labels_sweep_runs_with_their_key_and_value(compared, capsys, monkeypatch):
    folder, _ = compared
    monkeypatch.chdir(folder)
    monkeypatch.setattr(terminal.console, "width", 400)  # one line a run
    assert run.main(["runs"]) == 0
    lines = [[cell.strip() for cell in line.split("│")[1:-1]] for line in capsys.readouterr().out.splitlines()
             if line.startswith("│ ")]
    assert [cells[1:3] for cells in lines] == [
        ["microsoft_ireland_2013", ""], ["location_rule", ""], ["cloud_act", ""],
        *([f"location_rule [{SWEEP}={v}]", f"sweep: {SWEEP}={v}"] for v in ("120", "400"))]


def test_compare_writes_the_report_and_prints_its_path(compared):
    folder, done = compared
    index = folder / "report" / "index.html"
    assert done.stdout.strip().splitlines()[-1] == str(index.relative_to(folder))
    for name in ("outcomes.csv", "summary.json", "time-to-disclosure.png", "time-to-disclosure.svg",
                 "timeline-historical.png"):
        assert (folder / "report" / name).exists(), name
    assert len(list((folder / "report").glob("sensitivity*.png"))) == 1
    rows = (folder / "report" / "outcomes.csv").read_text().splitlines()
    assert len(rows) == 1 + 120 * 4  # two scenarios, two sweep points of their own (270 is location_rule's run)


@pytest.mark.slow
def test_report_rebuilds_from_the_store_alone(compared):
    """The same runs, reported again from the store (no scenario files needed), give the same figures."""
    folder, _ = compared
    summary = json.loads((folder / "report" / "summary.json").read_text())
    run_ids = [r["run_id"] for r in summary["runs"]][:2]
    elsewhere = folder / "moved"
    elsewhere.mkdir()
    os.replace(folder / "docketsim.sqlite", elsewhere / "docketsim.sqlite")
    done = cli("report", *run_ids, "--out", "again", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    again = json.loads((elsewhere / "again" / "summary.json").read_text())
    assert [r["p_disclosed"] for r in again["runs"]] == [r["p_disclosed"] for r in summary["runs"][:2]]
    assert (elsewhere / "again" / "outcomes.csv").read_text().count("\n") == 1 + 2 * 120
    os.replace(elsewhere / "docketsim.sqlite", folder / "docketsim.sqlite")


@pytest.mark.parametrize(("args", "message"), [
    (["report", "00000000-0000-0000-0000-000000000000"], "unknown run id"),
    (["compare", "location_rule", "--sweep", "foreign_authority.no_such=1,2"], "--sweep"),
    (["compare", "location_rule", "--sweep", "court_of_appeals.doctrine=soon,later"], "court_of_appeals.doctrine"),
    (["compare", "location_rule", "--sweep", "nonsense"], "KEY=V1,V2"),
    (["compare", "location_rule", "--out", "afile"], "is a file"),
    (["report", "FIRST_RUN", "--out", "afile/sub"], "cannot create"),
    (["compare", "no_such_scenario"], "unknown scenario"),
])
@pytest.mark.slow
def test_bad_report_requests(compared, args, message):
    folder, _ = compared
    (folder / "afile").write_text("x")
    before = (folder / "docketsim.sqlite").read_bytes()
    first_run = json.loads((folder / "report" / "summary.json").read_text())["runs"][0]["run_id"]
    done = cli(*[first_run if a == "FIRST_RUN" else a for a in args], cwd=folder)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert (folder / "docketsim.sqlite").read_bytes() == before


@pytest.fixture
def forked(tmp_path, monkeypatch):
    """A store with the historical matter and a fork of it (cloud_act never, after the en banc denial)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(terminal.console, "width", 400)
    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    assert run.main(["run", "microsoft_ireland_2013", "--store", url]) == 0
    store = open_store(url)
    (historical,) = store.runs()
    matter = str(historical.matter_ids()[0])
    assert run.main(["fork", matter, "--as-of", "2017-01-24", "--set", "cloud_act.enacted=never", "-n", "2",
                     "--store", url]) == 0
    return url, store, matter


def test_runs_labels_a_fork_with_its_source_point_and_changes_and_its_title(forked, capsys):
    url, store, matter = forked
    capsys.readouterr()
    assert run.main(["runs", "--store", url]) == 0
    out = capsys.readouterr().out
    seq = store.version_on(matter, __import__("datetime").date(2017, 1, 24))
    assert f"fork of microsoft_ireland_2013 matter {matter[:8]}, after entry {seq} (2017-01-24): " \
           "cloud_act.enacted=never" in out
    fork = store.runs()[1]
    assert fork.scenario_data["scenario"]["title"] == \
        "Microsoft Ireland as it happened (S.D.N.Y. 2013 to Supreme Court 2018), forked on 2017-01-24: " \
        "cloud_act.enacted = never"


def test_a_report_shows_the_case_as_recorded_not_a_fork_of_it(forked):
    _, store, matter = forked
    assert historical_entries(store) == timeline(store.matter_events(matter))
    assert charts.days_to_final_disposition(historical_entries(store)) == 1595


@pytest.mark.slow
def test_report_latest_reports_the_newest_run(forked, capsys):
    url, store, _ = forked
    assert run.main(["report", "--latest", "--out", "latest", "--store", url]) == 0
    summary = json.loads(Path("latest/summary.json").read_text())  # the fixture works in its own folder
    assert [r["run_id"] for r in summary["runs"]] == [str(store.runs()[-1].id)]


def test_runs_delete_refuses_a_forks_source_then_deletes_both_and_says_what_it_freed(forked, capsys):
    url, store, _ = forked
    historical, fork = (str(r.id) for r in store.runs())
    seq = store.runs()[1].fork["seq"]
    capsys.readouterr()
    assert run.main(["runs", "--delete", historical, "--store", url]) == 2
    err = capsys.readouterr().err
    assert err == f"run.py runs: run {historical} has forks (run {fork}); delete them with it, or keep it\n"
    assert len(open_store(url).runs()) == 2
    assert run.main(["runs", "--delete", "00000000-0000-0000-0000-000000000000", fork, "--store", url]) == 2
    assert "unknown run id '00000000-0000-0000-0000-000000000000'" in capsys.readouterr().err
    assert len(open_store(url).runs()) == 2  # nothing deleted when one id is bad
    assert run.main(["runs", "--delete", fork, historical, "--store", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [re.sub(r"[\d.,]+ (bytes|kB|MB)", "N", line) for line in out] == [
        f"deleted run {fork} (microsoft_ireland_2013@{seq} cloud_act.enacted=never, 2 matters; N of events)",
        f"deleted run {historical} (microsoft_ireland_2013, 1 matter; N of events)",
        "compacted the store file: N -> N (freed N)"]
    assert run.main(["runs", "--store", url]) == 0
    assert capsys.readouterr().out == "no runs in the store\n"


@pytest.mark.parametrize(("args", "message"), [
    (["report"], "give RUN_IDs or --latest"),
    (["report", "--latest", "00000000-0000-0000-0000-000000000000"], "give RUN_IDs or --latest"),
])
def test_report_needs_ids_or_latest(forked, capsys, args, message):
    url, *_ = forked
    assert run.main([*args, "--store", url]) == 2
    assert capsys.readouterr().err == f"run.py report: {message} (the newest run in the store)\n"
@pytest.mark.slow
def test_a_report_of_an_incomplete_run_says_how_many_were_stored(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    run_id = interrupted_run(url, monkeypatch, 200, 90, scenario="cloud_act")
    stored = stored_prefix(open_store(url), open_store(url).run(run_id))
    done = cli("report", run_id, "--out", "r", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    said = f"{stored:,} stored of 200 requested"
    assert said in done.stdout and f"--resume {run_id}" in done.stdout
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert (summary["n"], summary["n_requested"]) == (stored, 200)
    assert (summary["runs"][0]["n"], summary["runs"][0]["n_requested"]) == (stored, 200)
    assert said in (tmp_path / "r" / "index.html").read_text()
    assert len((tmp_path / "r" / "outcomes.csv").read_text().splitlines()) == 1 + stored
