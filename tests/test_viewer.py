"""The docket viewer (`docket --format html`) from a real store: the historical matter, a stochastic one and a
fork; its sheets, steps and deadlines against the projections and the aggregate; hostile text; the command
line; and the page in headless Chromium (no request outside the file, no script error, keys, slider, widths,
print)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reports.viewer import matter_page, page
from sim import scenario as scenarios
from sim.domain.matter import Matter
from sim.runs.runner import record_run, source_entries
from sim.store import open_store
from sim.views.narrative import running
from sim.views.projections import docket_rule, docket_text, entries
from tests.conftest import cli
from tests.test_html_report import BROWSER_ARGS, _browser

HOSTILE_TITLE = "</script><script>alert(1)</script> <b>bold</b> & 'quoted'"
HOSTILE_PROVIDER = 'Evil <img src=x onerror="alert(2)"> Corp. </SCRIPT>'


def _hostile_scenario(folder: Path) -> str:
    path = folder / "hostile.toml"
    path.write_text(f'[scenario]\nextends = "microsoft_ireland_stochastic"\nname = "hostile"\n'
                    f"title = {json.dumps(HOSTILE_TITLE)}\ndescription = 'markup everywhere'\n\n"
                    f"[parties]\nprovider = {json.dumps(HOSTILE_PROVIDER)}\n")  # JSON strings are TOML strings
    return str(path)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict:
    """One SQLite store holding the historical matter, a stochastic matter, a fork of the historical matter
    after the en banc denial with no CLOUD Act, and a matter of a scenario with markup in its names."""
    folder = tmp_path_factory.mktemp("viewer")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    store = open_store(url, create=True)
    historical = record_run(store, scenarios.load("microsoft_ireland_2013")).matter_ids[0]
    stochastic = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=4).matter_ids[0]
    source = store.matter_events(historical)
    cut = next(e.originator_version for e in source if type(e).__name__ == "RehearingDecided")
    never = scenarios.with_settings(scenarios.load("microsoft_ireland_2013"), [("cloud_act.enacted", "never")])
    fork = record_run(store, never, seed=2, fork=source_entries(store, historical, cut)).matter_ids[0]
    hostile = record_run(store, scenarios.load(_hostile_scenario(folder)), seed=1).matter_ids[0]
    pages = folder / "pages"
    pages.mkdir()
    ids = {"historical": historical, "stochastic": stochastic, "fork": fork, "hostile": hostile}
    for name, matter_id in ids.items():
        (pages / f"{name}.html").write_text(matter_page(store, matter_id), encoding="utf-8")
    return {"folder": folder, "url": url, "store": store, "ids": ids, "pages": pages, "cut": cut}


class Parsed(HTMLParser):
    """The page's elements with data-seq, by the section they are in, with their classes and text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.entries: dict[str, list[dict]] = {"dockets": [], "source": [], "fork": []}
        self.scripts: list[tuple[dict, str]] = []
        self._where: list[str] = []
        self._open: list[tuple[str, dict]] = []  # open <li> entries and the text gathered in each
        self._script: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "script":
            self._script = a
        if a.get("id") == "dockets":
            self._where.append("dockets")
        if a.get("data-matter") in ("source", "fork"):
            self._where.append(a["data-matter"])
        if "data-seq" in a and self._where:
            entry = {"seq": int(a["data-seq"]), "class": a.get("class", ""), "date": a.get("data-date"), "text": ""}
            self.entries[self._where[-1]].append(entry)
            self._open.append((tag, entry))

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[-1][0] == "li":
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
            self._script = None
        for _, entry in self._open:
            entry["text"] += data


def _text(recorded: dict, name: str) -> str:
    return (recorded["pages"] / f"{name}.html").read_text(encoding="utf-8")


def _data(text: str) -> dict:
    found = re.search(r'<script type="application/json" id="viewer-data">(.*?)</script>', text, re.S)
    assert found
    return json.loads(found.group(1))


