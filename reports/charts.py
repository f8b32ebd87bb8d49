"""Charts of simulated outcomes: one function per chart, each answering one question, each returning a Figure.

Plain data in (outcome rows of `sim.views.projections.outcome_row`, summary dicts of `sim.views.results.Tally.summary`,
docket entries of `sim.views.projections.entries`), a `matplotlib.figure.Figure` out. Figures are made
without pyplot, on an Agg canvas, so no global state is kept and they are garbage collected. Each
scenario keeps its colour in every chart and every report (`sim.colours`: taken from its name), legends
show each scenario's title (`titles`, name -> title; the name where none is given), and every chart's
footer names the scenarios, n, seed and docketsim version. Text is measured, not guessed: titles,
footers, legends and labels are wrapped to fit the figure, and `tests/test_chart_layout.py` checks that
no text leaves the figure and no two texts overlap.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase, SubFigure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator, PercentFormatter

from reports import measures
from sim import __version__
from sim.colours import OUTCOMES, palette
from sim.domain.ladder import LADDER
from sim.domain.outcomes import UNDER_NEW_WARRANT
from sim.literal import drawable
from sim.outputs import naming
from sim.runs.calibration import percentile_words
from sim.views.projections import LEVELS

Row = Mapping[str, Any]
RowsByScenario = Mapping[str, Sequence[Row]]

HISTORICAL_DAYS = 1595  # Microsoft Ireland: warrant 2013-12-04 to the per curiam of 2018-04-17
HISTORICAL_MARK = ("Microsoft Ireland: {days:,} days from the warrant to the Supreme Court's disposition (not a "
                   "disclosure date: "
                   "the e-mails were produced after it; the record gives no exact date)")
WIDTH = 10.0  # inches
INK = "#0072b2"  # a chart of one unnamed matter
Titles = Mapping[str, str] | None


# How a matter ends ----------------------------------------------------------------------------
ENDINGS = ("disclosed via warrant", "disclosed via MLAT", "disclosed via new warrant after legislation",
           "not disclosed", "mooted")
ENDING_COLOURS = dict(zip(ENDINGS, OUTCOMES, strict=True))  # a palette no scenario's colour comes from
_ROUTES = {"warrant": ENDINGS[0], "mlat": ENDINGS[1]}


def ending(row: Row) -> str:
    """How a replication ended, one of `ENDINGS`, from its values (`sim.domain.outcomes`).

    Disclosed matters are told apart by route, except that a disclosure under a new warrant after
    legislation (the CLOUD Act path of 2018) counts as such; matters that disclosed nothing are
    "mooted" if dismissed as moot, else "not disclosed".

    >>> ending({"disclosed": True, "route": "warrant", "final_disposition": "dismissed as moot", "mooted": True})
    'disclosed via new warrant after legislation'
    >>> ending({"disclosed": False, "route": "none", "final_disposition": "mlat refused", "mooted": False})
    'not disclosed'
    """
    if row["disclosed"]:
        if row["final_disposition"] in UNDER_NEW_WARRANT:
            return ENDINGS[2]
        if row["route"] not in _ROUTES:
            raise ValueError(f"unknown disclosure route {row['route']!r}; expected one of {', '.join(_ROUTES)}")
        return _ROUTES[row["route"]]
    return ENDINGS[4] if row["mooted"] else ENDINGS[3]


# Shared frame: figure, question, footer ------------------------------------------------------------
def plain(text: str) -> str:
    """Text from a scenario shown as written: a `$` would otherwise start matplotlib's mathtext; control
    characters, which no font draws, are dropped (`sim.literal.drawable`).

    >>> plain("costs $5 or $6\\x1b")
    'costs \\\\$5 or \\\\$6'
    """
    return drawable(str(text)).replace("$", r"\$")


_MEASURE = TextToPath()


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of `text` (its widest line) at `size` points in matplotlib's default font."""
    prop = FontProperties(size=size, weight=weight)
    return max(_MEASURE.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n"))


def fit(text: str, size: float, width: float, weight: str = "normal") -> str:
    """`text` wrapped at spaces into lines at most `width` points wide (a longer word is cut), shown as
    written (`plain`).

    >>> fit("microsoft_ireland_2013@27 cloud_act.enacted=never supreme_court.doctrine=control", 8.5, 160).split()
    ['microsoft_ireland_2013@27', 'cloud_act.enacted=never', 'supreme_court.doctrine=control']
    """
    budget = width * 0.97  # the measure is within a few per cent of what a renderer draws
    lines: list[str] = []
    for paragraph in plain(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            while text_width(word, size, weight) > budget and len(word) > 1:  # a word too long for any line
                cut = max((i for i in range(1, len(word) + 1) if text_width(word[:i], size, weight) <= budget),
                          default=1)
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, weight) > budget:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def shown_names(names: Iterable[str], titles: Titles = None) -> dict[str, str]:
    """What a legend calls each scenario: its title (its name if it has none); a title two scenarios
    share is followed by the name.

    >>> shown_names(["a", "b", "c"], {"a": "Same", "b": "Same"})
    {'a': 'Same (a)', 'b': 'Same (b)', 'c': 'c'}
    """
    names = list(dict.fromkeys(names))
    chosen = {name: (titles or {}).get(name) or name for name in names}
    repeated = {title for title in chosen.values() if list(chosen.values()).count(title) > 1}
    return {name: f"{title} ({name})" if title in repeated and title != name else title
            for name, title in chosen.items()}


def _n_text(counts: Sequence[int]) -> str:
    if not counts:
        return "n not given"
    if len(set(counts)) == 1:
        return f"n = {counts[0]:,} replication{'s' if counts[0] != 1 else ''} per scenario"
    return "n = " + ", ".join(f"{c:,}" for c in counts) + " replications"


Seed = int | Sequence[int] | None


def _seed_text(seed: Seed) -> str:
    if seed is None:
        return "seed not given"
    if isinstance(seed, int):
        return f"seed {seed}"
    return f"seeds {', '.join(str(s) for s in seed)}"


LINE = 72 * WIDTH - 24  # points of text a line can hold across the figure


def _frame(height: float, question: str, scenarios: Sequence[str], n: str, seed: Seed, extra: str = "",
           **subplots: Any) -> tuple[Figure, SubFigure, Any]:
    """A figure titled with its question: the chart's panel on top, the provenance footer in its own strip
    below (scenarios, n, seed, docketsim version), so legends below the chart never run into it."""
    parts = [f"Scenario{'s' if len(scenarios) != 1 else ''}: {', '.join(scenarios) if scenarios else '(none)'}", n,
             _seed_text(seed), *([extra] if extra else []),
             f"docketsim {__version__}"]
    footer_text = fit(" · ".join(parts), 7.5, LINE)
    footer_height = ((footer_text.count("\n") + 1) * 7.5 * 1.3 + 8) / 72
    fig = Figure(figsize=(WIDTH, height + footer_height), layout="constrained")
    FigureCanvasAgg(fig)
    chart, footer = fig.subfigures(2, 1, height_ratios=[height, footer_height], hspace=0)
    footer.text(0.01, 0.5, footer_text, fontsize=7.5, color="0.35", ha="left", va="center", linespacing=1.3)
    fig.suptitle(fit(question, 13, LINE, "bold"), fontsize=13, fontweight="bold")
    return fig, chart, chart.subplots(**subplots)


def _legend_columns(labels: Sequence[str], fontsize: float = 8.5) -> int:
    """As many columns as the widest entry lets fit across the figure."""
    widest = max((text_width(label, fontsize) for label in labels), default=0.0)
    column = widest + (2.0 + 0.8 + 2.0) * fontsize  # handle, its padding, the space between columns
    return max(1, min(len(labels), int(LINE // column)))


def legend_height(labels: Sequence[str], fontsize: float = 8.5, title: bool = False) -> float:
    """Inches a legend of `labels` below the chart takes (a chart grows by this much, so its axes keep their
    height however many scenarios it lists)."""
    ncols = _legend_columns(labels, fontsize)
    rows = [labels[i::ncols] for i in range(ncols)]  # matplotlib fills columns first
    per_column = [sum(label.count("\n") + 1 for label in column) for column in rows]
    lines = max(per_column, default=0) + (1 if title else 0)
    return (lines * fontsize * 1.3 + 0.5 * fontsize * len(labels) / ncols + 10) / 72


def legend_below(chart: FigureBase, handles: Sequence[Any], labels: Sequence[str], fontsize: float = 8.5,
            title: str | None = None) -> None:
    """A legend below the chart, in as many columns as its widest entry lets fit across the figure."""
    chart.legend(handles, labels, loc="outside lower center", ncols=_legend_columns(labels, fontsize),
                 fontsize=fontsize, frameon=False, title=title, title_fontsize=fontsize + 0.5 if title else None)


def _entry(text: str, columns: int = 2, fontsize: float = 8.5) -> str:
    """A legend entry wrapped so that `columns` entries fit across the figure."""
    return fit(text, fontsize, LINE / columns - (2.0 + 0.8 + 2.0) * fontsize)


def _tick_labels(labels: Sequence[str], fontsize: float = 9.0, width: float = 210.0) -> tuple[list[str], float]:
    """Tick labels wrapped to `width` points; and the height in inches the tallest one needs."""
    fitted = [fit(label, fontsize, width) for label in labels]
    lines = max((label.count("\n") + 1 for label in fitted), default=1)
    return fitted, lines * fontsize * 1.25 / 72


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4")


def save(fig: Figure, out_dir: str | Path, stem: str) -> tuple[Path, Path]:
    """Write `fig` as OUT_DIR/STEM.png (150 dpi) and OUT_DIR/STEM.svg; return both paths. Both are
    reproducible: the same figure saved under the same stem gives the same bytes."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    with naming(png):
        fig.savefig(png, dpi=150, facecolor="white")
    with naming(svg), rc_context({"svg.hashsalt": f"docketsim/{stem}"}):  # the same chart gives the same bytes
        fig.savefig(svg, facecolor="white", metadata={"Date": None})
    return png, svg


# 1. The case timeline ------------------------------------------------------------------------------
LANES = (*((level.key, level.label) for level in LADDER if level.key != "en_banc"),
         ("congress", "Congress"), ("foreign", "Foreign authority"), ("out_of_court", "Outside the courts"))
_LANE_OF = {"en_banc": "circuit"}
RULINGS = {"MotionRuled": "Motion ruled", "ObjectionRuled": "Objection ruled", "ComityMotionRuled": "Comity motion",
           "PanelDecided": "Panel decision", "RehearingDecided": "Rehearing", "EnBancDecided": "En banc decision",
           "CertDecided": "Certiorari", "SupremeCourtDecided": "Supreme Court decision"}
KEY_EVENTS = {**RULINGS, "ContemptHeld": "Held in contempt", "LegislationEnacted": "Legislation enacted",
              "DismissedAsMoot": "Dismissed as moot", "FinalDisposition": "Final disposition",
              "MLATRequestExecuted": "MLAT request executed", "MLATRequestRefused": "MLAT request refused",
              "DataDisclosed": "Data disclosed"}
TIMELINE_QUESTION = "How long did the matter sit before each court?"


def _key_label(entry: Row) -> str:
    """A short label for a key docket entry, with the ruling's outcome (a value of `timeline` rows)."""
    event, outcome = entry["event"], entry.get("outcome")
    if event == "LegislationEnacted":
        return "CLOUD Act enacted"
    if outcome and (event in RULINGS or event == "FinalDisposition"):
        return f"{KEY_EVENTS[event]}: {outcome}"
    return KEY_EVENTS[event]


def _lane_labels(found: list[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    """Key events of one lane merged by date (a final disposition speaks for a same-day dismissal)."""
    by_date: dict[dt.date, list[str]] = {}
    for day, label in found:
        if label not in by_date.setdefault(day, []):
            by_date[day].append(label)
    merged = []
    for day, labels in sorted(by_date.items()):
        if any(label.startswith("Final disposition") for label in labels):
            labels = [x for x in labels if x != "Dismissed as moot"]
        rest = [x[0].lower() + x[1:] if x[1:2].islower() else x for x in labels[1:]]
        merged.append((day, "; ".join(labels[:1] + rest)))
    return merged


def _lane(entry: Row) -> str:
    lane = _LANE_OF.get(entry["court_level"], entry["court_level"])
    return lane if lane in dict(LANES) else "out_of_court"


SUPREME_DISPOSITIONS = ("SupremeCourtDecided", "DismissedAsMoot")


def days_to_final_disposition(entries: Sequence[Row]) -> int | None:
    """Days from a matter's first docket entry (the warrant application) to its disposition: the Supreme
    Court's, where it decided the matter (the judgment's issue and the orders on remand follow it), else
    the final disposition; None if it has none. For the real case: 1,595 (2013-12-04 to the per curiam of
    2018-04-17), the one day count every report uses."""
    final = next((e for e in entries if e["event"] in SUPREME_DISPOSITIONS and e["court_level"] == "supreme"),
                 None) or next((e for e in entries if e["event"] == "FinalDisposition"), None)
    if not entries or final is None:
        return None
    return (dt.date.fromisoformat(final["date"]) - dt.date.fromisoformat(entries[0]["date"])).days


def _first_step(entries: Sequence[Row]) -> str:
    """What a matter's day count starts from: the warrant where it began with one, else its first entry (a
    matter on the treaty route has no warrant).

    >>> _first_step([{"event": "WarrantApplied"}]), _first_step([{"event": "MLATRequestSent"}])
    ('the warrant', 'the first entry (no warrant was sought)')
    """
    return "the warrant" if entries and entries[0]["event"].startswith("Warrant") else \
        "the first entry (no warrant was sought)"


def case_timeline(entries: Sequence[Row], title: str, *, scenario: str = "", seed: Seed = None,
                  colour: str = INK) -> Figure:
    """Where the matter stood, and when: one lane per court (en banc in the circuit's lane), a bar from
    the first to the last entry before each court, a tick per docket entry, rulings labelled.

    `scenario` and `seed` (the replication's) go in the footer; `colour` is the scenario's colour."""
    days = [dt.date.fromisoformat(e["date"]) for e in entries]
    span_text = f"1 matter, {len(entries)} docket entries"
    final = days_to_final_disposition(entries)
    if final is not None:
        supreme = any(e["event"] in SUPREME_DISPOSITIONS and e["court_level"] == "supreme" for e in entries)
        span_text += f", {final:,} days from {_first_step(entries)} to " + ("the Supreme Court's disposition"
                                                                      if supreme else "final disposition")
    elif entries:
        span_text += f", {(max(days) - min(days)).days:,} days from the first entry to the last (no final disposition)"
    fig, chart, ax = _frame(7.6, TIMELINE_QUESTION, [scenario] if scenario else [], span_text, seed)
    ax.set_title(fit(title, 10.5, LINE - 110), fontsize=10.5, loc="left")  # the lane names take ~110 points
    y_of = {code: len(LANES) - 1 - i for i, (code, _) in enumerate(LANES)}
    ax.set_yticks(list(y_of.values()), [name for _, name in LANES])
    ax.set_ylim(-0.75, len(LANES) - 0.25)
    ax.set_xlabel("Calendar date")
    if not entries:
        _empty(ax, "no docket entries")
        return fig
    start, end = min(days), max(days)
    span = max((end - start).days, 30)
    pad = dt.timedelta(days=max(round(span * 0.04), 3))
    ax.set_xlim(start - pad, end + pad)
    by_lane: dict[str, list[dt.date]] = {}
    keys: dict[str, list[tuple[dt.date, str]]] = {}
    for e, day in zip(entries, days, strict=True):
        by_lane.setdefault(_lane(e), []).append(day)
        if e["event"] in KEY_EVENTS:
            keys.setdefault(_lane(e), []).append((day, _key_label(e)))
    for lane, when in by_lane.items():
        if lane != "out_of_court":
            width = max((max(when) - min(when)).days, span / 250)
            ax.barh(y_of[lane], width, left=mdates.date2num(min(when)), height=0.32, color=colour, alpha=0.35,
                    edgecolor=colour, linewidth=1)
    ax.scatter(days, [y_of[_lane(e)] for e in entries], marker="|", s=110, color="0.2", linewidths=1.2, zorder=3)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    zero = mdates.date2num(start)
    top = ax.secondary_xaxis("top", functions=(lambda x: x - zero, lambda d: d + zero))
    top.set_xlabel(f"Days since the first docket entry (day 0 = {start:%-d %b %Y})", fontsize=9)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=colour, alpha=0.35, edgecolor=colour, label="before the court (first to last entry)"),
               Line2D([], [], marker="|", color="0.2", ls="", markersize=10, label="docket entry"),
               Line2D([], [], marker="D", color=colour, markeredgecolor="black", ls="", markersize=7,
                      label="ruling or key event (labelled)")]
    chart.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=9)
    _label_key_events(ax, keys, y_of, colour)
    return fig


def _label_key_events(ax: Any, keys: Mapping[str, list[tuple[dt.date, str]]], y_of: Mapping[str, int],
                      colour: str) -> None:
    """Diamonds at key events, each label in the free space near its lane, placed once the layout is done.

    Each label is measured where it would stand: just above its lane, just below, then further out, centred
    on its event or reaching left or right of it; it takes the first place inside the axes that no other
    label, tick or diamond row covers. A label with no free place is joined to the previous label of its
    lane (one box, both events), so no two labels ever overlap."""
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()  # the layout is final: labels do not take part in it
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []  # (annotation, its box)
    for lane, _ in LANES:
        y = y_of[lane]
        labels = _lane_labels(keys.get(lane, []))
        for day, _ in labels:
            ax.scatter([mdates.date2num(day)], [y], marker="D", s=42, color=colour, edgecolors="black",
                       linewidths=0.8, zorder=4)
        notes: list[tuple[list[tuple[dt.date, str]], Any, Any]] = []  # this lane's: events, label, box
        for day, label in labels:
            group = [(day, label)]
            while True:
                text = "\n".join(plain("\n".join(textwrap.wrap(lab, 28))) + f"\n{d:%-d %b %Y}" for d, lab in group)
                x = (mdates.date2num(group[0][0]) + mdates.date2num(group[-1][0])) / 2
                spot = _free_spot(ax, renderer, frame, placed, text, x, y)
                if spot or not notes:
                    break
                earlier, note, box = notes.pop()  # no room: join the previous label of the lane
                placed.remove((note, box))
                note.remove()
                group = earlier + group
            note, box = spot or _place(ax, renderer, text, x, y, 10, "center")
            placed.append((note, box))
            notes.append((group, note, box))
    fig.set_layout_engine("none")  # the labels were placed for this layout: keep it (and save faster)


def _place(ax: Any, renderer: Any, text: str, x: float, y: float, offset: float, ha: str) -> tuple[Any, Any]:
    note = ax.annotate(text, (x, y), xytext=(0, offset), textcoords="offset points", ha=ha,
                       va="bottom" if offset > 0 else "top", fontsize=7.5, linespacing=1.05, zorder=5,
                       bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85})
    note.set_in_layout(False)
    return note, note.get_window_extent(renderer).padded(2)


def _free_spot(ax: Any, renderer: Any, frame: Any, placed: list[tuple[Any, Any]], text: str, x: float,
               y: float) -> tuple[Any, Any] | None:
    """The first place for a label at (x, lane y) that stays in the axes and overlaps no placed label."""
    for offset in (10, -10, 30, -30):
        for ha in ("center", "right", "left"):
            note, box = _place(ax, renderer, text, x, y, offset, ha)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for _, other in placed):
                return note, box
            note.remove()
    return None


# 2. Time to disclosure -----------------------------------------------------------------------------
def time_to_disclosure(rows_by_scenario: RowsByScenario, historical_days: int = HISTORICAL_DAYS, *,
                       seed: Seed = None, titles: Titles = None) -> Figure:
    """Empirical CDF of days from warrant to disclosure per scenario, over every replication: its plateau is
    the share ever disclosed (the rest, never disclosed, is in the legend). The real case's 1,595 days from
    the warrant to final disposition are marked as what they are: not a disclosure date."""
    names = list(rows_by_scenario)
    colours, shown = palette(names), shown_names(names, titles)
    never = {name: f"{sum(r['days_to_disclosure'] is None for r in rows) / len(rows):.0%}" if rows else "n/a"
             for name, rows in rows_by_scenario.items()}
    labels = [*(_entry(f"{shown[name]} (never disclosed: {never[name]})") for name in names),
              _entry(HISTORICAL_MARK.format(days=historical_days))]
    fig, chart, ax = _frame(4.6 + legend_height(labels), "How long until the content is disclosed?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    right = 1.04 * max([historical_days, *(r["days_to_disclosure"] or 0 for rows in rows_by_scenario.values()
                                           for r in rows)])
    handles = []
    for name, rows in rows_by_scenario.items():
        days = np.sort([r["days_to_disclosure"] for r in rows if r["days_to_disclosure"] is not None])
        share = np.arange(1, len(days) + 1) / len(rows) if rows else np.array([])
        (line,) = ax.step(np.concatenate([[0], days, [right]]),
                          np.concatenate([[0], share, share[-1:] if len(share) else [0]]),
                          where="post", color=colours[name], lw=2, label=name)
        handles.append(line)
    handles.append(ax.axvline(historical_days, color="0.25", ls="--", lw=1.3, label="historical"))
    ax.annotate(f"Microsoft Ireland:\n{historical_days:,} days from the\nwarrant to the Supreme\nCourt's disposition",
                (historical_days, 0.03), xytext=(5, 0), textcoords="offset points", ha="left", va="bottom",
                fontsize=8.5, color="0.2", bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "0.7"})
    ax.set_xlim(0, right)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Days from the warrant to disclosure of the content (days)")
    ax.set_ylabel("Share of replications disclosed by then (%)")
    top = ax.secondary_xaxis("top", functions=(lambda d: d / 365.25, lambda y: y * 365.25))
    top.set_xlabel("Years from the warrant (years)", fontsize=9)
    ax.grid(color="0.92")
    legend_below(chart, handles, labels)
    return fig


