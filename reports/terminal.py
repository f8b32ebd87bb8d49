"""Terminal output: the progress bar of a long run and the tables of its results (rich).

Every cell and title is a rich `Text`, never markup, and text from scenario files and stores goes through
`sim.literal.printable` first: a scenario named ``x[/y]`` or titled with escape sequences prints as written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from sim.literal import printable
from sim.projections import LEVELS

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


def _interval(e: dict[str, Any], fmt: str) -> str:
    if e["estimate"] is None:
        return "n/a"
    low = "n/a" if e["low"] is None else format(e["low"], fmt)
    high = "n/a" if e["high"] is None else format(e["high"], fmt)
    return f"{format(e['estimate'], fmt)}  [{low}, {high}]"


def text(value: Any) -> Text:
    """A table cell or title shown literally: no markup, control characters made visible."""
    return Text(printable(str(value)))


def n_text(s: dict[str, Any]) -> str:
    """'5,000', or for an incomplete run '6,272 stored of 20,000 requested'."""
    requested = s.get("n_requested", s["n"])
    return f"{s['n']:,}" if requested == s["n"] else f"{s['n']:,} stored of {requested:,} requested"


def summary_table(s: dict[str, Any]) -> Table:
    """One run's estimates with 95% intervals."""
    table = Table(title=text(f"{s['scenario']}  (n = {n_text(s)}, seed {s['seed']})"), title_justify="left",
                  caption=text(f"run {s['run_id']}"), caption_justify="left")
    table.add_column("measure")
    table.add_column("estimate  [95% interval]", justify="right")
    table.add_row("P(disclosed)", _interval(s["p_disclosed"], ".3f"))
    table.add_row("median days to disclosure", _interval(s["median_days"], ".0f"))
    table.add_row("90th percentile days", _interval(s["p90_days"], ".0f"))
    for level in LEVELS:
        table.add_row(f"share reaching {level.replace('_', ' ')}", f"{s['reached'][level]:.3f}")
    table.add_row("share ending in contempt sanctions", f"{s['p_ended_in_contempt']:.3f}")
    table.add_row("share ever held in contempt", f"{s['p_held_in_contempt']:.3f}")
    table.add_row("share mooted", f"{s['p_mooted']:.3f}")
    table.add_row("routes", text(", ".join(f"{k} {v:,}" for k, v in s["routes"].items())))
    return table


def paired_table(pairs: list[dict[str, Any]]) -> Table:
    """Paired differences of each scenario against the first (same seeds: common random numbers)."""
    baseline = pairs[0]["baseline"]
    table = Table(title=text(f"Paired differences against {baseline}"), title_justify="left")
    table.add_column("scenario")
    table.add_column("delta P(disclosed)  [95%]", justify="right")
    table.add_column("delta median days  [95%]", justify="right")
    for p in pairs:
        if "note" in p:
            table.add_row(text(p["scenario"]), text(p["note"]), "")
        else:
            table.add_row(text(p["scenario"]), _interval(p["p_disclosed"], "+.3f"),
                          _interval(p["median_days"], "+.0f"))
    return table


def _when(stamp: str) -> str:
    """An ISO timestamp shown as 'YYYY-MM-DD HH:MM:SS' (UTC); other text as it is."""
    return stamp[:19].replace("T", " ") if stamp[:4].isdigit() else stamp


def runs_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Runs in the store", title_justify="left")
    for column in ("run id", "scenario", "n", "seed", "started", "finished"):
        table.add_column(column, justify="right" if column in ("n", "seed") else "left")
    for r in rows:
        table.add_row(*map(text, (r["run_id"], r["scenario"], f"{r['n']:,}", r["seed"], _when(r["started"]),
                                  _when(r["finished"]))))
    return table
