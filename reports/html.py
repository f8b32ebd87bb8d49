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
from markupsafe import Markup, escape
from matplotlib.figure import Figure

from reports import charts, measures
from reports.calibration import chart_stages
from sim import __version__
from sim.colours import colour, palette
from sim.domain import countries
from sim.outputs import naming
from sim.runs.calibration import Calibration, inside_band, percentile_words
from sim.scenario import Scenario
from sim.views.projections import LEVELS, sheet_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
Row = Mapping[str, Any]


def breakable(text: Any) -> Markup:
    """Text escaped, with places to wrap after _ . / @ = (long scenario names, key paths and file paths wrap
    there rather than overflow a narrow screen).

    >>> str(breakable("location_rule <b>"))
    'location_<wbr>rule &lt;b&gt;'
    """
    return Markup(re.sub(r"([_./@=])", r"\1<wbr>", str(escape(str(text)))))


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


SHARES = ("p_disclosed", *measures.WITHIN)  # shown in percent
DAYS = ("restricted_mean_days", "median_days", "p90_days")
TIMING = {"p_disclosed": "P(disclosed), %", **{k: v.replace(")", "), %") for k, v in measures.WITHIN.items()},
          "restricted_mean_days": f"Restricted mean days to disclosure ({measures.HORIZON_DAYS:,}-day horizon)",
          "median_days": "Median days to disclosure, among disclosed matters",
          "p90_days": "90th percentile days, among disclosed matters"}


ONE_PATH = "deterministic: every replication identical"


def _timing(s: Mapping[str, Any]) -> list[str]:
    """A summary's disclosure measures, in the order of `TIMING` (for one path, its values alone)."""
    if s.get("deterministic"):
        return ["n/a" if s[key]["estimate"] is None else (_points if key in SHARES else _days)(s[key]["estimate"])
                for key in TIMING]
    return [_interval(s[key], _points if key in SHARES else _days) for key in TIMING]


def _summary_row(name: str, s: Mapping[str, Any], colour: str) -> dict[str, Any]:
    requested = s.get("n_requested", s["n"])
    n = f"{s['n']:,}" if requested == s["n"] else f"{s['n']:,} stored of {requested:,} requested"
    if s.get("deterministic"):
        n = f"one path ({ONE_PATH}: {n})"
    return {"name": name, "colour": colour, "n": n, "timing": _timing(s),
            "reached": [_percent(s["reached"][level]) for level in LEVELS],
            "held_in_contempt": _percent(s["p_held_in_contempt"]),
            "ended_in_contempt": _percent(s["p_ended_in_contempt"]), "mooted": _percent(s["p_mooted"])}


PAIRED = {"p_disclosed": "Change in P(disclosed), percentage points",
          **{k: f"Change in {v}, percentage points" for k, v in measures.WITHIN.items()},
          "restricted_mean_days": f"Change in restricted mean days to disclosure ({measures.HORIZON_DAYS:,}-day "
                                  "horizon)",
          "median_days": "Difference of median days among disclosed (not paired)"}


def _pair_row(p: Mapping[str, Any]) -> dict[str, Any]:
    if "note" in p:
        return {"name": p["scenario"], "note": p["note"]}
    def show(key: str) -> Callable[[float], str]:
        return (lambda x: f"{x * 100:+.1f}") if key in SHARES else (lambda x: f"{x:+,.0f}")

    name = p["scenario"] + (" (paired with the fork's source matter)" if p.get("paired_with", "").startswith(
        "the fork's") else "")
    if p.get("deterministic"):
        return {"name": f"{name}: one path each ({ONE_PATH})", "note": "",
                "changes": ["n/a" if p[key]["estimate"] is None else show(key)(p[key]["estimate"]) for key in PAIRED]}
    return {"name": name, "note": "", "changes": [_interval(p[key], show(key), " to ") for key in PAIRED]}


