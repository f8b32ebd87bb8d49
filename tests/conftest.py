"""Shared fixtures: real scenarios, real stores."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
