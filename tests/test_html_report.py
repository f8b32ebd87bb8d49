"""The HTML report built from real runs: its files, its escaping, and a real headless Chromium opening it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from reports import charts
from reports.html import write_report
from sim import scenario as scenarios
from sim.runs.comparison import run_scenarios
from sim.store import open_store
from sim.views.projections import entries, outcome_row
from tests.conftest import no_progress, system_tool

SEED = 3
N = 60
BROWSER_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL_TITLE = '<script>alert(1)</script> & "quoted"'




def scenario_file(folder: Path, name: str, title: str, refuses: float, description: str = "A variant.") -> str:
    path = folder / f"{name}.toml"
    path.write_text(f'[scenario]\nextends = "microsoft_ireland_stochastic"\nname = "{name}"\n'
                    f"title = '{title}'\ndescription = '{description}'\n\n[provider]\nrefuses = {refuses}\n")
    return str(path)


def play(store, loaded: list, n: int = N, seed: int = SEED) -> tuple[list, list]:
    comparison = run_scenarios(store, loaded, seed=seed, n=n, jobs=1, out_dir=None, progress=no_progress)
    runs = []
    for (scenario, result, tally), summary in zip(comparison.runs, comparison.summary["runs"], strict=True):
        rows = [outcome_row(store.matter_events(m)) for m in result.matter_ids]
        runs.append({"scenario": scenario, "summary": summary, "rows": rows,
                     "median": result.matter_ids[tally.median_replication()]})
    return runs, comparison.summary["paired_differences"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """A report of three scenarios (one with markup in its title and description), the historical docket,
    median-replication timelines and a three-point sweep, all from real runs."""
    folder = tmp_path_factory.mktemp("scenarios")
    store = open_store("memory://")
    loaded = [scenarios.load("microsoft_ireland_stochastic"), scenarios.load("cloud_act"),
              scenarios.load(scenario_file(folder, "evil", EVIL_TITLE, 0.5, "<b>not bold</b> & <img src=x>"))]
    runs, pairs = play(store, loaded)
    timelines = {}
    for run in runs:
        timelines[run["scenario"].name] = entries(store.matter_events(run["median"]))
    timelines["cloud_act"] = []  # a scenario may come without a timeline
    historical, _ = play(store, [scenarios.load("microsoft_ireland_2013")], n=1, seed=0)
    docket = entries(store.matter_events(historical[0]["rows"][0]["matter_id"]))
    points = []
    for refuses in (0.3, 0.6, 0.9):
        swept = scenarios.load(scenario_file(folder, f"refuses_{refuses}", "sweep", refuses))
        (run,), _ = play(open_store("memory://"), [swept], n=40)
        points.append((refuses, run["summary"]))
    out = tmp_path_factory.mktemp("report")
    index = write_report(out, runs=runs, pairs=pairs, historical_entries=docket, timelines=timelines, seed=SEED,
                         n=N, sweep={"key": "provider.refuses", "scenario": "evil", "points": points})
    return {"index": index, "out": out, "html": index.read_text(encoding="utf-8"), "runs": runs, "docket": docket}


class Page(HTMLParser):
    """The tags and attributes of a page, and the text of each table."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


EXPECTED_CHARTS = ("timeline-historical", "timeline-1-microsoft-ireland-stochastic", "timeline-3-evil",
                   "time-to-disclosure", "how-matters-end", "how-far", "paired-differences",
                   "sensitivity-provider-refuses")


