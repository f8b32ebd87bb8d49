"""The ladder of courts, declared once: each level of review, the docket it sits on, who decides there,
how a matter leaves it, and where a mootness motion pending there is decided; with docket numbers,
captions and counsel (docs/sources.md §9.3, §9.4).

Everything else that lists court levels (the engine's forums, docket sheets, timelines, charts, the
audit) derives from `LADDER`.

>>> [level.key for level in LADDER]
['magistrate', 'district', 'circuit', 'en_banc', 'supreme']
>>> docket_number("supreme", "17-2", date(2016, 3, 1))
'15-2'
>>> caption("circuit", "In re Warrant", "Microsoft Corp.", "United States")
'Microsoft Corp. v. United States'
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import attrs

from sim.calendar import term_of


@attrs.frozen
class Level:
    """One rung: `lane` is the docket it sits on (the magistrate judge's orders are entered on the
    district court's docket), `table` the scenario's [courts.*] table, `acts` the actor whose stream
    decides there, `leaves_by` the deadlines by which a losing party takes the matter up, and
    `moot_order` the level that decides a mootness motion made while the matter is here, and
    `sought_by` the litigant's choice (a `sim.scenario.Litigant` probability) to take a matter up to
    this level from the one below (None: reached within the level below, as rehearing en banc), and
    `bench` the judges who sit there, as a caseload counts their places (the level's own by default;
    the court of appeals' for rehearing en banc)."""

    key: str
    lane: str
    label: str
    table: str
    acts: str
    leaves_by: tuple[str, ...]
    moot_order: str
    sought_by: str | None = None
    bench: str = attrs.field(default=attrs.Factory(lambda level: level.key, takes_self=True))


LADDER: tuple[Level, ...] = (
    Level("magistrate", "district", "Magistrate judge", "district", "magistrate", ("objection",), "district"),
    Level("district", "district", "District court", "district", "district_court", ("notice_of_appeal",), "district",
          "objects"),
    Level("circuit", "circuit", "Court of appeals", "circuit", "court_of_appeals",
          ("rehearing", "cert_petition"), "circuit", "appeals"),
    Level("en_banc", "circuit", "Court of appeals (en banc)", "circuit", "court_of_appeals", ("cert_petition",),
          "circuit", bench="circuit"),
    Level("supreme", "supreme", "Supreme Court", "supreme", "supreme_court", (), "supreme", "petitions_cert"),
)
LEVEL: dict[str, Level] = {level.key: level for level in LADDER}
COURT_LEVELS: tuple[str, ...] = tuple(LEVEL)
LANES: tuple[str, ...] = tuple(dict.fromkeys(level.lane for level in LADDER))  # district, circuit, supreme
OUTSIDE = "out_of_court"   # steps off every court's docket: service, production, legislation, MLAT
FORUMS = ("congress", "foreign", OUTSIDE)
COURT_ACTORS = tuple(dict.fromkeys(level.acts for level in LADDER))


LANE_OF: dict[str, str] = {level.key: level.lane for level in LADDER}


def in_supreme_court(level: str | None) -> bool:
    """Whether `level` sits on the Supreme Court's docket (its lane, not its name: a Justice in chambers
    would too)."""
    return LANE_OF.get(level) == "supreme"


def lane_of(level: str) -> str | None:
    """The docket a level's entries go on, or None for a forum outside the courts."""
    return LANE_OF.get(level)


def forum_name(level: str, courts: dict[str, dict[str, str]], parties: dict[str, Any]) -> str:
    """The name of the court (or the forum outside the courts) where an entry at `level` is made."""
    lane = LANE_OF.get(level)
    if lane is not None:
        return courts[lane]["name"]
    if level == "foreign":
        return parties["foreign_authority"]
    return "United States Congress" if level == "congress" else "Out of court"


def judge_on(court: dict[str, Any], on: str) -> str:
    """Who sits in `court` (a matter's court table) as an entry of day `on` (ISO) names them: the judge at the
    start, or as the scenario writes them from a later day (`judge_from`, e.g. a chief judge's term ended)."""
    judge = court["judge"]
    for since, name in court.get("judge_from", ()):
        if on >= since:
            judge = name
    return judge


def rank(level: str) -> int:
    """Position on the ladder (-1 outside the courts)."""
    return COURT_LEVELS.index(level) if level in LEVEL else -1


# Docket numbers: the year of docketing, or the Supreme Court's Term (§9.4) ------------------------
NUMBER_PATTERNS = {
    "district": re.compile(r"^(\d+:)(\d{2})(-[a-z]{2}-\d+)$"),   # 1:13-mj-02814: year of filing
    "circuit": re.compile(r"^()(\d{2})(-\d+)$"),                # 14-2985: year of docketing
    "supreme": re.compile(r"^()(\d{2})(-\d+)$"),                # 17-2: the Term of filing
}
NUMBER_EXAMPLES = {"district": "1:13-mj-02814", "circuit": "14-2985", "supreme": "17-2"}


def docket_number(lane: str, pattern: str, opened_on: date) -> str:
    """The number a docket opened on `opened_on` carries, after the scenario's `pattern`: the year
    (the Term, for the Supreme Court) replaced, the court's serial kept."""
    found = NUMBER_PATTERNS[lane].match(pattern)
    if found is None:
        raise ValueError(f"docket number {pattern!r} is not of the form {NUMBER_EXAMPLES[lane]}")
    year = term_of(opened_on) if lane == "supreme" else opened_on.year
    return f"{found.group(1)}{year % 100:02d}{found.group(3)}"


def caption(lane: str, district_caption: str, first: str, second: str) -> str:
    """A docket's caption: the warrant matter's own in the district court; above it, the party that
    appeals or petitions named first (§9.3)."""
    return district_caption if lane == "district" else f"{first} v. {second}"


# Who speaks for whom (§9.3) ----------------------------------------------------------------------
SOLICITOR_GENERAL = "Solicitor General"
PARTIES = ("government", "provider", "customer", "foreign_government", "amicus")


def counsel(party: str, level: str, parties: dict[str, Any]) -> str:
    """Who files for `party` at `level`: the Solicitor General conducts the United States' cases in
    the Supreme Court (28 U.S.C. 518(a)), at any level on its docket; the U.S. Attorney's Office below;
    each other party's own counsel as the scenario names it."""
    if party == "government":
        return SOLICITOR_GENERAL if in_supreme_court(level) else parties["government_counsel"]
    return parties.get(f"{party}_counsel") or f"counsel for {parties.get(party, party)}"


def other(side: str) -> str:
    """The opposing side in the warrant dispute."""
    return "provider" if side == "government" else "government"
