"""A rule or statute behind a step, as the rules table (`sim.domain.rules`) and the periods
(`sim.domain.periods`) declare it."""

from __future__ import annotations

import attrs


@attrs.frozen
class Rule:
    """A rule or statute behind a step; `period_days` is the time allowed to act, when there is one."""

    citation: str
    summary: str
    source: str
    period_days: int | None = None

    def describe(self) -> str:
        """The citation with what it says, e.g. 'FRAP 40(a)(1): 45 days when the United States is a party'."""
        return f"{self.citation}: {self.summary}"
