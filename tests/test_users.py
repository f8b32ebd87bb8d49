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
    ("2019-01-01", "cloud_act.enacted=never", "the matter's last entry is of 2018-06-12 (entry {last}): nothing is "
                                              "left to play after 2019-01-01; fork at a date before 2018-06-12"),
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
    last = open_store(url).matter_events(historical.matter_ids[0])[-1].originator_version
    status, _, err = command("fork", historical.matter_ids[0], "--as-of", as_of, "--set", change, "--store", url)
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert says.format(last=last) in err
    assert not re.search(ENGINE_WORDS, err), err


# 19.8 / 21.7: deterministic runs are one path; forks paired with their source; recipes say what forks do -------
@pytest.fixture(scope="module")
def what_ifs():
    """The historical matter and two recipes' forks (5 replications each) in one memory store."""
    from sim.runs.forks import fork
    from sim.runs.recipes import load_recipe
    from tests.conftest import ROOT, no_progress

    store = open_store("memory://")
    historical = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    forks = {}
    for name in ("supreme_court_control", "no_cloud_act_after_en_banc"):
        recipe = load_recipe(str(ROOT / "scenarios" / "what-ifs" / f"{name}.toml"))
        comparison, _ = fork(store, historical.matter_ids[0], None, recipe.as_of, list(recipe.set), 5, recipe.seed, 1,
                             None, no_progress, lambda _: None, recipe.title)
        forks[name] = (recipe, comparison)
    return store, historical, forks


def test_a_run_whose_replications_are_identical_is_reported_as_one_path(what_ifs):
    from rich.console import Console

    from reports import terminal

    _, _, forks = what_ifs
    summary = forks["supreme_court_control"][1].summary["runs"][0]
    assert summary["deterministic"] is True and summary["n"] == 5
    console = Console(width=200, record=True, file=__import__("io").StringIO())
    console.print(terminal.summary_table(summary))
    shown = console.export_text()
    assert "one path, deterministic: every replication identical" in shown
    assert "95% interval" not in shown and "[1651, 1651]" not in shown and "1651" in shown
    assert forks["no_cloud_act_after_en_banc"][1].summary["runs"][0]["deterministic"] is False  # the Court's coin


def test_a_stochastic_run_is_still_a_sample(stored):
    from sim.runs.comparison import run_scenarios
    from tests.conftest import no_progress

    comparison = run_scenarios(open_store("memory://"), [scenarios.load("microsoft_ireland_stochastic")], 1, 20, 1,
                               None, no_progress)
    assert comparison.summary["runs"][0]["deterministic"] is False


@pytest.mark.slow
def test_the_what_if_report_pairs_each_fork_with_its_source_matter(what_ifs, tmp_path):
    import json

    from reports.build import build_report

    store, historical, forks = what_ifs
    ids = [historical.run_id, *(comparison.runs[0][1].run_id for _, comparison in forks.values())]
    build_report(store, ids, tmp_path)
    pairs = json.loads((tmp_path / "summary.json").read_text())["paired_differences"]
    assert [p.get("note") for p in pairs] == [None, None]  # paired, not "not paired"
    assert all(p["paired_with"] == "the fork's source matter" for p in pairs)
    control, en_banc = pairs
    assert control["deterministic"] and control["restricted_mean_days"]["low"] is None
    assert not en_banc["deterministic"] and en_banc["p_disclosed"]["low"] is not None
    page = (tmp_path / "index.html").read_text()
    assert "one path each (deterministic: every replication identical)" in page


def test_the_en_banc_recipe_says_only_what_its_forks_do(what_ifs):
    store, _, forks = what_ifs
    recipe, comparison = forks["no_cloud_act_after_en_banc"]
    text = " ".join(recipe.description.split())
    assert "keeps its recorded date (2017-06-23)" in text
    assert "other days than the recorded 2017-10-16 and 2018-02-27" in text
    for matter_id in comparison.runs[0][1].matter_ids:
        dates = {(type(e).__name__, e.date) for e in store.matter_events(matter_id)[1:]}
        assert ("CertPetitioned", "2017-06-23") in dates
        assert ("CertDecided", "2017-10-16") not in dates
        assert not any(name == "HearingHeld" and day == "2018-02-27" for name, day in dates)


