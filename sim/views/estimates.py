"""Estimates with 95% intervals: proportions (Wilson), quantiles (order statistics), means (normal),
restricted means, paired differences.

>>> lo, hi = wilson(50, 100)
>>> round(lo, 4), round(hi, 4)
(0.4038, 0.5962)
>>> quantile_ranks(100, 0.5)      # 1-based ranks of the 95% interval for the median of 100 values
(40, 61)
>>> capped(np.array([100.0, np.nan, 3000.0]), 1825).tolist()   # never disclosed counts as the horizon
[100.0, 1825.0, 1825.0]
>>> percentile_of([10, 20, 30, 40], 30)   # where a value falls among simulated ones (mid-rank)
62.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def quantile_ranks(n: int, q: float, z: float = Z95) -> tuple[int, int]:
    """1-based ranks (l, u) with P(x_(l) <= quantile q <= x_(u)) ~ 95%: the normal approximation to
    the binomial, which matches the exact table for n = 100, q = 0.5 (ranks 40 and 61)."""
    spread = z * math.sqrt(n * q * (1 - q))
    return max(1, math.floor(n * q - spread)), min(n, math.ceil(n * q + spread) + 1)


def quantile(values: Sequence[float], q: float) -> tuple[float, float, float]:
    """The q-quantile of `values` (inverted empirical CDF) with its 95% distribution-free interval."""
    n = len(values)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    ordered = np.sort(np.asarray(values, dtype=float))
    point = float(ordered[min(n - 1, max(0, math.ceil(n * q) - 1))])
    lo, hi = quantile_ranks(n, q)
    return point, float(ordered[lo - 1]), float(ordered[hi - 1])


def percentile_of(values: Sequence[float], x: float) -> float:
    """The percentile at which `x` falls among `values`: the share below it plus half the share equal to it
    (mid-rank), in percent."""
    ordered = np.asarray(values, dtype=float)
    if len(ordered) == 0:
        return math.nan
    return float(100 * (np.sum(ordered < x) + 0.5 * np.sum(ordered == x)) / len(ordered))


def mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """The mean with a normal 95% interval (of paired differences: the mean difference)."""
    n = len(values)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(np.mean(values))
    half = Z95 * float(np.std(values, ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return mean, mean - half, mean + half


def capped(days: np.ndarray, horizon: float) -> np.ndarray:
    """Days to an event (NaN: it never happened) held at `horizon`. Their mean is the restricted mean
    time to the event over the horizon: it counts every matter, disclosed or not."""
    return np.minimum(np.where(np.isnan(days), horizon, days), horizon)


def median_difference(a: np.ndarray, b: np.ndarray, resamples: int = 1000) -> tuple[float, float, float]:
    """Difference of medians (b - a) of paired samples where NaN marks 'never disclosed' (excluded
    from each median), with a paired bootstrap 95% interval (fixed seed: same data, same interval)."""
    def medians(ia: np.ndarray) -> float:
        xa, xb = a[ia], b[ia]
        xa, xb = xa[~np.isnan(xa)], xb[~np.isnan(xb)]
        return float(np.median(xb) - np.median(xa)) if len(xa) and len(xb) else math.nan

    n = len(a)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    point = medians(np.arange(n))
    rng = np.random.default_rng(20131204)
    boots = np.array([medians(rng.integers(0, n, n)) for _ in range(resamples)])
    boots = boots[~np.isnan(boots)]
    if len(boots) == 0:
        return point, math.nan, math.nan
    return point, float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))
