"""The courts as objects: who sits there, on which days, and which stream decides for it.

A court is separate from any one case: it knows its level on the ladder, its calendar (business
days; the Supreme Court's Term, conferences, sittings and the end of June), and the actor whose
stream draws its times and rulings. Today each matter builds its own courts; a caseload will share
one set among many matters (and give each court its judges as SimPy resources).
"""

import datetime as dt

import attrs

from sim import calendar
from sim.domain.ladder import LADDER, Level


@attrs.frozen
class Court:
    """A court at one level of the ladder; it acts on business days."""

    level: Level

    @property
    def actor(self) -> str:
        return self.level.acts

    def sitting(self, day: dt.date) -> dt.date:
        """The first day on or after `day` on which the court acts."""
        return calendar.roll_forward(day)


@attrs.frozen
class SupremeCourt(Court):
    """The Supreme Court: petitions decided at conferences, argument in the October-April sittings of
    the Term a grant allows, opinions by the end of June, on its own business days (Sup. Ct. R. 30.1: no
    state holiday closes it; docs/sources.md §9.2, §10)."""

    def sitting(self, day: dt.date) -> dt.date:
        return calendar.roll_forward(day, True)

    def conference(self, day: dt.date) -> dt.date:
        return calendar.next_conference(day)

    def argument(self, granted: dt.date, earliest: dt.date) -> dt.date:
        """Monday to Wednesday of a sitting week; which of the sitting's six days follows from the day the
        case is ready (spread without a draw of its own, so every stream is used as before)."""
        return calendar.argument_day(granted, earliest, slot=earliest.toordinal() % 6)

    def opinion(self, argued: dt.date, earliest: dt.date) -> dt.date:
        return calendar.opinion_day(argued, earliest)

    def order(self, day: dt.date) -> dt.date:
        """The Court's orders outside argued cases: business days, not in the summer recess (the Clerk
        and a Justice in chambers act on any business day: `sitting`)."""
        day = calendar.roll_forward(day, True)
        return calendar.long_conference(day.year) if calendar.in_summer_recess(day) else day


def courts_for() -> dict[str, Court]:
    """The courts a matter comes before, one per level of the ladder."""
    return {level.key: (SupremeCourt if level.key == "supreme" else Court)(level) for level in LADDER}