def test_every_entry_is_on_the_page_once_with_its_seq_and_is_a_step(recorded):
    for name, matter_id in recorded["ids"].items():
        events = recorded["store"].matter_events(matter_id)
        rows = entries(events)
        parsed = Parsed(_text(recorded, name))
        assert sorted(e["seq"] for e in parsed.entries["dockets"]) == [r["seq"] for r in rows], name
        steps = _data(_text(recorded, name))["steps"]
        assert [s["seq"] for s in steps] == [r["seq"] for r in rows]
        assert [s["date"] for s in steps] == [r["date"] for r in rows]


def test_the_historical_docket_reads_as_the_record(recorded):
    text = _text(recorded, "historical")
    parsed = Parsed(text)
    rows = {r["seq"]: r for r in entries(recorded["store"].matter_events(recorded["ids"]["historical"]))}
    assert "SIMULATED DOCKET" not in text and not any("simulated" in e["class"] for e in parsed.entries["dockets"])
    for entry in parsed.entries["dockets"]:
        row = rows[entry["seq"]]
        said = " ".join(entry["text"].split())
        # as recorded, its dates written as the sheet writes them (12/23/2014 for 2014-12-23)
        assert " ".join(docket_text(row, True).split()) in said and f"[{docket_rule(row)}]" in said
        assert ("\u2248" in said) == row["approximate"]  # approximate dates stay marked
    assert "DOCKET FOR CASE #: 14-2985" in text and "Microsoft Corp. v. United States" in text
    denial = next(e for e in parsed.entries["dockets"] if rows[e["seq"]]["date"] == "2014-04-25")
    assert "MEMORANDUM AND ORDER by Magistrate Judge James C. Francis IV DENYING" in denial["text"]
    assert 'id="fork"' not in text


def test_simulated_matters_carry_the_notice_and_mark_their_entries(recorded):
    for name in ("stochastic", "fork"):
        text = _text(recorded, name)
        assert "SIMULATED DOCKET" in text
        events = recorded["store"].matter_events(recorded["ids"][name])
        counterfactual = {r["seq"] for r in entries(events) if r["counterfactual"]}
        marked = {e["seq"] for e in Parsed(text).entries["dockets"] if "simulated" in e["class"]}
        assert marked == counterfactual and marked
    fork_text = " ".join(_text(recorded, "fork").split())
    assert f"(fork of matter {recorded['ids']['historical']} after entry {recorded['cut']})" in fork_text


def test_each_step_tells_the_event_and_its_deadlines_as_the_aggregate_has_them(recorded):
    """The narration is `tell`'s; the deadlines shown on any day are `running` of the matter rebuilt as of
    that day (as `docket --as-of` gives them): on each day with entries, and on the days between entries
    when a deadline lapses (and the day before)."""
    store = recorded["store"]
    steps = _data(_text(recorded, "historical"))["steps"]
    reversal = next(s for s in steps if s["date"] == "2016-07-14")
    assert reversal["told"][0] == "Thursday 14 July 2016 - United States Court of Appeals for the Second Circuit"
    assert reversal["told"][1].startswith("A panel of the court of appeals reverses")
    assert reversal["told"][2].startswith("Authority: ")
    assert any("may petition for panel rehearing or rehearing en banc by 29 August 2016" in line
               for line in reversal["running"][0][1])
    days, lapses = 0, 0
    for name in ("historical", "stochastic"):
        matter_id = recorded["ids"][name]
        steps = _data(_text(recorded, name))["steps"]
        for step in steps:
            if step is not [s for s in steps if s["date"] == step["date"]][-1]:
                continue  # the page shows the last entry of a day as of that day
            for begins, _ in step["running"]:
                lapsed = begins != step["date"]  # a deadline stopped running between two entries
                first_day = dt.date.fromisoformat(begins)
                for day in (first_day, first_day - dt.timedelta(days=1)) if lapsed else (first_day,):
                    expected = [d.describe() for d in running(store.matter_as_of(matter_id, day), day)]
                    shown = [lines for b, lines in step["running"] if b <= day.isoformat()][-1]
                    assert shown == expected, (name, step["seq"], day)
                lapses += lapsed
            days += 1
    assert days > 60 and lapses > 0


