"""compare and report from the command line: the report rebuilds from the store alone; bad input."""

from __future__ import annotations

import json
import os

import pytest

from sim.runner import stored_prefix
from sim.store import open_store
from tests.conftest import cli, interrupted_run


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    done = cli("compare", "location_rule", "cloud_act", "-n", "120", "--seed", "7", "--out", "report",
               "--sweep", "foreign_authority.mlat_response_after.median=120,400", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, done


def test_compare_writes_the_report_and_prints_its_path(compared):
    folder, done = compared
    index = folder / "report" / "index.html"
    assert done.stdout.strip().splitlines()[-1] == str(index.relative_to(folder))
    for name in ("outcomes.csv", "summary.json", "time-to-disclosure.png", "time-to-disclosure.svg",
                 "timeline-historical.png"):
        assert (folder / "report" / name).exists(), name
    assert len(list((folder / "report").glob("sensitivity*.png"))) == 1
    rows = (folder / "report" / "outcomes.csv").read_text().splitlines()
    assert len(rows) == 1 + 120 * 4  # two scenarios, two sweep points


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
def test_bad_report_requests(compared, args, message):
    folder, _ = compared
    (folder / "afile").write_text("x")
    before = (folder / "docketsim.sqlite").read_bytes()
    first_run = json.loads((folder / "report" / "summary.json").read_text())["runs"][0]["run_id"]
    done = cli(*[first_run if a == "FIRST_RUN" else a for a in args], cwd=folder)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert (folder / "docketsim.sqlite").read_bytes() == before


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
