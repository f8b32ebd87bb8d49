"""What new users tripped over (issue 19): commands run in process on real SQLite stores, as a user types them."""

from __future__ import annotations

import signal

import pytest

import run
from sim import scenario as scenarios
from sim.runs.runner import record_run
from sim.store import open_store


@pytest.fixture
def command(capsys):
    """run.py's main in this process: (status, stdout, stderr); the signal handlers it installs are restored."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

    def call(*args: str) -> tuple[int, str, str]:
        try:
            status = run.main(list(args))
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)
        out, err = capsys.readouterr()
        return status, out, err

    return call


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A store with the historical matter and a small stochastic run: (url, historical run, stochastic run)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('users') / 'store.sqlite'}"
    store = open_store(url, create=True)
    historical = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    stochastic = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=1, replications=3)
    return url, historical, stochastic


# 19.6: replay says what a simulated matter is --------------------------------------------------------------
def test_replay_of_a_simulated_matter_says_so_on_its_first_line(command, stored):
    url, _, stochastic = stored
    status, out, err = command("replay", stochastic.matter_ids[0], "--store", url)
    assert status == 0, err
    first = out.splitlines()[0]
    assert first.startswith("SIMULATED MATTER: scenario microsoft_ireland_stochastic") and "not what happened" in first


def test_replay_of_the_record_says_it_is_the_record(command, stored):
    url, historical, _ = stored
    status, out, err = command("replay", historical.matter_ids[0], "--store", url)
    assert status == 0, err
    assert out.splitlines()[0].startswith("THE RECORD: scenario microsoft_ireland_2013")


# 19.13: ids by unique prefix; a run id where a matter id is wanted ------------------------------------------
def test_a_run_id_given_to_replay_says_it_is_a_run(command, stored):
    url, _, stochastic = stored
    status, _, err = command("replay", stochastic.run_id, "--store", url)
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert f"{stochastic.run_id} is a run id, not a matter id" in err and stochastic.matter_ids[0] in err


def test_matter_and_run_ids_are_taken_by_a_unique_prefix(command, stored):
    url, historical, stochastic = stored
    status, out, err = command("docket", historical.matter_ids[0][:8], "--store", url)
    assert status == 0, err
    assert out.startswith(f"Matter {historical.matter_ids[0]}")
    status, out, err = command("stages", stochastic.run_id[:6], "--store", url)
    assert status == 0, err
    assert stochastic.matter_ids[0] in out


def test_a_too_short_or_unknown_prefix_is_refused_in_one_line(command, stored):
    url, _, _ = stored
    for given in ("ab", "ffffffff"):
        status, _, err = command("docket", given, "--store", url)
        assert status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert f"unknown matter id {given!r}" in err
