"""The caseload (issue 17): many matters sharing judges, stored as they end, measured by court and month.

Real worlds are played (SimPy), stored (SQLite files or memory) and read back; the queueing tests compare
runs of the same seed (common random numbers), so what differs is what the test changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pytest

from sim import scenario as scenarios
from sim.engine import world
from sim.engine.proceeding import Streams
from sim.errors import ScenarioError
from sim.runs.audit import audit, audit_events
from sim.runs.caseload import audited_matters, matter_ids, record_caseload, stored_matters, stored_replications
from sim.store import open_store
from sim.views.caseload import CASELOAD_KEYS, MATTER_KEYS, Measures, court_intervals, matter_row
from sim.views.stages import stage_rows
from tests.conftest import ROOT
from tests.test_streams_unchanged import event_text

CASELOADS = ["caseload", "caseload_location_rule", "caseload_control_rule", "caseload_cloud_act"]


def small(name: str = "caseload", years: int = 1, rate: float = 60, **judges: int) -> scenarios.Scenario:
    """A bundled caseload scenario cut down for a test (`judges`: places per court, as judges of one matter)."""
    settings = [("caseload.horizon_years", str(years)), ("caseload.arrivals.per_year", str(rate))]
    settings += [(f"caseload.judges.{court}", f"{{ judges = {n}, matters_each = 1, assumption = \"test\" }}")
                 for court, n in judges.items()]
    return scenarios.with_settings(scenarios.load(name), settings)


def played(scenario: scenarios.Scenario, seed: int = 1) -> tuple[world.Played, list[world.Ended]]:
    ended: list[world.Ended] = []
    return world.play(scenario, "run", 0, seed, ended.append), ended


def days_to_disposition(result: world.Played, ended: list[world.Ended]) -> list[int]:
    """Each matter's days from its warrant to its final disposition, or to the horizon for one still open then
    (its time in the system so far)."""
    out = []
    for e in ended:
        row = matter_row(e.matter.collect_events(), e.pending)
        out.append((dt.date.fromisoformat(row["disposed"] or result.horizon)
                    - dt.date.fromisoformat(row["arrived"])).days)
    return out


def _case(row: dict) -> tuple[int, int]:
    return row["replication"], row["case"]


# The scenario table -------------------------------------------------------------------------------

def test_caseload_table_is_validated_with_the_key_named(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nextends = "caseload"\nname = "bad"\n[caseload.judges]\n'
                   'district = { judges = 0, assumption = "x" }\n')
    with pytest.raises(ScenarioError) as e:
        scenarios.load(str(bad))
    assert "caseload.judges.district.judges" in str(e.value) and "integer >= 1" in str(e.value)
    with pytest.raises(ScenarioError, match=r"caseload\.arrivals"):
        scenarios.with_settings(scenarios.load("caseload"), [("caseload.arrivals.per_year", "-3")])


def test_every_caseload_figure_is_sourced_or_assumed_and_set_marks_a_change():
    for name in CASELOADS:
        loaded = scenarios.load(name)
        assert loaded.caseload is not None and not loaded.undocumented(), name
    changed = small(rate=90).caseload
    assert changed.arrivals.per_year == 90 and changed.arrivals.assumption.startswith("--set")


# The world ---------------------------------------------------------------------------------------

def test_same_seed_same_caseload_and_ids_from_run_replication_and_case():
    a, ended_a = played(small())
    b, ended_b = played(small())
    assert a == b and a.cases == len(ended_a) > 20
    assert [[event_text(e) for e in x.matter.collect_events()] for x in ended_a] == \
        [[event_text(e) for e in x.matter.collect_events()] for x in ended_b]
    name = small().name
    assert {x.matter.id for x in ended_a} == {world.case_matter_id("run", name, 0, case) for case in range(a.cases)}


def test_matters_are_handed_over_as_they_end_not_at_the_end():
    """Memory stays flat: a matter leaves the world when it ends, while later warrants still arrive."""
    horizon = 2 * 365
    _, ended = played(small(years=2))
    first_end = min(dt.date.fromisoformat(matter_row(e.matter.collect_events())["disposed"]) for e in ended
                    if not e.pending)
    start = scenarios.load("caseload").scenario.start_date
    assert (first_end - start).days < horizon
    order = [e.case for e in ended]
    assert order != sorted(order)  # handed over in the order they end, not of arrival


def test_common_random_numbers_survive_sharing_across_regimes():
    """The same case under two regimes arrives the same day with the same seed, whatever the judges."""
    _, base = played(small("caseload", magistrate=2))
    _, other = played(small("caseload_control_rule", magistrate=50))
    arrivals = {e.case: (e.arrived, e.matter.seed) for e in base}
    assert arrivals == {e.case: (e.arrived, e.matter.seed) for e in other}


def test_a_parked_stream_is_made_again_where_it_was():
    """A stream set aside (`Streams.park`) and made again gives the draws it would have given, a pending
    Gaussian included."""
    kept, parked = Streams(7), Streams(7)
    for streams in (kept, parked):
        [streams["provider"].random() for _ in range(700)]  # past one twist of the state (624 words)
        streams["government"].gauss(0.0, 1.0)  # leaves the second Gaussian pending
    parked.park()
    assert not parked and set(parked.parked) == {"provider", "government"}
    for actor in ("government", "provider", "government"):
        assert [parked[actor].gauss(0.0, 1.0) for _ in range(3)] == [kept[actor].gauss(0.0, 1.0) for _ in range(3)]
        assert parked[actor].uniform(0, 9) == kept[actor].uniform(0, 9)


def test_matters_in_a_courts_queue_park_their_streams_and_draw_the_same(monkeypatch):
    """A matter waiting for a judge holds no random stream, and its docket is the one it has when it keeps them."""
    parks = []
    park = Streams.park
    monkeypatch.setattr(Streams, "park", lambda self: parks.append(len(self)) or park(self))
    scenario = small(years=2, rate=80, magistrate=1, district=1, circuit=1)
    _, ended = played(scenario)
    assert len(parks) > 50 and max(parks) >= 3
    monkeypatch.setattr(Streams, "park", lambda self: None)
    _, kept = played(scenario)
    assert [[event_text(e) for e in x.matter.collect_events()] for x in ended] == \
        [[event_text(e) for e in x.matter.collect_events()] for x in kept]


@pytest.mark.slow
def test_more_judges_never_lengthen_time_to_disposition():
    times = [np.mean(days_to_disposition(*played(small(years=2, rate=80, magistrate=n, district=n))))
             for n in (2, 6, 40)]
    assert times[0] >= times[1] >= times[2]
    assert times[0] > times[2]  # two judges are a real queue


def test_higher_arrival_rate_never_shrinks_the_backlog():
    backlog = []
    for rate in (20, 60, 120):
        result, ended = played(small(years=2, rate=rate, magistrate=10))
        measures = Measures(scenarios.load("caseload").scenario.start_date, result.months)
        for e in ended:
            events = e.matter.collect_events()
            measures.add(events, matter_row(events))
        rows = measures.rows(0, {c: result.courts[c]["utilisation"] for c in world.COURTS})
        backlog.append(np.mean([r["pending"] for r in rows if r["court"] == "magistrate"]))
    assert backlog[0] <= backlog[1] <= backlog[2] and backlog[0] < backlog[2]


def test_a_court_without_these_matters_has_no_wait_and_utilisation_counts_places():
    result, _ = played(small(magistrate=3))
    assert all(0.0 <= u <= 1.0 for u in result.courts["magistrate"]["utilisation"])
    assert max(result.courts["magistrate"]["utilisation"]) > 0.9  # three places for 60 warrants a year
    assert result.courts["magistrate"]["places"] == 3


@pytest.mark.slow
def test_the_supreme_courts_places_bind_its_grants():
    """A granted case holds one of the Court's places to its decision; a petition decided while every place is
    taken is denied (the Court grants only what it can hear): with one place the Court grants fewer and its
    place is in use, nobody waits for a place, and every matter stays lawful."""
    def grants(ended: list[world.Ended]) -> int:
        return sum(1 for e in ended for event in e.matter.pending_events
                   if type(event).__name__ == "CertDecided" and event.granted)

    tight, ended = played(small(years=3, rate=50, circuit=400, supreme=1))
    roomy, ended_roomy = played(small(years=3, rate=50, circuit=400, supreme=400))
    assert 0 < grants(ended) < grants(ended_roomy)
    assert max(tight.courts["supreme"]["utilisation"]) > 0.5 and max(roomy.courts["supreme"]["utilisation"]) > 0
    assert sum(tight.courts["supreme"]["waited"]) == 0
    found = [f for e in ended for f in audit_events(e.matter.collect_events(), tight.horizon if e.pending else None)]
    assert not found, found[:3]


# Stored, audited, measured --------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", CASELOADS)
def test_audit_finds_no_violation_in_any_matter_of_a_bundled_caseload(name, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}", create=True)
    result = record_caseload(store, small(name, years=1, rate=120), seed=5, replications=2)
    run = store.run(result.run_id)
    assert stored_replications(store, run) == 2
    found = []
    tally = audit(audited_matters(store, [run]), found.append)
    assert tally.matters == result.cases > 100 and tally.violations == 0, found[:3]


def test_the_horizon_stops_the_world_and_the_audit_tells_a_cut_matter_from_a_doctored_one(tmp_path):
    """No entry on or after the horizon; the matters open then are stored as they are, their rows pending, and
    the audit finds nothing wrong with them; but a finished matter whose final disposition is deleted from the
    store, or a cut matter with an entry moved past the horizon, is a finding."""
    import sqlite3

    from sim.runs.caseload import played as record_of

    path = tmp_path / "store.sqlite"
    store = open_store(f"sqlite:///{path}", create=True)
    rows: list = []
    result = record_caseload(store, small("caseload_control_rule", years=1, rate=80), seed=5, on_matter=rows.append)
    run = store.run(result.run_id)
    record = record_of(store, run, 0)
    assert record.horizon == "2024-03-01" and 0 < len(record.pending) < record.cases
    by_case = {row["case"]: row for row in rows}
    open_rows = [by_case[case] for case in record.pending]
    assert any(row["final_disposition"] == "pending" and row["disposed"] is None for row in open_rows)
    assert all(row["disposed"] for case, row in by_case.items() if case not in record.pending)
    assert [row["case"] for row in rows[-len(record.pending):]] == list(record.pending)  # stored last
    assert max(e.date for events in stored_matters(store, [run]) for e in events[1:]) < record.horizon
    assert audit(audited_matters(store, [run]), print).violations == 0

    finished = next(row["matter_id"] for row in rows if row["disposed"])
    cut = next(row["matter_id"] for row in open_rows if row["final_disposition"] == "pending")
    with sqlite3.connect(path) as db:
        (seq,) = db.execute("SELECT originator_version FROM stored_events WHERE originator_id = ? AND topic = ?",
                            (finished.replace("-", ""), "sim.domain.matter:Matter.FinalDisposition")).fetchone()
        db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version >= ?",
                   (finished.replace("-", ""), seq))
        last, state = db.execute("SELECT originator_version, state FROM stored_events WHERE originator_id = ? "
                                 "ORDER BY originator_version DESC LIMIT 1", (cut.replace("-", ""),)).fetchone()
        data = json.loads(state)
        data["date"] = record.horizon
        db.execute("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
                   (json.dumps(data).encode(), cut.replace("-", ""), last))
    found: list = []
    audit(audited_matters(open_store(f"sqlite:///{path}"), [run]), found.append)
    assert {(f.matter_id, f.rule) for f in found} >= {(finished, "sources §9.6"), (cut, "the caseload's horizon")}
    assert {f.matter_id for f in found} == {finished, cut}


def test_pending_at_a_court_is_the_stage_stages_reports():
    """caseload.csv's intervals are `stages`' rows: a matter pending at the circuit from its notice of appeal
    to the panel's decision or the ruling on rehearing."""
    from sim.views.stages import stage_spans

    _, ended = played(small(years=4, rate=80))
    checked = still = unchallenged = 0
    for e in ended:
        events = e.matter.collect_events()
        stages = {row["stage"]: row for row in stage_rows(events)}
        for court, first, last in court_intervals(events):
            if last is None:  # open at the horizon: `stages` has no row for it yet, nor for any later stage
                assert e.pending and not any(row["start"] > first for row in stages.values())
                if court == "circuit":  # not once its mandate has gone down
                    assert not any(type(x).__name__ == "MandateIssued" and x.date >= first for x in events)
                still += 1
                # before the provider's challenge (still to come), the matter is before the magistrate judge
                unchallenged += court == "magistrate" and all(s != "magistrate" for s, _, _ in stage_spans(events))
            elif court == "circuit":
                assert first == stages["circuit"]["start"]
                assert last == max(stages[s]["end"] for s in ("circuit", "rehearing") if s in stages)
                checked += 1
            elif court in ("magistrate", "district"):
                assert (first, last) == (stages[court]["start"], stages[court]["end"])
    assert checked > 5 and still > 5 and unchallenged > 0


