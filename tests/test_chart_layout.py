"""Layout that cannot regress: every chart kind, drawn from real runs with hostile-but-realistic inputs (long fork
names and titles, ten scenarios, one scenario, sweeps of many values, forks and typical matters on the timeline),
keeps all its text inside the figure, and no two pieces of text overlap."""

from __future__ import annotations

import itertools
from unittest import mock

import attrs
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from reports import charts
from sim import scenario as scenarios
from sim.runs.comparison import run_scenarios
from sim.runs.runner import record_run, source_entries
from sim.store import open_store
from sim.views.projections import outcome_row, timeline
from tests.conftest import no_progress

REGIMES = ("microsoft_ireland_stochastic", "location_rule", "control_rule", "cloud_act",
           "cloud_act_executive_agreement", "provider_complies")
LONG = {  # forks and sweeps name their runs like this; recipes give them titles
    "microsoft_ireland_2013@27 cloud_act.enacted=never supreme_court.doctrine=location":
        "Had the Supreme Court ruled: location rule",
    "microsoft_ireland_2013@27 cloud_act.enacted=never supreme_court.doctrine=control":
        "Had the Supreme Court ruled: control rule",
    "microsoft_ireland_2013@24 cloud_act.enacted=never": "Had the Supreme Court ruled: control rule",  # a shared title
    "a_scenario_name_with_no_spaces_at_all_that_an_analyst_might_really_write_for_the_legend": "",
}




def renamed(scenario, name: str, title: str):
    about = attrs.evolve(scenario.scenario, name=name, title=title or scenario.scenario.title)
    return attrs.evolve(scenario, scenario=about, tables={**scenario.tables, "scenario": {"name": name}})


@pytest.fixture(scope="module")
def played():
    """Ten real runs (the regimes and four long-named variants), the historical matter and a fork of it."""
    store = open_store("memory://")
    stochastic = scenarios.load("microsoft_ireland_stochastic")
    loaded = [scenarios.load(name) for name in REGIMES]
    loaded += [renamed(scenarios.with_settings(stochastic, [("provider.refuses", f"{0.5 + i / 10}")]), name, title)
               for i, (name, title) in enumerate(LONG.items())]
    comparison = run_scenarios(store, loaded, seed=2, n=40, jobs=1, out_dir=None, progress=no_progress)
    rows = {s.name: [outcome_row(store.matter_events(m)) for m in result.matter_ids]
            for s, result, _ in comparison.runs}
    titles = {s.name: s.scenario.title for s in loaded}
    historical = scenarios.load("microsoft_ireland_2013")
    matter = record_run(store, historical, seed=0).matter_ids[0]
    fork = renamed(scenarios.with_settings(historical, [("cloud_act.enacted", "never")]), next(iter(LONG)), "")
    cut = store.version_on(matter, scenarios.dt.date(2017, 1, 24))
    (_, forked, _), = run_scenarios(store, [fork], seed=3, n=2, jobs=1, out_dir=None, progress=no_progress,
                                    fork=source_entries(store, matter, cut)).runs
    timelines = {"historical": timeline(store.matter_events(matter)),
                 "fork": timeline(store.matter_events(forked.matter_ids[0]))}
    for s, result, tally in comparison.runs[:len(REGIMES)]:
        median = tally.median_replication()
        timelines[s.name] = timeline(store.matter_events(result.matter_ids[median]))
        timelines[f"{s.name} (first)"] = timeline(store.matter_events(result.matter_ids[0]))
    return rows, titles, comparison.summary, timelines


