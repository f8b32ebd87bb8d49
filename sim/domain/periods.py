"""Periods, declared once: what each event opens (a deadline, for whom, under which rule, counted from
which day), what closes it, how it may be extended, and what lateness means (docs/sources.md §5a,
§8.6, §9.1).

The `Matter` aggregate applies the openings each event declares (`sim.domain.registry`) and `closes`
in its own state, so the engine, the narration, `docket --as-of` and the audit all read deadlines from
the aggregate and nothing computes one twice.

>>> PERIODS["cert_petition"].extension.longest, PERIODS["cert_petition"].extension.apply_before
(60, 10)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from sim.domain.ladder import other


@attrs.frozen
class Extension:
    """How a period may be extended: by whom (an actor of the ladder, or "circuit_justice" / "clerk"),
    by at most `longest` days (None: as the court sets), applied for at least `apply_before` days
    before the due date, or up to `after_expiry` days after it (FRAP 4(a)(5))."""

    rule: str
    granted_by: str
    longest: int | None = None
    apply_before: int = 0
    after_expiry: int = 0


@attrs.frozen
class Period:
    """A time to act: `rules` is the rule key when the United States is not a party, then when it is;
    `late` says what a filing out of time leads to; `heard_in`, the court (lane) that hears what is
    filed in it, so a dismissal there as moot disposes of it too (sources §9.6)."""

    key: str
    action: str
    rules: tuple[str, str]
    late: str
    extension: Extension
    refused_late: tuple[str, str] | None = None  # a filing the clerk never takes out of time: (rule, expected)
    heard_in: str = "district"

    def rule(self, united_states_party: bool) -> str:
        return self.rules[1] if united_states_party else self.rules[0]


PERIODS: dict[str, Period] = {p.key: p for p in (
    Period("comity_motion", "move to quash or modify under 18 U.S.C. 2703(h)(2)", ("comity_motion",) * 2,
           "denied as untimely, unless the government agreed to more time",
           Extension("comity_extension", "magistrate")),
    Period("objection", "object to the magistrate judge's order", ("objection",) * 2,
           "review waived: the objection is overruled as untimely",
           Extension("objection_time", "magistrate")),
    Period("notice_of_appeal", "appeal to the court of appeals", ("notice_of_appeal", "notice_of_appeal_us"),
           "dismissed as untimely, unless the time was extended under FRAP 4(a)(5)",
           Extension("appeal_extension", "district_court", after_expiry=30), heard_in="circuit"),
    Period("rehearing", "petition for panel rehearing or rehearing en banc", ("rehearing", "rehearing_us"),
           "denied as untimely; the time to petition for certiorari runs from the judgment",
           Extension("rehearing_extension", "court_of_appeals"), heard_in="circuit"),
    Period("cert_petition", "petition for a writ of certiorari", ("cert_petition",) * 2,
           "not filed (Sup. Ct. R. 13.2): the judgment below stands",
           Extension("cert_extension", "circuit_justice", longest=60, apply_before=10),
           ("Sup. Ct. R. 13.2", "never docketed out of time (due {deadline})"), heard_in="supreme"),
    Period("brief_in_opposition", "file a brief in opposition", ("brief_in_opposition",) * 2,
           "not filed: the petition is distributed when the time expires (Sup. Ct. R. 15.5)",
           Extension("bio_extension", "clerk"), ("Sup. Ct. R. 15.3, 15.5", "filed by {deadline} or not at all"),
           heard_in="supreme"),
)}


@attrs.frozen
class Opening:
    """An event opens `period` for `party(event, state)`, counted from the day `trigger(event, state)`
    returns (ISO date), when `applies(event, state)`."""

    period: str
    party: Callable[[Any, Any], str]
    trigger: Callable[[Any, Any], str] = lambda event, state: event.date
    applies: Callable[[Any, Any], bool] = lambda event, state: True


def loser_of_motion(event: Any, state: Any) -> str:
    mover = state.motions[event.motion_id]["party"]
    return other(mover) if event.disposition in ("granted", "quashed", "modified") else mover


def loser(event: Any, state: Any) -> str:
    return other(event.prevailing)


def comity_motion_open(event: Any, state: Any) -> bool:
    return "18 U.S.C. 2703(h)" in state.statutes_in_force and state.qualifying_foreign_government(event.date)


CLOSING = frozenset({"FinalDisposition", "DismissedAsMoot", "PetitionDistributed"})  # besides filings


def closes(name: str, event: Any) -> tuple[str, ...] | None:
    """The periods `event` closes (None: every one still open)."""
    if name in ("FinalDisposition", "DismissedAsMoot"):
        return None
    if name == "PetitionDistributed":
        return ("brief_in_opposition",)
    met = getattr(event, "period", None)
    if met is None:
        return ()
    if name == "RehearingPetitioned" and event.timely:  # Sup. Ct. R. 13.3: time runs from the denial
        return (met, "cert_petition")
    return (met,)


# Review periods: a matter is disposed of only once each has closed or run out.
REVIEW = ("comity_motion", "objection", "notice_of_appeal", "rehearing", "cert_petition")
