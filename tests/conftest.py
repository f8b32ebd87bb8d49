"""Shared fixtures: real scenarios, real stores (an SQLite file, and a PostgreSQL database when a server is
reachable), and the CLI run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import scenario as scenarios  # noqa: E402
from sim.store import open_store  # noqa: E402
from tests import throwaway_postgres  # noqa: E402

HISTORICAL = ROOT / "scenarios" / "microsoft_ireland_2013.toml"
POSTGRES_ENV = "DOCKETSIM_TEST_POSTGRES"
STORES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def historical():
    return scenarios.load(str(HISTORICAL))


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def memory_store():
    return open_store("memory://")


def _unavailable(reason: str) -> None:
    """In CI a missing server fails the tests that need it; elsewhere they are skipped, saying why."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server for the tests: ${POSTGRES_ENV} (set by .ci/run), or else a
    throwaway cluster started here if PostgreSQL is installed."""
    url = os.environ.get(POSTGRES_ENV)
    started = None
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            _unavailable(f"{POSTGRES_ENV} is not set (.ci/run starts a throwaway server)")
        if throwaway_postgres.binaries() is None:
            _unavailable("install PostgreSQL (Debian: apt-get install postgresql) or set "
                         f"{POSTGRES_ENV}=postgresql://USER@HOST:PORT/DB")
        try:
            url, started = throwaway_postgres.start_cluster()
        except (OSError, subprocess.CalledProcessError, RuntimeError) as e:
            _unavailable(f"could not start a throwaway cluster ({e})")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as e:
        _unavailable(f"{url.split('@')[-1]} does not answer ({e})")
    yield url
    if started is not None:
        throwaway_postgres.stop_cluster(started)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"docketsim_{uuid.uuid4().hex[:12]}"
    base, _, _ = postgres_server.rpartition("/")
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=STORES)
def store_url(request, tmp_path):
    """A store URL of each kind: a new SQLite file, and a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")


def cli(*args: str, cwd, timeout: int = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """run.py in a fresh process, as a user runs it, from folder `cwd`."""
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=None if env is None else {**os.environ, **env})


def popen(*args: str, cwd) -> subprocess.Popen:
    """run.py started in the background, its output captured."""
    return subprocess.Popen([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def interrupted_run(store_url, monkeypatch, n, crash_at, scenario="microsoft_ireland_stochastic", seed=6,
                    keep="events"):
    """A run cut short at replication `crash_at` (as a crash would), in process, keeping its events or only its
    outcome rows (`keep`): its id."""
    from sim.runs import runner
    from sim.runs.runner import record_run, stored_prefix

    real = runner.simulate

    def failing(*args, **kwargs):
        if args[2] == crash_at:  # the replication
            raise RuntimeError("cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "simulate", failing)
    monkeypatch.setattr(runner, "COMMIT_GROUP", 16)
    store = open_store(store_url, create=True)
    with pytest.raises(RuntimeError):
        record_run(store, scenarios.load(scenario), seed=seed, replications=n, keep=keep)
    monkeypatch.setattr(runner, "simulate", real)
    run = store.runs()[0]
    assert 0 < stored_prefix(store, run) < n
    return str(run.id)


def variant(scenario, pins: bool = False, **tables):
    """The scenario with some fields replaced, e.g. provider={"refuses": 0.0} (a float becomes a
    probability); pins dropped by default (and with them the record: the variant is a simulated regime)."""
    from sim.distributions import Probability

    changes = {}
    if not pins:
        changes["scenario"] = attrs.evolve(scenario.scenario, kind="regime")
    for table, fields in tables.items():
        current = getattr(scenario, table)
        changes[table] = attrs.evolve(current, **{
            k: Probability(v) if isinstance(getattr(current, k), Probability) and isinstance(v, float) else v
            for k, v in fields.items()})
    return attrs.evolve(scenario, pins=scenario.pins if pins else {}, **changes)


def comparable(events) -> list[tuple[str, dict]]:
    """Events as comparable (class name, fields) pairs, wall-clock timestamps aside."""
    return [(type(e).__name__, {k: v for k, v in vars(e).items() if k != "timestamp"}) for e in events]


@contextmanager
def no_progress(label: str, total: int) -> Iterator:
    """A progress factory (`sim.runs.comparison.ProgressFactory`) that shows nothing."""
    yield lambda done, total: None


# Replications per scenario in `played`: enough for the rare paths (a petition returned unfiled, a rehearing
# turned away as late) to come up; the historical scenario plays one way.
PLAYS = 80


@pytest.fixture(scope="session")
def played() -> list[list]:
    """The event streams of every bundled scenario, and of the one path none takes often: a notice of appeal
    filed too late to be saved (FRAP 4(a)(5)), which the court of appeals dismisses (the narration's and the
    clerk's readings share them)."""
    from sim.distributions import Fixed, Probability
    from sim.engine import simulate
    from sim.runs.runner import replication_seed

    streams = []
    for path in scenarios.bundled_paths():
        loaded = scenarios.load(str(path))
        plays = 1 if loaded.scenario.kind == "historical" else PLAYS
        streams += [simulate(loaded, "narration", i, replication_seed(5, i)).pending_events for i in range(plays)]
    late = variant(scenarios.load("microsoft_ireland_stochastic"), cloud_act={"enacted": None},
                   provider={"refuses": 1.0, "challenges": 1.0, "objects": 1.0, "appeals": 1.0,
                             "objection_after": Fixed(10), "appeal_after": Fixed(120)},
                   magistrate={"doctrine": Probability(0.0)}, district_court={"doctrine": Probability(0.0)})
    streams += [simulate(late, "narration", i, replication_seed(6, i)).pending_events for i in range(5)]
    return streams


def kinds(matter) -> list[str]:
    return [type(e).__name__ for e in matter.pending_events]


def system_tool(name: str, install: str) -> str:
    """The path of a system program a test drives (chromium, tmux). Missing, the test fails in CI (CI=true:
    .ci/run installs it) and is skipped elsewhere, with one line naming what to install."""
    found = shutil.which(name)
    if found:
        return found
    message = f"this test needs {name}: {install}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
