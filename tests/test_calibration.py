"""Stage durations from stored events (`run.py stages`) and the calibration report (`run.py calibrate`, the
report's section): the real case's stages where the record puts them, the recalibrated model's 5-95% band
around the real magistrate and district intervals, and the command contract on real stores."""

from __future__ import annotations

import csv
import io
import json

import pytest
from matplotlib.figure import Figure

from reports import charts
from reports.build import build_report
from reports.calibration import chart_stages
from sim import scenario as scenarios
from sim.runs.calibration import calibrate, inside_band
from sim.runs.runner import record_run
from sim.store import open_store
from sim.views.stages import STAGE_KEYS, STAGES, stage_rows, write_stages
from tests.conftest import cli

# sources §1: warrant 2013-12-04, ruling 2014-04-25, affirmed 2014-07-31, amended notice 2014-09-10, panel
# 2016-07-14, en banc denied 2017-01-24, petition 2017-06-23, grant 2017-10-16, per curiam 2018-04-17.
# The total runs to the final disposition, the dismissal on remand (sources §9.6): its date is approximate,
# after the per curiam's 1,595 days, the judgment's issue (R. 45.2) and the orders on remand.
RECORD = {"magistrate": 142, "district": 97, "circuit": 673, "rehearing": 194, "certiorari": 115, "merits": 183,
          "total": 1651}


@pytest.fixture(scope="module")
def calibrated():
    """The stochastic model at 1,000 replications and the historical matter, in one memory store."""
    store = open_store("memory://")
    historical = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    simulated = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=3, replications=1000)
    return store, calibrate(store, store.run(simulated.run_id), store.run(historical.run_id)), historical


@pytest.mark.slow
def test_the_real_cases_stages_from_its_stored_events(calibrated):
    store, _, historical = calibrated
    rows = stage_rows(store.matter_events(historical.matter_ids[0]))
    assert {r["stage"]: r["days"] for r in rows} == RECORD  # no MLAT request in the real case
    assert [r["stage"] for r in rows] == [s for s in STAGES if s in RECORD]
    assert rows[0] | {"matter_id": ""} == {"matter_id": "", "replication": 0, "stage": "magistrate",
                                           "start": "2013-12-04", "end": "2014-04-25", "days": 142}


def test_the_real_magistrate_and_district_intervals_fall_inside_the_simulated_band(calibrated):
    _, c, _ = calibrated
    by = {s.stage: s for s in c.stages}
    for stage in ("magistrate", "district"):
        assert inside_band(by[stage]), (stage, by[stage])
        assert 5 < by[stage].percentile < 95
    assert all(s.historical == RECORD.get(s.stage) for s in c.stages)
    assert by["mlat"].historical is None and by["mlat"].n > 0  # simulated, but the real case had no request


def test_the_published_statistics_stand_beside_their_stages(calibrated):
    _, c, _ = calibrated
    by = {s.stage: s for s in c.stages}
    sections = {s.stage: [p.section for p, _ in s.published] for s in c.stages}
    assert sections["circuit"] == ["sources §5b, §8.5"] * 2 and sections["mlat"] == ["sources §8.4"]
    assert "sources §8.5" in sections["merits"] and sections["certiorari"]
    grant = dict((p.answer, answer) for p, answer in by["certiorari"].published)
    assert grant["grant:government"].endswith("petitions") and "%" in grant["grant:government"]
    assert "mean" in dict((p.answer, a) for p, a in by["merits"].published)["argument_to_decision"]


def test_comity_challenges_under_the_cloud_act_rarely_reach_the_supreme_court():
    store = open_store("memory://")
    result = record_run(store, scenarios.load("cloud_act"), seed=3, replications=600)
    rows = [stage_rows(store.matter_events(m)) for m in result.matter_ids]
    petitions = sum(any(r["stage"] == "certiorari" for r in matter) for matter in rows)
    assert petitions / len(rows) < 0.02


