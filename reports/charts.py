"""Charts of simulated outcomes: one function per chart, each answering one question, each returning a Figure.

Plain data in (outcome rows of `sim.projections.outcome_row`, summary dicts of `sim.results.Tally.summary`,
docket entries of `sim.projections.entries`), a `matplotlib.figure.Figure` out. Figures are made
without pyplot, on an Agg canvas, so no global state is kept and they are garbage collected. Each
scenario keeps one colour in every chart (`palette`, Okabe-Ito: safe for colour-blind readers), and
every chart's footer names the scenarios, n, seed and docketsim version.
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
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim import __version__
from sim.domain.ladder import LADDER
from sim.domain.outcomes import UNDER_NEW_WARRANT
from sim.projections import LEVELS

Row = Mapping[str, Any]
RowsByScenario = Mapping[str, Sequence[Row]]

# Okabe & Ito (2008), reordered so the first scenarios get the strongest colours (yellow last but one).
OKABE_ITO = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442", "#000000")
HISTORICAL_DAYS = 1595  # Microsoft Ireland: warrant 2013-12-04 to dismissal as moot 2018-04-17
WIDTH = 10.0  # inches


def palette(scenario_names: Iterable[str]) -> dict[str, str]:
    """A colour per scenario, in the order given (the same order gives the same colours).

    >>> palette(["location_rule", "cloud_act"])
    {'location_rule': '#0072b2', 'cloud_act': '#e69f00'}
    """
    names = list(dict.fromkeys(scenario_names))
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(names)}


# How a matter ends ----------------------------------------------------------------------------
ENDINGS = ("disclosed via warrant", "disclosed via MLAT", "disclosed via new warrant after legislation",
           "not disclosed", "mooted")
ENDING_COLOURS = dict(zip(ENDINGS, ("#332288", "#88ccee", "#ddcc77", "#cc6677", "#aaaaaa"),
                          strict=True))  # Paul Tol's "muted" scheme: distinct from the scenario colours
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
    """Text from a scenario shown as written: a `$` would otherwise start matplotlib's mathtext.

    >>> plain("costs $5 or $6")
    'costs \\\\$5 or \\\\$6'
    """
    return str(text).replace("$", r"\$")


def wrapped(text: str, width: int = 44) -> str:
    """A scenario name (forks and sweeps make long ones) wrapped for a legend or tick label.

    >>> wrapped("microsoft_ireland_2013@27 cloud_act.enacted=never supreme_court.doctrine=control").split()
    ['microsoft_ireland_2013@27', 'cloud_act.enacted=never', 'supreme_court.doctrine=control']
    """
    return textwrap.fill(plain(text), width, break_on_hyphens=False)


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


def _frame(height: float, question: str, scenarios: Sequence[str], n: str, seed: Seed, extra: str = "",
           **subplots: Any) -> tuple[Figure, SubFigure, Any]:
    """A figure titled with its question: the chart's panel on top, the provenance footer in its own strip
    below (scenarios, n, seed, docketsim version), so legends below the chart never run into it."""
    parts = [f"Scenario{'s' if len(scenarios) != 1 else ''}: {', '.join(scenarios) if scenarios else '(none)'}", n,
             _seed_text(seed), *([extra] if extra else []),
             f"docketsim {__version__}"]
    lines = textwrap.wrap(plain(" · ".join(parts)), width=int(WIDTH * 72 / (7.5 * 0.55)))
    footer_height = (len(lines) * 7.5 * 1.3 + 6) / 72
    fig = Figure(figsize=(WIDTH, height + footer_height), layout="constrained")
    FigureCanvasAgg(fig)
    chart, footer = fig.subfigures(2, 1, height_ratios=[height, footer_height], hspace=0)
    footer.text(0.01, 0.5, "\n".join(lines), fontsize=7.5, color="0.35", ha="left", va="center", linespacing=1.3)
    fig.suptitle(plain(question), fontsize=13, fontweight="bold")
    return fig, chart, chart.subplots(**subplots)


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4")


def save(fig: Figure, out_dir: str | Path, stem: str) -> tuple[Path, Path]:
    """Write `fig` as OUT_DIR/STEM.png (150 dpi) and OUT_DIR/STEM.svg; return both paths. Both are
    reproducible: the same figure saved under the same stem gives the same bytes."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    fig.savefig(png, dpi=150, facecolor="white")
    with rc_context({"svg.hashsalt": f"docketsim/{stem}"}):  # the same chart gives the same bytes
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