def test_a_fork_shows_the_source_and_the_fork_side_by_side_from_the_fork_point(recorded):
    store, cut = recorded["store"], recorded["cut"]
    source = store.matter_events(recorded["ids"]["historical"])
    forked = store.matter_events(recorded["ids"]["fork"])
    parsed = Parsed(_text(recorded, "fork"))
    assert [e["seq"] for e in parsed.entries["source"]] == [e.originator_version for e in source[cut:]]
    assert [e["seq"] for e in parsed.entries["fork"]] == [e.originator_version for e in forked[cut:]]
    assert [e["date"] for e in parsed.entries["source"]] == [e.date for e in source[cut:]]
    assert not any(type(e).__name__ == "LegislationEnacted" for e in forked)
    assert "CLOUD" not in " ".join(e["text"] for e in parsed.entries["fork"])
    docket = {e["seq"]: " ".join(e["text"].split()) for e in parsed.entries["dockets"]}
    rows = {row["seq"]: row for row in entries(source)}
    for event in source[1:cut]:  # the copied entries read as the source's sheet writes them (dates, who signed)
        row = rows[event.originator_version]
        assert " ".join(docket_text(row, bool(row["docket_number"])).split()) in docket[event.originator_version]


def test_a_fork_whose_source_is_gone_is_shown_alone(recorded):
    text = page(recorded["store"].matter_events(recorded["ids"]["fork"]), None)
    assert "The source matter is not in this store." in text and Parsed(text).entries["source"] == []


def test_hostile_text_is_shown_as_text(recorded):
    """Markup and a closing script tag in a scenario's title and party name never become elements: the
    page has its own two scripts, no other, and the JSON cannot be closed early."""
    text = _text(recorded, "hostile")
    assert text.count("<script") == 2 and text.lower().count("</script") == 2
    assert "<img" not in text and "<b>bold" not in text and "</SCRIPT>" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text
    data = _data(text)
    assert any(HOSTILE_PROVIDER in line for step in data["steps"] for line in step["told"])
    (application, _), (inline, code) = Parsed(text).scripts
    assert application == {"type": "application/json", "id": "viewer-data"} and inline == {}
    assert "alert" not in code