def test_the_chart_shows_where_the_real_case_falls(calibrated):
    _, c, _ = calibrated
    fig = charts.where_the_real_case_falls(chart_stages(c), scenario=c.scenario, n=c.n, seed=c.seed)
    assert isinstance(fig, Figure) and fig.get_suptitle() == "Where does the real case fall?"
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "142 days, " in " ".join(texts) and any(t.startswith("§8.4: 10 months") for t in texts)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(ticks) == len(STAGES) and ticks[0].startswith("Magistrate judge")


@pytest.mark.slow
def test_the_report_has_a_calibration_section(calibrated, tmp_path):
    store, c, _ = calibrated
    index = build_report(store, [c.run_id], tmp_path)
    page = index.read_text(encoding="utf-8")
    assert 'id="calibration"' in page and "Where does the real case fall?" in page
    assert (tmp_path / "where-the-real-case-falls.png").exists() and "sources §8.4" in page


def test_write_stages_streams_rows_in_every_format():
    def matters():
        yield [{"matter_id": "m", "replication": 0, "stage": "magistrate", "start": "2013-12-04",
                "end": "2014-04-25", "days": 142}]
        yield []
        yield [{"matter_id": "n", "replication": 1, "stage": "total", "start": "2013-12-04", "end": "2014-01-01",
                "days": 28}]

    for fmt in ("text", "csv", "json"):
        out = io.StringIO()
        assert write_stages(matters(), fmt, out) == 2
    assert json.loads(out.getvalue())[1]["days"] == 28
    empty = io.StringIO()
    write_stages(iter([]), "json", empty)
    assert json.loads(empty.getvalue()) == []


@pytest.mark.slow
def test_stages_and_calibrate_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("run", "microsoft_ireland_2013", "--store", url, cwd=tmp_path).returncode == 0
    done = cli("stages", "--latest", "--format", "csv", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert tuple(rows[0]) == STAGE_KEYS and {r["stage"]: int(r["days"]) for r in rows} == RECORD
    run_id = open_store(url).latest_run_id()
    as_json = json.loads(cli("stages", run_id, "--format", "json", "--store", url, cwd=tmp_path).stdout)
    assert [r["stage"] for r in as_json] == list(RECORD)
    text = cli("stages", run_id, "--store", url, cwd=tmp_path).stdout.splitlines()
    assert text[0].split() == list(STAGE_KEYS) and text[1].split()[2:] == ["magistrate", "2013-12-04", "2014-04-25",
                                                                           "142"]
    out = tmp_path / "calibration"
    done = cli("calibrate", "-n", "40", "--seed", "2", "--out", str(out), "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "where the real case falls" in done.stdout and "magistrate" in done.stdout
    table = list(csv.DictReader((out / "calibration.csv").open(encoding="utf-8")))
    assert [r["stage"] for r in table] == list(STAGES) and table[0]["historical_days"] == "142"
    assert (out / "where-the-real-case-falls.svg").exists() and json.loads((out / "calibration.json").read_text())


@pytest.mark.parametrize(("args", "message"), [
    (["stages", "not-a-run"], "unknown run id"), (["stages"], "RUN_ID or --latest"),
    (["stages", "--latest", "--format", "xml"], "invalid choice"),
    (["calibrate", "no_such_scenario", "-n", "2"], "unknown scenario"),
    (["calibrate", "-n", "0"], "expected a whole number"),
])
@pytest.mark.slow
def test_bad_stages_and_calibrate_requests(tmp_path, args, message):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("run", "microsoft_ireland_2013", "--store", url, cwd=tmp_path).returncode == 0
    done = cli(*args, "--store", url, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_calibration_table_breaks_lines_instead_of_printing_backslash_n(calibrated):
    """Defect 19.12: a stage with two published statistics showed them joined by a literal "\\n"."""
    from rich.console import Console

    from reports import terminal

    _, c, _ = calibrated
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(terminal.calibration_table(c))
    shown = console.export_text()
    assert "\\n" not in shown
    circuit = [line for line in shown.splitlines() if "sources §5b, §8.5" in line]
    assert len(circuit) >= 2  # the circuit's two statistics, each on its own line
