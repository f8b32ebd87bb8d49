"""Terminal output: the progress bar of a long run and the tables of its results (rich).

Every cell and title is a rich `Text`, never markup, and text from scenario files and stores goes through
`sim.literal.printable` first: a scenario named ``x[/y]`` or "location_rule [provider.refuses=0.5]", or
titled with escape sequences, prints as written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from reports import measures
from sim.literal import printable
from sim.runs.calibration import percentile_words
from sim.views.projections import LEVELS

console = Console(width=None if sys.stdout.isatty() else 160)


@contextmanager
def progress(label: str, total: int) -> Iterator[Any]:
    """A progress bar (replications done, rate, ETA) on a terminal; silent otherwise.

    Yields a callback `update(done, total)`.
    """
    bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}", markup=False), TimeRemainingColumn(),
                   console=Console(file=sys.stderr), disable=not sys.stderr.isatty(), transient=False)
    with bar:
        task = bar.add_task(printable(label), total=total, rate="")

        def update(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, rate=f"{speed:,.0f} rep/s" if speed else "")

        yield update


def _one(e: dict[str, Any], fmt: str) -> str:
    return "n/a" if e["estimate"] is None else format(e["estimate"], fmt)


def _interval(e: dict[str, Any], fmt: str) -> str:
    if e["estimate"] is None:
        return "n/a"
    low = "n/a" if e["low"] is None else format(e["low"], fmt)
    high = "n/a" if e["high"] is None else format(e["high"], fmt)
    return f"{format(e['estimate'], fmt)}  [{low}, {high}]"


def text(value: Any) -> Text:
    """A table cell or title shown literally: no markup, control characters made visible."""
    return Text(printable(str(value)))


def lines(values: list[str]) -> Text:
    """A table cell of several lines, each shown literally (a line break inside one is made visible)."""
    return Text("\n".join(printable(str(v)) for v in values))


def n_text(s: dict[str, Any]) -> str:
    """'5,000', or for an incomplete run '6,272 stored of 20,000 requested'."""
    requested = s.get("n_requested", s["n"])
    return f"{s['n']:,}" if requested == s["n"] else f"{s['n']:,} stored of {requested:,} requested"


ONE_PATH = "deterministic: every replication identical"


def summary_table(s: dict[str, Any]) -> Table:
    """One run's estimates with 95% intervals; a run whose replications are all identical is one path:
    its values, no interval."""
    one = bool(s.get("deterministic"))
    about = f"one path, {ONE_PATH}: n = {n_text(s)}" if one else f"n = {n_text(s)}"
    table = Table(title=text(f"{s['scenario']}  ({about}, seed {s['seed']})"), title_justify="left",
                  caption=text(f"run {s['run_id']}"), caption_justify="left")
    table.add_column("measure")
    table.add_column("value (one path)" if one else "estimate  [95% interval]", justify="right")

    def shown(e: dict[str, Any], fmt: str) -> str:
        return _one(e, fmt) if one else _interval(e, fmt)

    table.add_row(measures.P_DISCLOSED, shown(s["p_disclosed"], ".3f"))
    for key, label in measures.WITHIN.items():
        table.add_row(label, shown(s[key], ".3f"))
    table.add_row(measures.RESTRICTED_MEAN, shown(s["restricted_mean_days"], ".0f"))
    table.add_row(measures.MEDIAN, shown(s["median_days"], ".0f"))
    table.add_row(measures.P90, shown(s["p90_days"], ".0f"))
    for level in LEVELS:
        table.add_row(f"share reaching {level.replace('_', ' ')}", f"{s['reached'][level]:.3f}")
    table.add_row("share ending in contempt sanctions", f"{s['p_ended_in_contempt']:.3f}")
    table.add_row("share ever held in contempt", f"{s['p_held_in_contempt']:.3f}")
    table.add_row("share mooted", f"{s['p_mooted']:.3f}")
    table.add_row("routes", text(", ".join(f"{k} {v:,}" for k, v in s["routes"].items())))
    return table


def paired_table(pairs: list[dict[str, Any]]) -> Table:
    """Differences of each scenario against the first, replication by replication (same seeds: common
    random numbers, the same matters); the difference of medians among disclosed matters last, marked
    as not paired."""
    baseline = pairs[0]["baseline"]
    table = Table(title=text(f"Paired differences against {baseline} (same seeds, the same matters)"),
                  title_justify="left",
                  caption=f"restricted mean: {measures.RESTRICTED_MEAN_NOTE}; medians: {measures.MEDIAN_NOTE}",
                  caption_justify="left")
    columns = {"p_disclosed": ("delta " + measures.P_DISCLOSED, "+.3f"),
               **{key: ("delta " + label, "+.3f") for key, label in measures.WITHIN.items()},
               "restricted_mean_days": ("delta " + measures.RESTRICTED_MEAN_SHORT, "+.0f"),
               "median_days": ("delta median days among disclosed (not paired)", "+.0f")}
    table.add_column("scenario")
    for label, _ in columns.values():
        table.add_column(f"{label}  [95%]", justify="right")
    for p in pairs:
        if "note" in p:
            table.add_row(text(p["scenario"]), text(p["note"]), *[""] * (len(columns) - 1))
        elif p.get("deterministic"):
            table.add_row(text(f"{p['scenario']} (one path each: {ONE_PATH})"),
                          *(_one(p[key], fmt) for key, (_, fmt) in columns.items()))
        else:
            table.add_row(text(p["scenario"]), *(_interval(p[key], fmt) for key, (_, fmt) in columns.items()))
    return table


def _when(stamp: str) -> str:
    """An ISO timestamp shown as 'YYYY-MM-DD HH:MM:SS' (UTC); other text as it is."""
    return stamp[:19].replace("T", " ") if stamp[:4].isdigit() else stamp


RUN_COLUMNS = ("run id", "scenario", "label", "n", "seed", "started", "finished")


def runs_table(rows: list[dict[str, Any]], width: int | None = None) -> Table | Group:
    """The runs in the store: id, scenario, label (a fork's source and changes, a sweep's key and value)...
    Words are never cut: each column is at least as wide as its longest word, and where the terminal
    (`width` columns) cannot hold such a table, each run is a block of its own lines."""
    cells = [tuple(map(str, (r["run_id"], r["scenario"], r["label"], f"{r['n']:,}", r["seed"], _when(r["started"]),
                             _when(r["finished"])))) for r in rows]
    widest = [max([len(word) for row in cells for word in row[i].split()] + [len(RUN_COLUMNS[i])])
              for i in range(len(RUN_COLUMNS))]
    for i in (0, 5, 6):  # an id, a date and time, "incomplete (n stored)": never wrapped
        widest[i] = max([len(row[i]) for row in cells] + [len(RUN_COLUMNS[i])])
    needed = sum(widest) + 3 * len(RUN_COLUMNS) + 1
    if width is not None and needed > width:
        return Group(*(_run_block(row) for row in cells))
    table = Table(title="Runs in the store", title_justify="left")
    for i, column in enumerate(RUN_COLUMNS):
        table.add_column(column, justify="right" if column in ("n", "seed") else "left", min_width=widest[i],
                         no_wrap=column in ("run id", "started", "finished"))
    for row in cells:
        table.add_row(*map(text, row))
    return table


def _run_block(row: tuple[str, ...]) -> Text:
    run_id, scenario, label, n, seed, started, finished = row
    lines = [f"run {run_id}", f"  scenario {scenario}", *([f"  {label}"] if label else []),
             f"  n {n}, seed {seed}", f"  started {started}, finished {finished}", ""]
    return Text("\n".join(printable(line) for line in lines))


def sweep_table(key: str, scenario: str, points: list[tuple[str, dict[str, Any]]]) -> Table:
    """One row per swept value: its run id and its disclosure measures."""
    table = Table(title=text(f"Sweep of {key} over {scenario} (same seed; each value's run id for `report`)"),
                  title_justify="left")
    for column in ("value", "run id", measures.P_DISCLOSED, measures.WITHIN["p_disclosed_within_730"],
                   measures.RESTRICTED_MEAN_SHORT, "median days among disclosed"):
        table.add_column(f"{column}  [95%]" if column not in ("value", "run id") else column,
                         justify="left" if column in ("value", "run id") else "right", no_wrap=column == "run id")
    for value, s in points:
        table.add_row(text(value), s["run_id"], _interval(s["p_disclosed"], ".3f"),
                      _interval(s["p_disclosed_within_730"], ".3f"), _interval(s["restricted_mean_days"], ".0f"),
                      _interval(s["median_days"], ".0f"))
    return table


def keys_lines(keys: list[Any], value_width: int = 40) -> list[str]:
    """A scenario's settable keys (`sim.runs.authoring.Key`), one line each so that grep finds them: key, type,
    value now (long text shortened), the file that sets it, and its source or assumption."""
    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= value_width else text[:value_width - 1] + "\u2026"

    rows = [("KEY", "TYPE", "VALUE", "SET IN", "SOURCE OR ASSUMPTION"),
            *(tuple(map(printable, (k.path, k.kind, short(k.shown), k.set_in, k.basis))) for k in keys)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    widths[1] = min(widths[1], 16)  # a long type (a choice's words) pushes its own line, not every line
    return ["  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[4]]).rstrip()
            for row in rows]


def calibration_table(c: Any) -> Table:
    """Each stage: simulated median and 5-95% band, the real case and its percentile, published statistics."""
    table = Table(title=text(f"calibration of {c.scenario}  (n = {c.n:,}, seed {c.seed}): where the real case falls"),
                  title_justify="left", caption=f"run {c.run_id}", caption_justify="left")
    for name, justify in (("stage", "left"), ("reached", "right"), ("median days", "right"),
                          ("5-95% band", "right"), ("real case", "right"), ("percentile", "right"),
                          ("published (sources) : simulated", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in c.stages:
        band = "n/a" if s.low is None else f"{s.low:,.0f}-{s.high:,.0f}"
        published = [f"{p.text} ({p.section}): {answer}" for p, answer in s.published]
        table.add_row(*map(text, (s.stage, f"{s.n:,} ({s.share:.0%})", "n/a" if s.median is None else
                                  f"{s.median:,.0f}", band, "-" if s.historical is None else f"{s.historical:,}",
                                  "-" if s.percentile is None else percentile_words(s.percentile))),
                      lines(published or ["-"]))
    return table
