"""Durations (in days) and probabilities a scenario gives, each with its provenance.

Every figure says where it comes from: a `source` (a section of docs/sources.md) or an explicit
`assumption` with its reasoning. Draws take the actor's own `random.Random`, and every draw uses
the stream the same way whatever the parameters, so scenarios compared on one seed stay paired.

>>> import random
>>> Fixed(14).sample(random.Random(0))
14
>>> LogNormal(median=300, spread=1.5).sample(random.Random(0)) > 0
True
"""

from __future__ import annotations

import math
import random

import attrs


@attrs.frozen(kw_only=True)
class Provenance:
    """Where a figure comes from; `validate` reports figures that have neither."""

    source: str | None = None
    assumption: str | None = None

    @property
    def documented(self) -> bool:
        return bool(self.source or self.assumption)


MAX_DAYS = 36500.0  # no step of a court matter is modelled as taking longer than a century


def _days(value: float) -> int:
    """Court time is counted in whole days; a draw beyond MAX_DAYS is held at MAX_DAYS."""
    return round(min(max(0.0, value), MAX_DAYS))


@attrs.frozen
class Fixed(Provenance):
    days: float

    def sample(self, rng: random.Random) -> int:
        rng.random()
        return _days(self.days)

    def describe(self) -> str:
        return f"{self.days:g} days"


@attrs.frozen
class Uniform(Provenance):
    low: float
    high: float

    def sample(self, rng: random.Random) -> int:
        return _days(rng.uniform(self.low, self.high))

    def describe(self) -> str:
        return f"uniform {self.low:g}-{self.high:g} days"


@attrs.frozen
class Triangular(Provenance):
    low: float
    mode: float
    high: float

    def sample(self, rng: random.Random) -> int:
        return _days(rng.triangular(self.low, self.high, self.mode))

    def describe(self) -> str:
        return f"triangular {self.low:g}/{self.mode:g}/{self.high:g} days"


@attrs.frozen
class LogNormal(Provenance):
    """Lognormal given its median and multiplicative spread (84th percentile / median, >= 1)."""

    median: float
    spread: float

    def sample(self, rng: random.Random) -> int:
        return _days(self.median * math.exp(math.log(self.spread) * rng.gauss(0.0, 1.0)))

    def describe(self) -> str:
        return f"lognormal median {self.median:g} days, spread x{self.spread:g}"


@attrs.frozen
class Empirical(Provenance):
    """Resamples observed durations with equal weight."""

    values: tuple[float, ...]

    def sample(self, rng: random.Random) -> int:
        return _days(self.values[int(rng.random() * len(self.values))])

    def describe(self) -> str:
        return f"empirical over {len(self.values)} observations"


Duration = Fixed | Uniform | Triangular | LogNormal | Empirical


@attrs.frozen
class Probability(Provenance):
    p: float

    def occurs(self, rng: random.Random) -> bool:
        return rng.random() < self.p

    def describe(self) -> str:
        return f"p = {self.p:g}"
