"""Shared fixtures: real scenarios, real stores."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import scenario as scenarios  # noqa: E402
from sim.store import open_store  # noqa: E402

HISTORICAL = ROOT / "scenarios" / "microsoft_ireland_2013.toml"


@pytest.fixture(scope="session")
def historical():
    return scenarios.load(str(HISTORICAL))


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def memory_store():
    return open_store("memory://")


def cli(*args: str, cwd, timeout: int = 300) -> subprocess.CompletedProcess:
    """run.py in a fresh process, as a user runs it, from folder `cwd`."""
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


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