def drawn_text(fig: Figure) -> list[tuple[Text, object]]:
    """Every piece of text the figure really draws (tick labels, legends, titles, annotations, footer), with
    its box in pixels."""
    drawn = []
    draw = Text.draw

    def recording(self, renderer):
        draw(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    with mock.patch.object(Text, "draw", recording):
        fig.draw(fig.canvas.get_renderer())
    return drawn


def layout_problems(fig: Figure) -> list[str]:
    texts = drawn_text(fig)
    assert texts, "nothing was drawn"
    width, height = fig.bbox.width, fig.bbox.height
    problems = [f"outside the figure: {t.get_text()!r}" for t, box in texts
                if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5]
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        across = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        up = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if across > 0.5 and up > 0.5:
            problems.append(f"overlap: {a.get_text()!r} and {b.get_text()!r}")
    return problems


def few(rows: dict, count: int) -> dict:
    return dict(list(rows.items())[:count])


@pytest.mark.slow
@pytest.mark.parametrize("count", [1, 3, 10])
@pytest.mark.parametrize("kind", ["time_to_disclosure", "how_matters_end", "how_far"])
def test_result_charts_keep_their_text_apart_and_inside(played, kind, count):
    rows, titles, _, _ = played
    chosen = few(rows, count) if count < 10 else dict(reversed(list(rows.items())))  # long names first
    fig = getattr(charts, kind)(chosen, seed=[1, 2, 3], titles=titles)
    assert layout_problems(fig) == []


@pytest.mark.parametrize("count", [1, 9])
def test_paired_differences_keep_their_text_apart_and_inside(played, count):
    _, titles, summary, _ = played
    pairs = summary["paired_differences"][-count:]  # the long names are last
    fig = charts.paired_differences(pairs, n=[40, 60], seed=2, titles=titles)
    assert layout_problems(fig) == []


@pytest.mark.parametrize("values", [
    [str(v) for v in (30, 60, 90, 120, 180, 270, 400, 600, 900, 1400)],
    ["location", "control", "{ location = 0.5 }", "an executive agreement with the United Kingdom in force"],
])
def test_sensitivity_keeps_its_text_apart_and_inside(played, values):
    _, _, summary, _ = played
    runs = summary["runs"]
    points = [(value, runs[i % len(runs)]) for i, value in enumerate(values)]
    fig = charts.sensitivity(points, "foreign_authority.mlat_response_after.median", "days",
                             title="microsoft_ireland_2013@27 cloud_act.enacted=never supreme_court.doctrine=location")
    assert layout_problems(fig) == []


@pytest.mark.slow
def test_timelines_keep_their_labels_apart_and_inside(played):
    *_, timelines = played
    for name, matter in timelines.items():
        fig = charts.case_timeline(matter, f"{name}: a matter told court by court", scenario=name, seed=2)
        assert layout_problems(fig) == [], name


def test_the_checker_sees_text_outside_and_overlapping():
    """The checker itself: a label hung off the edge, and two labels on top of each other."""
    fig = charts.how_far({"x": []})
    ax = fig.axes[0]
    ax.text(0.5, 0.5, "one label", transform=ax.transAxes)
    ax.text(0.5, 0.5, "one label", transform=ax.transAxes)
    fig.text(0.99, 0.5, "a label that runs off the right edge of the figure")
    problems = layout_problems(fig)
    assert any(p.startswith("overlap: 'one label'") for p in problems)
    assert any(p.startswith("outside the figure: 'a label that runs off") for p in problems)


@pytest.fixture(scope="module")
def real_report(tmp_path_factory):
    """Every figure a real report draws (`reports.build.build_report` of the bundled regimes and the historical
    matter, as `compare` makes it), caught as it is saved: (stem, figure)."""
    from reports.build import build_report

    store = open_store("memory://")
    record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0)
    comparison = run_scenarios(store, [scenarios.load(name) for name in REGIMES], seed=2, n=30, jobs=1,
                               out_dir=None, progress=no_progress)
    saved = []
    real_save = charts.save

    def keeping(fig, out_dir, stem):
        saved.append((stem, fig))
        return real_save(fig, out_dir, stem)

    with mock.patch.object(charts, "save", keeping):
        build_report(store, [result.run_id for _, result, _ in comparison.runs], tmp_path_factory.mktemp("report"))
    return saved


@pytest.mark.slow
def test_every_chart_of_a_real_report_keeps_its_text_inside_and_apart(real_report):
    """Issue 19.5: the timelines' subtitles ran off the figure in a real report while the charts drawn here
    with short titles passed."""
    stems = [stem for stem, _ in real_report]
    assert sum(stem.startswith("timeline-") for stem in stems) >= len(REGIMES)
    assert { "time-to-disclosure", "how-matters-end", "how-far", "paired-differences",
            "where-the-real-case-falls"} <= set(stems)
    problems = {stem: layout_problems(fig) for stem, fig in real_report}
    assert {stem: found for stem, found in problems.items() if found} == {}
