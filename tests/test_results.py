"""The measures of time to disclosure, checked against the outcome rows of real runs computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sim import scenario as scenarios
from sim.runs.comparison import run_scenarios
from sim.store import open_store
from sim.views.estimates import wilson
from sim.views.projections import outcome_row
from sim.views.results import HORIZON_DAYS
from tests.conftest import no_progress


@pytest.fixture(scope="module")
def compared():
    """control_rule discloses (coercive contempt runs until compliance); location_rule leaves some matters
    undisclosed: two regimes on one seed."""
    store = open_store("memory://")
    loaded = [scenarios.load("control_rule"), scenarios.load("location_rule")]
    comparison = run_scenarios(store, loaded, seed=9, n=400, jobs=1, out_dir=None, progress=no_progress)
    rows = [[outcome_row(store.matter_events(m)) for m in result.matter_ids] for _, result, _ in comparison.runs]
    return comparison.summary, rows


def days(rows):
    return np.array([np.inf if r["days_to_disclosure"] is None else r["days_to_disclosure"] for r in rows])


@pytest.mark.slow
def test_shares_within_one_and_two_years_count_every_matter_with_wilson_intervals(compared):
    summary, rows = compared
    for s, scenario_rows in zip(summary["runs"], rows, strict=True):
        for limit in (365, 730):
            k = int(np.sum(days(scenario_rows) <= limit))
            e = s[f"p_disclosed_within_{limit}"]
            assert e["estimate"] == pytest.approx(k / len(scenario_rows))
            assert (e["low"], e["high"]) == pytest.approx(wilson(k, len(scenario_rows)))


def test_the_restricted_mean_counts_a_matter_never_disclosed_as_the_horizon(compared):
    summary, rows = compared
    never = [sum(r["days_to_disclosure"] is None for r in scenario_rows) for scenario_rows in rows]
    assert never[1] > 0, "location_rule should leave some matters undisclosed"
    for s, scenario_rows in zip(summary["runs"], rows, strict=True):
        capped = np.minimum(days(scenario_rows), HORIZON_DAYS)
        e = s["restricted_mean_days"]
        assert s["horizon_days"] == HORIZON_DAYS == 1825
        assert e["estimate"] == pytest.approx(capped.mean())
        half = 1.959963984540054 * capped.std(ddof=1) / np.sqrt(len(capped))
        assert (e["low"], e["high"]) == pytest.approx((capped.mean() - half, capped.mean() + half))
        disclosed = sorted(r["days_to_disclosure"] for r in scenario_rows if r["days_to_disclosure"] is not None)
        assert s["median_days"]["estimate"] == disclosed[int(np.ceil(len(disclosed) / 2)) - 1]  # among disclosed


def test_paired_differences_are_over_the_same_matters_replication_by_replication(compared):
    summary, (base, other) = compared
    assert [r["replication"] for r in base] == [r["replication"] for r in other]
    (pair,) = summary["paired_differences"]
    d_within = (days(other) <= 730).astype(float) - (days(base) <= 730).astype(float)
    d_mean = np.minimum(days(other), HORIZON_DAYS) - np.minimum(days(base), HORIZON_DAYS)
    assert pair["p_disclosed_within_730"]["estimate"] == pytest.approx(d_within.mean())
    assert pair["restricted_mean_days"]["estimate"] == pytest.approx(d_mean.mean())
    half = 1.959963984540054 * d_mean.std(ddof=1) / np.sqrt(len(d_mean))
    assert pair["restricted_mean_days"]["high"] - pair["restricted_mean_days"]["low"] == pytest.approx(2 * half)
