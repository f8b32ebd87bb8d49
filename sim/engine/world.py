"""A world of many matters: one SimPy environment holding the courts' judges, Congress and the arrivals.

Warrants arrive over the caseload's horizon (a Poisson process whose rate may change year by year); each
opens its own `Matter`, played by the same actors as a matter alone, on the world's clock (seen from the
matter, day 0 is its arrival: `MatterClock`). A hearing or ruling of a court takes one of that court's
judges' places (`Proceeding.wait`), and waits in the queue while all are taken. Congress enacts once, on
the scenario's date, for every matter open then. A matter is handed to `on_matter` as soon as all its
processes have ended, so the world holds only the matters still open.

Common random numbers survive sharing: a case's actors draw from streams keyed by (case seed, actor), its
seed from the replication's seed and the case number, and the arrivals from their own stream, so the same
case under two regimes meets the same draws whatever the judges do. The one-matter scenarios never come
here (`sim.engine.simulate`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID, uuid5

import attrs
import simpy

from sim.domain.ladder import LADDER
from sim.domain.matter import MATTER_NAMESPACE, Matter
from sim.engine import open_matter, parties_of, start
from sim.engine.proceeding import Proceeding, actor_stream
from sim.scenario import Caseload, Scenario

COURTS = ("magistrate", "district", "circuit", "supreme")  # caseflow is measured at these four
SERIAL = {"district": "{prefix}-{n:05d}", "circuit": "{prefix}-{n}", "supreme": "{prefix}-{n}"}


def case_matter_id(run_id: str, scenario: str, replication: int, case: int) -> UUID:
    """A caseload matter's id, from (run, replication, case) alone."""
    return uuid5(MATTER_NAMESPACE, f"{run_id}/{scenario}/{replication}/case/{case}")


def case_seed(seed: int, case: int) -> int:
    """The seed of case `case` of a replication: from the replication's seed and the case number alone."""
    return int.from_bytes(hashlib.sha256(f"{seed}/case/{case}".encode()).digest()[:8], "big")


def horizon_end(start_date: dt.date, years: int) -> dt.date:
    """The first day after the horizon: the start date `years` later (28 February for 29 February)."""
    try:
        return start_date.replace(year=start_date.year + years)
    except ValueError:
        return start_date.replace(year=start_date.year + years, day=28)


def month_starts(start_date: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each calendar month from the start date's month to the month holding `end - 1`."""
    months, day = [], start_date.replace(day=1)
    while day < end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


class MatterClock:
    """The world's environment seen from one matter: `now` counts from its arrival. It counts the
    matter's live processes, so the world knows when the matter has ended (`done`)."""

    def __init__(self, env: simpy.Environment, arrival: int, done: Callable[[], None]) -> None:
        self._env, self._arrival, self._done, self._live = env, arrival, done, 0

    @property
    def now(self) -> float:
        return self._env.now - self._arrival

    @property
    def _now(self) -> float:
        return self._env._now - self._arrival

    def process(self, generator: Any) -> simpy.Process:
        process = self._env.process(generator)
        self._live += 1
        process.callbacks.append(self._ended)
        return process

    def _ended(self, _: Any) -> None:
        self._live -= 1
        if not self._live:
            self._done()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)


class Holders(dict[Any, None]):
    """The requests holding a court's places, as `simpy.Resource.users` but found and removed at once."""

    def append(self, request: Any) -> None:
        self[request] = None

    def discard(self, request: Any) -> None:
        self.pop(request, None)


class Places(simpy.Resource):
    """A court's judges' places for these matters, with the place-days in use and the queue's waits counted
    per calendar month of the horizon (for utilisation and waiting time)."""

    def __init__(self, env: simpy.Environment, places: int, month_days: list[int]) -> None:
        super().__init__(env, capacity=places)
        self.users = Holders()  # type: ignore[assignment]
        self.month_days = month_days  # the world day each month of the horizon begins, and the horizon's end
        months = len(month_days) - 1
        self.busy = [0.0] * months     # place-days in use
        self.waited = [0.0] * months   # days waited in the queue, by the month the place was granted
        self.granted = [0] * months
        self._since = 0.0

    def _month(self, day: float) -> int:
        return bisect.bisect_right(self.month_days, day) - 1

    def _account(self) -> None:
        now, last = self._env.now, self._since
        while last < now and last < self.month_days[-1]:
            month = self._month(last)
            upto = min(now, self.month_days[month + 1])
            self.busy[month] += self.count * (upto - last)
            last = upto
        self._since = now

    def _do_put(self, event: Any) -> None:
        """`Resource._do_put`, counting the wait of a request granted."""
        self._account()
        now = self._env.now
        asked = event.__dict__.setdefault("asked", now)
        if len(self.users) < self.capacity:
            self.users.append(event)
            event.usage_since = now
            event.succeed()
            month = self._month(now)
            if 0 <= month < len(self.granted):
                self.waited[month] += now - asked
                self.granted[month] += 1

    def _do_get(self, event: Any) -> None:
        """`Resource._do_get`, the place's holder found at once (a court may have a thousand places)."""
        self._account()
        self.users.discard(event.request)
        event.succeed()

    def utilisation(self) -> list[float]:
        self._account()
        days = [b - a for a, b in zip(self.month_days, self.month_days[1:], strict=False)]
        return [busy / (self.capacity * d) for busy, d in zip(self.busy, days, strict=True)]