def case_timeline(entries: Sequence[Row], title: str, *, scenario: str = "", seed: Seed = None,
                  colour: str = OKABE_ITO[0]) -> Figure:
    """Where the matter stood, and when: one lane per court (en banc in the circuit's lane), a bar from
    the first to the last entry before each court, a tick per docket entry, rulings labelled.

    `scenario` and `seed` (the replication's) go in the footer; `colour` is the scenario's colour."""
    days = [dt.date.fromisoformat(e["date"]) for e in entries]
    span_text = f"1 matter, {len(entries)} docket entries"
    if entries:
        span_text += f", {(max(days) - min(days)).days:,} days from first to last"
    fig, chart, ax = _frame(7.6, TIMELINE_QUESTION, [scenario] if scenario else [], span_text, seed)
    ax.set_title(plain(title), fontsize=10.5, loc="left")
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
    _label_key_events(ax, keys, y_of, colour)
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
    return fig


def _label_key_events(ax: Any, keys: Mapping[str, list[tuple[dt.date, str]]], y_of: Mapping[str, int],
                      colour: str) -> None:
    """Diamonds at key events, each label in the free space just above or just below its lane.

    The space between two lanes is shared by the labels below the upper lane and above the lower one; a
    label goes where it overlaps no other label (else where it overlaps least), and stays inside the axes.
    """
    lo, hi = ax.get_xlim()
    days_per_char = (hi - lo) / (WIDTH * 0.78 * 72 / (7.5 * 0.58))  # axes ~78% of the width, 7.5 pt text
    taken: dict[int, list[tuple[float, float]]] = {}  # gap k lies between lane y = k and lane y = k + 1
    for lane, _ in LANES:
        y = y_of[lane]
        for day, label in _lane_labels(keys.get(lane, [])):
            x = mdates.date2num(day)
            text = plain("\n".join(textwrap.wrap(label, 28))) + f"\n{day:%-d %b %Y}"
            width = max(len(line) for line in text.splitlines()) * days_per_char
            ha = "left" if x - width / 2 < lo else "right" if x + width / 2 > hi else "center"
            x0 = {"left": x, "right": x - width, "center": x - width / 2}[ha]

            def overlap(gap: int, x0: float = x0, width: float = width) -> float:
                return sum(max(0.0, min(x0 + width, b) - max(x0, a)) for a, b in taken.get(gap, []))

            gap = min((y, y - 1), key=overlap)  # above first: min keeps the first of equals
            taken.setdefault(gap, []).append((x0 - days_per_char, x0 + width + days_per_char))
            above = gap == y
            ax.scatter([x], [y], marker="D", s=42, color=colour, edgecolors="black", linewidths=0.8, zorder=4)
            note = ax.annotate(text, (x, y), xytext=(0, 10 if above else -10), textcoords="offset points", ha=ha,
                               va="bottom" if above else "top", fontsize=7.5, linespacing=1.05, zorder=5,
                               bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85})
            note.set_in_layout(False)


