"""Interval estimates against known values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.views.estimates import mean_interval, median_difference, quantile, quantile_ranks, wilson


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (50, 100, 0.4038, 0.5962),   # textbook value
    (0, 10, 0.0, 0.2775),        # Wilson stays inside [0, 1] where the Wald interval would not
    (10, 10, 0.7225, 1.0),
    (1, 20, 0.0089, 0.2361),
])
def test_wilson_known_values(k, n, low, high):
    lo, hi = wilson(k, n)
    assert lo == pytest.approx(low, abs=5e-4) and hi == pytest.approx(high, abs=5e-4)


def test_median_interval_matches_the_exact_binomial_table():
    """n = 100: the exact 95% interval for the median runs from the 40th to the 61st value."""
    assert quantile_ranks(100, 0.5) == (40, 61)
    assert quantile(list(range(1, 101)), 0.5) == (50, 40, 61)


def test_quantile_of_unsorted_values_and_the_90th_percentile():
    values = np.random.default_rng(1).permutation(np.arange(1, 1001))
    point, lo, hi = quantile(values, 0.9)
    assert point == 900 and lo < 900 < hi
    low_rank, high_rank = quantile_ranks(1000, 0.9)
    assert (lo, hi) == (low_rank, high_rank)


def test_empty_inputs_give_nan_not_errors():
    assert all(math.isnan(x) for x in quantile([], 0.5))
    assert all(math.isnan(x) for x in wilson(0, 0))


def test_paired_differences():
    assert mean_interval(np.zeros(50)) == (0.0, 0.0, 0.0)
    d = mean_interval(np.array([1.0, 0.0] * 50))
    assert d[0] == 0.5 and d[1] < 0.5 < d[2]
    a = np.array([10.0, 20.0, np.nan, 40.0])
    assert median_difference(a, a) == (0.0, 0.0, 0.0)
    assert median_difference(a, a + 5)[0] == 5.0
