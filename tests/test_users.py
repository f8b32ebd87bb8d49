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


# 19.2: two runs never share a label; a sweep's runs in the order of the swept value -------------------------
@pytest.mark.slow
def test_a_file_named_like_a_bundled_scenario_is_not_compared_against_itself(tmp_path):
    import json

    from reports.build import build_report
    from tests.conftest import ROOT

    mine = tmp_path / "mine.toml"
    parent = ROOT / "scenarios" / "microsoft_ireland_stochastic.toml"
    text = (ROOT / "scenarios" / "location_rule.toml").read_text().replace(
        'extends = "microsoft_ireland_stochastic"', f'extends = "{parent}"')
    mine.write_text(text.replace('route = "mlat"', 'route = "warrant"'))
    store = open_store("memory://")
    bundled = record_run(store, scenarios.load("location_rule"), seed=1, replications=4)
    own = record_run(store, scenarios.load(str(mine)), seed=1, replications=4)
    (tmp_path / "report").mkdir()
    build_report(store, [bundled.run_id, own.run_id], tmp_path / "report")
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    labels = [r["scenario"] for r in summary["runs"]]
    assert labels == ["location_rule", f"location_rule (run {own.run_id[:8]})"]
    assert len({r["colour"] for r in summary["runs"]}) == 2
    assert summary["paired_differences"][0]["scenario"] == labels[1]


@pytest.mark.slow
def test_a_sweep_rebuilt_from_its_run_ids_is_ordered_by_the_swept_value(tmp_path):
    import json

    from reports.build import build_report

    store = open_store("memory://")
    base = scenarios.load("location_rule")
    ids = []
    for value in ("270", "120", "400"):
        key = "foreign_authority.mlat_response_after.median"
        variant = scenarios.renamed(scenarios.with_settings(base, [(key, value)]), f"location_rule [{key}={value}]",
                                    base.scenario.title)
        ids.append(record_run(store, variant, seed=1, replications=3).run_id)
    (tmp_path / "report").mkdir()
    build_report(store, ids, tmp_path / "report")
    runs = json.loads((tmp_path / "report" / "summary.json").read_text())["runs"]
    assert [r["scenario"].split("=")[1] for r in runs] == ["120]", "270]", "400]"]
    assert len({r["colour"] for r in runs}) == 3


# 19.11: validate gives run's verdict --------------------------------------------------------------------------
def test_validate_refuses_a_historical_kind_that_run_would_refuse(command, tmp_path, monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.chdir(tmp_path)
    text = (ROOT / "scenarios" / "location_rule.toml").read_text()
    (tmp_path / "hist.toml").write_text(text.replace('name = "location_rule"', 'name = "hist"\nkind = "historical"'))
    status, out, err = command("validate", "hist.toml")
    assert status == 2 and out == ""
    assert err.startswith("run.py validate: hist.toml: pins.") and "pins every step it records" in err
    status, _, run_err = command("run", "hist.toml", "--store", "memory://")
    assert status == 2 and run_err.removeprefix("run.py run: ") == err.removeprefix("run.py validate: ")


def test_validate_accepts_the_bundled_what_if_recipes(command):
    from tests.conftest import ROOT

    recipes = sorted(str(p) for p in (ROOT / "scenarios" / "what-ifs").glob("*.toml"))
    status, out, err = command("validate", *recipes)
    assert status == 0, err
    assert out.count(": ok (what-if recipe: fork of microsoft_ireland_2013 as of ") == len(recipes) == 3


# 19.10: a fork refused in what the user did and what to do -----------------------------------------------------
ENGINE_WORDS = r"\b[A-Z][a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+_[a-z_]+\b \(|day \d"  # WarrantIssued, (warrant_issued, day 0


@pytest.mark.slow  # a refused fork tries up to 4,096 plays
@pytest.mark.parametrize(("as_of", "change", "says"), [
    ("2019-01-01", "cloud_act.enacted=never", "the matter's last entry is of 2018-06-12 (entry 54): nothing is left "
                                              "to play after 2019-01-01; fork at a date before 2018-06-12"),
    ("2018-04-01", "cloud_act.enacted=never", "the change (cloud_act.enacted = never) alters what happened on or "
                                              "before the fork point (2018-03-30), which a fork keeps as recorded: "
                                              "under it the legislation of 2018-03-23 does not happen as recorded; "
                                              "fork at a date before 2018-03-23"),
    ("2014-06-01", "government.route=mlat", "a fork cannot change how the matter began: run the changed scenario "
                                            "on its own"),
])
def test_a_fork_that_cannot_be_played_says_why_in_the_users_words(command, stored, as_of, change, says):
    import re

    url, historical, _ = stored
    status, _, err = command("fork", historical.matter_ids[0], "--as-of", as_of, "--set", change, "--store", url)
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert says in err
    assert not re.search(ENGINE_WORDS, err), err
