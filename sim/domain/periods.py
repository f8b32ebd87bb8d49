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

from sim.domain.authority import Rule
from sim.domain.ladder import other


@attrs.frozen
class Extension:
    """How a period may be extended: by whom (an actor of the ladder, or "circuit_justice" / "clerk"),
    on which level's docket,
    by at most `longest` days (None: as the court sets), applied for at least `apply_before` days
    before the due date, or up to `after_expiry` days after it (FRAP 4(a)(5))."""

    rule: str
    granted_by: str
    docketed: str  # the level on whose docket the application and the order are entered
    longest: int | None = None
    apply_before: int = 0
    after_expiry: int = 0


@attrs.frozen
class Period:
    """A time to act: `rules` is the rule key when the United States is not a party, then when it is;
    `late` says what a filing out of time leads to; `cites` the rules it declares itself (its periods,
    its extension, their amended texts), keyed as `rules.RULES` holds them; `heard_in`, the court
    (lane) that hears what is filed in it, so a dismissal there as moot disposes of it too (sources §9.6)."""

    key: str
    action: str
    rules: tuple[str, str]
    late: str
    extension: Extension
    refused_late: tuple[str, str] | None = None  # a filing the clerk never takes out of time: (rule, expected)
    heard_in: str = "district"
    step: str = ""  # the engine's step that files in it (scenario pins name it; `sim.domain.steps` derives)
    cites: dict[str, Rule] = attrs.field(factory=dict, hash=False)  # its own rules (`sim.domain.rules` merges)

    def rule(self, united_states_party: bool) -> str:
        return self.rules[1] if united_states_party else self.rules[0]


PERIODS: dict[str, Period] = {p.key: p for p in (
    Period("comity_motion", "move to quash or modify under 18 U.S.C. 2703(h)(2)", ("comity_motion",) * 2,
           "denied as untimely, unless the government agreed to more time",
           Extension("comity_extension", "magistrate", "magistrate"), step="comity_motion",
           cites={
            "comity_motion": Rule("18 U.S.C. 2703(h)(2)(A)",
                                  "14 days after service to move to quash or modify (qualifying foreign government)",
                                  "sources §8.1", period_days=14),
            "comity_extension": Rule("18 U.S.C. 2703(h)(2)(A)",
                                     "more time by agreement with the government, or by the court on an application "
                                     "made within the 14 days", "sources §8.1"),
           }),
    Period("objection", "object to the magistrate judge's order", ("objection",) * 2,
           "review waived: the objection is overruled as untimely",
           Extension("objection_time", "magistrate", "magistrate"), step="objection",
           cites={
            "objection": Rule("Fed. R. Crim. P. 59(a)",
                              "14 days to object to a magistrate judge's order; failing to object waives review",
                              "sources §5a, §9.1", period_days=14),
            "objection_time": Rule("Fed. R. Crim. P. 59(a)", "time to object set by the court ('or at some other time "
                                   "the court sets')", "sources §9.1"),
           }),
    Period("notice_of_appeal", "appeal to the court of appeals", ("notice_of_appeal", "notice_of_appeal_us"),
           "dismissed as untimely, unless the time was extended under FRAP 4(a)(5)",
           Extension("appeal_extension", "district_court", "district", after_expiry=30), heard_in="circuit",
           step="notice_of_appeal",
           cites={
            "notice_of_appeal": Rule("FRAP 4(a)(1)(A)", "30 days after entry of the order appealed from",
                                     "sources §5a", period_days=30),
            "notice_of_appeal_us": Rule("FRAP 4(a)(1)(B)", "60 days when the United States is a party",
                                        "sources §5a", period_days=60),
            "appeal_extension": Rule("FRAP 4(a)(5)", "extension on a motion filed no later than 30 days after the time "
                                     "expired; at most 30 days after it or 14 days after the order, whichever is later",
                                     "sources §9.1"),
           }),
    Period("rehearing", "petition for panel rehearing or rehearing en banc", ("rehearing", "rehearing_us"),
           "denied as untimely; the time to petition for certiorari runs from the judgment",
           Extension("rehearing_extension", "court_of_appeals", "circuit"), heard_in="circuit",
           step="rehearing_petition",
           cites={
            "rehearing": Rule("FRAP 40(a)(1)", "14 days after entry of judgment", "sources §5a", period_days=14),
            "rehearing_us": Rule("FRAP 40(a)(1)", "45 days when the United States is a party",
                                 "sources §5a, §8.3", period_days=45),
            "rehearing_extension": Rule("FRAP 26(b)", "for good cause the court may extend the time",
                                        "sources §9.1"),
            "rehearing_2024": Rule("FRAP 40 (as amended 2024-12-01)", "14 days after entry of judgment",
                                   "sources §5a, §11.4",
                                   period_days=14),
            "rehearing_us_2024": Rule("FRAP 40 (as amended 2024-12-01)", "45 days when the United States is a party",
                                      "sources §5a, §11.4", period_days=45),
           }),
    Period("cert_petition", "petition for a writ of certiorari", ("cert_petition",) * 2,
           "not filed (Sup. Ct. R. 13.2): the judgment below stands",
           Extension("cert_extension", "circuit_justice", "supreme", longest=60, apply_before=10),
           ("Sup. Ct. R. 13.2", "never docketed out of time (due {deadline})"), heard_in="supreme",
           step="cert_petition",
           cites={
            "cert_petition": Rule("Sup. Ct. R. 13.1, 13.3", "90 days after judgment or after denial of rehearing",
                                  "sources §8.6", period_days=90),
            "cert_extension": Rule("Sup. Ct. R. 13.5", "a Justice may extend the time by up to 60 days; apply at least "
                                   "10 days before the due date", "sources §8.6, §9.1", period_days=60),
           }),
    Period("brief_in_opposition", "file a brief in opposition", ("brief_in_opposition",) * 2,
           "not filed: the petition is distributed when the time expires (Sup. Ct. R. 15.5)",
           Extension("bio_extension", "clerk", "supreme"),
           ("Sup. Ct. R. 15.3, 15.5", "filed by {deadline} or not at all"), heard_in="supreme",
           step="brief_in_opposition",
           cites={
            "brief_in_opposition": Rule("Sup. Ct. R. 15.3", "30 days after the case is placed on the docket",
                                        "sources §8.6", period_days=30),
            "bio_extension": Rule("Sup. Ct. R. 15.3, 30.4", "time extended by the Court, a Justice, or the Clerk",
                                  "sources §9.1"),
           }),
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


def closed_by_filing(event: Any) -> tuple[str, ...]:
    """The period a filing meets, which its filing closes (none if it meets none)."""
    met = getattr(event, "period", None)
    return () if met is None else (met,)


def every_period(event: Any) -> None:
    """Every period still open (a final disposition, a dismissal as moot)."""
    return None


# Review periods: a matter is disposed of only once each has closed or run out.
REVIEW = ("comity_motion", "objection", "notice_of_appeal", "rehearing", "cert_petition")