def test_a_yearly_table_takes_each_figure_per_replication_then_the_median():
    """Two replications of one year at the district court: every figure (year-end pending and its age
    included) is the replication's own, then the median of the replications, never one replication's or a
    sum over them."""
    from sim.views.caseload import yearly

    def month(replication: int, m: int, filed: int, disposed: int, pending: int, oldest: int, used: float) -> dict:
        return {"replication": replication, "year": 2024, "month": m, "court": "district", "filed": filed,
                "disposed": disposed, "pending": pending, "oldest_pending_days": oldest, "utilisation": used}

    rows = [month(0, 11, 4, 2, 8, 90, 0.5), month(0, 12, 2, 2, 8, 100, 0.7),
            month(1, 11, 10, 1, 25, 300, 0.9), month(1, 12, 6, 3, 28, 310, 1.0),
            month(2, 11, 5, 5, 9, 40, 0.2), month(2, 12, 5, 3, 11, 70, 0.4)]
    matters = [{"replication": 0, "arrived": "2024-01-01", "disposed": "2024-03-01"},
               {"replication": 1, "arrived": "2024-01-01", "disposed": "2024-12-31"},
               {"replication": 1, "arrived": "2024-06-01", "disposed": "2024-07-01"},
               {"replication": 2, "arrived": "2023-01-01", "disposed": "2024-01-01"},
               {"replication": 2, "arrived": "2024-01-01", "disposed": None}]
    (row,) = yearly(rows, 100, matters)
    assert row["replications"] == 3
    assert (row["filed"], row["disposed"], row["pending"], row["oldest_pending_days"]) == (10, 4, 11, 100)
    assert row["clearance"] == pytest.approx(2 / 3)      # 4/6, 4/16, 8/10 per replication: the median
    assert row["utilisation"] == pytest.approx(0.6)      # 0.6, 0.95, 0.3
    assert row["median_days"] == pytest.approx(197.5)    # 60; (365 + 30) / 2; 365
    assert row["within_standard"] == pytest.approx(0.5)  # 1, 0.5, 0


