"""Calibration: each stage's simulated durations (median and 5-95% band) against the real case's interval
and its percentile, beside the published statistics docs/sources.md gives (§5b, §8.4, §8.5), each
labelled with its section. Read from stored events alone (`sim.views.stages`), one matter at a time.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from sim.domain.registry import CALENDAR_ROLES
from sim.runs.audit import stored_matters
from sim.runs.runner import stored_prefix
from sim.store import DocketStore, Run
from sim.views.estimates import percentile_of, quantile
from sim.views.stages import STAGES, stage_rows

MONTH = 365.25 / 12


@attrs.frozen
class Published:
    """A published statistic beside a stage: what it says, its section of docs/sources.md, its value in days
    where it is a duration of the same interval (for the chart), and which simulated figure answers it:
    "median", "mean", "over:DAYS" (share longer), "grant:PETITIONER" or "argument_to_decision" (mean)."""

    stage: str
    text: str
    section: str
    days: float | None
    answer: str


PUBLISHED: tuple[Published, ...] = (
    Published("magistrate", "no median time to decide a motion is published; the CJRA lists motions pending "
              "more than 6 months", "sources §5b", None, "over:183"),
    Published("circuit", "courts of appeals, median notice of appeal to final disposition: about 11 months "
              "(all circuits, FY2012 data)", "sources §5b, §8.5", 11 * MONTH, "median"),
    Published("circuit", "the Second Circuit: 'just over a year' (FY2012 data; FY2014-2017 not found)",
              "sources §5b, §8.5", 12 * MONTH, "median"),
    Published("certiorari", "grant rate of the Solicitor General's petitions: about 70-80% (model guidance; "
              "the ~70% figure UNCONFIRMED)", "sources §8.5", None, "grant:government"),
    Published("certiorari", "grant rate of paid petitions: about 4.3% (ten-year average 4.29%); all petitions "
              "about 1%", "sources §5b, §8.5", None, "grant:provider"),
    Published("merits", "argument to decision: mean 98 days (OT2010-OT2017) and 109 days (OT2017); means, "
              "not medians", "sources §8.5", None, "argument_to_decision"),
    Published("mlat", "mean time to execute a request: about 10 months, from 1.5 to 12 or more (reported, "
              "UNCONFIRMED)", "sources §8.4", 10 * MONTH, "mean"),
)


@attrs.frozen
class StageCalibration:
    """One stage: how many simulated matters reached it, the median and 5-95% band of its days, the real
    case's days and their percentile among the simulated, and the published statistics with the simulated
    figure that answers each."""

    stage: str
    n: int
    share: float
    median: float | None
    low: float | None
    high: float | None
    historical: int | None
    percentile: float | None
    published: tuple[tuple[Published, str], ...]


@attrs.frozen
class Calibration:
    scenario: str
    run_id: str
    n: int
    seed: int
    stages: tuple[StageCalibration, ...]


class _Gathered:
    """What a pass over a run's stored matters keeps: one number per matter per stage, and the few more the
    published statistics ask for (compact arrays: a few bytes a matter, as the run's tally keeps)."""

    def __init__(self) -> None:
        self.days: dict[str, array[int]] = {stage: array("i") for stage in STAGES}
        self.grants: dict[str, array[int]] = {"government": array("b"), "provider": array("b")}
        self.argued: array[int] = array("i")
        self.matters = 0

    def add(self, events: list[Any]) -> None:
        self.matters += 1
        for row in stage_rows(events):
            self.days[row["stage"]].append(row["days"])
        petitioner, argued = None, None
        for e in events[1:]:
            role = CALENDAR_ROLES.get(type(e).__name__)  # its part in the Court's calendar (the registry's)
            if role == "petition":
                petitioner = e.party
            elif role == "grant" and petitioner is not None:
                self.grants[petitioner].append(int(bool(e.granted)))
            elif role == "argument" and e.court_level == "supreme":
                argued = dt.date.fromisoformat(e.date)
            elif role == "decision" and argued is not None:
                self.argued.append((dt.date.fromisoformat(e.date) - argued).days)

    def answer(self, stage: str, how: str) -> str:
        days = self.days[stage]
        if how.startswith("grant:"):
            decided = self.grants[how.split(":")[1]]
            return f"{np.mean(decided):.1%} of {len(decided):,} petitions" if decided else "no petitions simulated"
        if how == "argument_to_decision":
            return f"mean {np.mean(self.argued):.0f} days ({len(self.argued):,} decisions)" if self.argued else \
                "no decisions after argument simulated"
        if not days:
            return "not reached in the simulation"
        if how.startswith("over:"):
            limit = int(how.split(":")[1])
            return f"{np.mean(np.asarray(days) > limit):.1%} of simulated stages took more than {limit} days"
        if how == "mean":
            return f"simulated mean {np.mean(days):.0f} days"
        return f"simulated median {quantile(days, 0.5)[0]:.0f} days"


def _gather(matters: Iterable[list[Any]]) -> _Gathered:
    gathered = _Gathered()
    for events in matters:
        gathered.add(events)
    return gathered


def calibrate(store: DocketStore, run: Run, historical: Run | None) -> Calibration:
    """The calibration of `run` against the historical run's matter (if any), from stored events."""
    simulated = _gather(stored_matters(store, [run], stored_prefix))
    real: dict[str, int] = {}
    if historical is not None and stored_prefix(store, historical):
        real = {row["stage"]: row["days"] for row in stage_rows(store.matter_events(str(historical.matter_ids()[0])))}
    rows = []
    for stage in STAGES:
        days = simulated.days[stage]
        median = low = high = percentile = None
        if days:
            median, low, high = (quantile(days, q)[0] for q in (0.5, 0.05, 0.95))
            percentile = percentile_of(days, real[stage]) if stage in real else None
        published = tuple((p, simulated.answer(stage, p.answer)) for p in PUBLISHED if p.stage == stage)
        rows.append(StageCalibration(stage, len(days), len(days) / simulated.matters if simulated.matters else 0.0,
                                     median, low, high, real.get(stage), percentile, published))
    return Calibration(run.scenario, str(run.id), simulated.matters, run.seed, tuple(rows))


def percentile_words(percentile: float | None, ordinal: bool = False) -> str:
    """Where the real case falls among the simulated: its percentile ("42", or "42nd percentile"), or
    longer or shorter than every simulated stage (a percentile of 100 or 0 says no more than that).

    >>> percentile_words(100.0), percentile_words(0.0), percentile_words(41.6), percentile_words(41.6, True)
    ('longer than every simulated', 'shorter than every simulated', '42', '42nd percentile')
    """
    if percentile is None:
        return "\u2014"
    if percentile >= 100:
        return "longer than every simulated"
    if percentile <= 0:
        return "shorter than every simulated"
    rank = round(percentile)
    if not ordinal:
        return f"{rank}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix} percentile"


def inside_band(row: StageCalibration) -> bool | None:
    """True if the real case's interval lies within the simulated 5-95% band (None: nothing to compare)."""
    if row.historical is None or row.low is None or row.high is None:
        return None
    return row.low <= row.historical <= row.high