@pytest.mark.slow
def test_every_chart_is_written_as_png_and_svg_and_shown_on_the_page(report):
    out = report["out"]
    assert report["index"] == out / "index.html"
    for stem in EXPECTED_CHARTS:
        assert (out / f"{stem}.png").stat().st_size > 10_000
        assert (out / f"{stem}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert not list(out.glob("timeline-2-*")), "an empty timeline makes no chart"
    page = Page(report["html"])
    images = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert sorted(images) == sorted(f"{stem}.png" for stem in EXPECTED_CHARTS)
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").endswith(".svg")]
    assert sorted(links) == sorted(f"{stem}.svg" for stem in EXPECTED_CHARTS)
    assert all(attrs.get("alt", "").endswith("?") for tag, attrs in page.tags if tag == "img")


def test_the_page_needs_no_server_and_no_network(report):
    page = Page(report["html"])
    for tag, attrs in page.tags:
        assert tag != "script"
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert "://" not in value and not value.startswith("//"), f"<{tag} {key}={value}> reaches out"
            if value and not value.startswith(("#", "data:")):
                assert (report["out"] / value).exists(), f"{value} is missing"
    assert "@import" not in report["html"] and "url(" not in report["html"]


def test_text_from_scenario_files_is_escaped(report):
    text = report["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;" in text
    assert "<script" not in text
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in text
    assert "<b>" not in text and "<img src=x" not in text


def _percent(e: dict) -> str:
    return f"{e['estimate'] * 100:.1f} ({e['low'] * 100:.1f}\u2013{e['high'] * 100:.1f})"


def test_the_summary_tables_give_each_scenario_its_estimates_and_intervals(report):
    tables = Page(report["html"]).tables
    timing = next(t for t in tables if t[0][:3] == ["Scenario", "n", "P(disclosed), %"])
    assert timing[0][3:] == ["P(disclosed within 1 year), %", "P(disclosed within 2 years), %",
                             "Restricted mean days to disclosure (1,825-day horizon)",
                             "Median days to disclosure, among disclosed matters",
                             "90th percentile days, among disclosed matters"]
    assert [row[0] for row in timing[1:]] == [run["scenario"].name for run in report["runs"]]
    for row, run in zip(timing[1:], report["runs"], strict=True):
        s = run["summary"]
        assert row[1] == str(N)
        assert row[2:5] == [_percent(s[key]) for key in ("p_disclosed", "p_disclosed_within_365",
                                                         "p_disclosed_within_730")]
        for cell, key in zip(row[5:], ("restricted_mean_days", "median_days", "p90_days"), strict=True):
            assert cell.startswith(f"{s[key]['estimate']:,.0f} (")
    courts = next(t for t in tables if t[0][:2] == ["Scenario", "Magistrate judge"])
    assert len(courts[0]) == 9 and len(courts) == len(report["runs"]) + 1
    for row, run in zip(courts[1:], report["runs"], strict=True):
        s = run["summary"]
        assert row[6:] == [f"{s['p_held_in_contempt']:.1%}", f"{s['p_ended_in_contempt']:.1%}", f"{s['p_mooted']:.1%}"]
    paired = next(t for t in tables if t[0][0] == "Scenario" and "Change in P(disclosed)" in t[0][1])
    assert [row[0] for row in paired[1:]] == ["cloud_act", "evil"]
    assert "not paired" in paired[0][-1]  # the difference of medians says what it is


def test_the_summary_lists_each_swept_value_with_its_run(report):
    tables = Page(report["html"]).tables
    sweep = next(t for t in tables if t[0][:3] == ["provider.refuses", "Run", "n"])
    assert [row[0] for row in sweep[1:]] == ["0.3", "0.6", "0.9"]
    assert all(len(row[1]) == 36 for row in sweep[1:])  # the run ids
    assert "3 scenarios, 3 values of provider.refuses" in report["html"]


def test_each_scenario_shows_its_title_description_and_every_figure_with_its_basis(report):
    tables = Page(report["html"]).tables
    figure_tables = [t for t in tables if t[0] == ["Key", "Value", "Source or assumption"]]
    assert len(figure_tables) == len(report["runs"])
    for table, run in zip(figure_tables, report["runs"], strict=True):
        figures = list(run["scenario"].figures())
        assert [row[0] for row in table[1:]] == [key for key, _ in figures]
        assert [row[1] for row in table[1:]] == [figure.describe() for _, figure in figures]
        assert all(row[2].startswith(("source: ", "assumption: ", "undocumented")) for row in table[1:])
    assert "Microsoft Ireland replayed" in report["html"]


def test_the_historical_docket_sheet_lists_every_entry(report):
    docket = report["docket"]
    table = next(t for t in Page(report["html"]).tables if t[0] == ["Date", "Court", "#", "Docket text", "Rule"])
    assert len(table) == len(docket) + 1
    first_ruling = next(row for row in table if row[0] == "04/25/2014")  # numbered after Dkt. 10 (sources §6)
    assert first_ruling[2] == "11"  # as the docket sheet writes it, the order signed by its judge
    assert first_ruling[3].startswith("MEMORANDUM AND ORDER by Magistrate Judge James C. Francis IV DENYING")
    assert any(row[0] == "04/17/2018" and "moot" in row[3].lower() for row in table)
    assert not any(re.search(r"\b\d{4}-\d{2}-\d{2}\b", " ".join(row)) for row in table[1:])  # no ISO date left
    text = " ".join(report["html"].split())
    assert "1,595 days passed from the warrant" in text and "not a disclosure date" in text


def _browser():
    """Playwright driving Debian's Chromium (no browser download); a test without them fails in CI and is
    skipped elsewhere, saying what to install."""
    chromium = system_tool("chromium", "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs the Python package playwright: pip install -e '.[test]'", pytrace=False)
    return sync_playwright, chromium


@pytest.mark.slow
def test_the_report_opens_in_headless_chromium_from_disk(report, tmp_path):
    sync_playwright, chromium = _browser()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto(report["index"].as_uri(), wait_until="load")
            images = page.evaluate("Array.from(document.images, i => [i.getAttribute('src'), i.complete, "
                                   "i.naturalWidth])")
            title = page.title()
            escaped = page.locator("h3", has_text="alert(1)").first.inner_text()
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert len(images) == len(EXPECTED_CHARTS)
    assert all(complete and width > 0 for _, complete, width in images), images
    assert title.startswith("docketsim report")
    assert EVIL_TITLE in escaped  # shown as text, not run
    pixels = imread(shot)
    assert pixels.shape[0] > 3000  # the whole page: tables, charts, docket
    assert float(pixels.std()) > 0.05
    assert len(np.unique(pixels[::7, ::7].reshape(-1, pixels.shape[-1]), axis=0)) > 50



@pytest.mark.slow
def test_the_page_fits_a_phone_and_a_wide_screen_without_horizontal_overflow(report, tmp_path):
    """At 400 px the page scrolls only inside its wide tables; at 1,400 px nothing scrolls at all."""
    sync_playwright, chromium = _browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            measured = {}
            for width in (400, 1400):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(report["index"].as_uri(), wait_until="load")
                measured[width] = page.evaluate("""() => ({
                    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
                    clipped: Array.from(document.querySelectorAll('.scroll'))
                        .filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.querySelector('table').id)})""")
                page.screenshot(path=str(tmp_path / f"page-{width}.png"))
                page.close()
        finally:
            browser.close()
    for width, m in measured.items():
        scroll, client = m["page"]
        assert scroll <= client, f"the page is {scroll} px wide in a {width} px window"
    assert measured[1400]["clipped"] == [], "a table needs scrolling at 1,400 px"


@pytest.mark.slow
def test_a_report_of_runs_with_different_seeds_and_sizes_and_nothing_else(report, tmp_path):
    index = write_report(tmp_path, runs=report["runs"][:1], pairs=[], historical_entries=[], timelines={},
                         seed=[3, 4], n=[60, 40])
    text = index.read_text(encoding="utf-8")
    assert "n = 60, 40 replications" in text and "root seed 3, 4" in text
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["how-far.png", "how-matters-end.png",
                                                            "time-to-disclosure.png"]
    assert 'id="docket"' not in text and 'id="timelines"' not in text
    footer = charts.how_far({"x": report["runs"][0]["rows"]}, seed=[3, 4]).subfigs[1].texts[0].get_text()
    assert "seeds 3, 4" in footer
