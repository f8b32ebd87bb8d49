"""The HTML report: every chart as PNG and SVG beside one index.html that opens from disk.

No server, no network: images are referenced by relative paths, the CSS is inline, there is no script.
Everything that comes from a scenario file (names, titles, descriptions, sources) is escaped by Jinja2's
autoescaping, so a title such as ``<script>`` shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from matplotlib.figure import Figure

from reports import charts
from reports.calibration import chart_stages
from sim import __version__
from sim.calibration import Calibration, inside_band
from sim.domain import countries
from sim.projections import LEVELS
from sim.scenario import Scenario

TEMPLATES = Path(__file__).resolve().parent / "templates"
Row = Mapping[str, Any]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "scenario"


def _interval(e: Mapping[str, Any], show: Callable[[float], str], join: str = "\u2013") -> str:
    """'estimate (low-high)' with an en dash, or with `join` " to " where the bounds may be negative."""
    if e.get("estimate") is None:
        return "n/a"
    low = "n/a" if e.get("low") is None else show(e["low"])
    high = "n/a" if e.get("high") is None else show(e["high"])
    return f"{show(e['estimate'])} ({low}{join}{high})"


def _percent(x: float) -> str:
    return f"{x:.1%}"


def _points(x: float) -> str:
    return f"{x * 100:.1f}"


def _days(x: float) -> str:
    return f"{x:,.0f}"


def _summary_row(name: str, s: Mapping[str, Any], colour: str) -> dict[str, Any]:
    return {"name": name, "colour": colour, "n": f"{s['n']:,}",
            "p_disclosed": _interval(s["p_disclosed"], _points),
            "median_days": _interval(s["median_days"], _days), "p90_days": _interval(s["p90_days"], _days),
            "reached": [_percent(s["reached"][level]) for level in LEVELS],
            "held_in_contempt": _percent(s["p_held_in_contempt"]),
            "ended_in_contempt": _percent(s["p_ended_in_contempt"]), "mooted": _percent(s["p_mooted"])}


def _pair_row(p: Mapping[str, Any]) -> dict[str, Any]:
    if "note" in p:
        return {"name": p["scenario"], "note": p["note"]}
    return {"name": p["scenario"], "note": "",
            "p_disclosed": _interval(p["p_disclosed"], lambda x: f"{x * 100:+.1f}", " to "),
            "median_days": _interval(p["median_days"], lambda x: f"{x:+,.0f}", " to ")}


def _qualifying(s: Scenario) -> str:
    """Whether, and since when, the data's country is a qualifying foreign government (a counterfactual
    assumption says so)."""
    country = countries.COUNTRIES[s.data.country]
    real = country.agreement.describe() if country.agreement else "no executive agreement in force"
    if s.data.assume_agreement:
        return f"assumed from {s.data.assumed_since} (counterfactual; in reality: {real})"
    return f"from {country.agreement.in_force} ({real})" if country.agreement else f"no ({real})"


def _parameters(scenario: Scenario) -> dict[str, Any]:
    """What a reader needs to know about a scenario: its text, its regime settings and every figure."""
    s = scenario
    enacted = s.cloud_act.enacted
    settings = [("Warrant applied for (day 0)", s.scenario.start_date.isoformat()),
                ("Government's route", s.government.route),
                ("CLOUD Act enacted", "never" if enacted is None else str(enacted).replace("_", " ")),
                ("Data stored in", s.data.place),
                ("Qualifying foreign government (executive agreement)", _qualifying(s))]
    figures = [{"key": key, "value": figure.describe(),
                "basis": (f"source: {figure.source}" if figure.source else
                          f"assumption: {figure.assumption}" if figure.assumption else "undocumented")}
               for key, figure in s.figures()]
    return {"name": s.name, "title": s.scenario.title, "description": s.scenario.description,
            "kind": s.scenario.kind, "path": s.path, "settings": settings, "figures": figures}


def _measure_label(key: str, values: Sequence[Any]) -> str:
    """The unit of a swept key: days for durations, probability for numbers in [0, 1]."""
    if "_after" in key or key.endswith("days"):
        return "days"
    numbers = [charts.as_number(v) for v in values]
    if numbers and all(x is not None and 0 <= x <= 1 for x in numbers):
        return "probability"
    return "value"


def _calibration(c: Calibration | None) -> dict[str, Any] | None:
    """The calibration table as the page shows it."""
    if c is None:
        return None
    rows = []
    for s in c.stages:
        inside = inside_band(s)
        rows.append({"stage": s.stage, "reached": f"{s.n:,} ({s.share:.0%})",
                     "median": "n/a" if s.median is None else _days(s.median),
                     "band": "n/a" if s.low is None else f"{_days(s.low)}\u2013{_days(s.high)}",
                     "historical": "\u2014" if s.historical is None else _days(s.historical),
                     "percentile": "\u2014" if s.percentile is None else f"{s.percentile:.0f}",
                     "inside": {True: "yes", False: "no", None: "\u2014"}[inside],
                     "published": [{"text": p.text, "section": p.section, "simulated": answer}
                                   for p, answer in s.published]})
    return {"scenario": c.scenario, "n": f"{c.n:,}", "seed": c.seed, "rows": rows}


def _listed(x: int | Sequence[int], fmt: str = "") -> str:
    return ", ".join(format(v, fmt) for v in ([x] if isinstance(x, int) else x))


class _Charts:
    """Saves each chart as PNG and SVG into the report folder and keeps what the page shows of it."""

    def __init__(self, out: Path) -> None:
        self.out, self.shown = out, []

    def add(self, stem: str, fig: Figure, caption: str, section: str = "results") -> None:
        png, svg = charts.save(fig, self.out, stem)
        self.shown.append({"stem": stem, "png": png.name, "svg": svg.name, "question": fig.get_suptitle(),
                           "caption": caption, "section": section})


def _draw(out: Path, runs: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]],
          historical_entries: Sequence[Row], timelines: Mapping[str, Sequence[Row]], seed: charts.Seed,
          n: int | Sequence[int], sweep: Mapping[str, Any] | None,
          calibration: Calibration | None = None) -> list[dict[str, str]]:
    """Every chart that applies, saved into `out`; what the page shows of each, in page order."""
    rows = {r["scenario"].name: r["rows"] for r in runs}
    colours = charts.palette(rows)
    shown = _Charts(out)
    if historical_entries:
        shown.add("timeline-historical", charts.case_timeline(
            historical_entries, "Microsoft Corp. v. United States, as recorded (2013\u20132018)",
            scenario="historical record"),
            "The real case, court by court: each bar runs from the first to the last docket entry before that "
            "court; diamonds mark rulings and other key events. 1,595 days passed from the warrant "
            "(4 December 2013) to the dismissal as moot (17 April 2018).", "case")
    for i, (name, entries) in enumerate(timelines.items()):
        if entries:
            shown.add(f"timeline-{i + 1}-{_slug(name)}", charts.case_timeline(
                entries, f"{name}: the replication at the median time to disclosure", scenario=name, seed=seed,
                colour=colours.get(name, charts.OKABE_ITO[0])),
                f"A typical matter under {name}: the replication at the median time to disclosure.", "case")
    shown.add("time-to-disclosure", charts.time_to_disclosure(rows, seed=seed),
              "Share of replications in which the content had been disclosed by each day after the warrant. "
              "Where a curve levels off is the share ever disclosed; the legend gives the share never "
              "disclosed. The dashed line marks the real case's 1,595 days.")
    shown.add("how-matters-end", charts.how_matters_end(rows, seed=seed),
              "How the replications ended: disclosure by warrant, by MLAT request, under an executive agreement, "
              "or under a new warrant once the law changed (the 2018 path); or no disclosure at all.")
    shown.add("how-far", charts.how_far(rows, seed=seed),
              "Share of replications in which the matter came before each court, in the order of appeal.")
    if any("note" not in p for p in pairs):
        shown.add("paired-differences", charts.paired_differences(pairs, n=n, seed=seed),
                  f"Each scenario minus the baseline {pairs[0]['baseline']}, replication by replication on the "
                  "same seeds (common random numbers), with 95% intervals; the line marks no difference.")
    if calibration is not None:
        shown.add("where-the-real-case-falls", charts.where_the_real_case_falls(
            chart_stages(calibration), scenario=calibration.scenario, n=calibration.n, seed=calibration.seed,
            colour=colours.get(calibration.scenario, charts.OKABE_ITO[0])),
            f"Each stage of the real case (diamond, with its percentile among the simulated matters) against the "
            f"5th-95th percentile band and median of {calibration.scenario}'s simulated stages; triangles mark "
            "published statistics that measure the same interval, labelled with their section of "
            "docs/sources.md.", "calibration")
    if sweep:
        points = list(sweep["points"])
        label = sweep.get("measure_label") or _measure_label(sweep["key"], [v for v, _ in points])
        shown.add(f"sensitivity-{_slug(sweep['key'])}", charts.sensitivity(points, sweep["key"], label),
                  f"P(disclosed) and median days to disclosure as {sweep['key']} varies, with 95% intervals.")
    return shown.shown


def write_report(out_dir: str | Path, *, runs: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]],
                 historical_entries: Sequence[Row], timelines: Mapping[str, Sequence[Row]],
                 seed: int | Sequence[int], n: int | Sequence[int],
                 sweep: Mapping[str, Any] | None = None, calibration: Calibration | None = None) -> Path:
    """Write every chart (PNG and SVG) and OUT_DIR/index.html; return the path of index.html.

    `runs`: dicts {"scenario": Scenario, "summary": Tally.summary(), "rows": outcome rows}, baseline first;
    `pairs`: paired differences against the baseline; `timelines`: scenario name -> docket entries of its
    median replication (may be empty); `seed` and `n` are the runs' (lists if they differ); `sweep`: None or
    {"key": ..., "points": [(value, summary)]}, optionally with "measure_label" (the swept value's unit);
    `calibration`: the stage durations of one run against the real case (`sim.calibration`), or None.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shown = _draw(out, runs, pairs, historical_entries, timelines, seed, n, sweep, calibration)
    colours = charts.palette(r["scenario"].name for r in runs)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    page = env.get_template("report.html.j2").render(
        version=__version__, seed=_listed(seed), n=_listed(n, ","), charts=shown,
        levels=[charts.LEVEL_NAMES[level].replace("\n", " ") for level in LEVELS],
        summaries=[_summary_row(r["scenario"].name, r["summary"], colours[r["scenario"].name]) for r in runs],
        pairs=[_pair_row(p) for p in pairs], baseline=pairs[0]["baseline"] if pairs else "",
        scenarios=[dict(_parameters(r["scenario"]), colour=colours[r["scenario"].name]) for r in runs],
        docket=[dict(e, entry="" if e["entry_number"] is None else e["entry_number"]) for e in historical_entries],
        calibration=_calibration(calibration))
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