# 19.9: calibrate a scenario that goes to court, or say why there is none ------------------------------------------
@pytest.fixture(scope="module")
def location_and_stochastic():
    store = open_store("memory://")
    historical = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    location = record_run(store, scenarios.load("location_rule"), seed=1, replications=8)
    stochastic = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=1, replications=8)
    return store, historical, location, stochastic


def _tallies(store, runs):
    from reports.build import stored_rows
    from sim.views.results import Tally

    tallies = {}
    for one in runs:
        tally = tallies[str(one.id)] = Tally(str(one.id), one.scenario, one.seed, one.replications)
        for row in stored_rows(store, one):
            tally.add(row)
    return tallies


def test_a_report_calibrates_the_scenario_that_goes_to_court_not_the_first(location_and_stochastic):
    from reports.build import calibration_of

    store, historical, location, stochastic = location_and_stochastic
    runs = [store.run(location.run_id), store.run(stochastic.run_id)]
    calibration, note = calibration_of(store, runs, store.run(historical.run_id), _tallies(store, runs))
    assert calibration is not None and calibration.scenario == "microsoft_ireland_stochastic" and note == ""


def test_a_report_of_scenarios_that_never_reach_court_says_why_there_is_no_calibration(location_and_stochastic):
    from reports.build import calibration_of

    store, historical, location, _ = location_and_stochastic
    runs = [store.run(location.run_id)]
    calibration, note = calibration_of(store, runs, store.run(historical.run_id), _tallies(store, runs))
    assert calibration is None
    assert note.startswith("No calibration: no simulated matter of this report comes before a court (location_rule)")


def test_a_stage_not_reached_has_no_marker_over_its_words_and_no_100th_percentile(location_and_stochastic):
    from reports import charts
    from reports.calibration import chart_stages
    from sim.runs.calibration import calibrate

    store, historical, location, _ = location_and_stochastic
    c = calibrate(store, store.run(location.run_id), store.run(historical.run_id))
    fig = charts.where_the_real_case_falls(chart_stages(c), scenario=c.scenario, n=c.n, seed=c.seed)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "not reached in the simulation (the real case: 142 days)" in texts
    diamonds = [p for p in ax.collections if p.get_paths() and len(p.get_offsets()) == 1
                and p.get_facecolor()[0][:3].tolist() == [0.0, 0.0, 0.0]]
    assert len(diamonds) == 1  # only the total, which location_rule's matters do reach
    assert not any("100th percentile" in t for t in texts)
    assert any("longer than every simulated" in t for t in texts)


# 19.13: smaller things ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_run_py_under_a_python_without_the_packages_says_how_to_install_them(tmp_path):
    """`python3 run.py` outside the environment printed a traceback; -S -I leaves out every installed package."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-S", "-I", str(ROOT / "run.py"), "scenarios"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "lacks eventsourcing" in done.stderr
    assert "pip install -e ." in done.stderr


def test_the_readme_has_no_placeholder_and_says_the_keys_replay_takes():
    import re

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"^[A-Z][A-Z_]{5,}$", readme, re.M)  # a line such as CALIBRATION_TABLE left to fill
    prompt = "Enter: next event, q then Enter (or Ctrl-D): quit"
    assert prompt in (ROOT / "run.py").read_text(encoding="utf-8")
    assert "q then Enter, or Ctrl-D, to quit" in readme and "q or Ctrl-D to quit" not in readme


def test_the_readme_gives_every_default_out_folder(command):
    """`compare` and `report` write into report/ by default: the README says so where it shows them."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith(("| `python run.py compare", "| `python run.py report")):
            assert "default `report/`" in line, line


