"""Charts drawn from real runs, checked for what each one should show."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from reports import charts
from sim import __version__, colours
from sim import scenario as scenarios
from sim.runs.comparison import run_scenarios
from sim.store import open_store
from sim.views.projections import LEVELS, outcome_row, timeline
from tests.conftest import no_progress

SEED = 5
N = 100
THREE = ("microsoft_ireland_stochastic", "location_rule", "cloud_act")




def simulate(loaded: list, n: int = N, seed: int = SEED) -> tuple:
    """Run the scenarios into a memory store; rows rebuilt from the stored events, as a report would."""
    store = open_store("memory://")
    comparison = run_scenarios(store, loaded, seed=seed, n=n, jobs=1, out_dir=None, progress=no_progress)
    rows = {s.name: [outcome_row(store.matter_events(m)) for m in result.matter_ids]
            for s, result, _ in comparison.runs}
    return store, comparison, rows


def variants(folder, count: int, key: str = "refuses") -> list:
    """`count` scenarios extending the stochastic one, each with its own name and provider figure."""
    loaded = []
    for i in range(count):
        path = folder / f"variant_{i}.toml"
        path.write_text(f'[scenario]\nextends = "microsoft_ireland_stochastic"\nname = "variant_{i}"\n'
                        f'title = "Variant {i}"\ndescription = "provider.{key} = {0.2 + 0.1 * i:.1f}"\n\n'
                        f"[provider]\n{key} = {0.2 + 0.1 * i:.1f}\n")
        loaded.append(scenarios.load(str(path)))
    return loaded


@pytest.fixture(scope="module")
def three():
    return simulate([scenarios.load(name) for name in THREE])


@pytest.fixture(scope="module")
def eight(tmp_path_factory):
    return simulate(variants(tmp_path_factory.mktemp("eight"), 8), n=60)


@pytest.fixture(scope="module")
def historical_entries():
    store, comparison, _ = simulate([scenarios.load("microsoft_ireland_2013")], n=1, seed=0)
    return timeline(store.matter_events(comparison.runs[0][1].matter_ids[0]))


def rows_of(fixture) -> dict:
    return fixture[2]


def legend_texts(fig: Figure) -> list[str]:
    legends = [leg for f in (fig, *fig.subfigs) for leg in f.legends]
    legends += [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert legends, "the chart has no legend"
    return [t.get_text() for leg in legends for t in leg.get_texts()]


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and
                                                        not isinstance(a, Line2D)))


def assert_frame(fig: Figure, names: list[str], n_text: str | None = None) -> None:
    """Question title, footer naming scenarios, n, seed and version, labelled axes with units."""
    assert fig.get_suptitle().endswith("?")
    text = all_text(fig)
    assert f"docketsim {__version__}" in text
    footer = " ".join(text.split())
    for name in names:
        assert name in footer
    if n_text:
        assert n_text in footer
    for ax in fig.axes:
        if ax.get_visible() and ax.get_xlabel():
            assert "(" in ax.get_xlabel() or "date" in ax.get_xlabel().lower()


def hexes(colours) -> list[str]:
    return [to_hex(c) for c in colours]


def test_every_row_has_one_ending_and_known_paths_end_where_expected(three):
    rows = rows_of(three)
    for scenario_rows in rows.values():
        assert {charts.ending(r) for r in scenario_rows} <= set(charts.ENDINGS)
    assert {charts.ending(r) for r in rows["location_rule"]} <= {"disclosed via MLAT", "not disclosed"}
    mooted = [r for r in rows["microsoft_ireland_stochastic"] if r["mooted"] and r["disclosed"]]
    assert mooted, "the stochastic scenario should moot some replications (CLOUD Act in 2018)"
    assert {charts.ending(r) for r in mooted} == {"disclosed via new warrant after legislation"}
    with pytest.raises(ValueError, match="unknown disclosure route"):
        charts.ending({"disclosed": True, "route": "carrier pigeon", "final_disposition": "", "mooted": False})


def test_time_to_disclosure_has_a_curve_per_scenario_the_never_disclosed_share_and_the_1595_day_line(three):
    rows = rows_of(three)
    titles = {"location_rule": "Location rule binds"}
    fig = charts.time_to_disclosure(rows, seed=SEED, titles=titles)
    ax = fig.axes[0]
    curves = [line for line in ax.get_lines() if line.get_label() in rows]
    assert len(curves) == len(rows)
    labels = [" ".join(text.split()) for text in legend_texts(fig)]
    for name, scenario_rows in rows.items():
        never = sum(r["days_to_disclosure"] is None for r in scenario_rows) / len(scenario_rows)
        assert f"{titles.get(name, name)} (never disclosed: {never:.0%})" in labels  # legends show titles
        curve = next(line for line in curves if line.get_label() == name)
        assert curve.get_ydata()[-1] == pytest.approx(1 - never)  # the plateau is the share disclosed
    marker = [line for line in ax.get_lines() if list(line.get_xdata()) == [1595, 1595]]
    assert marker, "no vertical line at 1,595 days"
    mark = next(label for label in labels if "1,595" in label)
    assert "warrant to the Supreme Court's disposition" in mark and "not a disclosure date" in mark
    assert "(days)" in ax.get_xlabel() and "(%)" in ax.get_ylabel()
    assert any("years" in child.get_xlabel() for child in ax.child_axes)
    assert_frame(fig, list(rows), f"n = {N:,} replications per scenario")
    assert f"seed {SEED}" in all_text(fig)


def test_how_matters_end_stacks_every_category_to_the_whole(three):
    rows = rows_of(three)
    fig = charts.how_matters_end(rows, seed=SEED)
    ax = fig.axes[0]
    stacks = [c for c in ax.containers if isinstance(c, BarContainer)]
    used = [e for e in charts.ENDINGS if any(charts.ending(r) == e for rs in rows.values() for r in rs)]
    assert len(used) < len(charts.ENDINGS), "these scenarios should leave some ending unused"
    assert [c.get_label() for c in stacks] == used  # an ending no scenario has gets no bar
    assert all(len(c.patches) == len(rows) for c in stacks)
    totals = np.sum([[p.get_width() for p in c.patches] for c in stacks], axis=0)
    assert totals == pytest.approx(np.ones(len(rows)))
    for c in stacks:
        assert to_hex(c.patches[0].get_facecolor()) == to_hex(charts.ENDING_COLOURS[c.get_label()])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(rows)
    assert [t for t in legend_texts(fig) if t != "How the matter ended"] == used  # and no legend entry
    assert "(%)" in ax.get_xlabel()
    assert_frame(fig, list(rows))


def test_how_far_has_a_bar_group_per_scenario_with_the_share_reaching_each_level(three):
    rows = rows_of(three)
    fig = charts.how_far(rows, seed=SEED)
    ax = fig.axes[0]
    groups = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [g.get_label() for g in groups] == list(rows)
    for group, scenario_rows in zip(groups, rows.values(), strict=True):
        expected = [sum(level in r["reached"] for r in scenario_rows) / len(scenario_rows) for level in LEVELS]
        assert [p.get_height() for p in group.patches] == pytest.approx(expected)
    assert list(rows) == [t for t in legend_texts(fig) if t in rows]
    assert "(%)" in ax.get_ylabel()
    assert_frame(fig, list(rows))


def test_paired_differences_plots_each_pair_with_its_interval_and_skips_unpaired_ones(three):
    pairs = three[1].summary["paired_differences"]
    unpaired = {"scenario": "elsewhere", "baseline": pairs[0]["baseline"], "note": "not paired"}
    fig = charts.paired_differences([*pairs, unpaired], n=N, seed=SEED, titles={"cloud_act": "CLOUD Act"})
    left, middle, right = fig.axes[:3]
    for ax, keys, scale in ((left, ["p_disclosed"], 100), (middle, ["p_disclosed_within_365", "p_disclosed_within_730"],
                                                            100), (right, ["restricted_mean_days"], 1)):
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(bars) == len(pairs) * len(keys)
        expected = [pair[key]["estimate"] * scale for key in keys for pair in pairs]
        assert [bar.lines[0].get_xdata()[0] for bar in bars] == pytest.approx(expected)
        assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines()), "no zero line"
        assert "(" in ax.get_xlabel()
    assert [t.get_text() for t in left.get_yticklabels()] == ["location_rule", "CLOUD Act"]  # titles; no "elsewhere"
    assert "against the baseline, microsoft_ireland_stochastic" in " ".join(fig.get_suptitle().split())
    assert_frame(fig, ["microsoft_ireland_stochastic", "location_rule", "cloud_act"], f"n = {N}")


def test_the_same_scenario_has_the_same_colour_in_every_chart(three):
    rows = rows_of(three)
    expected = {name: colours.colour(name) for name in rows}
    cdf = charts.time_to_disclosure(rows).axes[0]
    far = charts.how_far(rows).axes[0]
    forest = charts.paired_differences(three[1].summary["paired_differences"]).axes[0]
    for name, colour in expected.items():
        line = next(x for x in cdf.get_lines() if x.get_label().startswith(name))
        bars = next(c for c in far.containers if c.get_label() == name)
        assert to_hex(line.get_color()) == colour
        assert hexes(p.get_facecolor() for p in bars.patches) == [colour] * len(LEVELS)
        if name != "microsoft_ireland_stochastic":  # the baseline has no difference with itself
            point = next(c for c in forest.containers if c.get_label() == name)
            assert to_hex(point.lines[0].get_color()) == colour


def test_sensitivity_plots_both_measures_against_the_swept_value(tmp_path):
    loaded = variants(tmp_path, 3)
    points = []
    for i, scenario in enumerate(loaded):
        _, comparison, _ = simulate([scenario], n=60)
        points.append((0.2 + 0.1 * i, comparison.summary["runs"][0]))
    fig = charts.sensitivity(list(reversed(points)), "provider.refuses", "probability", colour="#332288")
    top, middle, bottom = fig.axes[:3]
    for ax, measures in ((top, ["p_disclosed", "p_disclosed_within_730"]), (middle, ["restricted_mean_days"]),
                         (bottom, ["median_days"])):
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(bars) == len(measures)
        for bar, measure in zip(bars, measures, strict=True):
            xs, ys = bar.lines[0].get_data()
            assert list(xs) == pytest.approx([0.2, 0.3, 0.4])  # sorted by value
            assert list(ys) == pytest.approx([s[measure]["estimate"] for _, s in points])
            assert bar.has_yerr and to_hex(bar.lines[0].get_color()) == "#332288"
    assert bottom.get_xlabel() == "provider.refuses (probability)"
    assert "(%)" in top.get_ylabel() and "among" in bottom.get_ylabel() and "restricted" in middle.get_ylabel().lower()
    legend = fig.subfigs[0].legends[0]  # below the panels: it covers no whisker
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    assert not any(legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
    assert "provider.refuses" in fig.get_suptitle()
    assert_frame(fig, [s.name for s in loaded], "n = 60")


def _labels(fig: Figure) -> list[Annotation]:
    return [a for a in fig.axes[0].texts if isinstance(a, Annotation)]


def test_case_timeline_of_the_historical_case(historical_entries):
    fig = charts.case_timeline(historical_entries, "Microsoft Ireland", scenario="microsoft_ireland_2013", seed=0)
    ax = fig.axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    for court in ("Magistrate judge", "District court", "Court of appeals", "Supreme Court", "Congress",
                  "Foreign authority"):
        assert court in lanes
    labels = " | ".join(a.get_text().replace("\n", " ") for a in _labels(fig))
    for expected in ("Motion ruled: denied 25 Apr 2014", "Objection ruled: affirmed 31 Jul 2014",
                     "Panel decision: reversed 14 Jul 2016", "Rehearing: denied 24 Jan 2017",
                     "Certiorari: granted 16 Oct 2017", "CLOUD Act enacted 23 Mar 2018",
                     "Final disposition: dismissed as moot 12 Jun 2018", "Data disclosed 24 Apr 2018"):
        assert expected in labels
    bars = [p for c in ax.containers for p in c.patches]
    assert len(bars) == 5  # magistrate, district, circuit, Supreme Court, Congress: no MLAT in the real case
    circuit = next(p for p in bars if p.get_y() + p.get_height() / 2 == lanes[::-1].index("Court of appeals"))
    assert mdates.num2date(circuit.get_x()).date() == dt.date(2014, 9, 10)
    remanded = next(e for e in historical_entries if e["event"] == "OrderOnRemand" and e["court_level"] == "circuit")
    assert mdates.num2date(circuit.get_x() + circuit.get_width()).date() == dt.date.fromisoformat(remanded["date"])
    low, high = (mdates.num2date(x).date() for x in ax.get_xlim())
    assert low < dt.date(2013, 12, 4) and high > dt.date(2018, 4, 24)
    assert ax.get_xlabel() == "Calendar date"
    assert legend_texts(fig)
    assert_frame(fig, ["microsoft_ireland_2013"], f"{len(historical_entries)} docket entries")
    text = " ".join(all_text(fig).split())
    assert "1,595 days from the warrant to the Supreme Court's disposition" in text and "1,602" not in text
    assert charts.days_to_final_disposition(historical_entries) == charts.HISTORICAL_DAYS == 1595


def test_timeline_labels_stay_inside_the_figure_and_do_not_overlap(historical_entries):
    fig = charts.case_timeline(historical_entries, "Microsoft Ireland")
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    boxes = [a.get_window_extent(renderer) for a in _labels(fig)]
    width, height = fig.bbox.width, fig.bbox.height
    for i, box in enumerate(boxes):
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height
        for other in boxes[i + 1:]:
            assert not box.overlaps(other), "two timeline labels overlap"


def test_case_timeline_of_a_simulated_replication(three):
    store, _, rows = three
    stochastic = rows["microsoft_ireland_stochastic"]
    en_banc = next((r for r in stochastic if "en_banc" in r["reached"]), None)
    row = en_banc or stochastic[0]
    matter = timeline(store.matter_events(row["matter_id"]))
    fig = charts.case_timeline(matter, "a replication", scenario="microsoft_ireland_stochastic", colour="#009e73")
    ax = fig.axes[0]
    marks = ax.collections[0].get_offsets()
    assert len(marks) == len(matter)  # a tick per docket entry
    lanes = {round(y) for _, y in marks}
    assert lanes <= set(range(len(charts.LANES)))
    if en_banc:  # en banc entries sit in the circuit's lane
        circuit = len(charts.LANES) - 1 - [code for code, _ in charts.LANES].index("circuit")
        en_banc_marks = [m for m, e in zip(marks, matter, strict=True) if e["court_level"] == "en_banc"]
        assert all(round(y) == circuit for _, y in en_banc_marks)
    assert hexes(p.get_facecolor()[:3] for c in ax.containers for p in c.patches) == \
        ["#009e73"] * len([p for c in ax.containers for p in c.patches])
    empty = charts.case_timeline([], "nothing")
    assert "no docket entries" in all_text(empty)


@pytest.mark.slow
@pytest.mark.parametrize("count", [1, 8])
def test_charts_stay_readable_with_one_and_with_eight_scenarios(count, three, eight):
    rows = dict(list(rows_of(three).items())[:1]) if count == 1 else rows_of(eight)
    pairs = [] if count == 1 else eight[1].summary["paired_differences"]
    figures = [charts.time_to_disclosure(rows), charts.how_matters_end(rows), charts.how_far(rows)]
    if pairs:
        figures.append(charts.paired_differences(pairs))
    assert len({*charts.palette(rows).values()}) == count  # eight scenarios, eight distinct colours
    far = figures[2].axes[0]
    assert len([c for c in far.containers if isinstance(c, BarContainer)]) == count
    assert len([text for text in legend_texts(figures[0]) if "never disclosed" in text]) == count
    in_legend = [list(rows), [], list(rows), []]  # how_matters_end, paired differences: scenarios on the y axis
    for fig, names in zip(figures, in_legend, strict=False):
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        texts = " ".join(legend_texts(fig))
        assert all(name in texts for name in names)
        footer = next(t for sub in fig.subfigs for t in sub.texts if "docketsim" in t.get_text())
        foot = footer.get_window_extent(renderer)
        assert foot.x1 <= fig.bbox.width and foot.y0 >= 0
        obstacles = [leg.get_window_extent(renderer) for f in (fig, *fig.subfigs) for leg in f.legends]
        obstacles += [ax.get_tightbbox(renderer) for ax in fig.axes]
        assert not any(foot.overlaps(box) for box in obstacles), "the footer runs into the chart"
        assert_frame(fig, list(rows))


@pytest.mark.slow
def test_save_writes_a_png_and_an_svg(tmp_path, three):
    png, svg = charts.save(charts.how_far(rows_of(three)), tmp_path / "out", "how-far")
    assert png == tmp_path / "out" / "how-far.png" and svg == tmp_path / "out" / "how-far.svg"
    pixels = imread(png)
    assert pixels.shape[1] == 1500  # 10 inches at 150 dpi
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 10
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    again = charts.save(charts.how_far(rows_of(three)), tmp_path / "again", "how-far")
    assert again[0].read_bytes() == png.read_bytes() and again[1].read_bytes() == svg.read_bytes()


@pytest.mark.slow
def test_scenario_text_with_dollar_signs_is_shown_as_written(three, tmp_path):
    """A `$` pair in a name would be parsed as mathtext (and `$\\frac$` would fail to draw)."""
    name = r"costs $\frac$ more"
    rows = {name: next(iter(rows_of(three).values()))}
    for fig in (charts.time_to_disclosure(rows), charts.how_matters_end(rows), charts.how_far(rows)):
        charts.save(fig, tmp_path, "dollars")  # draws every text
        assert r"costs \$\frac\$ more" in all_text(fig)


def test_sensitivity_places_numeric_text_in_order_and_other_values_as_categories(three):
    summaries = three[1].summary["runs"]
    fig = charts.sensitivity(list(zip(["400", "120", "1000"], summaries, strict=True)),
                             "foreign_authority.mlat_response_after.median", "days")
    bar = next(c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer))
    assert list(bar.lines[0].get_xdata()) == [120, 400, 1000]
    assert list(bar.lines[0].get_ydata()) == pytest.approx([summaries[i]["p_disclosed"]["estimate"] for i in (1, 0, 2)])
    fig = charts.sensitivity(list(zip(["location", "control", "mixed"], summaries, strict=True)),
                             "court_of_appeals.doctrine", "doctrine")
    assert [t.get_text() for t in fig.axes[2].get_xticklabels()] == ["location", "control", "mixed"]
