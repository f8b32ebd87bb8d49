"""What the actors of one matter share: the SimPy clock, the scenario, the matter, the courts and the streams.

Actors never touch the matter's state directly: they wait (`wait`, `until`) and record (`record`),
and every state change goes through the `Matter` aggregate, which derives docket headers and
deadlines and refuses what the law does not allow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Generator, Mapping
from typing import Any

import attrs
import simpy

from sim.calendar import Calendar
from sim.distributions import Duration, Probability
from sim.domain import ladder
from sim.domain.matter import Matter
from sim.domain.rules import describe
from sim.domain.steps import STEPS
from sim.engine.courts import Court, courts_for
from sim.engine.script import Divergence, Script
from sim.errors import ScenarioError
from sim.scenario import Litigant, Pin, Scenario
from sim.text import tidy

# Each draws from its own stream; side tracks (amici, the foreign government, 2705(b) orders) from theirs.
ACTORS = ("government", "provider", *ladder.COURT_ACTORS, "congress", "foreign_authority", "foreign_government",
          "amici", "nondisclosure")


def actor_stream(seed: int, actor: str) -> Stream:
    """An actor's own random stream, derived from the replication's seed and the actor's name alone."""
    digest = hashlib.sha256(f"{seed}/{actor}".encode()).digest()
    return _seeded(int.from_bytes(digest[:8], "big"))


def _seeded(key: int) -> Stream:
    """A stream seeded with `key` as `Stream(key)` seeds it, without `random.Random`'s Python-level `seed`."""
    stream = Stream.__new__(Stream)
    _SEED(stream, key)
    stream.gauss_next, stream.key = None, key
    return stream


class Stream(random.Random):
    """A Mersenne Twister stream that counts the 32-bit words it has given, so that it can be set aside
    (`Streams.park`) and made again exactly: the same seed, the same number of words skipped, the same
    pending Gaussian. Its draws are those of `random.Random`."""

    words = 0

    def __init__(self, key: int) -> None:
        super().__init__(key)
        self.key = key  # its seed, to make it again

    def random(self) -> float:
        self.words += 2  # a double takes two words
        return _DOUBLE(self)

    def getrandbits(self, k: int) -> int:
        self.words += (k + 31) // 32
        return _BITS(self, k)


_DOUBLE, _BITS = random.Random.random, random.Random.getrandbits  # the C methods, without `super()`'s lookup
_SEED = random.Random.__mro__[1].seed  # `_random.Random.seed`: for an int, what `random.Random.seed` does


