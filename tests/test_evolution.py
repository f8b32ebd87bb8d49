"""Stores survive upgrades: every fixture store in tests/fixtures (one from every release that changed events,
``formatN.sqlite`` with what that release showed of it, ``formatN.expected.json``) opens with this release,
lists its runs, shows its dockets as recorded, audits, reports and takes a new run; a store of a newer format
is refused in one line. A new fixture is tested by dropping it (and its expectation) into the folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import run
from reports import terminal
from sim.domain.matter import EVENT_FORMAT, Matter
from sim.runs.caseload import matter_ids as stored_ids
from sim.runs.runner import kept_outcomes
from sim.store import FORMAT_ID, evolution, open_store
from sim.text import dates_written
from sim.views.projections import docket_date, docket_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORES = sorted(FIXTURES.glob("format*.sqlite"))


def expected(fixture: Path) -> dict:
    return json.loads(fixture.with_name(fixture.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(params=STORES, ids=[p.stem for p in STORES])
def fixture_store(request, tmp_path, monkeypatch):
    """A copy of one fixture store (the fixture itself is never written), its URL, and its expectation."""
    copy = tmp_path / request.param.name
    shutil.copyfile(request.param, copy)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(terminal.console, "width", 400)
    return copy, f"sqlite:///{copy}", expected(request.param)


def test_every_fixture_has_its_expectation():
    assert STORES, "tests/fixtures holds no formatN.sqlite"
    for store in STORES:
        assert expected(store)["runs"], store


def shown(capsys, *args: str) -> tuple[int, str]:
    status = run.main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return status, out.out


def test_an_older_store_opens_and_lists_its_runs(fixture_store, capsys):
    _, url, want = fixture_store
    store = open_store(url)
    runs = [{"run_id": str(r.id), "scenario": r.scenario, "replications": r.replications, "seed": r.seed,
             "finished": r.finished_at is not None,
             "matter_ids": [str(m) for m in stored_ids(store, r)]} for r in store.runs()]
    assert runs == want["runs"]
    status, out = shown(capsys, "runs", "--store", url)
    assert status == 0
    assert [r["run_id"] for r in want["runs"]] == [line.split("│")[1].strip() for line in out.splitlines()
                                                  if line.startswith("│ ") and line.split("│")[1].strip()]


def as_recorded(shown_entries: list[dict], recorded: list[dict]) -> bool:
    """The entries shown hold every field the old release showed, with its value (a later release may
    show more fields)."""
    return len(shown_entries) == len(recorded) and all(
        {key: now.get(key) for key in then} == then for now, then in zip(shown_entries, recorded, strict=True))


def words(text: str) -> str:
    """The text without its whitespace (a sheet wraps lines, at hyphens too)."""
    return "".join(text.split())


def played_again(url: str, want: dict) -> set[str]:
    """The matters of the store's outcomes-only runs: no events stored, each played again when opened."""
    store = open_store(url)
    try:
        return {m for r in want["runs"] if kept_outcomes(store, r["run_id"]) for m in r["matter_ids"]}
    finally:
        store.close()


def test_an_older_store_shows_its_dockets_as_recorded(fixture_store, capsys):
    """Every entry as the old release showed it (JSON), and its docket text on the sheets (their layout
    may change; their entries may not). A matter of an outcomes-only run has no stored events: played again
    by this release, it shows the same facts (entries, dates, numbers, parties, deadlines) in this release's
    words (its docket text and rule glosses)."""
    _, url, want = fixture_store
    again = played_again(url, want)
    assert again or "stop22" not in url  # the stop-22 store holds an outcomes-only run
    for matter_id, entries in want["dockets"].items():
        words_too = matter_id not in again
        if not words_too:
            entries = [{k: v for k, v in e.items() if k not in ("description", "rule")} for e in entries]
        status, out = shown(capsys, "docket", matter_id, "--format", "json", "--store", url)
        assert status == 0 and as_recorded(json.loads(out), entries), matter_id
        status, out = shown(capsys, "docket", matter_id, "--store", url)
        sheet = words(out)
        assert status == 0 and want["sheets"][matter_id].split()[:2] == out.split()[:2]  # "Matter ID"
        for entry in entries if words_too else ():  # on its court's sheet as the sheet writes it (dates, who signed)
            shown_text = docket_text(entry, True) if entry["docket_number"] else entry["description"]
            assert words(dates_written(shown_text, docket_date)) in sheet, (matter_id, entry["seq"], shown_text)
    for run_id, rows in want["stages"].items():
        status, out = shown(capsys, "stages", run_id, "--format", "csv", "--store", url)
        assert status == 0 and out == rows, run_id


def test_an_older_store_audits_every_matter(fixture_store, capsys):
    """Rules added since may find violations (exit 1); the audit reads every matter without failing."""
    _, url, want = fixture_store
    ids = [r["run_id"] for r in want["runs"]]
    status, out = shown(capsys, "audit", *ids, "--format", "json", "--store", url)
    assert status in (0, 1)
    assert json.loads(out)["matters"] == sum(len(r["matter_ids"]) for r in want["runs"])


@pytest.mark.slow
def test_an_older_store_reports_its_runs(fixture_store, capsys):
    folder, url, want = fixture_store
    ids = [r["run_id"] for r in want["runs"] if r["replications"] > 1]
    status, _ = shown(capsys, "report", *ids, "--out", str(folder.parent / "report"), "--store", url)
    assert status == 0
    assert (folder.parent / "report" / "index.html").is_file()


