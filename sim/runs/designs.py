"""Experimental designs over a scenario's keys: the factors, the design points, and the sensitivity indices.

A factor is a scenario key with a list of values or a numeric range `low`..`high`. Every design is made in
the unit cube (SALib's samplers with bounds [0, 1]) and each coordinate is then mapped to the factor's
value: a range linearly (rounded for a whole-number key), a list by cutting [0, 1] into equal parts. So
Morris' elementary effects are per whole range of a factor, comparable across factors. SALib builds the
Latin hypercube, Morris and Sobol designs and analyses them; `grid` is the full factorial.

>>> f = Factor("provider.refuses.p", low=0.5, high=1.0)
>>> f.at(0.0), f.at(0.5), f.at(1.0)
(0.5, 0.75, 1.0)
>>> Factor("government.route", values=("warrant", "mlat")).at(0.7)
'mlat'
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

DESIGNS = ("grid", "lhs", "morris", "sobol")
INDICES = {"morris": ("mu_star", "sigma"), "sobol": ("S1", "ST")}
MORRIS_LEVELS = 4       # SALib's default grid of p levels for Morris trajectories
GRID_LEVELS = 3         # a range in a grid: low, middle, high unless `levels` says otherwise
RESAMPLES = 1000        # bootstrap resamples for the indices' 95% intervals


@attrs.frozen
class Factor:
    """One scenario key varied by the design: `values` (a list) or a range `low`..`high`."""

    key: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    whole: bool = False        # a count: values are whole numbers
    levels: int = GRID_LEVELS  # a range's values in a grid

    def at(self, u: float) -> Any:
        """The factor's value at coordinate `u` in [0, 1]."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        assert self.low is not None and self.high is not None
        value = self.low + float(u) * (self.high - self.low)
        return round(value) if self.whole else round(value, 12)

    def grid(self) -> list[float]:
        """The coordinates a full factorial takes: each listed value once, or `levels` even steps."""
        count = len(self.values) if self.values is not None else self.levels
        if self.values is not None:
            return [(i + 0.5) / count for i in range(count)]
        return [i / (count - 1) for i in range(count)]


def problem(keys: Sequence[str]) -> dict[str, Any]:
    """SALib's problem: every factor in the unit interval."""
    return {"num_vars": len(keys), "names": list(keys), "bounds": [[0.0, 1.0]] * len(keys)}


def size_of(design: str, size: int, factors: Sequence[Factor]) -> int:
    """Design points: grid the product of the factors' levels; lhs `size`; Morris `size` trajectories of
    k+1 points; Sobol (first and total order) `size` x (k+2)."""
    k = len(factors)
    if design == "grid":
        return math.prod(len(f.grid()) for f in factors)
    return {"lhs": size, "morris": size * (k + 1), "sobol": size * (k + 2)}[design]


def unit_points(design: str, size: int, factors: Sequence[Factor], seed: int) -> np.ndarray:
    """The design in the unit cube, one row a point, one column a factor."""
    if design == "grid":
        return np.array(list(itertools.product(*(f.grid() for f in factors))), dtype=float)
    spec = problem([f.key for f in factors])
    seed = seed % 2**32
    if design == "lhs":
        from SALib.sample import latin
        return latin.sample(spec, size, seed=seed)
    if design == "morris":
        from SALib.sample import morris
        return morris.sample(spec, size, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol
    return sobol.sample(spec, size, calc_second_order=False, scramble=True, seed=seed)


Index = tuple[str, str, float, float | None, float | None]  # key, index, value, low, high


def analyse(design: str, keys: Sequence[str], unit: np.ndarray, y: np.ndarray, seed: int) -> list[Index]:
    """Sensitivity indices of one measure (`y`, one value a point), ranked: Morris mu_star (with its
    bootstrap 95% interval) and sigma; Sobol S1 and ST with theirs. Keys are ranked by mu_star or ST,
    largest first (ties in the factors' order). None for a design without indices."""
    if design not in INDICES:
        return []
    spec = problem(keys)
    seed = seed % 2**32
    if design == "morris":
        from SALib.analyze import morris
        found = morris.analyze(spec, unit, y, num_resamples=RESAMPLES, conf_level=0.95, num_levels=MORRIS_LEVELS,
                               seed=seed)
        rank, first, second = found["mu_star"], ("mu_star", True), ("sigma", False)
        confs = {"mu_star": found["mu_star_conf"]}
    else:
        from SALib.analyze import sobol
        with warnings.catch_warnings():  # a measure the same at every point: SALib warns; its indices say it
            warnings.simplefilter("ignore", UserWarning)
            found = sobol.analyze(spec, y, calc_second_order=False, num_resamples=RESAMPLES, conf_level=0.95,
                                  seed=seed)
        rank, first, second = found["ST"], ("S1", True), ("ST", True)
        confs = {"S1": found["S1_conf"], "ST": found["ST_conf"]}
    order = sorted(range(len(keys)), key=lambda i: (-_finite(rank[i]), i))
    out: list[Index] = []
    for i in order:
        for name, _ in (first, second):
            value = float(found[name][i])
            conf = confs.get(name)
            half = None if conf is None else float(conf[i])
            low = None if half is None or not math.isfinite(half) else value - half
            high = None if half is None or not math.isfinite(half) else value + half
            out.append((keys[i], name, value, low, high))
    return out


def _finite(x: float) -> float:
    return float(x) if math.isfinite(x) else -math.inf
