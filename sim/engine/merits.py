"""The Supreme Court's merits briefing (Sup. Ct. R. 25; docs/sources.md §11.3): the petitioner's brief
within 45 days of the grant, the respondent's 30 days after it, the reply 30 days after that; when the
argument is set sooner the Clerk sets a schedule that fits, the reply due 7 days before argument
(assumption: the sources say "a few days"). Each party files on its day (assumption), a business day,
and the amici follow the brief of the party they support (`sim.engine.amici`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sim import calendar
from sim.domain.matter import Matter
from sim.engine import amici
from sim.engine.proceeding import Proceeding, Wait

RULE_25 = (45, 30, 30)   # days: grant to petitioner's brief, to respondent's, to the reply
REPLY_BEFORE = 7         # the reply at least this many days before argument (assumption)


def schedule(granted: dt.date, argued: dt.date | None) -> tuple[dt.date, dt.date, dt.date]:
    """The three briefs' days: Rule 25's times, compressed in proportion when argument comes sooner;
    each a business day on or after the grant."""
    full = [granted + dt.timedelta(days=sum(RULE_25[:i + 1])) for i in range(3)]
    if argued is not None and full[2] > argued - dt.timedelta(days=REPLY_BEFORE):
        room = max((argued - granted).days - REPLY_BEFORE, 0)
        full = [granted + dt.timedelta(days=room * sum(RULE_25[:i + 1]) // sum(RULE_25)) for i in range(3)]
    return tuple(max(calendar.roll_back(day, True), granted) for day in full)  # type: ignore[return-value]


def argument(p: Proceeding, petitioner: str, respondent: str, day: Callable[[], dt.date]) -> Callable[[], dt.date]:
    """Open the merits stage on the grant: briefing set to the argument day that `day` gives (the target the
    argument waits for, returned), and the amici."""
    granted, set_for = p.day, list[dt.date]()

    def target() -> dt.date:
        set_for.append(day())
        return set_for[-1]

    amici.file(p, "supreme", petitioner)
    p.env.process(_brief(p, petitioner, respondent, granted, set_for))
    return target


def _brief(p: Proceeding, petitioner: str, respondent: str, granted: dt.date, set_for: list[dt.date]) -> Wait:
    days = schedule(granted, set_for[0] if set_for else None)
    for step, side, label, when in (("merits_petitioner", petitioner, "brief for petitioner", days[0]),
                                    ("merits_respondent", respondent, "brief for respondent", days[1]),
                                    ("merits_reply", petitioner, "reply brief for petitioner", days[2])):
        yield from p.until(step, lambda when=when: when)  # type: ignore[misc]
        if not amici._open(p, "supreme"):
            return
        who = f"{p.name(side)}, by the Solicitor General" if side == "government" else p.name(side)
        words = label.replace("brief", "BRIEF", 1).replace("reply", "REPLY", 1)
        p.record(Matter.BriefFiled, step, "supreme", f"{words} {who} filed.", party=side, kind=label)
        amici.principal_brief(p, "supreme", side)
