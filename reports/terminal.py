"""Terminal output: the progress bar of a long run and the tables of its results (rich)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sim.projections import LEVELS

console = Console(width=None if sys.stdout.isatty() else 160)


@contextmanager
def progress(label: str, total: int) -> Iterator[Any]:
    """A progress bar (replications done, rate, ETA) on a terminal; silent otherwise.

    Yields a callback `update(done, total)`.
    """
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                   console=Console(file=sys.stderr), disable=not sys.stderr.isatty(), transient=False)
    with bar:
        task = bar.add_task(label, total=total, rate="")

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


def summary_table(s: dict[str, Any]) -> Table:
    """One run's estimates with 95% intervals."""
    table = Table(title=f"{s['scenario']}  (n = {s['n']:,}, seed {s['seed']})", title_justify="left",
                  caption=f"run {s['run_id']}", caption_justify="left")
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
    table.add_row("routes", ", ".join(f"{k} {v:,}" for k, v in s["routes"].items()))
    return table


def paired_table(pairs: list[dict[str, Any]]) -> Table:
    """Paired differences of each scenario against the first (same seeds: common random numbers)."""
    baseline = pairs[0]["baseline"]
    table = Table(title=f"Paired differences against {baseline}", title_justify="left")
    table.add_column("scenario")
    table.add_column("delta P(disclosed)  [95%]", justify="right")
    table.add_column("delta median days  [95%]", justify="right")
    for p in pairs:
        if "note" in p:
            table.add_row(p["scenario"], p["note"], "")
        else:
            table.add_row(p["scenario"], _interval(p["p_disclosed"], "+.3f"), _interval(p["median_days"], "+.0f"))
    return table


def _when(stamp: str) -> str:
    """An ISO timestamp shown as 'YYYY-MM-DD HH:MM:SS' (UTC); other text as it is."""
    return stamp[:19].replace("T", " ") if stamp[:4].isdigit() else stamp


def runs_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Runs in the store", title_justify="left")
    for column in ("run id", "scenario", "n", "seed", "started", "finished"):
        table.add_column(column, justify="right" if column in ("n", "seed") else "left")
    for r in rows:
        table.add_row(r["run_id"], r["scenario"], f"{r['n']:,}", str(r["seed"]), _when(r["started"]),
                      _when(r["finished"]))
    return table


def calibration_table(c: Any) -> Table:
    """Each stage: simulated median and 5-95% band, the real case and its percentile, published statistics."""
    table = Table(title=f"calibration of {c.scenario}  (n = {c.n:,}, seed {c.seed}): where the real case falls",
                  title_justify="left", caption=f"run {c.run_id}", caption_justify="left")
    for name, justify in (("stage", "left"), ("reached", "right"), ("median days", "right"),
                          ("5-95% band", "right"), ("real case", "right"), ("percentile", "right"),
                          ("published (sources) : simulated", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in c.stages:
        band = "n/a" if s.low is None else f"{s.low:,.0f}-{s.high:,.0f}"
        published = "\n".join(f"{p.text} ({p.section}): {answer}" for p, answer in s.published)
        table.add_row(s.stage, f"{s.n:,} ({s.share:.0%})", "n/a" if s.median is None else f"{s.median:,.0f}", band,
                      "-" if s.historical is None else f"{s.historical:,}",
                      "-" if s.percentile is None else f"{s.percentile:.0f}", published or "-")
    return table