# 2. Time to disclosure -----------------------------------------------------------------------------
def time_to_disclosure(rows_by_scenario: RowsByScenario, historical_days: int = HISTORICAL_DAYS, *,
                       seed: Seed = None) -> Figure:
    """Empirical CDF of days from warrant to disclosure per scenario; its plateau is the share ever
    disclosed (the rest, never disclosed, is in the legend), and the real case's 1,595 days are marked."""
    names = list(rows_by_scenario)
    fig, chart, ax = _frame(6.0, "How long until the content is disclosed?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    colours = palette(names)
    right = 1.04 * max([historical_days, *(r["days_to_disclosure"] or 0 for rows in rows_by_scenario.values()
                                           for r in rows)])
    for name, rows in rows_by_scenario.items():
        days = np.sort([r["days_to_disclosure"] for r in rows if r["days_to_disclosure"] is not None])
        share = np.arange(1, len(days) + 1) / len(rows) if rows else np.array([])
        never = f"{1 - len(days) / len(rows):.0%}" if rows else "n/a"
        ax.step(np.concatenate([[0], days, [right]]), np.concatenate([[0], share, share[-1:] if len(share) else [0]]),
                where="post", color=colours[name], lw=2, label=f"{wrapped(name)} (never disclosed: {never})")
    ax.axvline(historical_days, color="0.25", ls="--", lw=1.3, label=f"Microsoft Ireland, {historical_days:,} days")
    ax.annotate(f"Microsoft Ireland:\n{historical_days:,} days from warrant\nto final disposition",
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
    chart.legend(loc="outside lower center", ncols=2 if len(names) > 2 else len(names) + 1, fontsize=8.5,
                 frameon=False)
    return fig


# 3. How matters end --------------------------------------------------------------------------------
def _share(rows: Sequence[Row], test: Callable[[Row], bool]) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def how_matters_end(rows_by_scenario: RowsByScenario, *, seed: Seed = None) -> Figure:
    """Stacked horizontal bars, one per scenario: the share of replications ending each way (`ending`).

    A square in the scenario's colour marks each bar; the segments take the fixed `ENDING_COLOURS`."""
    names = list(rows_by_scenario)
    fig, chart, ax = _frame(2.4 + 0.5 * max(len(names), 1), "How do matters end under each scenario?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for cat in ENDINGS:
        shares = np.array([_share(rows, lambda r, c=cat: ending(r) == c) for rows in rows_by_scenario.values()])
        bars = ax.barh(y, shares, left=left, height=0.62, color=ENDING_COLOURS[cat], edgecolor="white",
                       linewidth=0.8, label=cat, hatch="//" if cat == "mooted" else None)
        dark = cat in ("disclosed via warrant", "disclosed via executive agreement")
        ax.bar_label(bars, [f"{s:.0%}" if s >= 0.06 else "" for s in shares], label_type="center", fontsize=8,
                     color="white" if dark else "black")
        left += shares
    colours = palette(names)
    ax.scatter(np.full(len(names), -0.012), y, marker="s", s=60, c=[colours[n] for n in names], clip_on=False,
               transform=ax.get_yaxis_transform(), zorder=5)
    ax.set_yticks(y, [wrapped(name, 36) for name in names])
    ax.tick_params(axis="y", pad=12)
    ax.set_ylim(-0.6, max(len(names), 1) - 0.4)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("Share of replications (%)")
    ax.set_ylabel("Scenario")
    chart.legend(loc="outside lower center", ncols=3, fontsize=8.5, frameon=False, title="How the matter ended",
                 title_fontsize=9)
    return fig


# 4. How far matters go -----------------------------------------------------------------------------
LEVEL_NAMES = {"magistrate": "Magistrate judge", "district": "District court", "circuit": "Court of appeals\n(panel)",
               "en_banc": "Court of appeals\n(en banc)", "supreme": "Supreme Court"}


def how_far(rows_by_scenario: RowsByScenario, *, seed: Seed = None) -> Figure:
    """Grouped bars: the share of replications that came before each court level, per scenario."""
    names = list(rows_by_scenario)
    fig, chart, ax = _frame(5.2, "How far up the courts do matters go?", names,
                            _n_text([len(r) for r in rows_by_scenario.values()]), seed)
    colours = palette(names)
    x = np.arange(len(LEVELS))
    width = 0.8 / max(len(names), 1)
    for i, (name, rows) in enumerate(rows_by_scenario.items()):
        shares = [_share(rows, lambda r, lv=level: lv in r["reached"]) for level in LEVELS]
        bars = ax.bar(x - 0.4 + width * (i + 0.5), shares, width * 0.92, color=colours[name], edgecolor="0.25",
                      linewidth=0.5, label=wrapped(name))
        if len(names) <= 3:
            ax.bar_label(bars, [f"{s:.0%}" for s in shares], fontsize=8, padding=2)
    ax.set_xticks(x, [LEVEL_NAMES[level] for level in LEVELS])
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("Share of replications reaching the court (%)")
    ax.set_xlabel("Court level (in order of appeal)")
    ax.grid(axis="y", color="0.92")
    ax.set_axisbelow(True)
    chart.legend(loc="outside lower center", ncols=min(max(len(names), 1), 4), fontsize=8.5, frameon=False,
                 title="Scenario", title_fontsize=9)
    return fig


# 5. Paired differences -----------------------------------------------------------------------------
def paired_differences(pairs: Sequence[Mapping[str, Any]], *, n: int | Sequence[int] | None = None,
                       seed: Seed = None) -> Figure:
    """Forest plot of each scenario minus the baseline (same seeds, common random numbers): the change in
    P(disclosed) and in median days, with 95% intervals. Pairs with a "note" (not paired) are left out."""
    usable = [p for p in pairs if "note" not in p]
    baseline = pairs[0]["baseline"] if pairs else ""
    names = [baseline, *(p["scenario"] for p in pairs)] if pairs else []
    colours = palette(names)
    question = f"How does each scenario change disclosure, against {baseline or 'the baseline'}?"
    fig, chart, (left, right) = _frame(2.3 + 0.5 * max(len(usable), 1), question, names,
                                       _n_text([] if n is None else [n] if isinstance(n, int) else list(n)), seed,
                                       "paired replication by replication (common random numbers)",
                                       ncols=2, sharey=True)
    y = np.arange(len(usable))[::-1]
    for ax, key, scale, title, xlabel in (
            (left, "p_disclosed", 100.0, "Change in P(disclosed)", "Difference in P(disclosed) (percentage points)"),
            (right, "median_days", 1.0, "Change in median time to disclosure",
             "Difference in median days to disclosure (days)")):
        ax.axvline(0, color="0.3", lw=1)
        for yi, p in zip(y, usable, strict=True):
            e = p[key]
            if e["estimate"] is None:
                ax.text(0, yi, "  n/a (no disclosures)", va="center", fontsize=8, color="0.4")
                continue
            est = e["estimate"] * scale
            below = max(0.0, est - e["low"] * scale) if e["low"] is not None else 0.0  # rounding may put the
            above = max(0.0, e["high"] * scale - est) if e["high"] is not None else 0.0  # bound past the estimate
            ax.errorbar([est], [yi], xerr=[[below], [above]], fmt="o", color=colours[p["scenario"]], ms=7,
                        capsize=4, lw=1.8, label=plain(p["scenario"]) if ax is left else "_nolegend_")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.grid(axis="x", color="0.92")
        ax.margins(x=0.15)
    left.set_yticks(y, [wrapped(p["scenario"], 36) for p in usable])
    left.set_ylim(-0.6, max(len(usable), 1) - 0.4)
    if usable:
        handles, labels = left.get_legend_handles_labels()
        handles.append(Line2D([], [], color="0.3", marker="|", ls="-", markersize=8))
        labels.append("whiskers: 95% interval")
        chart.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=8.5,
                     frameon=False)
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


def sensitivity(points: Sequence[tuple[Any, Mapping[str, Any]]], key: str, measure_label: str) -> Figure:
    """P(disclosed) and median days against the swept value of one parameter, with 95% intervals.

    `points` are (value, summary dict); `key` is the parameter's key path, `measure_label` its unit
    (e.g. "probability", "days"). Numbers (or numeric text) are placed on a numeric axis in order;
    other values are shown as categories, in the order given."""
    numeric = all(as_number(v) is not None for v, _ in points)
    ordered = sorted(points, key=lambda p: as_number(p[0])) if numeric else list(points)
    xs = [as_number(v) for v, _ in ordered] if numeric else list(range(len(ordered)))
    names = list(dict.fromkeys(s["scenario"] for _, s in ordered))
    seeds = sorted({s["seed"] for _, s in ordered})
    fig, _, (top, bottom) = _frame(6.0, f"How do disclosure and its timing respond to {key}?", names,
                                       _n_text(sorted({s["n"] for _, s in ordered})),
                                       seeds[0] if len(seeds) == 1 else None, f"{len(ordered)} values of {key}",
                                       nrows=2, sharex=True)
    colour = palette(names)[names[0]] if names else OKABE_ITO[0]
    for ax, measure, ylabel in ((top, "p_disclosed", "P(disclosed) (%)"),
                                (bottom, "median_days", "Median days to disclosure (days)")):
        at = [(x, s[measure]) for x, (_, s) in zip(xs, ordered, strict=True) if s[measure]["estimate"] is not None]
        est = np.array([e["estimate"] for _, e in at])
        low = np.array([e["estimate"] if e["low"] is None else e["low"] for _, e in at])
        high = np.array([e["estimate"] if e["high"] is None else e["high"] for _, e in at])
        ax.errorbar([x for x, _ in at], est, yerr=np.clip([est - low, high - est], 0, None), fmt="o-", color=colour,
                    capsize=4, lw=1.6, ms=6, label="estimate with 95% interval")
        ax.set_ylabel(ylabel)
        ax.grid(color="0.92")
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    top.legend(loc="best", fontsize=8.5)
    if not numeric:
        bottom.set_xticks(xs, [plain(str(v)) for v, _ in ordered])
    bottom.set_xlabel(plain(f"{key} ({measure_label})"))
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


def ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ...

    >>> [ordinal(k) for k in (1, 2, 3, 11, 12, 13, 22, 43, 100)]
    ['1st', '2nd', '3rd', '11th', '12th', '13th', '22nd', '43rd', '100th']
    """
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def where_the_real_case_falls(stages: Sequence[Mapping[str, Any]], *, scenario: str, n: int, seed: Seed = None,
                              colour: str = OKABE_ITO[0]) -> Figure:
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
        if s["median"] is None:
            ax.text(lo * 1.15, yi, "not reached in the simulation", va="center", fontsize=8.5, color="0.45")
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
            where = "" if s["percentile"] is None else f", {ordinal(round(s['percentile']))} percentile"
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
