"""An experiment's outputs: experiment.csv, sensitivity.csv, a chart per measure and index.html.

experiment.csv has one row per design point: `point`, one column per factor key, then per measure
`MEASURE`, `MEASURE_low`, `MEASURE_high` (its 95% interval across the point's replications).
sensitivity.csv has the columns `measure, key, index, value, low, high`: Morris `mu_star` (with its bootstrap
95% interval) and `sigma`, or Sobol `S1` and `ST` (with theirs), keys ranked within each measure, most
influential first. Both are written the same way from a fresh run and from the store (`report`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
from matplotlib.figure import Figure

from reports import charts, measures
from reports.html import TEMPLATES, breakable
from sim import __version__
from sim.runs.designs import Index
from sim.runs.experiment import ExperimentResult
from sim.views.results import csv_cell

LABELS = {"p_disclosed": measures.P_DISCLOSED, "restricted_mean_days": measures.RESTRICTED_MEAN_SHORT,
          "median_days": "median days to disclosure (disclosed matters)",
          "p90_days": "90th percentile days to disclosure (disclosed matters)",
          "p_held_in_contempt": "P(held in contempt)", "p_ended_in_contempt": "P(ended in contempt)",
          "p_mooted": "P(mooted)", **measures.WITHIN}


def label(measure: str) -> str:
    """A measure's name for people (reached_LEVEL: 'P(reached LEVEL)')."""
    return LABELS.get(measure) or f"P(reached {measure.removeprefix('reached_')})"


def _number(x: float | None) -> Any:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else x


def write_experiment_csv(result: ExperimentResult, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["point", *result.keys, *(c for m in result.measures for c in (m, f"{m}_low", f"{m}_high"))])
        for i, (values, estimates) in enumerate(zip(result.values, result.estimates, strict=True)):
            out.writerow([i, *(csv_cell(v) for v in values),
                          *(_number(x) for m in result.measures for x in estimates[m])])


def write_sensitivity_csv(result: ExperimentResult, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["measure", "key", "index", "value", "low", "high"])
        for measure in result.measures:
            for key, index, value, low, high in result.indices.get(measure, []):
                out.writerow([measure, key, index, _number(value), _number(low), _number(high)])


def morris_chart(result: ExperimentResult, measure: str) -> Figure:
    """mu_star (how much a factor moves the measure, over its whole range) against sigma (how much that
    depends on the other factors: interactions or non-linearity), each factor a labelled point."""
    found = _by_key(result.indices[measure])
    keys = list(found)
    mu = np.array([found[k]["mu_star"][0] for k in keys])
    sigma = np.array([found[k]["sigma"][0] for k in keys])
    low = np.array([found[k]["mu_star"][1] if found[k]["mu_star"][1] is not None else found[k]["mu_star"][0]
                    for k in keys])
    fig = Figure(figsize=(charts.WIDTH, 6.4))
    ax = fig.add_axes((0.08, 0.16, 0.56, 0.72))
    ax.errorbar(mu, sigma, xerr=np.clip(mu - low, 0, None), fmt="o", color=charts.INK, ecolor="0.6", capsize=3)
    ranked = sorted(range(len(keys)), key=lambda i: -_finite(mu[i]))
    for place, i in enumerate(ranked[:12]):
        ax.annotate(f"{place + 1}", (mu[i], sigma[i]), xytext=(4, 3), textcoords="offset points", fontsize=8)
    listing = "\n".join(f"{place + 1}. {charts.fit(keys[i], 7.5, 190)} ({mu[i]:.3g})"
                        for place, i in enumerate(ranked[:12]))
    fig.text(0.66, 0.88, f"Ranked by mu_star:\n{listing}", va="top", fontsize=7.5)
    ax.set_xlabel(f"mu_star: mean |elementary effect| on {label(measure)}")
    ax.set_ylabel("sigma: spread of the elementary effects")
    ax.grid(color="0.92")
    fig.suptitle(charts.fit(f"Which assumptions move {label(measure)}? (Morris screening)", 12, 700),
                 x=0.09, ha="left", fontsize=12)
    _footer(fig, result, "whiskers: bootstrap 95% interval of mu_star")
    return fig


def sobol_chart(result: ExperimentResult, measure: str) -> Figure:
    """First-order (S1) and total (ST) indices with their intervals, keys ranked by ST."""
    found = _by_key(result.indices[measure])
    keys = list(found)
    y = np.arange(len(keys))[::-1]
    fig = Figure(figsize=(charts.WIDTH, 1.6 + 0.32 * len(keys)))
    ax = fig.add_axes((0.36, 0.16, 0.6, 0.72))
    for offset, index, colour in ((0.18, "S1", "#88ccee"), (-0.18, "ST", "#332288")):
        value = np.array([found[k][index][0] for k in keys])
        low = np.array([found[k][index][1] if found[k][index][1] is not None else v for k, v in zip(keys, value,
                                                                                                     strict=True)])
        ax.barh(y + offset, value, height=0.34, color=colour, label=index,
                xerr=np.clip(value - low, 0, None), error_kw={"ecolor": "0.4", "capsize": 2})
    ax.set_yticks(y, [charts.fit(k, 8, 300) for k in keys], fontsize=8)
    ax.set_xlabel(f"share of the variance of {label(measure)}")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", color="0.92")
    fig.suptitle(charts.fit(f"Which assumptions drive {label(measure)}? (Sobol' indices)", 12, 700), x=0.05,
                 ha="left", fontsize=12)
    _footer(fig, result, "S1: the factor alone; ST: with its interactions; whiskers: bootstrap 95% interval")
    return fig


def _footer(fig: Figure, result: ExperimentResult, extra: str) -> None:
    text = (f"{result.name}: {len(result.values):,} design points of {result.base}, {result.replications:,} "
            f"replications each, seed {result.seed}; {extra}. docketsim {__version__}")
    fig.text(0.01, 0.01, "\n".join(charts.textwrap.wrap(text, 150)), fontsize=7, color="0.35", va="bottom")


def _by_key(indices: Sequence[Index]) -> dict[str, dict[str, tuple[float, float | None, float | None]]]:
    out: dict[str, dict[str, tuple[float, float | None, float | None]]] = {}
    for key, index, value, low, high in indices:
        out.setdefault(key, {})[index] = (value, low, high)
    return out


def _finite(x: float) -> float:
    return float(x) if math.isfinite(x) else -math.inf


def write_experiment(result: ExperimentResult, out_dir: Path) -> list[Path]:
    """Every output of an experiment into `out_dir` (made if need be); the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "experiment.csv"]
    write_experiment_csv(result, written[0])
    chart_files: list[tuple[str, str]] = []
    if result.indices:
        written.append(out_dir / "sensitivity.csv")
        write_sensitivity_csv(result, written[-1])
        draw = morris_chart if result.design == "morris" else sobol_chart
        for measure in result.measures:
            png, svg = charts.save(draw(result, measure), out_dir, f"sensitivity-{measure}")
            written += [png, svg]
            chart_files.append((label(measure), png.name))
    page = out_dir / "index.html"
    page.write_text(_page(result, chart_files), encoding="utf-8")
    written.append(page)
    return written


def _page(result: ExperimentResult, chart_files: list[tuple[str, str]]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["breakable"] = breakable
    ranked = {m: [(k, i, v, lo, hi) for k, i, v, lo, hi in result.indices.get(m, [])] for m in result.measures}
    return env.get_template("experiment.html.j2").render(
        r=result, charts=chart_files, label=label, ranked=ranked, version=__version__,
        show=lambda x: "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}")