class Streams(dict[str, Stream]):
    """The actors' streams of one replication, each made the first time its actor draws (a replication
    seldom needs all of them, and making one costs a hash and a seeding). `park` sets them aside, keeping
    only where each had got to (a stream holds 2.5 KB of state, which a caseload's matter waiting in a
    court's queue or for a month or more has no use for), and an actor's next draw makes its stream again
    there from its seed (a seeding and the words skipped: about 8 us)."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.seed = seed
        self.parked: dict[str, tuple[int, int, float | None]] = {}  # actor -> seed, words given, Gaussian

    def __missing__(self, actor: str) -> Stream:
        if actor not in ACTORS:
            raise KeyError(actor)
        if actor in self.parked:
            key, words, gauss_next = self.parked.pop(actor)
            stream = self[actor] = _seeded(key)
            stream.getrandbits(32 * words)  # exactly `words` words: the stream is where it was
            stream.gauss_next = gauss_next
            return stream
        stream = self[actor] = actor_stream(self.seed, actor)
        return stream

    def park(self) -> None:
        """Set every stream aside until its actor draws again."""
        for actor, stream in self.items():
            self.parked[actor] = (stream.key, stream.words, stream.gauss_next)
        self.clear()


_DAYS: dict[int, tuple[dt.date, str]] = {}  # a date's ordinal -> the date and its ISO text (`Proceeding._now`)

PARK_DAYS = 30  # a caseload's matter waiting this long sets its streams aside (`Streams.park`)

Wait = Generator[simpy.Event, Any, Any]
Target = Callable[[], dt.date]


@attrs.define
class Proceeding:
    env: simpy.Environment
    scenario: Scenario
    matter: Matter
    seed: int
    script: Script | None = None  # a fork's source entries, while they are being copied
    judges: Mapping[str, simpy.Resource] = attrs.field(factory=dict)  # a caseload's shared benches, by level
    calendar: Calendar = attrs.field(init=False)
    courts: dict[str, Court] = attrs.field(init=False)
    streams: Streams = attrs.field(init=False)
    enacted: simpy.Event = attrs.field(init=False)      # the CLOUD Act became law
    closed: simpy.Event = attrs.field(init=False)       # the final disposition is recorded
    new_warrant: simpy.Event = attrs.field(init=False)  # a new warrant under the amended statute is served
    on_record: bool = attrs.field(init=False)           # the scenario's pins give the record
    copying: bool = attrs.field(init=False)             # a fork's source entries may remain to copy
    pending_level: str | None = None
    litigation: simpy.Process | None = None
    descending: list[simpy.Process] = attrs.Factory(list)  # judgments, mandates, remands under way (mandates)
    seeking_content: bool = False  # the warrant is gone and the government still seeks the content
    _today: tuple[int, dt.date, str] = (-1, dt.date.min, "")
    _origin: int = attrs.field(init=False)  # the ordinal of day 0 (`_now`)

    def __attrs_post_init__(self) -> None:
        self.calendar = Calendar(self.scenario.scenario.start_date)
        self._origin = self.calendar.start.toordinal()
        self.courts = courts_for()
        self.streams = Streams(self.seed)
        self.enacted, self.closed, self.new_warrant = self.env.event(), self.env.event(), self.env.event()
        self.on_record = self.scenario.on_record and self.script is None
        self.copying = self.script is not None

    # Time --------------------------------------------------------------------------------------
    def _now(self) -> tuple[int, dt.date, str]:
        """Today as (simulated day, date, ISO date), computed once a day."""
        now = self.env._now  # the clock itself: `now` is a property read hundreds of times a matter
        if now != self._today[0]:
            ordinal = self._origin + int(now)
            found = _DAYS.get(ordinal)
            if found is None:  # every replication passes the same days: each is dated once
                day = dt.date.fromordinal(ordinal)
                found = _DAYS[ordinal] = (day, day.isoformat())
            self._today = (now, *found)
        return self._today

    @property
    def day(self) -> dt.date:
        return self._now()[1]

    @property
    def today(self) -> str:
        return self._now()[2]

    def after(self, days: int) -> dt.date:
        """The date `days` after today."""
        return dt.date.fromordinal(self._origin + int(self.env._now) + days)

    @property
    def replaying(self) -> bool:
        return self.copying and self.script.replaying  # type: ignore[union-attr]

    # Draws -------------------------------------------------------------------------------------
    def law_in_force(self, statute: str) -> bool:
        return statute in self.matter.statutes_in_force

    def litigant(self, side: str) -> Litigant:
        return self.scenario.government if side == "government" else self.scenario.provider

    def occurs(self, actor: str, probability: Probability) -> bool:
        """Draw, then decide: the stream is used the same way whatever the probability."""
        drawn = probability.occurs(self.streams[actor])
        return self.script.decide(drawn) if self.replaying else drawn  # type: ignore[union-attr]

    def draw(self, actor: str, duration: Duration) -> int:
        return duration.sample(self.streams[actor])

    def pin(self, step: str) -> Pin | None:
        """The scenario's pin for `step`, when the matter is played on the record."""
        return self.scenario.pins.get(step) if self.on_record else None

    # Waiting -----------------------------------------------------------------------------------
    def wait(self, step: str, actor: str, duration: Duration, court: Court | None = None) -> Wait:
        """Let a step's drawn time pass (to the court's next sitting day when a court acts). In a caseload the
        court's step first waits for one of its judges' places (`judges`), and holds it while it runs."""
        bench = self.judges.get(court.level.key) if court and self.judges else None
        if bench is None and not self.copying and not self.on_record:  # `until`'s own way, in one step
            today = self._now()[1]
            day = dt.date.fromordinal(self._origin + int(self.env._now) + duration.sample(self.streams[actor]))
            days = max(0, ((court.sitting(day) if court else day) - today).days)
            if days >= PARK_DAYS and self.judges:
                self.streams.park()
            yield self.env.timeout(days)
            return

        def target() -> dt.date:
            day = self.after(self.draw(actor, duration))
            return court.sitting(day) if court else day
        if bench is None:  # one matter alone: its judges are always free
            yield from self.until(step, target)
            return
        yield from self.holding(bench, self.until(step, target))

    def holding(self, bench: simpy.Resource, steps: Wait) -> Wait:
        """A caseload: take one of a court's places (`bench`), waiting in its queue if all are taken, and hold
        it while `steps` run; what `steps` return."""
        with bench.request() as place:
            if not place.triggered:  # in the queue, maybe for months: the streams wait outside
                self.streams.park()
            yield place
            return (yield from steps)

    def until(self, step: str, target: Target) -> Wait:
        """Wait until the day `target()` gives: the pinned date on the record; for a fork, while copying,
        the source's day, or a day after the cut if the source never reached this step."""
        if self.copying and self.replaying:
            yield self.env.timeout(self._replayed_delay(step, target))
            return
        when = target()  # drawn even when a pin overrides it, so every stream is used the same way
        today = self._now()[1]
        if self.on_record:
            pin = self.scenario.pins.get(step)
            if pin is not None and pin.date is not None:
                if pin.date < today:
                    raise ScenarioError(self.scenario.path, f"pins.{step}",
                                        f"date {pin.date} comes before {self.today}, when the step became possible "
                                        f"(after {self.matter.history[-1]})")
                when = pin.date
        days = max(0, (when - today).days)
        if days >= PARK_DAYS and self.judges:  # a caseload's matter, idle a while: its streams wait outside
            self.streams.park()
        yield self.env.timeout(days)

    def source_day(self, step: str) -> int | None:
        """While copying a fork's source: the day of the source's next entry for `step`, if any."""
        return self.script.day_of(step) if self.replaying else None  # type: ignore[union-attr]

    def _replayed_delay(self, step: str, target: Target) -> int:
        assert self.script is not None
        now, day = int(self.env.now), self.script.day_of(step)
        if day is not None:
            if day < now:
                raise Divergence(f"{step} on day {day}", f"{step} possible only from day {now}")
            return day - now
        for _ in range(1000):  # the source shows this step had not come by the cut
            drawn = max(now, self.calendar.day_of(target()))
            if drawn > self.script.cut_day:
                return drawn - now
        return self.script.cut_day + 1 - now

    # Recording ---------------------------------------------------------------------------------
    def record(self, event_class: type[Matter.Entry], step: str, level: str, text: str, *,
               rule_key: str | None = None, rule: str | None = None, actor: str | None = None,
               party: str | None = None, numbered_on: str | None = None, **fields: Any) -> None:
        """Record a step on the matter (for a fork, while copying: the source's entry, once the engine
        has reached the same step and decisions). On the record, every step must be pinned.
        `numbered_on`: see `Matter.record`."""
        now, _, today = self._now()
        if self.copying and self.replaying:
            assert self.script is not None
            payload = self.script.copy(event_class.__name__, dict(fields, step=step, sim_day=now,
                                                                  court_level=level, party=party))
            self.matter.copy(event_class, payload)
        else:
            pin = self.scenario.pins.get(step) if self.on_record else None
            if self.on_record and pin is None:
                raise ScenarioError(self.scenario.path, f"pins.{step}", "missing: a scenario played on the record "
                                    "pins every step it records (a date, or approximate = true)")
            text = tidy(text) + (f" ({pin.note})" if pin and pin.note else "")
            approximate = bool(pin and pin.approximate)
            if approximate:
                text += " [date approximate]"
            fields["step"], fields["sim_day"], fields["approximate"] = step, now, approximate
            fields["text"], fields["inherited"] = text, None
            fields["rule"] = rule or describe(rule_key or STEPS[step], level, today)
            self.matter.record(event_class, fields, level=level, date=today, actor=actor, party=party,
                               entry_at_least=pin.entry if pin else None, numbered_on=numbered_on)
        if level in ladder.LEVEL and event_class.MOVES:
            self.pending_level = level  # where the matter is pending (asking for time, a side track: nowhere)

    def name(self, side: str) -> str:
        """A party's name as running text gives it ("the United States")."""
        name = self.matter.parties[side]
        return f"the {name}" if name.startswith("United States") else name
