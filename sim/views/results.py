"""Run results: outcome rows streamed to `outcomes.csv`, tallies in compact arrays, `summary.json`.

A tally keeps about six bytes per replication (not the replications themselves), so memory stays flat
as -n grows; the estimates come from `sim.views.estimates`. Cells of outcomes.csv that a spreadsheet would
run as a formula are neutralised (see `csv_cell`).

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
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from sim import __version__
from sim.colours import palette
from sim.outputs import naming
from sim.views.estimates import capped, mean_interval, median_difference, quantile, wilson
from sim.views.projections import LEVELS, OUTCOME_KEYS

WITHIN_DAYS = (365, 730)  # P(disclosed within one year, two years of the warrant)
HORIZON_DAYS = 1825       # the restricted mean's horizon: five years, beyond the real case's 1,595 days
Ending = tuple[bool, str, str, str, bool, bool, tuple[str, ...], bool]  # see `Tally.ENDING`


class Tally:
    """The outcomes of one run, in replication order. Per replication it keeps two small numbers, days to
    disclosure (a 4-byte float, NaN if never) and how the matter ended (a 2-byte index into the distinct
    endings seen), about six bytes a replication, added as rows come: nothing is set aside for the `n`
    replications requested, and no row is kept."""

    ENDING = ("disclosed", "route", "highest_court", "final_disposition", "contempt", "mooted", "reached",
              "sanctioned")

    def __init__(self, run_id: str, scenario: str, seed: int, n: int, forked_from_run: str | None = None) -> None:
        self.run_id, self.scenario, self.seed, self.n = run_id, scenario, seed, n
        self.forked_from_run = forked_from_run  # a fork's: the run of the matter it forks, if that run has one matter
        self.days = array("f")
        self.kinds = array("H")
        self.endings: dict[Ending, int] = {}

    def add(self, row: dict[str, Any]) -> None:
        if row["replication"] != len(self.days):
            raise ValueError(f"replication {row['replication']} came out of order (expected {len(self.days)})")
        days = row["days_to_disclosure"]
        self.days.append(math.nan if days is None else days)
        ending = tuple(tuple(row[k]) if k == "reached" else row[k] for k in self.ENDING)
        self.kinds.append(self.endings.setdefault(ending, len(self.endings)))  # type: ignore[arg-type]

    @property
    def stored(self) -> int:
        return len(self.days)

    def _share(self, test: Callable[[Ending], bool]) -> float:
        n = self.stored
        if not n:
            return math.nan
        counts = np.bincount(np.frombuffer(self.kinds, dtype=np.uint16), minlength=len(self.endings))
        return float(sum(counts[i] for ending, i in self.endings.items() if test(ending)) / n)

    def day_values(self) -> np.ndarray:
        return np.frombuffer(self.days, dtype=np.float32).astype(float)

    def disclosed(self) -> np.ndarray:
        """Per replication: 1.0 if disclosed, else 0.0."""
        flags = np.array([float(ending[0]) for ending in self.endings] or [0.0])
        return flags[np.frombuffer(self.kinds, dtype=np.uint16)]

    @property
    def deterministic(self) -> bool:
        """True when two or more replications are stored and all ended alike on the same day: one path,
        not a sample (a fork after which nothing is drawn)."""
        every = self.day_values()
        return self.stored > 1 and len(self.endings) == 1 and \
            (bool(np.all(np.isnan(every))) or bool(np.all(every == every[0])))

    def summary(self) -> dict[str, Any]:
        n = self.stored
        disclosed = round(self._share(lambda e: e[0]) * n) if n else 0
        every = self.day_values()
        days = every[~np.isnan(every)]
        within = {f"p_disclosed_within_{limit}": _proportion(int(np.sum(every <= limit)), n)
                  for limit in WITHIN_DAYS}
        routes: dict[str, int] = {}
        counts = np.bincount(np.frombuffer(self.kinds, dtype=np.uint16), minlength=len(self.endings))
        for ending, i in self.endings.items():
            if counts[i]:
                routes[ending[1]] = routes.get(ending[1], 0) + int(counts[i])
        return {
            "run_id": self.run_id, "scenario": self.scenario, "seed": self.seed, "n": n, "n_requested": self.n,
            "deterministic": self.deterministic,
            "p_disclosed": _proportion(disclosed, n),
            "median_days": _estimate(*quantile(days, 0.5)),
            "p90_days": _estimate(*quantile(days, 0.9)),
            **within,
            "restricted_mean_days": _estimate(*mean_interval(capped(every, HORIZON_DAYS))),
            "horizon_days": HORIZON_DAYS,
            "reached": {level: self._share(lambda e, lv=level: lv in e[6]) for level in LEVELS},
            "p_held_in_contempt": self._share(lambda e: e[4]),
            "p_ended_in_contempt": self._share(lambda e: e[7]),
            "p_mooted": self._share(lambda e: e[5]),
            "routes": dict(sorted(routes.items())),
        }

    def rows(self) -> TallyRows:
        return TallyRows(self)

    def median_replication(self) -> int | None:
        """The replication at the median time to disclosure (the first if none disclosed; None if none)."""
        if not self.stored:
            return None
        days = self.day_values()
        disclosed = np.flatnonzero(~np.isnan(days))
        if not len(disclosed):
            return 0
        ordered = disclosed[np.argsort(days[disclosed], kind="stable")]
        return int(ordered[(len(ordered) - 1) // 2])


class TallyRows(Sequence[dict[str, Any]]):
    """A tally seen as outcome rows (the keys the charts read: `Tally.ENDING`, replication and
    days_to_disclosure), made one at a time."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.endings = list(tally.endings)

    def __len__(self) -> int:
        return self.tally.stored

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]
        days = self.tally.days[i]
        row = dict(zip(Tally.ENDING, self.endings[self.tally.kinds[i]], strict=True))
        return {**row, "reached": list(row["reached"]), "replication": i,
                "days_to_disclosure": None if math.isnan(days) else int(days)}