def test_an_older_store_takes_a_new_run_and_keeps_the_old_ones(fixture_store, capsys):
    _, url, want = fixture_store
    status, out = shown(capsys, "run", "location_rule", "-n", "3", "--seed", "11", "--jobs", "1", "--store", url)
    assert status == 0
    store = open_store(url)
    assert [str(r.id) for r in store.runs()][:-1] == [r["run_id"] for r in want["runs"]]
    assert store.event_format() == EVENT_FORMAT
    new_matter = out.split("matter ")[1].split()[0]
    assert shown(capsys, "docket", new_matter, "--store", url)[0] == 0
    old_matter, entries = next(iter(want["dockets"].items()))
    assert as_recorded(json.loads(shown(capsys, "docket", old_matter, "--format", "json", "--store", url)[1]),
                       entries)


def test_an_older_experiment_reports_what_its_release_wrote(tmp_path, monkeypatch, capsys):
    """The release of stop 22 (0f8a47f) stored a two-point grid experiment beside its runs; `report` rebuilds its
    `experiment.csv` from that store, value for value."""
    fixture = FIXTURES / "format3-stop22.sqlite"
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(fixture, copy)
    monkeypatch.chdir(tmp_path)
    written = (FIXTURES / "format3-stop22.experiment.csv").read_text(encoding="utf-8")
    status, _ = shown(capsys, "report", "b690e6b9-e0a2-510c-be09-e916da70c6e1", "--out", str(tmp_path / "exp"),
                      "--store", f"sqlite:///{copy}")
    assert status == 0
    assert (tmp_path / "exp" / "experiment.csv").read_text(encoding="utf-8") == written


# The mechanism, on the current fixture --------------------------------------------------------------------
@pytest.fixture
def current(tmp_path, monkeypatch):
    """A copy of the newest fixture, and its URL."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(STORES[-1], copy)
    monkeypatch.chdir(tmp_path)
    return copy, f"sqlite:///{copy}", expected(STORES[-1])


def _set_format(path: Path, event_format: int) -> None:
    con = sqlite3.connect(path)
    with con:
        ((state,),) = con.execute("SELECT state FROM stored_events WHERE originator_id = ?", (FORMAT_ID.hex,))
        data = json.loads(state)
        data["event_format"] = event_format
        con.execute("UPDATE stored_events SET state = ? WHERE originator_id = ?",
                    (json.dumps(data).encode(), FORMAT_ID.hex))
    con.close()


def test_a_store_of_a_newer_format_is_refused_in_one_line(current, capsys):
    path, url, _ = current
    _set_format(path, EVENT_FORMAT + 1)
    status = run.main(["runs", "--store", url])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert f"event format {EVENT_FORMAT + 1}" in err[0] and "newer docketsim" in err[0] and "upgrade" in err[0]


def test_a_store_of_a_format_before_the_oldest_is_refused_naming_a_new_store_of_its_kind(current, capsys):
    path, url, _ = current
    _set_format(path, evolution.OLDEST_FORMAT - 1)
    assert run.main(["runs", "--store", url]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--store sqlite:///NEW.sqlite" in line
    from sim.store.url import parse
    assert "postgresql://" in evolution.new_store(parse("postgresql://u@h/db"))


def test_a_later_release_raises_the_stores_format_when_it_records(current, monkeypatch, capsys):
    """A release of format N + 1 opens the store of format N, and recording into it raises its format, so that
    the release of format N then refuses the store it can no longer read."""
    _, url, _ = current
    import sim.store as store_module

    monkeypatch.setattr(store_module, "EVENT_FORMAT", EVENT_FORMAT + 1)
    monkeypatch.setattr(evolution, "EVENT_FORMAT", EVENT_FORMAT + 1)
    assert open_store(url).event_format() == EVENT_FORMAT
    assert run.main(["run", "location_rule", "-n", "2", "--jobs", "1", "--store", url]) == 0
    assert open_store(url).event_format() == EVENT_FORMAT + 1
    monkeypatch.undo()
    capsys.readouterr()
    assert run.main(["runs", "--store", url]) == 2
    assert "newer docketsim" in capsys.readouterr().err


def test_an_event_class_with_a_new_version_is_upcast_as_it_is_read(current, monkeypatch, capsys):
    """`class_version` and `upcast_vN_vN1` on an event class: every stored event of the old version passes
    through the upcast on read (here one that rewrites the matter's title)."""
    _, url, want = current
    seen = []

    def upcast_v1_v2(state: dict) -> None:
        seen.append(str(state["originator_id"]))
        state["title"] = "UPCAST " + state["title"]

    monkeypatch.setattr(Matter.Opened, "class_version", 2, raising=False)
    monkeypatch.setattr(Matter.Opened, "upcast_v1_v2", staticmethod(upcast_v1_v2), raising=False)
    matter_id = next(iter(want["dockets"]))
    status, _ = shown(capsys, "docket", matter_id, "--store", url)
    assert status == 0 and seen == [matter_id]
    assert open_store(url).matter_events(matter_id)[0].title.startswith("UPCAST ")


def test_a_renamed_event_class_is_found_by_its_old_topic(current, monkeypatch, capsys):
    """`RENAMED`: events stored under a class's old topic resolve to the class."""
    path, url, want = current
    old = "sim.old_matter:Matter.Opened"
    con = sqlite3.connect(path)
    with con:
        moved = con.execute("UPDATE stored_events SET topic = ? WHERE topic = ?",
                            (old, "sim.domain.matter:Matter.Opened")).rowcount
    con.close()
    assert moved
    matter_id = next(iter(want["dockets"]))
    monkeypatch.setitem(evolution.RENAMED, old, "sim.domain.matter:Matter.Opened")
    status, out = shown(capsys, "docket", matter_id, "--format", "json", "--store", url)
    assert status == 0 and as_recorded(json.loads(out), want["dockets"][matter_id])
