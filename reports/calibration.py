"""The calibration in the report's own forms: rows for calibration.csv and calibration.json, the chart's
input, and the files `run.py calibrate --out DIR` writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from reports import charts
from sim.outputs import naming
from sim.runs.calibration import MONTH, Calibration, inside_band


def chart_stages(c: Calibration) -> list[dict[str, Any]]:
    """The calibration as `reports.charts.where_the_real_case_falls` takes it."""
    return [{"stage": s.stage, "n": s.n, "median": s.median, "low": s.low, "high": s.high,
             "historical": s.historical, "percentile": s.percentile,
             "published": [(p.days, f"{p.section.removeprefix('sources ')}: {p.days / MONTH:.0f} months")
                           for p, _ in s.published if p.days]} for s in c.stages]


CALIBRATION_KEYS = ("stage", "reached", "share", "median_days", "p5_days", "p95_days", "historical_days",
                    "historical_percentile", "inside_band", "published")


def calibration_rows(c: Calibration) -> list[dict[str, Any]]:
    """One row per stage, as calibration.csv and calibration.json hold them."""
    return [{"stage": s.stage, "reached": s.n, "share": round(s.share, 4), "median_days": s.median,
             "p5_days": s.low, "p95_days": s.high, "historical_days": s.historical,
             "historical_percentile": None if s.percentile is None else round(s.percentile, 1),
             "inside_band": inside_band(s),
             "published": "; ".join(f"{p.text} ({p.section}): {answer}" for p, answer in s.published)}
            for s in c.stages]


def write_calibration(c: Calibration, out_dir: Path) -> list[Path]:
    """calibration.csv, calibration.json and the chart (PNG and SVG) in `out_dir`."""
    rows = calibration_rows(c)
    table = out_dir / "calibration.csv"
    with naming(table), table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CALIBRATION_KEYS)
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    document = {"scenario": c.scenario, "run_id": c.run_id, "n": c.n, "seed": c.seed, "stages": rows}
    with naming(out_dir / "calibration.json"):
        (out_dir / "calibration.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    figure = charts.where_the_real_case_falls(chart_stages(c), scenario=c.scenario, n=c.n, seed=c.seed)
    png, svg = charts.save(figure, out_dir, "where-the-real-case-falls")
    return [out_dir / "calibration.csv", out_dir / "calibration.json", png, svg]