@pytest.mark.parametrize("width", [80, 120, 200])
def test_runs_never_cuts_a_word(width):
    """`runs` folded "supreme_court.doctrine=control" into "...=contro" and "l", and dates into "2026-12-0" and "6"."""
    import io

    from rich.console import Console

    from reports import terminal

    rows = [{"run_id": "d0b0cdaa-06b6-5cc0-9009-e218b9e293c8",
             "scenario": "microsoft_ireland_2013@42 cloud_act.enacted=never supreme_court.doctrine=control",
             "label": "fork of microsoft_ireland_2013 matter b4fc5edf, after entry 42 (2018-02-27): "
                      "cloud_act.enacted=never, supreme_court.doctrine=control",
             "n": 2000, "seed": 3, "started": "2026-12-06T08:36:15+00:00", "finished": "incomplete (1,024 stored)"},
            {"run_id": "5065b141-27e8-538f-99cb-071c90fbe41b", "scenario": "microsoft_ireland_2013", "label": "",
             "n": 1, "seed": 0, "started": "2026-12-06T08:24:16+00:00", "finished": "2026-12-06T08:24:16+00:00"}]
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(terminal.runs_table(rows, width))
    shown = console.export_text()
    words = {w.strip(",") for r in rows for key in ("scenario", "label") for w in r[key].split()}
    for word in [*words, "2026-12-06 08:36:15", "incomplete (1,024 stored)", rows[0]["run_id"]]:
        assert word in shown, (word, shown)
    assert all(len(line) <= width for line in shown.splitlines())


def test_a_changed_country_keeps_no_real_judge_and_says_what_changed(command, tmp_path):
    """`--set data.country=...` kept the base title and the judges who sat on the real (Irish) matter."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    status, _, err = command("run", "microsoft_ireland_stochastic", "--set", "data.country=United Kingdom",
                             "--store", url)
    assert status == 0, err
    status, out, err = command("docket", "--latest", "--store", url)
    assert status == 0, err
    header = " ".join(out.split("=" * 10)[0].split())
    assert "(changed: data.country = United Kingdom)" in header
    for real in ("Francis", "Preska", "Lynch and Carney"):
        assert real not in out
    assert "Assigned to: a District Judge of the S.D.N.Y." in out


def test_the_help_says_which_numbering_after_entry_takes_and_both_json_shapes():
    commands = run.build_parser().commands
    flat = " ".join(commands["fork"].format_help().split())
    assert "`seq` of `docket --format json`, not the # column of a court's docket sheet" in flat
    flat = " ".join(commands["docket"].format_help().split())
    assert "json: an array of the entries; with --as-of an object {as_of, entries (that array), open_deadlines}" \
        in flat


def test_as_of_json_shape_is_the_one_the_readme_gives(command, stored):
    import json

    from tests.conftest import ROOT

    url, historical, _ = stored
    _, plain, _ = command("docket", historical.matter_ids[0], "--format", "json", "--store", url)
    _, dated, _ = command("docket", historical.matter_ids[0], "--format", "json", "--as-of", "2016-07-14",
                          "--store", url)
    assert isinstance(json.loads(plain), list)
    assert set(json.loads(dated)) == {"as_of", "entries", "open_deadlines"}
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert 'with `--as-of DATE` it prints an object instead: `{"as_of": DATE, "entries":' in readme


def test_a_timeline_without_a_warrant_does_not_count_from_one():
    from reports import charts
    from sim.views.projections import timeline

    store = open_store("memory://")
    result = record_run(store, scenarios.load("location_rule"), seed=1, replications=1)
    entries = timeline(store.matter_events(result.matter_ids[0]))
    assert entries[0]["event"] == "MLATRequestSent"
    fig = charts.case_timeline(entries, "location rule", scenario="location_rule", seed=1)
    said = " ".join(" ".join(t.get_text() for t in sub.texts) for sub in fig.subfigs).replace("\n", " ")
    assert "days from the first entry (no warrant was sought) to final disposition" in said
    assert "from the warrant" not in said


def test_the_viewers_lane_axis_marks_every_year_of_the_matter(stored):
    """The lane axis of the historical matter (2013-12-04 to 2018) showed 2013, 2015, ... but not 2014, whose
    first of January fell too near the start to be centred on its mark."""
    import re

    from reports import viewer

    url, historical, _ = stored
    page = viewer.matter_page(open_store(url), historical.matter_ids[0])
    axis = page.split('<div class="axis"')[1].split("</div>")[0]
    shown = [int(y) for y in re.findall(r">(\d{4})</span>", axis)]
    assert shown == list(range(2014, 2019))
    assert 'class="start" style="left: 1.' in axis  # 2014 set inside from its mark, near the start