def _proportion(successes: int, n: int) -> dict[str, float | None]:
    """A proportion with its Wilson interval."""
    return _estimate(successes / n if n else math.nan, *wilson(successes, n))


def _estimate(point: float, lo: float, hi: float) -> dict[str, float | None]:
    def clean(x: float) -> float | None:
        return None if math.isnan(x) else x
    return {"estimate": clean(point), "low": clean(lo), "high": clean(hi)}


def paired_difference(base: Tally, other: Tally) -> dict[str, Any]:
    """`other` minus `base`, replication by replication (same seed: common random numbers), so each
    difference is over the same matters (those stored in both); except `median_days`, the difference
    of the medians among disclosed matters, which may be different matters in the two runs. A fork set
    against the run of its one source matter is paired with that matter, replication by replication.
    Where both sides are one path (`Tally.deterministic`), each difference is that path's, with no
    interval ("deterministic")."""
    against_source = other.forked_from_run == base.run_id and base.stored == 1
    if not against_source and (base.n != other.n or base.seed != other.seed):
        return {"scenario": other.scenario, "baseline": base.scenario,
                "note": "not paired: runs differ in seed or number of replications"}
    m = other.stored if against_source else min(base.stored, other.stored)  # replications stored in both
    take = (lambda a: np.resize(a[:1], m)) if against_source else (lambda a: a[:m])  # a fork: its one source
    days = {base.run_id: take(base.day_values()), other.run_id: other.day_values()[:m]}
    values = {base.run_id: lambda t: take(t.disclosed()), other.run_id: lambda t: t.disclosed()[:m]}
    one_path = (base.deterministic or base.stored == 1) and other.deterministic

    def paired(measure: Callable[[Tally], np.ndarray]) -> dict[str, float | None]:
        differences = measure(other).astype(float) - measure(base).astype(float)
        if one_path:
            return _estimate(float(differences[0]), math.nan, math.nan)
        return _estimate(*mean_interval(differences))

    within = {f"p_disclosed_within_{limit}": paired(lambda t, limit=limit: days[t.run_id] <= limit)
              for limit in WITHIN_DAYS}
    return {"scenario": other.scenario, "baseline": base.scenario, "deterministic": one_path,
            "paired_with": "the fork's source matter" if against_source else "the same seeds",
            "p_disclosed": paired(lambda t: values[t.run_id](t)),
            **within,
            "restricted_mean_days": paired(lambda t: capped(days[t.run_id], HORIZON_DAYS)),
            "median_days": _estimate(*(median_difference(days[base.run_id], days[other.run_id]) if not one_path
                                       else (median_difference(days[base.run_id][:1], days[other.run_id][:1])[0],
                                             math.nan, math.nan)))}


def summary_document(runs: list[tuple[str, str, Tally]], paired: list[Tally], seed: Any) -> dict[str, Any]:
    """summary.json: each run's estimates (with its scenario file, text hash and colour in the charts),
    and the paired differences of `paired[1:]` against `paired[0]`. `n` is the replications stored (one
    number, or one per run where they differ), `n_requested` those asked for: they differ only for an
    incomplete run."""
    tallies = [tally for _, _, tally in runs]
    colours = palette(tally.scenario for tally in tallies)
    return {
        "docketsim": __version__, "seed": seed, "n": _one_or_each([t.stored for t in tallies]),
        "n_requested": _one_or_each([t.n for t in tallies]),
        "runs": [dict(tally.summary(), scenario_path=path, scenario_hash=digest, colour=colours[tally.scenario])
                 for path, digest, tally in runs],
        "paired_differences": [paired_difference(paired[0], t) for t in paired[1:]],
    }


def _one_or_each(values: list[int]) -> int | list[int]:
    return values[0] if len(set(values)) == 1 else values


class OutcomeWriter:
    """Writes outcome rows to DIR/outcomes.csv as they come, and DIR/summary.json at the end."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir, self.path = out_dir, out_dir / "outcomes.csv"
        with naming(self.path):
            self.file = self.path.open("w", newline="", encoding="utf-8")
            self.csv = csv.DictWriter(self.file, fieldnames=OUTCOME_KEYS)
            self.csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        with naming(self.path):
            self.csv.writerow({k: csv_cell(row[k]) for k in OUTCOME_KEYS})

    def close(self) -> None:
        with naming(self.path):
            self.file.close()

    def summary(self, document: dict[str, Any], scenario_files: list[str]) -> None:
        """summary.json, and a copy of each scenario file still where the run found it (a run resumed from
        another folder keeps its effective scenario in the store, and summary.json names it)."""
        with naming(self.out_dir / "summary.json"):
            (self.out_dir / "summary.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        found = [path for path in scenario_files if Path(path).is_file()]
        copies = self.out_dir / "scenarios"
        if found:
            copies.mkdir(exist_ok=True)
        for path in found:
            with naming(copies / Path(path).name):
                shutil.copyfile(path, copies / Path(path).name)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as outcomes.csv writes it: true/false, empty for None, and text that a spreadsheet would
    take for a formula (starting with = + - @, a tab or a carriage return) prefixed with a single quote,
    as OWASP's CSV injection guidance says, so it shows as text.

    >>> csv_cell("=1+2"), csv_cell("@SUM(A1)"), csv_cell("warrant"), csv_cell(-3), csv_cell(None)
    ("'=1+2", "'@SUM(A1)", 'warrant', -3, '')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