def test_measures_from_the_store_equal_those_taken_as_matters_were_stored():
    store = open_store("memory://")
    scenario = small(years=1, rate=60)
    now: list = []
    rows_now: list = []
    record_caseload(store, scenario, seed=2, replications=1, on_matter=rows_now.append,
                    on_replication=lambda r, m, rec: now.extend(m.rows(r, {c: rec.courts[c]["utilisation"]
                                                                           for c in world.COURTS})))
    again: list = []
    rows_again: list = []
    result = record_caseload(store, scenario, seed=2, replications=1, on_matter=rows_again.append,
                             on_replication=lambda r, m, rec: again.extend(m.rows(r, {c: rec.courts[c]["utilisation"]
                                                                                      for c in world.COURTS})))
    assert result.already_recorded
    assert now == again and len(now) == 12 * 4
    assert sorted(rows_now, key=_case) == sorted(rows_again, key=_case)


@pytest.mark.parametrize("jobs", [1, 2])
def test_resume_stores_the_rest_and_writes_the_files_of_an_uninterrupted_run(tmp_path, monkeypatch, jobs):
    """A run stopped part way through its second replication (played here, or by two worker processes), then
    carried on: every matter stored once, and outcomes.csv and caseload.csv byte for byte those of a run never
    stopped (the first replication's rows read back from the store, the second's played again)."""
    import sim.runs.caseload
    from reports.caseload import CaseloadFiles
    from sim.runs.runner import RunInterrupted

    monkeypatch.setattr(sim.runs.caseload, "GROUP_EVENTS", 1)  # a commit a matter: the stop falls mid-run
    scenario = small(years=1, rate=40)

    def files(folder: str, store, on_matter=None) -> tuple[bytes, bytes]:
        out = tmp_path / folder
        out.mkdir()
        collected = CaseloadFiles(out)

        def matter(row) -> None:
            collected.matter(row)
            if on_matter:
                on_matter(row)

        try:
            record_caseload(store, scenario, seed=4, replications=2, jobs=jobs, on_matter=matter,
                            on_replication=collected.replication)
        finally:
            collected.close()
        return (out / "outcomes.csv").read_bytes(), (out / "caseload.csv").read_bytes()

    expected = files("whole", open_store("memory://"))
    cases = expected[0].count(b"\n") - 1
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}", create=True)
    seen: list = []

    def stop(row):
        seen.append(row)
        if len(seen) == cases // 2 + 10:  # part way through the second replication's matters
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted) as stopped:
        files("stopped", store, stop)
    run = store.run(stopped.value.run_id)
    assert run.finished_at is None and stored_replications(store, run) == 1
    assert files("resumed", store) == expected
    assert len(list(matter_ids(store, store.run(str(run.id))))) == cases


