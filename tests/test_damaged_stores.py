"""Edited and damaged stores (issue 18.6): readers say in one line which matter and which event cannot be
read (exit 1, no traceback); the audit reports it as a violation and goes on with the other matters, and
checks what the run register promises against what is stored. Real SQLite files edited by hand."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from uuid import UUID

import pytest

import run
from sim.store import open_store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "format3.sqlite"


@pytest.fixture
def damaged(tmp_path, monkeypatch):
    """A copy of the fixture store: (its URL, an editor running SQL on it, the stochastic run)."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(FIXTURE, copy)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{copy}"

    def edit(sql: str, *params) -> int:
        con = sqlite3.connect(copy)
        with con:
            changed = con.execute(sql, params).rowcount
        con.close()
        assert changed, sql
        return changed

    stochastic = open_store(url).runs()[1]
    return url, edit, stochastic


def _hex(matter_id) -> str:
    return UUID(str(matter_id)).hex


def _one_line(capsys, status: int, *args: str) -> str:
    assert run.main(list(args)) == status
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def _audit(capsys, url: str, run_id: str) -> dict:
    assert run.main(["audit", run_id, "--format", "json", "--store", url]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return json.loads(out.out)


def _readers(matter: str, url: str) -> list[list[str]]:
    return [["docket", matter, "--store", url], ["docket", matter, "--format", "json", "--store", url],
            ["docket", matter, "--format", "html", "--out", "page.html", "--store", url],
            ["replay", matter, "--store", url]]


def test_an_edited_topic_is_one_line_naming_the_matter_and_event(damaged, capsys):
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[1])
    edit("UPDATE stored_events SET topic = 'sim.domain.matter:Matter.MotionRuled' WHERE originator_id = ? "
         "AND originator_version = 4", _hex(matter))
    for args in _readers(matter, url):
        line = _one_line(capsys, 1, *args)
        assert f"matter {matter}, event 4: cannot be decoded (MotionRuled without" in line, line
    report = _audit(capsys, url, str(stochastic.id))
    assert report["matters"] == 6  # the other matters are audited
    (finding,) = [f for f in report["findings"] if f["matter_id"] == matter]
    assert "event 4" in finding["expected"] and finding["event"] == "(unreadable)"


def test_a_missing_field_is_one_line_naming_the_matter_and_event(damaged, capsys):
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[2])
    con = sqlite3.connect(Path(url.removeprefix("sqlite:///")))
    state, version = con.execute("SELECT state, originator_version FROM stored_events WHERE originator_id = ? "
                                 "AND originator_version > 3 ORDER BY originator_version LIMIT 1",
                                 (_hex(matter),)).fetchone()
    con.close()
    data = json.loads(state)
    field = next(k for k in data if k not in ("timestamp", "originator_topic"))
    del data[field]
    edit("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
         json.dumps(data).encode(), _hex(matter), version)
    for args in _readers(matter, url):
        line = _one_line(capsys, 1, *args)
        assert f"matter {matter}, event {version}: cannot be decoded" in line and field in line, line
    assert _audit(capsys, url, str(stochastic.id))["matters"] == 6


def test_a_deleted_event_in_the_middle_is_one_line_for_readers_and_a_finding_for_the_audit(damaged, capsys):
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[3])
    edit("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 6", _hex(matter))
    for args in _readers(matter, url):
        line = _one_line(capsys, 1, *args)
        assert f"matter {matter}, event 6: missing" in line, line
    report = _audit(capsys, url, str(stochastic.id))
    assert any(f["matter_id"] == matter and f["seq"] == 7 and f["rule"] == "the event stream"
               for f in report["findings"])


def test_a_deleted_opened_event_is_named(damaged, capsys):
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[0])
    edit("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 1", _hex(matter))
    line = _one_line(capsys, 1, "docket", matter, "--store", url)
    assert f"matter {matter}, event 1: missing" in line
    report = _audit(capsys, url, str(stochastic.id))
    assert report["matters"] == 6 and any(f["matter_id"] == matter for f in report["findings"])


def test_an_unknown_party_is_a_finding_and_the_audit_goes_on(damaged, capsys):
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[4])
    changed = edit("UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), '\"party\":\"government\"', "
                   "'\"party\":\"alien\"') AS BLOB) WHERE originator_id = ? AND originator_version > 1 AND "
                   "CAST(state AS TEXT) LIKE '%\"party\":\"government\"%'", _hex(matter))
    assert changed
    report = _audit(capsys, url, str(stochastic.id))
    assert report["matters"] == 6 and any(f["matter_id"] == matter for f in report["findings"])


def test_the_audit_checks_what_the_register_promises(damaged, capsys):
    """A finished run whose last replication was deleted, and a run record whose size was edited upwards."""
    url, edit, stochastic = damaged
    last = stochastic.matter_ids()[5]
    edit("DELETE FROM stored_events WHERE originator_id = ?", _hex(last))
    report = _audit(capsys, url, str(stochastic.id))
    assert report["matters"] == 5
    assert any(f["event"] == "(run)" and "6 replications stored" in f["expected"] and "5 are" in f["expected"]
               for f in report["findings"])
    cloud_act = open_store(url).runs()[2]
    edit("UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), '\"replications\":4', "
         "'\"replications\":6') AS BLOB) WHERE originator_id = ? AND originator_version = 1", _hex(cloud_act.id))
    report = _audit(capsys, url, str(cloud_act.id))
    assert any(f["event"] == "(run)" and "4 are" in f["expected"] for f in report["findings"])


def test_a_disposition_flipped_against_the_decision_below_is_a_finding(damaged, capsys):
    """The panel reversed (the provider prevailing over the government, who prevailed below); edited to
    'affirmed' with the provider still prevailing, the audit names the entry."""
    url, edit, stochastic = damaged
    matter = str(stochastic.matter_ids()[0])
    con = sqlite3.connect(Path(url.removeprefix("sqlite:///")))
    (version,) = con.execute("SELECT originator_version FROM stored_events WHERE originator_id = ? AND topic LIKE "
                             "'%PanelDecided' AND CAST(state AS TEXT) LIKE '%\"disposition\":\"reversed\"%'",
                             (_hex(matter),)).fetchone()
    con.close()
    before = _audit(capsys, url, str(stochastic.id))["findings"]  # rules added after the fixture's release
    edit("UPDATE stored_events SET state = CAST(REPLACE(CAST(state AS TEXT), '\"disposition\":\"reversed\"', "
         "'\"disposition\":\"affirmed\"') AS BLOB) WHERE originator_id = ? AND originator_version = ?",
         _hex(matter), version)
    added = [f for f in _audit(capsys, url, str(stochastic.id))["findings"] if f not in before]
    assert [(f["matter_id"], f["seq"], f["rule"]) for f in added] == [(matter, version, "the decision below")]
