"""Judgments and mandates going down: the Supreme Court's judgment issued to the court below."""

import datetime as dt
from collections.abc import Generator
from typing import Any

from sim import calendar
from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding


def judgment_issues(p: Proceeding) -> Generator[Any, Any, None]:
    """Sup. Ct. R. 45.2, 45.3: the judgment issues 25 days after entry; a certified copy goes down."""
    decided = dt.date.fromisoformat(p.matter.supreme_judgment_on or p.today)
    yield from p.until("judgment_issued", lambda: calendar.deadline(decided, 25))
    p.record(Matter.JudgmentIssued, "judgment_issued", "supreme",
             f"JUDGMENT ISSUED; a certified copy sent to the {p.matter.courts['circuit']['name']}.",
             actor="The Clerk")