def test_a_workers_failure_reaches_the_writer_and_nothing_waits_for_ever(monkeypatch):
    """A replication's world that fails in its worker process (forked after the failure is set up here) fails
    the run in the writer with the worker's exception, rather than leaving it waiting for matters."""
    from sim.engine import world as worlds_engine

    def broken(*args, **kwargs):
        raise RuntimeError("the world broke")

    monkeypatch.setattr(worlds_engine, "play", broken)
    with pytest.raises(RuntimeError, match="the world broke"):
        record_caseload(open_store("memory://"), small(years=1, rate=20), seed=3, replications=2, jobs=2)

    import os

    from sim.runs.runner import RunInterrupted

    monkeypatch.setattr(worlds_engine, "play", lambda *args, **kwargs: os._exit(9))  # the worker dies
    with pytest.raises(RunInterrupted, match="a worker process died"):
        record_caseload(open_store("memory://"), small(years=1, rate=20), seed=3, replications=2, jobs=2)


# The command line ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_run_writes_outcomes_and_caseload_csv_and_littles_law_holds(tmp_path):
    """Over a long horizon the mean pending count is the arrival rate times the mean time there (Little's
    law), within 5%: for the whole system from outcomes.csv, and per court from caseload.csv beside the
    intervals `stages` reports. The first five years are left out (the courts start empty)."""
    out = tmp_path / "out"
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    years, warm = 30, 5
    done = subprocess.run([sys.executable, "run.py", "run", "caseload", "--set", f"caseload.horizon_years={years}",
                           "--set", "caseload.arrivals.per_year=50", "--seed", "3", "--store", store, "--out",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "magistrate" in done.stdout and "time to disposition" in done.stdout
    with (out / "caseload.csv").open() as f:
        rows = list(csv.DictReader(f))
    with (out / "outcomes.csv").open() as f:
        outcomes = list(csv.DictReader(f))
    assert tuple(rows[0]) == CASELOAD_KEYS and tuple(outcomes[0]) == MATTER_KEYS
    assert {r["court"] for r in rows} == {"magistrate", "district", "circuit", "supreme"}
    assert len(rows) == 4 * 12 * years
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cases"] == len(outcomes)

    start = scenarios.load("caseload").scenario.start_date

    def day(iso: str) -> int:
        return (dt.date.fromisoformat(iso) - start).days

    def month_end(row: dict) -> int:
        y, m = int(row["year"]), int(row["month"])
        return day(dt.date(y + (m == 12), m % 12 + 1, 1).isoformat()) - 1

    horizon, warmed = day(world.horizon_end(start, years).isoformat()), day(world.horizon_end(start, warm).isoformat())

    def check(pending: list[int], spans: list[tuple[int, int]]) -> None:
        """L = lambda W over the window from `warmed` to the horizon: lambda the arrivals in it a day, W the
        days each matter spent in the system within it (those still open at the horizon counted to it, those
        carried in from before it from its start), per arrival."""
        arrivals = sum(1 for a, _ in spans if warmed <= a < horizon)
        inside = sum(max(0, min(b, horizon) - max(a, warmed)) for a, b in spans)
        expected = arrivals / (horizon - warmed) * (inside / arrivals)
        assert np.mean(pending) == pytest.approx(expected, rel=0.05)

    ends = [month_end(r) for r in rows if r["court"] == "magistrate"]
    assert any(not o["disposed"] for o in outcomes)  # matters still open at the horizon: counted to it
    spans = [(day(o["arrived"]), day(o["disposed"]) if o["disposed"] else horizon) for o in outcomes]
    check([sum(1 for a, b in spans if a <= e < b) for e in ends if e >= warmed], spans)

    stages = subprocess.run([sys.executable, "run.py", "stages", "--latest", "--format", "csv", "--store", store],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    by_matter: dict[str, dict[str, tuple[int, int]]] = {}
    for row in csv.DictReader(stages.stdout.splitlines()):
        by_matter.setdefault(row["matter_id"], {})[row["stage"]] = (day(row["start"]), day(row["end"]))
    for court, parts in (("magistrate", ("magistrate",)), ("district", ("district",))):
        spans = [next(s[p] for p in parts) for s in by_matter.values() if parts[0] in s]
        check([int(r["pending"]) for r in rows if r["court"] == court and month_end(r) >= warmed], spans)


@pytest.mark.slow
def test_jobs_split_the_replications_and_the_files_are_the_same(tmp_path):
    """`--jobs 2` plays the two replications in two worker processes, and writes byte for byte the files
    `--jobs 1` writes (into a store of its own: nothing is read back)."""
    files = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = subprocess.run([sys.executable, "run.py", "run", "caseload_control_rule", "-n", "2", "--jobs", jobs,
                               "--set", "caseload.horizon_years=2", "--set", "caseload.arrivals.per_year=150",
                               "--seed", "9", "--store", f"sqlite:///{tmp_path / f'store{jobs}.sqlite'}",
                               "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        files[jobs] = [(out / name).read_bytes() for name in ("outcomes.csv", "caseload.csv")]
    assert files["1"] == files["2"]
    rows = list(csv.DictReader(files["1"][0].decode().splitlines()))
    assert len(rows) > 400 and {row["replication"] for row in rows} == {"0", "1"}


def test_a_caseload_scenario_with_a_one_matter_scenario_is_refused(tmp_path):
    done = subprocess.run([sys.executable, "run.py", "run", "caseload", "cloud_act", "--store",
                           f"sqlite:///{tmp_path / 's.sqlite'}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "cloud_act has none" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "s.sqlite").exists()


def test_a_courts_docket_report_lists_exactly_the_matters_pending_there_oldest_first():
    from sim.runs.caseload import court_docket

    store = open_store("memory://")
    result = record_caseload(store, small(years=2, rate=60), seed=6, replications=1)
    run = store.run(result.run_id)
    on = scenarios.load("caseload").scenario.start_date + dt.timedelta(days=500)
    for lane, courts in (("district", ("magistrate", "district")), ("circuit", ("circuit",))):
        report = court_docket(store, run, lane, on)
        expected = set()
        for matter_id in matter_ids(store, run):
            spans = [(a, b) for c, a, b in court_intervals(store.matter_events(matter_id)) if c in courts]
            if any(a <= on.isoformat() and (b is None or on.isoformat() < b) for a, b in spans):
                expected.add(matter_id)
        assert {row["matter_id"] for row in report} == expected and expected
        assert [row["pending_since"] for row in report] == sorted(row["pending_since"] for row in report)
        assert all(row["days_pending"] >= 0 and row["docket_number"] and row["last_entry"] for row in report)


@pytest.mark.slow
def test_caseload_commands_docket_report_and_viewer(tmp_path):
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "run.py", *args, "--store", store], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)

    done = cli("run", "caseload", "--set", "caseload.horizon_years=1", "--set", "caseload.arrivals.per_year=80")
    assert done.returncode == 0, done.stderr
    first = next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("matter "))
    docket = cli("docket", "--court", "district", "--as-of", "2023-09-01", "--latest", "--format", "json")
    assert docket.returncode == 0, docket.stderr
    document = json.loads(docket.stdout)
    assert document["court"] == "district" and document["pending"]
    assert set(document["pending"][0]) >= {"docket_number", "caption", "last_entry", "deadlines", "days_pending"}
    missing = cli("docket", "--court", "circuit", "--latest")
    assert missing.returncode == 2 and "--as-of" in missing.stderr and "Traceback" not in missing.stderr
    page = cli("docket", first, "--format", "html", "--out", str(tmp_path / "m.html"))
    assert page.returncode == 0 and "SIMULATED DOCKET" in (tmp_path / "m.html").read_text()
    from sim.runs.caseload import played as record_of

    opened = open_store(store)
    caseload_run = opened.run(opened.latest_run_id())
    record = record_of(opened, caseload_run, 0)
    still = str(world.case_matter_id(str(caseload_run.id), caseload_run.scenario, 0, record.pending[0]))
    page = cli("docket", still, "--format", "html", "--out", str(tmp_path / "open.html"))  # open at the horizon
    assert page.returncode == 0 and "SIMULATED DOCKET" in (tmp_path / "open.html").read_text(), page.stderr
    report = cli("report", "--latest", "--out", str(tmp_path / "rep"))
    assert report.returncode == 0, report.stderr
    index = (tmp_path / "rep" / "index.html").read_text()
    for chart in ("backlog", "clearance", "time-to-disposition", "utilisation"):
        assert (tmp_path / "rep" / f"caseload-{chart}.png").stat().st_size > 1000
        assert f'src="caseload-{chart}.png"' in index and f'href="caseload-{chart}.svg"' in index
    assert 'id="caseload"' in index and 'id="scenarios"' in index and 'id="summary"' not in index
    (folder,) = [p for p in (tmp_path / "rep").iterdir() if p.is_dir()]
    with (folder / "caseload.csv").open() as f:
        assert tuple(next(csv.reader(f))) == CASELOAD_KEYS
    # With a one-matter run: one page, its one-matter sections and the caseload section
    assert cli("run", "cloud_act", "-n", "5").returncode == 0
    both = cli("report", str(caseload_run.id), opened.latest_run_id(), "--out", str(tmp_path / "both"))
    assert both.returncode == 0, both.stderr
    index = (tmp_path / "both" / "index.html").read_text()
    assert all(f'id="{section}"' in index for section in ("summary", "charts", "caseload", "scenarios"))
    assert json.loads((tmp_path / "both" / "summary.json").read_text())["caseloads"][0]["cases"] == record.cases


def test_deleting_a_caseload_run_removes_its_matters_and_records(tmp_path):
    from sim.runs.caseload import caseload_ids

    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}", create=True)
    result = record_caseload(store, small(years=1, rate=30), seed=8, replications=2)
    run = store.run(result.run_id)
    ids = caseload_ids(store, run)
    assert len(ids) == result.cases + 2 and all(store.has_events(i) for i in ids)
    store.delete_run(run, ids)
    assert not any(store.has_events(i) for i in ids) and not store.has_events(result.run_id)