def _sweep_rows(sweep: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per swept value, in the order given: the value, its run and its disclosure measures."""
    return [{"value": str(value), "run_id": s["run_id"], "n": f"{s['n']:,}", "timing": _timing(s)}
            for value, s in sweep["points"]]


def _qualifying(s: Scenario) -> str:
    """Whether, and since when, the data's country is a qualifying foreign government (a counterfactual
    assumption says so)."""
    country = countries.COUNTRIES[s.data.country]
    real = country.agreement.describe() if country.agreement else "no executive agreement in force"
    if s.data.assume_agreement:
        return f"assumed from {s.data.assumed_since} (counterfactual; in reality: {real})"
    return f"from {country.agreement.in_force} ({real})" if country.agreement else f"no ({real})"


def scenario_parameters(scenario: Scenario) -> dict[str, Any]:
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
                     "percentile": percentile_words(s.percentile),
                     "inside": {True: "yes", False: "no", None: "\u2014"}[inside],
                     "published": [{"text": p.text, "section": p.section, "simulated": answer}
                                   for p, answer in s.published]})
    return {"scenario": c.scenario, "n": f"{c.n:,}", "seed": c.seed, "rows": rows}


def _listed(x: int | Sequence[int], fmt: str = "") -> str:
    return ", ".join(format(v, fmt) for v in ([x] if isinstance(x, int) else x))


def _n_text(n: int | Sequence[int], requested: int | Sequence[int] | None) -> str:
    """'5,000', or for a report of an incomplete run '6,272 stored of 20,000 requested'."""
    if requested is None or requested == n:
        return _listed(n, ",")
    return f"{_listed(n, ',')} stored of {_listed(requested, ',')} requested"


class _Charts:
    """Saves each chart as PNG and SVG into the report folder and keeps what the page shows of it."""

    def __init__(self, out: Path) -> None:
        self.out, self.shown = out, []

    def add(self, stem: str, fig: Figure, caption: str, section: str = "results") -> None:
        png, svg = charts.save(fig, self.out, stem)
        question = " ".join(fig.get_suptitle().split())  # the title is wrapped in the figure, not on the page
        self.shown.append({"stem": stem, "png": png.name, "svg": svg.name, "question": question,
                           "caption": caption, "section": section})


def _draw(out: Path, runs: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]],
          historical_entries: Sequence[Row], timelines: Mapping[str, Sequence[Row]], seed: charts.Seed,
          n: int | Sequence[int], sweep: Mapping[str, Any] | None,
          calibration: Calibration | None, colours: Mapping[str, str]) -> list[dict[str, str]]:
    """Every chart that applies, saved into `out`; what the page shows of each, in page order."""
    rows = {r["scenario"].name: r["rows"] for r in runs}
    titles = {r["scenario"].name: r["scenario"].scenario.title for r in runs}
    shown = _Charts(out)
    historical_days = charts.days_to_final_disposition(historical_entries) or charts.HISTORICAL_DAYS
    if historical_entries:
        shown.add("timeline-historical", charts.case_timeline(
            historical_entries, "Microsoft Corp. v. United States, as recorded (2013\u20132018)",
            scenario="historical record", colour=colour("microsoft_ireland_2013")),
            "The real case, court by court: each bar runs from the first to the last docket entry before that "
            f"court; diamonds mark rulings and other key events. {historical_days:,} days passed from the warrant "
            "(4 December 2013) to the Supreme Court's disposition, the per curiam dismissing as moot (17 April 2018); "
            "the dismissal on remand and the e-mails' production came after it (the record gives no exact date).",
            "case")
    for i, (name, entries) in enumerate(timelines.items()):
        if entries:
            shown.add(f"timeline-{i + 1}-{_slug(name)}", charts.case_timeline(
                entries, f"{titles.get(name, name)}: the replication at the median time to disclosure",
                scenario=name, seed=seed, colour=colours.get(name, charts.INK)),
                f"A typical matter under {name}: the replication at the median time to disclosure.", "case")
    shown.add("time-to-disclosure", charts.time_to_disclosure(rows, historical_days, seed=seed, titles=titles),
              "Share of replications in which the content had been disclosed by each day after the warrant. "
              "Where a curve levels off is the share ever disclosed; the legend gives the share never "
              f"disclosed. The dashed line marks the real case's {historical_days:,} days from the warrant to the "
              "Supreme Court's disposition: not a disclosure date, since the e-mails were produced after it.")
    shown.add("how-matters-end", charts.how_matters_end(rows, seed=seed, titles=titles),
              "How the replications ended: disclosure by warrant, by MLAT request, under an executive agreement, "
              "or under a new warrant once the law changed (the 2018 path); or no disclosure at all.")
    shown.add("how-far", charts.how_far(rows, seed=seed, titles=titles),
              "Share of replications in which the matter came before each court, in the order of appeal.")
    if any("note" not in p for p in pairs):
        shown.add("paired-differences", charts.paired_differences(pairs, n=n, seed=seed, titles=titles),
                  f"Each scenario minus the baseline {pairs[0]['baseline']}, replication by replication over the "
                  "same matters (same seeds: common random numbers), with 95% intervals; the line marks no "
                  f"difference. The restricted mean is {measures.RESTRICTED_MEAN_NOTE}.")
    if calibration is not None:
        shown.add("where-the-real-case-falls", charts.where_the_real_case_falls(
            chart_stages(calibration), scenario=calibration.scenario, n=calibration.n, seed=calibration.seed,
            colour=colours.get(calibration.scenario, charts.INK)),
            f"Each stage of the real case (diamond, with its percentile among the simulated matters) against the "
            f"5th-95th percentile band and median of {calibration.scenario}'s simulated stages; triangles mark "
            "published statistics that measure the same interval, labelled with their section of "
            "docs/sources.md.", "calibration")
    if sweep:
        points = list(sweep["points"])
        label = sweep.get("measure_label") or _measure_label(sweep["key"], [v for v, _ in points])
        shown.add(f"sensitivity-{_slug(sweep['key'])}", charts.sensitivity(
            points, sweep["key"], label, colour=colours[sweep["scenario"]], title=sweep["scenario"]),
            f"P(disclosed), P(disclosed within two years), the restricted mean days to disclosure and the median "
            f"among disclosed matters as {sweep['key']} varies, with 95% intervals.")
    return shown.shown


def write_report(out_dir: str | Path, *, runs: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]],
                 historical_entries: Sequence[Row], timelines: Mapping[str, Sequence[Row]],
                 seed: int | Sequence[int], n: int | Sequence[int],
                 sweep: Mapping[str, Any] | None = None, n_requested: int | Sequence[int] | None = None,
                 calibration: Calibration | None = None, calibration_note: str = "",
                 caseload: Mapping[str, Any] | None = None) -> Path:
    """Write every chart (PNG and SVG) and OUT_DIR/index.html; return the path of index.html.

    `runs`: dicts {"scenario": Scenario, "summary": Tally.summary(), "rows": outcome rows}, baseline first;
    `pairs`: paired differences against the baseline; `timelines`: scenario name -> docket entries of its
    median replication (may be empty); `seed` and `n` are the runs' (lists if they differ), `n` counting the
    replications stored and `n_requested` (if given) those asked for, which differ for an incomplete run;
    `sweep`: None or {"key": ..., "scenario": the swept scenario's name, "points": [(value, summary)]},
    optionally with "measure_label" (the swept value's unit); `calibration`: the stage durations of one run
    against the real case (`sim.runs.calibration`), or None; `calibration_note`: why there is none;
    `caseload`: the caseload section (`reports.caseload.section`: its runs, its charts already drawn and its
    scenarios), or None. A report of caseload runs alone has no one-matter sections.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    colours = palette([*(r["scenario"].name for r in runs), *([sweep["scenario"]] if sweep else [])])
    shown = _draw(out, runs, pairs, historical_entries, timelines, seed, n, sweep, calibration, colours) \
        if runs else []
    if caseload:
        shown += caseload["charts"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["breakable"] = breakable
    page = env.get_template("report.html.j2").render(
        version=__version__, seed=_listed(seed), n=_n_text(n, n_requested), charts=shown,
        timing=list(TIMING.values()), paired=list(PAIRED.values()), restricted_mean=measures.RESTRICTED_MEAN_NOTE,
        median_note=measures.MEDIAN_NOTE,
        sweep=None if not sweep else {"key": sweep["key"], "scenario": sweep["scenario"],
                                      "colour": colours[sweep["scenario"]], "rows": _sweep_rows(sweep)},
        levels=[charts.LEVEL_NAMES[level].replace("\n", " ") for level in LEVELS],
        summaries=[_summary_row(r["scenario"].name, r["summary"], colours[r["scenario"].name]) for r in runs],
        pairs=[_pair_row(p) for p in pairs], baseline=pairs[0]["baseline"] if pairs else "",
        scenarios=[*(dict(scenario_parameters(r["scenario"]), colour=colours[r["scenario"].name]) for r in runs),
                   *(caseload["scenarios"] if caseload else [])],
        docket=[dict(e, **sheet_row(e, bool(e["docket_number"]))) for e in historical_entries],
        calibration=_calibration(calibration), calibration_note=calibration_note,
        caseload=caseload["runs"] if caseload else [])
    index = out / "index.html"
    with naming(index):
        index.write_text(page, encoding="utf-8")
    return index
