"""`run.py audit`: stored matters checked against the declared procedure. Every bundled scenario and
every what-if recipe's fork is lawful at 2,000 replications; random valid scenarios are lawful; a store
edited by hand (a ruling moved to a Sunday, an extension order deleted) is caught."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import scenario as scenarios
from sim.distributions import Fixed, Probability
from sim.engine import simulate
from sim.runs.audit import audit_events
from sim.runs.recipes import load_recipe
from sim.runs.runner import record_run, replication_seed, source_entries
from sim.store import open_store
from tests.conftest import ROOT, cli, variant

N = 2000
RECIPES = sorted((ROOT / "scenarios" / "what-ifs").glob("*.toml"))


def lawful(scenario, n: int, fork=None) -> list[str]:
    """The findings of `n` replications of `scenario` (as text), in-process."""
    found = []
    for i in range(n):
        matter = simulate(scenario, "audit", i, replication_seed(7, i), fork)
        found += [f.describe() for f in audit_events(matter.pending_events)]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", scenarios.bundled_paths(), ids=lambda p: p.stem)
def test_every_bundled_scenario_is_lawful_at_2000_replications(path):
    loaded = scenarios.load(str(path))
    assert lawful(loaded, 1 if loaded.scenario.kind == "historical" else N) == []


@pytest.fixture(scope="module")
def historical_matter():
    store = open_store("memory://")
    result = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    return store, result.matter_ids[0]


@pytest.mark.slow
@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.stem)
def test_every_what_if_recipes_fork_is_lawful_at_2000_replications(path, historical_matter):
    store, matter_id = historical_matter
    recipe = load_recipe(str(path))
    scenario = scenarios.with_settings(scenarios.load(recipe.source), list(recipe.set))
    seq = store.version_on(matter_id, recipe.as_of)
    assert lawful(scenario, N, source_entries(store, matter_id, seq)) == []


BASE = scenarios.load("microsoft_ireland_stochastic")
ASSUMED = scenarios.AssumedAgreement(dt.date(2013, 1, 1), "a test of the counterfactual label")
P = st.sampled_from([0.0, 0.5, 1.0])
DAYS = st.integers(0, 200).map(Fixed)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=st.fixed_dictionaries({
    "refuses": P, "challenges": P, "objects": P, "appeals": P, "petitions_rehearing": P, "petitions_cert": P,
    "seeks_extension": P, "complies_after_loss": P, "seeks_stay_pending_appeal": P}),
    g=st.fixed_dictionaries({"objects": P, "appeals": P, "petitions_rehearing": P, "petitions_cert": P,
                             "seeks_extension": P, "mlat_after_loss": P}),
    durations=st.fixed_dictionaries({"objection_after": DAYS, "appeal_after": DAYS, "rehearing_after": DAYS,
                                     "cert_after": DAYS, "opposition_after": DAYS}),
    doctrine=st.floats(0, 1), enacted=st.sampled_from([None, "in_force", "2014-06-01", "2016-01-15", "2018-03-23"]),
    qfg=st.booleans(), seed=st.integers(0, 2**32))
def test_random_valid_scenarios_are_lawful(p, g, durations, doctrine, enacted, qfg, seed):
    """Whatever the parties decide and however long they take, every matter passes the audit."""
    when = dt.date.fromisoformat(enacted) if enacted and enacted != "in_force" else enacted
    scenario = variant(BASE, provider={**p, **durations, "comity_motion": 0.5},
                       government={**g, **durations},
                       magistrate={"doctrine": Probability(doctrine)},
                       district_court={"doctrine": Probability(doctrine)},
                       court_of_appeals={"doctrine": Probability(doctrine), "en_banc_grant": 0.3},
                       cloud_act={"enacted": when}, data={"assume_agreement": ASSUMED if qfg else None})
    matter = simulate(scenario, "t", 0, seed)
    assert audit_events(matter.pending_events) == []


# The CLI, and a store edited by hand -------------------------------------------------------------

@pytest.fixture
def recorded(tmp_path):
    """The historical matter and 30 stochastic replications in a real SQLite store."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    for name, n in (("microsoft_ireland_2013", "1"), ("microsoft_ireland_stochastic", "30")):
        done = cli("run", name, "-n", n, "--seed", "4", "--store", url, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    store = open_store(url)
    return tmp_path, url, [str(run.id) for run in store.runs()]


def edit(path: Path, matter_id: str, event: str, change) -> tuple[int, dict]:
    """Apply `change` to the first stored `event` of a matter, in the SQLite file itself."""
    with sqlite3.connect(path) as db:
        seq, state = db.execute("SELECT originator_version, state FROM stored_events WHERE originator_id = ? AND "
                                "topic = ? ORDER BY originator_version LIMIT 1",
                                (matter_id.replace("-", ""), f"sim.domain.matter:Matter.{event}")).fetchone()
        data = json.loads(state)
        change(db, seq, data)
    return seq, data


@pytest.mark.slow
def test_audit_passes_a_lawful_store_and_names_what_it_read(recorded):
    folder, url, run_ids = recorded
    done = cli("audit", *run_ids, "--store", url, cwd=folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("audit: 31 matters, ")
    assert done.stdout.strip().endswith(", 0 violations")
    latest = cli("audit", "--latest", "--format", "json", "--store", url, cwd=folder)
    document = json.loads(latest.stdout)
    assert latest.returncode == 0 and document["matters"] == 30 and document["findings"] == []


@pytest.mark.slow
def test_audit_catches_a_ruling_moved_to_a_sunday(recorded):
    folder, url, run_ids = recorded
    matter_id = open_store(url).run(run_ids[0]).matter_ids()[0]

    def to_sunday(db, seq, data):  # 2014-04-25 (a Friday) to Sunday 2014-04-27, simulated day and all
        data["date"], data["sim_day"] = "2014-04-27", data["sim_day"] + 2
        db.execute("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
                   (json.dumps(data).encode(), str(matter_id).replace("-", ""), seq))

    seq, _ = edit(folder / "store.sqlite", str(matter_id), "MotionRuled", to_sunday)
    done = cli("audit", run_ids[0], "--store", url, cwd=folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{matter_id} seq {seq} 2014-04-27 MotionRuled: sources §9.2 (courts act on business days): expected " \
           "a business day, got Sunday 2014-04-27" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("audit: 1 matters, ")


@pytest.mark.slow
def test_audit_catches_a_deleted_extension_order(recorded):
    folder, url, run_ids = recorded
    matter_id = str(open_store(url).run(run_ids[0]).matter_ids()[0])

    def delete(db, seq, data):
        db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
                   (matter_id.replace("-", ""), seq))

    seq, data = edit(folder / "store.sqlite", matter_id, "TimeExtended", delete)
    assert data["extends"] == "objection"
    done = cli("audit", run_ids[0], "--format", "json", "--store", url, cwd=folder)
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    assert any(f["seq"] == seq + 1 and f["rule"] == "the event stream" for f in findings)
    late = {f["expected"] for f in findings if f["event"] == "ObjectionFiled"}
    assert "timely False, got True" in late  # filed 2014-06-06, due 2014-05-09 with no extension on record


@pytest.mark.parametrize(("args", "message"), [
    (["not-a-run"], "unknown run id"), ([], "RUN_ID... or --latest"),
    (["--format", "xml", "--latest"], "invalid choice"),
])
@pytest.mark.slow
def test_bad_audit_requests(recorded, args, message):
    folder, url, _ = recorded
    done = cli("audit", *args, "--store", url, cwd=folder)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1


# Jurisdiction, mandates, remands, contempt and the end, in a store edited by hand ----------------

@pytest.fixture(scope="module")
def descents(tmp_path_factory):
    """A real SQLite store: the historical matter, control_rule (coercive contempt after a magistrate
    judge's order) and the stochastic scenario (mandates), recorded in-process."""
    path = tmp_path_factory.mktemp("descents") / "store.sqlite"
    store = open_store(f"sqlite:///{path}", create=True)
    ids = {name: record_run(store, scenarios.load(name), seed=4, replications=3).matter_ids
           for name in ("microsoft_ireland_2013", "control_rule", "microsoft_ireland_stochastic")}
    return path, ids


def audited(path: Path, matter_id: str) -> list:
    """The audit's findings on one matter, read as `audit` reads it: gaps included, for the audit to name."""
    return audit_events(open_store(f"sqlite:///{path}").matter_events(str(matter_id), whole=False))


def doctored(original: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "doctored.sqlite"
    copy.write_bytes(original.read_bytes())
    return copy


def rewrite(db, matter_id: str, seq: int, data: dict) -> None:
    db.execute("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
               (json.dumps(data).encode(), str(matter_id).replace("-", ""), seq))


def test_the_doctored_stores_are_lawful_before_the_doctoring(descents):
    path, ids = descents
    assert [f.describe() for name in ids for m in ids[name] for f in audited(path, m)] == []


def test_audit_names_a_deleted_mandate(descents, tmp_path):
    """Delete the court of appeals' mandate: the order on remand below, and the end, lack it (FRAP 41(b))."""
    path, ids = descents
    matter_id = str(ids["microsoft_ireland_stochastic"][2])
    path = doctored(path, tmp_path)

    def delete(db, seq, data):
        db.execute("DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
                   (matter_id.replace("-", ""), seq))

    edit(path, matter_id, "MandateIssued", delete)
    found = audited(path, matter_id)
    assert any(f.event == "OrderOnRemand" and "MandateIssued" in f.expected for f in found), found
    assert any(f.event == "FinalDisposition" and "FRAP 41(b)" in f.rule and "MandateIssued" in f.expected
               for f in found), found


def test_audit_names_a_contempt_order_moved_inside_the_objection_period(descents, tmp_path):
    """Move the motion for contempt and the contempt order to days inside Rule 59(a)'s 14 days after
    the magistrate judge's order: the audit names Rule 59(a)."""
    path, ids = descents
    matter_id = str(ids["control_rule"][2])
    path = doctored(path, tmp_path)
    events = open_store(f"sqlite:///{path}").matter_events(matter_id)
    ruled = next(e for e in events if type(e).__name__ == "MotionRuled" and e.court_level == "magistrate")
    start = dt.date.fromisoformat(ruled.date)
    for event, days in (("MotionFiled", 2), ("ContemptHeld", 3)):
        def move(db, seq, data, days=days):
            day = start + dt.timedelta(days=days)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            data["date"], data["sim_day"] = day.isoformat(), ruled.sim_day + (day - start).days
            rewrite(db, matter_id, seq, data)
        if event == "MotionFiled":  # the motion for contempt, the matter's second MotionFiled
            seq = next(e.originator_version for e in events if type(e).__name__ == "MotionFiled"
                       and e.kind == "contempt")
            data = json.loads(sqlite3.connect(path).execute(
                "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?",
                (matter_id.replace("-", ""), seq)).fetchone()[0])
            with sqlite3.connect(path) as db:
                move(db, seq, data)
        else:
            edit(path, matter_id, event, move)
    found = audited(path, matter_id)
    assert any(f.event == "ContemptHeld" and "Fed. R. Crim. P. 59(a)" in f.rule for f in found), found


def test_audit_names_a_disposition_dated_before_the_judgment_issued(descents, tmp_path):
    """Date the historical matter's final disposition (after the remand) back to the day after the per
    curiam, before the Supreme Court's judgment issued: the audit names what is still to come down."""
    path, ids = descents
    matter_id = str(ids["microsoft_ireland_2013"][0])
    path = doctored(path, tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM stored_events WHERE originator_id = ? AND topic = ?",
                   (matter_id.replace("-", ""), "sim.domain.matter:Matter.JudgmentIssued"))
    found = audited(path, matter_id)
    assert any(f.event == "FinalDisposition" and "JudgmentIssued" in f.expected for f in found), found


def test_audit_names_a_disposition_moved_back_to_the_per_curiam(descents, tmp_path):
    """Date the historical matter's final disposition on the day of the per curiam: it comes before the
    judgment issued and the orders on remand recorded ahead of it, and the audit says so."""
    path, ids = descents
    matter_id = str(ids["microsoft_ireland_2013"][0])
    path = doctored(path, tmp_path)

    def back(db, seq, data):
        data["date"], data["sim_day"] = "2018-04-17", 1595
        rewrite(db, matter_id, seq, data)

    seq, _ = edit(path, matter_id, "FinalDisposition", back)
    found = audited(path, matter_id)
    assert any(f.seq == seq and f.event == "FinalDisposition" and "would come before" in f.expected
               for f in found), found


@pytest.mark.slow
def test_audit_names_a_mootness_dismissal_inside_the_certiorari_period(tmp_path):
    """A matter moot once only the time to petition for certiorari runs goes to the Supreme Court with a
    petition (Munsingwear). Doctor it into the court of appeals' own dismissal inside that period (the
    petition made a letter to the court of appeals, the motion and the order moved there): the audit
    names it."""
    path = tmp_path / "store.sqlite"
    store = open_store(f"sqlite:///{path}", create=True)
    ids = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=11, replications=43).matter_ids
    matter_id = str(ids[42])
    events = store.matter_events(matter_id)
    petition = next(e for e in events if type(e).__name__ == "CertPetitioned")
    assert "moot" in petition.text and audited(path, matter_id) == []
    moot = [e for e in events if getattr(e, "motion_id", "") == "moot-1"]
    for event in [petition, *moot]:
        data = json.loads(sqlite3.connect(path).execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            (matter_id.replace("-", ""), event.originator_version)).fetchone()[0])
        data["court_level"] = "circuit"
        with sqlite3.connect(path) as db:
            if event is petition:
                data.update(kind="letter", period=None, deadline=None, timely=None)
                db.execute("UPDATE stored_events SET topic = ? WHERE originator_id = ? AND originator_version = ?",
                           ("sim.domain.matter:Matter.BriefFiled", matter_id.replace("-", ""),
                            event.originator_version))
            rewrite(db, matter_id, event.originator_version, data)
    found = audited(path, matter_id)
    assert any(f.event == "DismissedAsMoot" and "Munsingwear" in f.rule and "certiorari" in f.expected
               for f in found), found