# 3. How matters end --------------------------------------------------------------------------------
def _share(rows: Sequence[Row], test: Callable[[Row], bool]) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def _rows_height(labels: Sequence[str], fontsize: float, per_row: float) -> float:
    """Inches per scenario row: `per_row`, or what the tallest wrapped tick label needs."""
    return max(per_row, _tick_labels(labels, fontsize)[1] + 0.12)


def how_matters_end(rows_by_scenario: RowsByScenario, *, seed: Seed = None, titles: Titles = None) -> Figure:
    """Stacked horizontal bars, one per scenario: the share of replications ending each way (`ending`);
    only the endings some scenario has are drawn and listed.

    A square in the scenario's colour marks each bar; the segments take the fixed `ENDING_COLOURS`."""
    names = list(rows_by_scenario)
    shown = shown_names(names, titles)
    ticks, _ = _tick_labels([shown[n] for n in names])
    per_row = _rows_height([shown[n] for n in names], 9.0, 0.5)
    fig, chart, ax = _frame(2.4 + per_row * max(len(names), 1), "How do matters end under each scenario?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for cat in ENDINGS:
        shares = np.array([_share(rows, lambda r, c=cat: ending(r) == c) for rows in rows_by_scenario.values()])
        if not shares.any():
            continue  # an ending no scenario has gets no bar and no legend entry
        bars = ax.barh(y, shares, left=left, height=0.62, color=ENDING_COLOURS[cat], edgecolor="white",
                       linewidth=0.8, label=cat, hatch="//" if cat == "mooted" else None)
        dark = cat in ("disclosed via warrant", "disclosed via executive agreement")
        ax.bar_label(bars, [f"{s:.0%}" if s >= 0.06 else "" for s in shares], label_type="center", fontsize=8,
                     color="white" if dark else "black")
        left += shares
    colours = palette(names)
    ax.scatter(np.full(len(names), -0.012), y, marker="s", s=60, c=[colours[n] for n in names], clip_on=False,
               transform=ax.get_yaxis_transform(), zorder=5)
    ax.set_yticks(y, ticks, fontsize=9)
    ax.tick_params(axis="y", pad=12)
    ax.set_ylim(-0.6, max(len(names), 1) - 0.4)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Share of replications (%)")
    ax.set_ylabel("Scenario")
    handles, labels = ax.get_legend_handles_labels()
    legend_below(chart, handles, labels, title="How the matter ended")
    return fig


# 4. How far matters go -----------------------------------------------------------------------------
LEVEL_NAMES = {"magistrate": "Magistrate judge", "district": "District court", "circuit": "Court of appeals\n(panel)",
               "en_banc": "Court of appeals\n(en banc)", "supreme": "Supreme Court"}


def how_far(rows_by_scenario: RowsByScenario, *, seed: Seed = None, titles: Titles = None) -> Figure:
    """Grouped bars: the share of replications that came before each court level, per scenario."""
    names = list(rows_by_scenario)
    colours, shown = palette(names), shown_names(names, titles)
    labels = [_entry(shown[n]) for n in names]
    fig, chart, ax = _frame(4.4 + legend_height(labels, title=True), "How far up the courts do matters go?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    x = np.arange(len(LEVELS))
    width = 0.8 / max(len(names), 1)
    handles = []
    for i, (name, rows) in enumerate(rows_by_scenario.items()):
        shares = [_share(rows, lambda r, lv=level: lv in r["reached"]) for level in LEVELS]
        bars = ax.bar(x - 0.4 + width * (i + 0.5), shares, width * 0.92, color=colours[name], edgecolor="0.25",
                      linewidth=0.5, label=name)
        handles.append(bars)
        if len(names) <= 3:
            ax.bar_label(bars, [f"{s:.0%}" for s in shares], fontsize=8, padding=2)
    ax.set_xticks(x, [LEVEL_NAMES[level] for level in LEVELS])
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("Share of replications reaching the court (%)")
    ax.set_xlabel("Court level (in order of appeal)")
    ax.grid(axis="y", color="0.92")
    ax.set_axisbelow(True)
    legend_below(chart, handles, labels, title="Scenario")
    return fig


# 5. Paired differences -----------------------------------------------------------------------------
def _forest(ax: Any, y: np.ndarray, pairs: Sequence[Mapping[str, Any]], key: str, scale: float,
            colours: Mapping[str, str], marker: str = "o", filled: bool = True) -> None:
    """One point with its 95% whiskers per pair, at heights `y`."""
    for yi, p in zip(y, pairs, strict=True):
        e = p[key]
        if e["estimate"] is None:
            ax.text(0, yi, "  n/a", va="center", fontsize=8, color="0.4")
            continue
        est = e["estimate"] * scale
        below = max(0.0, est - e["low"] * scale) if e["low"] is not None else 0.0  # rounding may put the
        above = max(0.0, e["high"] * scale - est) if e["high"] is not None else 0.0  # bound past the estimate
        colour = colours[p["scenario"]]
        ax.errorbar([est], [yi], xerr=[[below], [above]], fmt=marker, color=colour, ms=7, capsize=4, lw=1.8,
                    mfc=colour if filled else "white", label=p["scenario"])


def paired_differences(pairs: Sequence[Mapping[str, Any]], *, n: int | Sequence[int] | None = None,
                       seed: Seed = None, titles: Titles = None) -> Figure:
    """Forest plot of each scenario minus the baseline, replication by replication over the same matters
    (same seeds, common random numbers), with 95% intervals: the change in P(disclosed), in P(disclosed
    within one and two years), and in the restricted mean days to disclosure. Pairs with a "note" (not
    paired) are left out."""
    usable = [p for p in pairs if "note" not in p]
    baseline = pairs[0]["baseline"] if pairs else ""
    names = [baseline, *(p["scenario"] for p in pairs)] if pairs else []
    colours, shown = palette(names), shown_names(names, titles)
    ticks, _ = _tick_labels([shown[p["scenario"]] for p in usable], width=190.0)
    per_row = _rows_height([shown[p["scenario"]] for p in usable], 9.0, 0.55)
    question = f"How does each scenario change disclosure against the baseline, {shown.get(baseline, 'none')}?"
    fig, chart, (left, middle, right) = _frame(
        2.4 + per_row * max(len(usable), 1), question, names,
        _n_text([] if n is None else [n] if isinstance(n, int) else list(n)), seed,
        "paired replication by replication (common random numbers); points: estimates, whiskers: 95% intervals",
        ncols=3, sharey=True)
    y = np.arange(len(usable))[::-1].astype(float)
    one, two = measures.WITHIN_DAYS
    panels = ((left, "Change in P(disclosed)", "percentage points"),
              (middle, "Change in P(disclosed within\n1 year, 2 years)", "percentage points"),
              (right, f"Change in restricted mean days\nto disclosure ({measures.HORIZON_DAYS:,}-day horizon)",
               "days"))
    _forest(left, y, usable, "p_disclosed", 100.0, colours)
    _forest(middle, y + 0.14, usable, f"p_disclosed_within_{one}", 100.0, colours, "o", filled=False)
    _forest(middle, y - 0.14, usable, f"p_disclosed_within_{two}", 100.0, colours, "s")
    _forest(right, y, usable, "restricted_mean_days", 1.0, colours)
    for ax, title, unit in panels:
        ax.axvline(0, color="0.3", lw=1)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlabel(f"Difference ({unit})", fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.tick_params(axis="x", labelsize=8.5)
        ax.grid(axis="x", color="0.92")
        ax.margins(x=0.15)
    left.set_yticks(y, ticks, fontsize=9)
    left.set_ylim(-0.6, max(len(usable), 1) - 0.4)
    if usable:
        grey = {"color": "0.3", "ls": "", "markersize": 7}
        legend_below(chart, [Line2D([], [], marker="o", mfc="white", **grey), Line2D([], [], marker="s", **grey)],
                [measures.within(one), measures.within(two)])
    else:
        _empty(left, "no scenario to compare with the baseline")
    return fig


# 6. Sensitivity ------------------------------------------------------------------------------------
def as_number(value: Any) -> float | None:
    """A swept value as a number, if it is one (given as a number or as text, e.g. "0.5"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _with_interval(ax: Any, xs: Sequence[float], summaries: Sequence[Mapping[str, Any]], measure: str,
                   colour: str, marker: str = "o", filled: bool = True, label: str = "") -> Any:
    """A measure's estimates joined by a line, each with its 95% interval; values with none are skipped."""
    at = [(x, s[measure]) for x, s in zip(xs, summaries, strict=True) if s[measure]["estimate"] is not None]
    est = np.array([e["estimate"] for _, e in at])
    low = np.array([e["estimate"] if e["low"] is None else e["low"] for _, e in at])
    high = np.array([e["estimate"] if e["high"] is None else e["high"] for _, e in at])
    return ax.errorbar([x for x, _ in at], est, yerr=np.clip([est - low, high - est], 0, None).reshape(2, -1),
                       fmt=f"{marker}-", color=colour, mfc=colour if filled else "white", capsize=4, lw=1.6, ms=6,
                       label=label)


def sensitivity(points: Sequence[tuple[Any, Mapping[str, Any]]], key: str, measure_label: str, *,
                colour: str | None = None, title: str | None = None) -> Figure:
    """Disclosure and its timing against the swept value of one parameter, with 95% intervals: P(disclosed)
    and P(disclosed within two years); the restricted mean days to disclosure; the median among disclosed.

    `points` are (value, summary dict); `key` is the parameter's key path, `measure_label` its unit
    (e.g. "probability", "days"); `colour` the scenario's (else from the first point's name), `title` its
    title for the footer. Numbers (or numeric text) are placed on a numeric axis in order; other values
    are shown as categories, in the order given."""
    numeric = all(as_number(v) is not None for v, _ in points)
    ordered = sorted(points, key=lambda p: as_number(p[0])) if numeric else list(points)
    xs = [as_number(v) for v, _ in ordered] if numeric else list(range(len(ordered)))
    names = list(dict.fromkeys(s["scenario"] for _, s in ordered))
    seeds = sorted({s["seed"] for _, s in ordered})
    fig, chart, (top, middle, bottom) = _frame(
        7.6, f"How do disclosure and its timing respond to {key}?", [title] if title else names,
        _n_text(sorted({s["n"] for _, s in ordered})), seeds[0] if len(seeds) == 1 else None,
        f"{len(ordered)} values of {key}", nrows=3, sharex=True)
    colour = colour or (palette(names)[names[0]] if names else INK)
    summaries = [s for _, s in ordered]
    two = measures.WITHIN_DAYS[-1]
    ever = _with_interval(top, xs, summaries, "p_disclosed", colour, label=measures.P_DISCLOSED)
    within = _with_interval(top, xs, summaries, f"p_disclosed_within_{two}", colour, "s", filled=False,
                            label=measures.within(two))
    _with_interval(middle, xs, summaries, "restricted_mean_days", colour)
    _with_interval(bottom, xs, summaries, "median_days", colour)
    for ax, ylabel in ((top, "Share of replications (%)"),
                       (middle, f"Restricted mean days\n({measures.HORIZON_DAYS:,}-day horizon)"),
                       (bottom, "Median days, among\ndisclosed matters")):
        ax.set_ylabel(ylabel, fontsize=9)
        ax.grid(color="0.92")
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    if not numeric:
        bottom.set_xticks(xs, [fit(str(v), 9, LINE / max(len(xs), 1) - 6) for v, _ in ordered], fontsize=9)
    bottom.set_xlabel(plain(f"{key} ({measure_label})"))
    legend_below(chart, [ever, within, Line2D([], [], color="0.3", marker="|", ls="-", markersize=8)],
            [measures.P_DISCLOSED, measures.within(two), "whiskers: 95% interval"])
    return fig


# 7. Calibration: where the real case falls ---------------------------------------------------------
STAGE_NAMES = {"magistrate": "Magistrate judge\n(warrant to ruling)",
               "district": "District judge\n(ruling to ruling)",
               "circuit": "Court of appeals\n(notice to decision)",
               "rehearing": "Rehearing\n(decision to ruling)",
               "certiorari": "Certiorari\n(petition to decision)",
               "merits": "Supreme Court merits\n(grant to decision)",
               "mlat": "MLAT request\n(sent to answer)",
               "total": "Whole matter\n(warrant to disposition)"}


def where_the_real_case_falls(stages: Sequence[Mapping[str, Any]], *, scenario: str, n: int, seed: Seed = None,
                              colour: str = INK) -> Figure:
    """One row per stage: the simulated 5-95% band and median of its days, the real case's interval with its
    percentile, and published statistics that measure the same interval (labelled with their section).

    `stages`: mappings with stage, n, median, low, high, historical, percentile and published (a list of
    (days, label) pairs); days on a log scale."""
    fig, chart, ax = _frame(1.6 + 0.62 * max(len(stages), 1), "Where does the real case fall?", [scenario],
                            _n_text([n]), seed, "bands: 5th to 95th percentile of the simulated stages")
    y = np.arange(len(stages))[::-1]
    ax.set_xscale("log")
    values = [v for s in stages for v in (s["low"], s["high"], s["historical"], *(d for d, _ in s["published"]))
              if v is not None]
    lo, hi = max(1.0, min(values, default=10) * 0.6), max(values, default=1000) * 2.2
    ax.set_xlim(lo, hi)
    for yi, s in zip(y, stages, strict=True):
        if s["median"] is None:  # no band to set the real case in: said in words, with no marker over them
            real = "" if s["historical"] is None else f" (the real case: {s['historical']:,} days)"
            ax.text(lo * 1.15, yi, f"not reached in the simulation{real}", va="center", fontsize=8.5, color="0.45")
            continue
        else:
            ax.barh(yi, max(s["high"], 1) - max(s["low"], 1), left=max(s["low"], 1), height=0.42, color=colour,
                    alpha=0.35, edgecolor=colour)
            ax.plot([max(s["median"], 1)] * 2, [yi - 0.26, yi + 0.26], color="0.15", lw=2.2)
        for k, (days, label) in enumerate(sorted(s["published"])):  # labels stacked, nearest the axis first
            ax.scatter([days], [yi + 0.3], marker="v", s=46, facecolor="white", edgecolor="0.2", zorder=4)
            ax.annotate(plain(label), (days, yi + 0.3), xytext=(4, 3 + 9 * k), textcoords="offset points", fontsize=7,
                        color="0.25")
        if s["historical"] is not None:
            real = max(s["historical"], 1)
            ax.scatter([real], [yi], marker="D", s=58, color="black", zorder=5)
            where = "" if s["percentile"] is None else f", {percentile_words(s['percentile'], ordinal=True)}"
            ax.annotate(f"{s['historical']:,} days{where}", (real, yi), xytext=(7, -11), textcoords="offset points",
                        fontsize=8, bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.set_yticks(y, [STAGE_NAMES.get(s["stage"], s["stage"]) for s in stages], fontsize=8.5)
    ax.set_ylim(-0.7, len(stages) - 0.3)
    ax.set_xlabel("Days at the stage (log scale)")
    ax.grid(axis="x", which="both", color="0.92")
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=colour, alpha=0.35, edgecolor=colour, label="simulated 5-95% band"),
               Line2D([], [], color="0.15", lw=2.2, label="simulated median"),
               Line2D([], [], marker="D", color="black", ls="", markersize=7, label="the real case (percentile)"),
               Line2D([], [], marker="v", markerfacecolor="white", markeredgecolor="0.2", ls="", markersize=7,
                      label="published statistic (sources §)")]
    chart.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8.5)
    return fig