# The command line -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_docket_format_html_writes_the_page_to_stdout_or_to_a_file(recorded, tmp_path):
    url, matter_id = recorded["url"], recorded["ids"]["historical"]
    shown = cli("docket", matter_id, "--format", "html", "--store", url, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("<!DOCTYPE html>") and shown.stdout == _text(recorded, "historical")
    done = cli("docket", matter_id, "--format", "html", "--out", "class.html", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote class.html: open it in a browser (file://")
    assert (tmp_path / "class.html").read_text(encoding="utf-8") == shown.stdout
    latest = cli("docket", "--latest", "--format", "html", "--store", url, cwd=tmp_path)
    assert latest.returncode == 0 and "hostile" in latest.stdout  # the newest run's first matter
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.html"]  # no temporary file left


@pytest.mark.slow
def test_docket_format_html_as_of_a_date_holds_the_entries_then_on_record(recorded, tmp_path):
    url, matter_id = recorded["url"], recorded["ids"]["historical"]
    done = cli("docket", matter_id, "--format", "html", "--as-of", "2016-07-14", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    steps = _data(done.stdout)["steps"]
    assert steps[-1]["date"] == "2016-07-14" and all(s["date"] <= "2016-07-14" for s in steps)


@pytest.mark.parametrize(("args", "message", "status"), [
    (["not-a-uuid"], "unknown matter id", 2),
    (["00000000-0000-0000-0000-000000000000"], "unknown matter id", 2),
    (["MATTER", "--out", "."], "is a folder", 2),
    (["MATTER", "--out", "nowhere/page.html"], "folder nowhere does not exist", 2),
    (["MATTER", "--out", "UNWRITABLE"], "cannot write the page", 1),  # a fault of the environment
    (["MATTER", "--format", "json", "--out", "page.html"], "give --format html with it", 2),
    (["MATTER", "--store", "sqlite:///missing.sqlite"], "no store file", 2),
])
@pytest.mark.slow
def test_bad_requests_are_one_line_and_write_nothing(recorded, tmp_path, args, message, status):
    url, matter_id = recorded["url"], recorded["ids"]["historical"]
    locked = tmp_path / "locked"
    locked.mkdir()
    # root writes anywhere it may: /proc takes no new file even from root
    unwritable = "/proc/docketsim-page.html" if os.geteuid() == 0 else str(locked / "page.html")
    os.chmod(locked, 0o555)
    args = [unwritable if a == "UNWRITABLE" else matter_id if a == "MATTER" else a for a in args]
    if "--format" not in args:
        args += ["--format", "html"]
    if "--store" not in args:
        args += ["--store", url]
    try:
        done = cli("docket", *args, cwd=tmp_path)
    finally:
        os.chmod(locked, 0o755)
    assert done.returncode == status, done.stdout + done.stderr
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert done.stderr.startswith("run.py docket: ") and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked"] and not list(locked.iterdir())


# In headless Chromium ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    sync_playwright, chromium = _browser()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _open(browser, path: Path, width: int = 1400):
    """The page opened from disk; every request but the file itself (and data: URLs) is refused and listed,
    with every console error, script error and dialog."""
    opened = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    own = path.as_uri()

    def guard(route) -> None:
        url = route.request.url
        if url.split("#")[0] == own or url.startswith(("data:", "about:blank")):
            route.continue_()
        else:
            problems.append(f"request: {url}")
            route.abort()

    opened.route("**/*", guard)
    opened.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    opened.goto(own, wait_until="load")
    return opened, problems


CURRENT = "Array.from(document.querySelectorAll('[aria-current=\"step\"]'), e => +e.dataset.seq)"
SHOWN = ("Array.from(document.querySelectorAll('#dockets [data-seq]')).filter(e => e.offsetParent !== null)"
         ".map(e => +e.dataset.seq)")
WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.slow
def test_the_keys_and_buttons_step_through_the_docket(recorded, browser):
    steps = [s["seq"] for s in _data(_text(recorded, "historical"))["steps"]]
    opened, problems = _open(browser, recorded["pages"] / "historical.html")
    try:
        seen = [opened.evaluate(CURRENT)]
        shown = [opened.evaluate(SHOWN)]
        for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "End", "ArrowRight", "Home", "ArrowLeft"):
            opened.keyboard.press(key)
            seen.append(opened.evaluate(CURRENT))
        opened.click("#next")
        seen.append(opened.evaluate(CURRENT))
        shown.append(opened.evaluate(SHOWN))
        told = opened.inner_text("#now .said")
        opened.click("#last")
        last_shown = opened.evaluate(SHOWN)
        disabled = opened.evaluate("['next', 'first'].map(id => document.getElementById(id).disabled)")
    finally:
        opened.close()
    assert problems == []
    first, second, third, last = steps[0], steps[1], steps[2], steps[-1]
    assert seen == [[first], [second], [third], [second], [last], [last], [first], [first], [second]]
    assert shown[0] == [first] and sorted(shown[1]) == [first, second]  # entries revealed one by one
    assert told == "Magistrate Judge James C. Francis IV finds probable cause and issues the warrant."
    assert sorted(last_shown) == steps and disabled == [True, False]


def test_the_date_slider_shows_the_docket_as_of_that_day(recorded, browser):
    """Set to 2016-08-01, the page stands where `docket --as-of 2016-08-01` does: the same last entry and the
    same deadlines running."""
    store, matter_id = recorded["store"], recorded["ids"]["historical"]
    day = dt.date(2016, 8, 1)
    matter = store.matter_as_of(matter_id, day)
    expected = [d.describe() for d in running(matter, day)]
    first = dt.date.fromisoformat(store.matter_events(matter_id)[1].date)
    opened, problems = _open(browser, recorded["pages"] / "historical.html")
    try:
        opened.evaluate("""days => { const s = document.getElementById('day'); s.value = String(days);
                                     s.dispatchEvent(new Event('input', {bubbles: true})); }""", (day - first).days)
        current = opened.evaluate(CURRENT)
        deadlines = opened.evaluate("Array.from(document.querySelectorAll('#running li'), li => li.textContent)")
        as_of = opened.inner_text("#as-of")
        cursor = opened.evaluate("document.querySelector('.timeline .cursor').style.left")
        last = dt.date.fromisoformat(store.matter_events(matter_id)[-1].date)
    finally:
        opened.close()
    assert problems == []
    assert current == [matter.version] and as_of == "Monday 1 August 2016"
    assert deadlines == expected and expected
    assert cursor.endswith("%") and float(cursor[:-1]) == pytest.approx(100 * (day - first).days / (last - first).days)


@pytest.mark.slow
def test_page_down_and_the_arrows_step_entries_even_after_the_slider_was_touched(recorded, browser):
    """Issue 19.4: once the slider had focus, the right arrow moved one day and Page Down moved backwards (the
    range input's own keys). A presentation remote sends Page Down: it means the next entry, whatever has focus."""
    steps = [s["seq"] for s in _data(_text(recorded, "historical"))["steps"]]
    opened, problems = _open(browser, recorded["pages"] / "historical.html")
    try:
        opened.click("#day")  # the middle of the slider: the docket as of a day half way through
        assert opened.evaluate("document.activeElement.id") == "day"
        at = steps.index(opened.evaluate(CURRENT)[0])
        seen = []
        for key in ("ArrowRight", "PageDown", "PageDown", "PageUp", "ArrowLeft", "ArrowLeft"):
            opened.keyboard.press(key)
            seen.append(steps.index(opened.evaluate(CURRENT)[0]))
        opened.focus("#next")
        opened.keyboard.press("PageDown")
        seen.append(steps.index(opened.evaluate(CURRENT)[0]))
    finally:
        opened.close()
    assert problems == []
    assert 0 < at < len(steps) - 4
    assert seen == [at + 1, at + 2, at + 3, at + 2, at + 1, at, at + 1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["historical", "fork", "hostile"])
def test_the_page_fits_a_phone_and_a_wide_screen_and_loads_nothing_else(recorded, browser, name):
    measured = {}
    for width in (400, 1400):
        opened, problems = _open(browser, recorded["pages"] / f"{name}.html", width)
        try:
            measured[width, "first"] = opened.evaluate(WIDTH)
            opened.keyboard.press("End")
            measured[width, "last"] = opened.evaluate(WIDTH)
            heading = opened.inner_text("h1")
        finally:
            opened.close()
        assert problems == [], (name, width)
    for (width, when), (scroll, client) in measured.items():
        assert scroll <= client, f"{name}: {scroll} px wide in a {width} px window ({when} entry)"
    if name == "hostile":
        assert heading == HOSTILE_TITLE.strip()  # the markup shows as text


def test_the_fork_side_by_side_follows_the_step(recorded, browser):
    parsed = Parsed(_text(recorded, "fork"))
    opened, problems = _open(browser, recorded["pages"] / "fork.html")
    try:
        opened.click("[data-go]")
        at_point = opened.evaluate(CURRENT)
        visible = ("sel => Array.from(document.querySelectorAll(sel)).filter(e => e.offsetParent !== null)"
                   ".map(e => +e.dataset.seq)")
        before = opened.evaluate(visible, '[data-matter="fork"] [data-seq]')
        opened.keyboard.press("End")
        after = opened.evaluate(visible, '[data-matter="fork"] [data-seq]')
        source_after = opened.evaluate(visible, '[data-matter="source"] [data-seq]')
    finally:
        opened.close()
    assert problems == []
    assert at_point == [recorded["cut"]] and before == []
    assert after == [e["seq"] for e in parsed.entries["fork"]]
    last_day = parsed.entries["fork"][-1]["date"]
    assert source_after == [e["seq"] for e in parsed.entries["source"] if e["date"] <= last_day]


def test_printed_the_page_is_one_docket_with_every_entry(recorded, browser):
    opened, problems = _open(browser, recorded["pages"] / "fork.html")
    try:
        opened.emulate_media(media="print")
        shown = opened.evaluate(SHOWN)
        hidden = opened.evaluate("['#stepper', '#fork'].map(s => getComputedStyle(document.querySelector(s)).display)")
    finally:
        opened.close()
    assert problems == []
    events = recorded["store"].matter_events(recorded["ids"]["fork"])
    assert sorted(shown) == [e.originator_version for e in events if isinstance(e, Matter.Entry)]
    assert hidden == ["none", "none"]
