"""The event store, on SQLite and on PostgreSQL: reopened from new processes, determinism, provenance,
atomicity, the same outcomes on either store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from sim.domain.matter import Matter
from sim.domain.procedure import AFTER_DISPOSITION
from sim.runs import runner
from sim.runs.runner import record_run
from sim.scenario import bundled_paths, load
from sim.store import DocketStore, Run, open_store
from sim.views.projections import entries
from tests.conftest import ROOT, cli, comparable


def stream(store, matter_id):
    """A matter's stored events as comparable dicts, wall-clock timestamps aside."""
    return comparable(store.matter_events(matter_id))


@pytest.mark.slow
def test_reopen_store_from_new_processes(tmp_path, store_url):
    """One process records, another rebuilds the docket from the store alone; both agree with this one."""
    recorded = cli("run", "microsoft_ireland_2013", "--store", store_url, cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    matter_id = recorded.stdout.split("matter ")[1].split()[0]
    shown = cli("docket", matter_id, "--format", "json", "--store", store_url, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    latest = cli("docket", "--latest", "--format", "json", "--store", store_url, cwd=tmp_path)
    assert json.loads(shown.stdout) == json.loads(latest.stdout)
    here = entries(open_store(store_url).matter_events(matter_id))
    assert json.loads(shown.stdout) == here
    assert len(here) == len(open_store(store_url).matter_events(matter_id)) - 1 > 30


@pytest.mark.slow
def test_sqlite_and_postgresql_stores_give_the_same_outcomes(tmp_path, postgres_url):
    """The same run recorded into each kind of store, by several workers, reads back the same."""
    for name, url in (("sqlite", "sqlite:///s.sqlite"), ("postgresql", postgres_url)):
        done = cli("run", "cloud_act", "control_rule", "-n", "150", "--seed", "4", "--jobs", "2", "--out", name,
                   "--store", url, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "password" not in done.stdout + done.stderr
    outcomes = [(tmp_path / name / "outcomes.csv").read_bytes() for name in ("sqlite", "postgresql")]
    assert outcomes[0] == outcomes[1]
    a, b = open_store(f"sqlite:///{tmp_path / 's.sqlite'}"), open_store(postgres_url)
    assert [r.id for r in a.runs()] == [r.id for r in b.runs()]
    matter = a.runs()[1].matter_ids()[77]
    assert stream(a, matter) == stream(b, matter)


@pytest.mark.slow
def test_default_store_and_environment_override(tmp_path):
    assert cli("run", "microsoft_ireland_2013", cwd=tmp_path).returncode == 0
    assert (tmp_path / "docketsim.sqlite").exists()
    env_store = tmp_path / "elsewhere.sqlite"
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "microsoft_ireland_2013"], cwd=tmp_path,
                          capture_output=True, text=True, env={"DOCKETSIM_STORE": f"sqlite:///{env_store}",
                                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert env_store.exists()


def test_same_scenario_and_seed_give_identical_streams(store_url, historical):
    a, b = open_store(store_url, create=True), open_store("memory://")
    ra, rb = record_run(a, historical, seed=5), record_run(b, historical, seed=5)
    assert ra.run_id == rb.run_id and ra.matter_ids == rb.matter_ids
    assert stream(a, ra.matter_ids[0]) == stream(b, rb.matter_ids[0])


def test_different_seeds_make_different_runs(memory_store, historical):
    r0, r1 = record_run(memory_store, historical, seed=0), record_run(memory_store, historical, seed=1)
    assert r0.run_id != r1.run_id and r0.matter_ids != r1.matter_ids
    assert [r.id for r in memory_store.runs()] == [Run.create_id(historical.text_hash, s, 1) for s in (0, 1)]


def test_rerun_records_nothing_new(memory_store, historical):
    first = record_run(memory_store, historical)
    before = memory_store.recorder.max_notification_id()
    again = record_run(memory_store, historical)
    assert again.already_recorded and again.run_id == first.run_id
    assert memory_store.recorder.max_notification_id() == before


def test_run_provenance(memory_store, historical):
    result = record_run(memory_store, historical, seed=3)
    run = memory_store.run(result.run_id)
    assert run.scenario == "microsoft_ireland_2013"
    assert run.scenario_hash == historical.text_hash and len(run.scenario_hash) == 64
    assert run.seed == 3 and run.replications == 1
    assert set(run.versions) >= {"docketsim", "eventsourcing", "simpy", "attrs"}
    assert run.started_at <= run.finished_at


@pytest.mark.slow
def test_failed_replication_leaves_no_half_recorded_matter(store_url, monkeypatch):
    """Replication 100 of 150 crashes: what is stored is a prefix of whole matters, nothing of the
    crashed one, and the run stays unfinished (resumable)."""
    from sim.runs.runner import stored_prefix

    memory_store = open_store(store_url, create=True)
    stochastic = load("microsoft_ireland_stochastic")
    real = runner.simulate

    def failing(scenario, run_id, replication, seed, fork=None):
        matter = real(scenario, run_id, replication, seed, fork)
        if replication == 100:
            raise RuntimeError("simulated crash after building the matter")
        return matter

    monkeypatch.setattr(runner, "simulate", failing)
    monkeypatch.setattr(runner, "COMMIT_GROUP", 16)
    with pytest.raises(RuntimeError):
        record_run(memory_store, stochastic, replications=150)
    run = memory_store.runs()[0]
    assert run.finished_at is None
    stored = stored_prefix(memory_store, run)
    assert 0 < stored <= 100
    ids = run.matter_ids()
    for matter_id in ids[:stored]:
        assert stream(memory_store, str(matter_id))[-1][0] in ("FinalDisposition", *AFTER_DISPOSITION)
    for matter_id in ids[stored:]:
        assert not memory_store.has_events(matter_id)


def test_scenario_failing_at_run_time_writes_nothing(store_url, historical):
    """A pin before the step became possible is caught before anything is written."""
    import attrs

    from sim.errors import ScenarioError

    pins = dict(historical.pins)
    pins["magistrate_ruling"] = attrs.evolve(pins["magistrate_ruling"], date=historical.scenario.start_date)
    store = open_store(store_url, create=True)
    with pytest.raises(ScenarioError, match=r"pins\.magistrate_ruling"):
        record_run(store, attrs.evolve(historical, pins=pins))
    assert store.recorder.max_notification_id() in (None, 0)


@pytest.mark.slow
def test_delete_run_removes_its_matters_snapshots_and_listing_and_frees_space(tmp_path, historical):
    """A real SQLite store: the run, its matters and their snapshots go, in the file too; other runs stay whole;
    the register keeps its history (a RunRemoved event); the same run can be recorded again."""
    import sqlite3
    from uuid import UUID

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = open_store(url, create=True)
    kept = record_run(store, historical)
    gone = record_run(store, load("location_rule"), replications=300)
    store.take_snapshot(UUID(gone.matter_ids[0]))
    def on_disk() -> int:  # the file and its write-ahead log
        return sum(p.stat().st_size for p in tmp_path.glob("s.sqlite*") if not p.name.endswith("-shm"))

    before = on_disk()
    deleting = open_store(url)
    assert deleting.delete_run(store.run(gone.run_id)) > 1_000_000  # the bytes of events removed
    _, compacted = deleting.compact()
    assert compacted == on_disk() and before - compacted > 1_000_000
    reopened = open_store(url)
    assert [str(r.id) for r in reopened.runs()] == [kept.run_id]
    assert stream(reopened, kept.matter_ids[0]) == stream(store, kept.matter_ids[0])
    con = sqlite3.connect(tmp_path / "s.sqlite")
    ids = [UUID(gone.run_id).hex, *(UUID(m).hex for m in gone.matter_ids)]
    for table in ("stored_events", "stored_snapshots"):
        marks = ",".join("?" * len(ids))
        assert con.execute(f"SELECT COUNT(*) FROM {table} WHERE originator_id IN ({marks})", ids).fetchone() == (0,)
    topics = [t for (t,) in con.execute("SELECT topic FROM stored_events")]
    assert sum(t.endswith("RunRemoved") for t in topics) == 1 and sum(t.endswith("RunAdded") for t in topics) == 2
    con.close()
    again = record_run(reopened, load("location_rule"), replications=300)
    assert not again.already_recorded and again.run_id == gone.run_id
    assert [str(r.id) for r in reopened.runs()] == [kept.run_id, gone.run_id]


def test_delete_run_in_memory_strikes_it_from_the_register(memory_store, historical):
    result = record_run(memory_store, historical)
    assert memory_store.delete_run(memory_store.run(result.run_id)) == 0
    assert memory_store.runs() == []


@pytest.fixture
def mapper():
    """The store's mapper (its orjson transcoder), as a worker process has it."""
    return DocketStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


@pytest.fixture
def library_transcoder(mapper):
    """The library's own JSON transcoder, with the same transcodings as ours."""
    transcoder = JSONTranscoder()
    for transcoding in mapper.transcoder.types.values():
        transcoder.register(transcoding)
    return transcoder


def test_a_stored_event_costs_about_its_own_size_in_memory(mapper):
    """orjson's output kept the 8 KiB buffer it wrote into whatever its length: a worker's batch and an
    in-memory store took twelve times the events' size (851 MiB for 3,000 replications in memory://)."""
    scenario = load("microsoft_ireland_stochastic")
    runner.play(scenario, "00000000-0000-0000-0000-000000000001", 0, 0, mapper, None)  # what loads once
    tracemalloc.start()
    try:
        stored, _ = runner.play(scenario, "00000000-0000-0000-0000-000000000001", 1, 0, mapper, None)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = sum(len(state) + len(topic) for _, _, topic, state in stored)
    assert held < 2 * size + 16 * 1024, (held, size)


def test_an_entry_takes_exactly_its_fields_stays_frozen_and_survives_the_store(mapper):
    """Entries are built in one step (`Matter.Entry.of`, which the matter's trigger uses, and calling the
    class): a missing or unknown field is refused by name, the event cannot be changed, and storing and
    reading it back gives it unchanged."""
    stored, _ = runner.play(load("microsoft_ireland_stochastic"), str(uuid4()), 0, 0, mapper, None)
    events = [mapper.to_domain_event(StoredEvent(*s)) for s in stored]
    entry = events[1]
    fields = dict(vars(entry))
    with pytest.raises(TypeError, match=r"missing \['text'\], unexpected \['txt'\]"):
        type(entry)(**{("txt" if k == "text" else k): v for k, v in fields.items()})
    with pytest.raises(TypeError, match=r"missing \['text'\], unexpected \[\]"):
        type(entry).of({k: v for k, v in fields.items() if k != "text"})
    rebuilt = type(entry)(**fields)
    assert rebuilt == entry and vars(rebuilt) is not fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        rebuilt.text = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError, match="non-UUID originator_id"):
        type(entry)(**dict(fields, originator_id="not a uuid"))
    assert [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events] == events
    assert all(isinstance(e, Matter.Entry) for e in events[1:])


def test_every_event_is_stored_as_the_library_stores_it(mapper, library_transcoder):
    """Our mapper's shorter way for docket entries writes the library's bytes, as a `StoredEvent` and as the
    plain record a worker sends its writer: every event of a run of each bundled scenario (the run's
    provenance and register too) and a snapshot, against the library's own mapper and JSON transcoder with
    the same transcodings."""
    library = Mapper(transcoder=library_transcoder)
    store = open_store("memory://", create=True)
    for path in bundled_paths():
        record_run(store, load(str(path)), seed=5, replications=3)
    records = store.recorder.select_notifications(start=1, limit=100_000)
    events = [mapper.to_domain_event(r) for r in records]
    last = [e for e in events if isinstance(e, Matter.Opened)][-1]
    events.append(Snapshot.take(store.repository.get(last.originator_id)))
    assert {type(e).__name__ for e in events} >= {"Opened", "Created", "Snapshot", "CertPetitioned"}
    for event in events:
        expected = library.to_stored_event(event)
        assert mapper.to_stored_event(event) == expected, type(event).__name__
        assert mapper.to_record(event) == (expected.originator_id, expected.originator_version, expected.topic,
                                           expected.state), type(event).__name__
    assert [mapper.to_stored_event(e).state for e in events[:-1]] == [r.state for r in records]


@pytest.mark.parametrize("stamp", [
    dt.datetime(2026, 11, 30, 3, 4, 5, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 30, tzinfo=dt.UTC),  # no microseconds: none written, as isoformat does
    dt.datetime(2026, 11, 30, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(seconds=37))),  # the library's path
    dt.datetime(2026, 11, 30, 3, 4, 5, 7),
])
def test_timestamps_are_written_as_the_library_writes_them(mapper, library_transcoder, stamp):
    ours = mapper.transcoder
    data = {"date": "2016-07-14", "timestamp": stamp}
    assert ours.encode(data) == library_transcoder.encode(data)
    assert ours.decode(ours.encode(data)) == data


def test_an_entry_applies_only_to_its_own_matter_as_the_next_of_its_sequence(mapper):
    """`Matter.Entry.mutate` (the library's, reading the aggregate's fields) refuses an entry of another
    matter or out of sequence, and leaves the matter as it was."""
    from eventsourcing.domain import OriginatorIDError, OriginatorVersionError

    from sim.engine import simulate

    scenario = load("microsoft_ireland_stochastic")
    events = simulate(scenario, "a", 0, 0).collect_events()
    other = simulate(scenario, "b", 0, 0).collect_events()
    matter = events[0].mutate(None)
    for event in events[1:4]:
        event.mutate(matter)
    assert matter.version == 4 and matter.modified_on == events[3].timestamp and len(matter.history) == 3
    with pytest.raises(OriginatorIDError):
        other[4].mutate(matter)
    with pytest.raises(OriginatorVersionError):
        events[5].mutate(matter)
    assert matter.version == 4 and len(matter.history) == 3
    events[4].mutate(matter)
    assert matter.version == 5 and matter.history[-1] == type(events[4]).__name__


@pytest.mark.parametrize("stamp", [
    dt.datetime(2026, 11, 30, 3, 4, 5, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 30, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # the transcoder's way
])
@pytest.mark.parametrize("where", ["last", "first"])
def test_an_entry_is_stored_as_the_library_stores_it_wherever_its_timestamp(mapper, library_transcoder, stamp,
                                                                             where):
    """The mapper appends a UTC timestamp to the bytes orjson writes for an entry's other fields; an entry
    whose timestamp is not its last field, or not in UTC, goes the transcoder's way: the same bytes."""
    stored, _ = runner.play(load("microsoft_ireland_stochastic"), str(uuid4()), 0, 0, mapper, None)
    entry = mapper.to_domain_event(StoredEvent(*stored[3]))
    fields = {k: v for k, v in vars(entry).items() if k != "timestamp"}
    fields = {**fields, "timestamp": stamp} if where == "last" else {"timestamp": stamp, **fields}
    moved = type(entry).of(fields)
    library = Mapper(transcoder=library_transcoder)
    assert mapper.to_stored_event(moved) == library.to_stored_event(moved)
    assert mapper.to_domain_event(mapper.to_stored_event(moved)) == moved


@pytest.mark.parametrize("command", [["run", "--resume"], ["report"], ["compare"], ["audit"], ["stages"],
                                     ["runs", "--delete"]])
def test_an_id_of_another_kind_given_as_a_run_id_is_named_for_what_it_is(tmp_path, monkeypatch, capsys, command):
    """Issue 18.5: a matter id, the register's or the format record's id as RUN_ID: one line, exit 2."""
    import shutil

    import run
    from sim.store import FORMAT_ID, REGISTER_ID

    shutil.copyfile(Path(__file__).parent / "fixtures" / "format3.sqlite", tmp_path / "store.sqlite")
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///store.sqlite")
    first = store.runs()[1]
    matter = first.matter_ids()[2]
    told = {matter: f"is a matter id, not a run id; its run is {first.id}",
            str(REGISTER_ID): "the store's run register, not a run id",
            str(FORMAT_ID): "the store's format record, not a run id"}
    for wrong, said in told.items():
        status = run.main([*command, wrong, "--store", "sqlite:///store.sqlite"])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 2 and len(err) == 1 and said in err[0], err
    assert [str(r.id) for r in open_store("sqlite:///store.sqlite").runs()] == [str(r.id) for r in store.runs()]
