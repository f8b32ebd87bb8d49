"""What the actors of one matter share: the SimPy clock, the scenario, the matter and the streams.

Actors never touch the matter's state directly: they wait (`wait`) and record (`record`), and every
state change goes through the `Matter` aggregate, which enforces legal order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Generator
from typing import Any

import attrs
import simpy

from sim.calendar import Calendar
from sim.distributions import Duration, Probability
from sim.domain.matter import Matter
from sim.domain.rules import COURT_LEVELS, RULES, STEPS
from sim.engine.script import Divergence, Script
from sim.errors import ScenarioError
from sim.scenario import Scenario
from sim.text import tidy

ACTORS = ("government", "provider", "magistrate", "district_court", "court_of_appeals",
          "supreme_court", "congress", "foreign_authority")
OUT_OF_COURT = "Out of court"
DESCRIPTIONS = {key: rule.describe() for key, rule in RULES.items()}


def actor_stream(seed: int, actor: str) -> random.Random:
    """An actor's own random stream, derived from the replication's seed and the actor's name alone."""
    digest = hashlib.sha256(f"{seed}/{actor}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


Wait = Generator[simpy.Event, Any, Any]


@attrs.define
class Proceeding:
    env: simpy.Environment
    scenario: Scenario
    matter: Matter
    seed: int
    calendar: Calendar = attrs.field(init=False)
    forums: dict[str, tuple[str, str, str]] = attrs.field(init=False)
    streams: dict[str, random.Random] = attrs.field(init=False)
    enacted: simpy.Event = attrs.field(init=False)
    closed: simpy.Event = attrs.field(init=False)
    pending_level: str | None = None
    new_warrant: bool = False
    litigation: simpy.Process | None = None
    step_dates: dict[str, str] = attrs.Factory(dict)  # step -> date it was last recorded
    script: Script | None = None  # a fork's source entries, while they are being copied
    _today: tuple[int, str] = (-1, "")

    def __attrs_post_init__(self) -> None:
        s = self.scenario
        self.calendar = Calendar(s.scenario.start_date)
        self.forums = {level: (court.name, court.docket_number, judge) for level, court, judge in (
            ("magistrate", s.courts.district, s.courts.magistrate_judge),
            ("district", s.courts.district, s.courts.district.judge),
            ("circuit", s.courts.circuit, s.courts.circuit.judge),
            ("en_banc", s.courts.circuit, s.courts.circuit.judge),
            ("supreme", s.courts.supreme, s.courts.supreme.judge))}
        self.forums["congress"] = ("United States Congress", "", "")
        self.forums["foreign"] = (s.foreign_authority.name, "", "")
        self.streams = {actor: actor_stream(self.seed, actor) for actor in ACTORS}
        self.enacted = self.env.event()
        self.closed = self.env.event()

    @property
    def today(self) -> str:
        now = int(self.env.now)
        if now != self._today[0]:
            self._today = (now, self.calendar.date_of(now).isoformat())
        return self._today[1]

    def law_in_force(self, statute: str) -> bool:
        return statute in self.matter.statutes_in_force

    def occurs(self, actor: str, probability: Probability) -> bool:
        drawn = probability.occurs(self.streams[actor])
        return self.script.decide(drawn) if self.script and self.script.replaying else drawn

    def wait(self, step: str, actor: str, duration: Duration) -> Wait:
        """Let a step's time pass: the drawn duration, or up to the scenario's pinned date (for a fork,
        while copying: up to the source's date, or past the cut if the source never got there)."""
        drawn = duration.sample(self.streams[actor])
        if self.script and self.script.replaying:
            yield self.env.timeout(self._replayed_delay(step, actor, duration, drawn))
            return
        pin = self.scenario.pins.get(step)
        if pin is not None and pin.date is not None:
            target = self.calendar.day_of(pin.date)
            if target < self.env.now:
                raise ScenarioError(self.scenario.path, f"pins.{step}",
                                    f"date {pin.date} comes before {self.today}, when the step "
                                    f"became possible (after {self.matter.history[-1]})")
            drawn = target - int(self.env.now)
        yield self.env.timeout(drawn)

    def _replayed_delay(self, step: str, actor: str, duration: Duration, drawn: int) -> int:
        assert self.script is not None
        now, day = int(self.env.now), self.script.day_of(step)
        if day is not None:
            if day < now:
                raise Divergence(f"{step} on day {day}", f"{step} possible only from day {now}")
            return day - now
        for _ in range(1000):  # the source shows this step had not come by the cut
            if now + drawn > self.script.cut_day:
                return drawn
            drawn = duration.sample(self.streams[actor])
        return self.script.cut_day + 1 - now

    def court(self, level: str) -> tuple[str, str, str]:
        """Court name, docket number and judge for a level of the judiciary or another forum."""
        return self.forums.get(level) or (OUT_OF_COURT, "", "")

    def judge(self, level: str) -> str:
        return self.court(level)[2]

    def record(self, event_class: type[Matter.Entry], step: str, level: str, actor: str, text: str,
               rule_key: str | None = None, **fields: Any) -> None:
        """Record a step on the matter with its full docket header (for a fork, while copying: the
        source's entry, once the engine has reached the same step and decisions)."""
        if self.script and self.script.replaying:
            fields = dict(fields, step=step, sim_day=int(self.env.now), court_level=level)
            self.matter.record(event_class, **self.script.copy(event_class.__name__, fields))
            self._bookkeep(step, level)
            return
        pin = self.scenario.pins.get(step)
        court, docket_number, _ = self.court(level)
        entry_number = None
        if docket_number:
            entry_number = self.matter.next_entry_number(docket_number, pin.entry if pin else None)
        approximate = bool(pin and pin.approximate)
        text = tidy(text)
        if pin and pin.note:
            text = f"{text} ({pin.note})"
        if approximate:
            text = f"{text} [date approximate]"
        self.matter.record(
            event_class, step=step, sim_day=int(self.env.now), date=self.today,
            approximate=approximate, court_level=level, court=court, docket_number=docket_number,
            entry_number=entry_number, actor=actor, rule=DESCRIPTIONS[rule_key or STEPS[step]],
            text=text, inherited=None, **fields)
        self._bookkeep(step, level)

    def _bookkeep(self, step: str, level: str) -> None:
        self.step_dates[step] = self.today
        if level in COURT_LEVELS:
            self.pending_level = level

    def deadline(self, step: str, trigger: str, rule_key: str | None = None,
                 extension_days: int = 0) -> dict[str, Any]:
        """Deadline fields for a filing made today: the last day to file, counted from `trigger` under
        the step's rule plus `extension_days`, and whether today is after it."""
        rule = RULES[rule_key or STEPS[step]]
        assert rule.period_days is not None, f"{step} has no period in the rules table"
        due = self.calendar.deadline(dt.date.fromisoformat(trigger), rule.period_days + extension_days)
        return {"deadline": due.isoformat(), "late": self.today > due.isoformat()}

    def extension(self, step: str, default: int = 0) -> int:
        """Days by which the time to file was extended: the scenario's pin, else `default`."""
        pin = self.scenario.pins.get(step)
        return pin.extension_days if pin is not None and pin.extension_days else default
