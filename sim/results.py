"""Run results: outcome rows streamed to `outcomes.csv`, tallies in compact arrays, `summary.json`.

A tally holds one number per replication per measure (not the replications themselves), so memory
stays flat as -n grows; the estimates come from `sim.estimates`.

Time to disclosure is told three ways. The median and 90th percentile count only the matters that
were disclosed (a regime that leaves many matters undisclosed can still have a short median); the
shares disclosed within one and two years, and the restricted mean (the mean of days to disclosure
with a matter not disclosed within `HORIZON_DAYS` counted as `HORIZON_DAYS`), count every matter,
so they can be compared, and paired, across scenarios.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from sim import __version__
from sim.colours import palette
from sim.estimates import capped, mean_interval, median_difference, quantile, wilson
from sim.projections import LEVELS, OUTCOME_KEYS

WITHIN_DAYS = (365, 730)  # P(disclosed within one year, two years of the warrant)
HORIZON_DAYS = 1825       # the restricted mean's horizon: five years, beyond the real case's 1,595 days


class Tally:
    """The outcomes of one run, one slot per replication."""

    def __init__(self, run_id: str, scenario: str, seed: int, n: int) -> None:
        self.run_id, self.scenario, self.seed, self.n = run_id, scenario, seed, n
        self.days = np.full(n, np.nan)
        self.reached = np.zeros((n, len(LEVELS)), dtype=bool)
        self.flags = np.zeros((n, 4), dtype=bool)  # disclosed, ever in contempt, mooted, ended in sanctions
        self.filled = np.zeros(n, dtype=bool)
        self.routes: dict[str, int] = {}

    def add(self, row: dict[str, Any]) -> None:
        i = row["replication"]
        if row["days_to_disclosure"] is not None:
            self.days[i] = row["days_to_disclosure"]
        self.reached[i] = [level in row["reached"] for level in LEVELS]
        self.flags[i] = (row["disclosed"], row["contempt"], row["mooted"], row["sanctioned"])
        self.filled[i] = True
        self.routes[row["route"]] = self.routes.get(row["route"], 0) + 1

    def summary(self) -> dict[str, Any]:
        n = int(self.filled.sum())
        disclosed = int(self.flags[:, 0].sum())
        days = self.days[~np.isnan(self.days)]
        every = self.days[self.filled]
        within = {f"p_disclosed_within_{limit}": _share(int(np.sum(every <= limit)), n) for limit in WITHIN_DAYS}
        return {
            "run_id": self.run_id, "scenario": self.scenario, "seed": self.seed, "n": n,
            "p_disclosed": _share(disclosed, n),
            "median_days": _estimate(*quantile(days, 0.5)),
            "p90_days": _estimate(*quantile(days, 0.9)),
            **within,
            "restricted_mean_days": _estimate(*mean_interval(capped(every, HORIZON_DAYS))),
            "horizon_days": HORIZON_DAYS,
            "reached": {level: float(self.reached[:, i].sum() / n) if n else math.nan
                        for i, level in enumerate(LEVELS)},
            "p_held_in_contempt": float(self.flags[:, 1].mean()) if n else math.nan,
            "p_ended_in_contempt": float(self.flags[:, 3].mean()) if n else math.nan,
            "p_mooted": float(self.flags[:, 2].mean()) if n else math.nan,
            "routes": dict(sorted(self.routes.items())),
        }


def _share(successes: int, n: int) -> dict[str, float | None]:
    """A proportion with its Wilson interval."""
    return _estimate(successes / n if n else math.nan, *wilson(successes, n))


def _estimate(point: float, lo: float, hi: float) -> dict[str, float | None]:
    def clean(x: float) -> float | None:
        return None if math.isnan(x) else x
    return {"estimate": clean(point), "low": clean(lo), "high": clean(hi)}


def paired_difference(base: Tally, other: Tally) -> dict[str, Any]:
    """`other` minus `base`, replication by replication (same seed: common random numbers), so each
    difference is over the same matters; except `median_days`, the difference of the medians among
    disclosed matters, which may be different matters in the two runs."""
    if base.n != other.n or base.seed != other.seed:
        return {"scenario": other.scenario, "baseline": base.scenario,
                "note": "not paired: runs differ in seed or number of replications"}

    def paired(measure: Any) -> dict[str, float | None]:
        return _estimate(*mean_interval(measure(other).astype(float) - measure(base).astype(float)))

    within = {f"p_disclosed_within_{limit}": paired(lambda t, limit=limit: t.days <= limit) for limit in WITHIN_DAYS}
    return {"scenario": other.scenario, "baseline": base.scenario,
            "p_disclosed": paired(lambda t: t.flags[:, 0]),
            **within,
            "restricted_mean_days": paired(lambda t: capped(t.days, HORIZON_DAYS)),
            "median_days": _estimate(*median_difference(base.days, other.days))}


def summary_document(runs: list[tuple[str, str, Tally]], paired: list[Tally], seed: Any, n: Any) -> dict[str, Any]:
    """summary.json: each run's estimates (with its scenario file, text hash and colour in the charts),
    and the paired differences of `paired[1:]` against `paired[0]`."""
    colours = palette(tally.scenario for _, _, tally in runs)
    return {
        "docketsim": __version__, "seed": seed, "n": n,
        "runs": [dict(tally.summary(), scenario_path=path, scenario_hash=digest, colour=colours[tally.scenario])
                 for path, digest, tally in runs],
        "paired_differences": [paired_difference(paired[0], t) for t in paired[1:]],
    }


class OutcomeWriter:
    """Writes outcome rows to DIR/outcomes.csv as they come, and DIR/summary.json at the end."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.file = (out_dir / "outcomes.csv").open("w", newline="", encoding="utf-8")
        self.csv = csv.DictWriter(self.file, fieldnames=OUTCOME_KEYS)
        self.csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        self.csv.writerow({k: _cell(row[k]) for k in OUTCOME_KEYS})

    def close(self) -> None:
        self.file.close()

    def summary(self, document: dict[str, Any], scenario_files: list[str]) -> None:
        (self.out_dir / "summary.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        copies = self.out_dir / "scenarios"
        if scenario_files:
            copies.mkdir(exist_ok=True)
        for path in scenario_files:
            shutil.copyfile(path, copies / Path(path).name)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
