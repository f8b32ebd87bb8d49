"""Outcomes-only runs (`run --keep outcomes`): outcome rows stored, not events; a matter opened is played again
from its run's scenario and seed, byte for byte the matter a fully stored run holds."""

from __future__ import annotations

import re
from uuid import UUID

import pytest

from sim import scenario as scenarios
from sim.runs.replays import ensure_matter
from sim.runs.runner import record_run, resume_run, stored_prefix, stored_rows
from sim.store import open_store
from tests.conftest import cli, interrupted_run

SCENARIO = "microsoft_ireland_stochastic"


STAMP = re.compile(rb'"timestamp":\{"_type_":"datetime_iso","_data_":"[^"]+"\}')


def _records(store, matter_id):
    """A matter's stored records, byte for byte but for the wall-clock time the library stamps on each event
    when it is recorded (two full runs of the same scenario and seed differ in that alone, too)."""
    records = store.recorder.select_events(UUID(matter_id))
    assert all(len(STAMP.findall(bytes(r.state))) == 1 for r in records)
    return [(r.originator_version, r.topic, STAMP.sub(b"", bytes(r.state))) for r in records]


def test_an_outcomes_only_run_stores_rows_and_plays_a_matter_again_byte_for_byte(tmp_path):
    scenario = scenarios.load(SCENARIO)
    full = open_store(f"sqlite:///{tmp_path / 'full.sqlite'}", create=True)
    lean = open_store(f"sqlite:///{tmp_path / 'lean.sqlite'}", create=True)
    whole = record_run(full, scenario, seed=4, replications=5)
    kept = record_run(lean, scenario, seed=4, replications=5, keep="outcomes")
    assert whole.run_id == kept.run_id
    run = lean.run(kept.run_id)
    assert run.finished_at and stored_prefix(lean, run) == 5
    matter_id = kept.matter_ids[3]
    assert not lean.has_events(matter_id)
    assert list(stored_rows(lean, run)) == list(stored_rows(full, full.run(whole.run_id)))
    said: list[str] = []
    ensure_matter(lean, matter_id, said.append)
    assert len(said) == 1 and "played again" in said[0] and matter_id in said[0]
    assert _records(lean, matter_id) == _records(full, matter_id) and _records(full, matter_id)
    ensure_matter(lean, matter_id, said.append)  # stored now: nothing played, nothing said
    assert len(said) == 1


def test_an_interrupted_outcomes_only_run_resumes_from_its_stored_rows(tmp_path, monkeypatch):
    scenario = scenarios.load(SCENARIO)
    url = f"sqlite:///{tmp_path / 'lean.sqlite'}"
    run_id = interrupted_run(url, monkeypatch, 60, 40, SCENARIO, seed=1, keep="outcomes")
    store = open_store(url)
    run = store.run(run_id)
    assert 0 < stored_prefix(store, run) <= 40
    rows: list = []
    resume_run(store, str(run.id), on_row=rows.append)
    assert [r["replication"] for r in rows] == list(range(60))
    fresh = open_store(f"sqlite:///{tmp_path / 'other.sqlite'}", create=True)
    again = record_run(fresh, scenario, seed=1, replications=60, keep="outcomes")
    assert list(stored_rows(store, store.run(str(run.id)))) == list(stored_rows(fresh, fresh.run(again.run_id)))


@pytest.mark.slow
def test_docket_of_an_outcomes_only_matter_says_it_was_played_again(tmp_path):
    full, lean = f"sqlite:///{tmp_path / 'full.sqlite'}", f"sqlite:///{tmp_path / 'lean.sqlite'}"
    assert cli("run", SCENARIO, "-n", "3", "--store", full, cwd=tmp_path).returncode == 0
    done = cli("run", SCENARIO, "-n", "3", "--keep", "outcomes", "--store", lean, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    matter_id = done.stdout.split("matter ")[2].split()[0]
    shown = cli("docket", matter_id, "--store", lean, cwd=tmp_path)
    assert shown.returncode == 0 and "played again" in shown.stderr
    assert shown.stdout == cli("docket", matter_id, "--store", full, cwd=tmp_path).stdout


def test_audit_and_stages_read_an_outcomes_only_run_as_a_full_one(tmp_path):
    """Their matters are played again in memory: the same audit and the same stage rows, nothing stored."""
    import attrs

    from sim.runs.audit import audit, stored_matters
    from sim.views.stages import stage_rows

    scenario = scenarios.load(SCENARIO)
    full = open_store(f"sqlite:///{tmp_path / 'full.sqlite'}", create=True)
    lean = open_store(f"sqlite:///{tmp_path / 'lean.sqlite'}", create=True)
    record_run(full, scenario, seed=8, replications=4)
    kept = record_run(lean, scenario, seed=8, replications=4, keep="outcomes")
    runs = {name: [store.runs()[0]] for name, store in (("full", full), ("lean", lean))}
    tallies = {name: attrs.asdict(audit(stored_matters(store, runs[name], stored_prefix), lambda f: None))
               for name, store in (("full", full), ("lean", lean))}
    assert tallies["full"] == tallies["lean"] and tallies["lean"]["matters"] == 4
    stages = {name: [stage_rows(events) for events in stored_matters(store, runs[name], stored_prefix)]
              for name, store in (("full", full), ("lean", lean))}
    assert stages["full"] == stages["lean"]
    assert not any(lean.has_events(matter_id) for matter_id in kept.matter_ids)


def test_a_matter_this_release_plays_otherwise_than_its_run_kept_is_refused_not_shown(tmp_path, monkeypatch):
    """An outcomes-only run recorded by a release whose engine played otherwise (here: another draw) keeps rows
    that the matter played again would contradict: opening it is refused in one line naming the matter and
    what differs, nothing is stored, the audit reports it as a finding, and a report leaves out its timeline
    saying so."""
    from reports.build import build_report
    from sim.errors import StoreError
    from sim.runs import replays
    from sim.runs.audit import audit, audited_matters

    lean = open_store(f"sqlite:///{tmp_path / 'lean.sqlite'}", create=True)
    kept = record_run(lean, scenarios.load(SCENARIO), seed=8, replications=4, keep="outcomes")
    seed = replays.replication_seed
    monkeypatch.setattr(replays, "replication_seed", lambda root, i: seed(root, i) + 1)
    matter_id = kept.matter_ids[2]
    with pytest.raises(StoreError, match=f"matter {matter_id} .*plays otherwise in this release.* kept, .* now"):
        ensure_matter(lean, matter_id)
    assert not lean.has_events(matter_id)
    findings: list = []
    tally = audit(audited_matters(lean, lean.runs(), stored_prefix), findings.append)
    assert tally.matters == 4 and tally.violations == len(findings) > 0, tally
    assert all("plays otherwise" in f.expected for f in findings)
    said: list[str] = []
    (tmp_path / "report").mkdir()
    index = build_report(lean, [kept.run_id], tmp_path / "report", note=said.append)  # the rest is drawn
    assert index.exists() and len(said) == 1 and "leaves out the timeline of" in said[0], said
    assert not any(p.name.startswith("timeline-") for p in (tmp_path / "report").iterdir())
    monkeypatch.setattr(replays, "replication_seed", seed)
    ensure_matter(lean, matter_id)  # as the run played it: shown, and stored
    assert lean.has_events(matter_id)