@attrs.frozen
class Ended:
    """A matter of the caseload that has ended, or was still open at the horizon (`pending`): its case number,
    arrival day (from the caseload's start) and the matter with its events not yet stored."""

    case: int
    arrived: int
    matter: Matter
    pending: bool = False


@attrs.frozen
class Played:
    """What the world measured besides the matters: how many arrived, the months of the horizon, per court
    its places and each month's utilisation, queue waits (days) and places granted, and the cases still open
    at the horizon (`horizon`, its first day after)."""

    cases: int
    months: list[str]
    courts: dict[str, dict[str, Any]]
    horizon: str = ""
    pending: list[int] = attrs.Factory(list)


def arrival_days(caseload: Caseload, seed: int, horizon: int) -> Iterator[int]:
    """The days (from the caseload's start) on which warrants are served: a Poisson process whose rate is
    the year's (`ArrivalRate.in_year`), drawn from the arrivals' own stream."""
    rng, t = actor_stream(seed, "arrivals"), 0.0
    while True:
        year = int(t // 365.25)
        rate = caseload.arrivals.in_year(year) / 365.25
        step = rng.expovariate(rate)
        boundary = (year + 1) * 365.25
        if t + step >= boundary:  # memoryless: start again at the year's end with the next year's rate
            t = boundary
            if t >= horizon:
                return
            continue
        t += step
        if t >= horizon:
            return
        yield math.floor(t)


def docketed(courts: dict[str, dict[str, str]], case: int) -> dict[str, dict[str, str]]:
    """The courts of a caseload matter, each docket with the case's own serial (the year comes from the day
    the docket opens, as for any matter)."""
    out = {}
    for lane, court in courts.items():
        prefix = court["docket_number"].rsplit("-", 1)[0]
        out[lane] = {**court, "docket_number": SERIAL[lane].format(prefix=prefix, n=case + 1)}
    return out


def play(scenario: Scenario, run_id: str, replication: int, seed: int,
         on_matter: Callable[[Ended], None]) -> Played:
    """Play one replication of a caseload: every warrant served over the horizon, each matter handed to
    `on_matter` when it has ended; at the horizon the world stops and the matters still open are handed over
    as they are, pending, in the order of their cases."""
    caseload = scenario.caseload
    assert caseload is not None
    env = simpy.Environment()
    first = scenario.scenario.start_date
    end = horizon_end(first, caseload.horizon_years)
    horizon = (end - first).days
    months = month_starts(first, end)
    month_days = [max(0, (m - first).days) for m in months] + [horizon]
    benches = {court: Places(env, caseload.judges.of(court).places, month_days) for court in COURTS}
    judges = {level.key: benches[level.bench] for level in LADDER}
    base_courts = open_matter(scenario, run_id, replication, seed).courts
    parties = parties_of(scenario)
    arrived = 0
    still_open: dict[int, tuple[int, Matter]] = {}

    def ended(case: int) -> None:
        day, opened = still_open.pop(case)
        on_matter(Ended(case, day, opened))

    def matter(case: int, day: int) -> None:
        on = first + dt.timedelta(days=day)
        about = attrs.evolve(scenario.scenario, start_date=on)
        own = attrs.evolve(scenario, scenario=about)
        seed_of_case = case_seed(seed, case)
        opened = open_matter(own, run_id, replication, seed_of_case,
                             id=case_matter_id(run_id, scenario.name, replication, case),
                             parties={**parties, "case": case}, courts=docketed(base_courts, case))
        still_open[case] = (day, opened)
        clock = MatterClock(env, day, lambda: ended(case))
        start(Proceeding(clock, own, opened, seed_of_case, judges=judges))  # type: ignore[arg-type]

    def arrivals() -> Iterator[simpy.Event]:
        nonlocal arrived
        for day in arrival_days(caseload, seed, horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            matter(arrived, day)
            arrived += 1

    env.process(arrivals())
    env.run(until=horizon)  # what falls on the horizon's first day after is not played
    pending = sorted(still_open)
    for case in pending:
        day, opened = still_open.pop(case)
        on_matter(Ended(case, day, opened, pending=True))
    return Played(arrived, [m.isoformat() for m in months],
                  {court: {"places": bench.capacity, "utilisation": bench.utilisation(), "waited": bench.waited,
                           "granted": bench.granted} for court, bench in benches.items()},
                  end.isoformat(), pending)
