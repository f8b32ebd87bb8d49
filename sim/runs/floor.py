"""The floor under a replication (`run.py bench --floor`): what the engine's shape costs before any law.

A replication of `play` is SimPy steps, one library event an entry, and each event mapped to its stored
bytes, with the procedure around them (decisions and draws, legal checks, periods and deadlines, docket
headers, text). Its *skeleton* keeps the first three and drops the procedure: the same number of SimPy
steps on the same days, the same entries built the library's way from the fields the engine recorded
(`Matter.Entry.of`, the library's `__post_init__` included), mapped to the same records. Replications per
second of the skeleton against `play`, in one process and interleaved, bound what any work on the
procedure can gain: with the procedure costing nothing, `play` would run at the skeleton's rate.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import attrs
import simpy

from sim.domain.matter import Matter
from sim.engine import simulate
from sim.runs.runner import play, replication_seed
from sim.scenario import Scenario
from sim.store.transcoder import Record


@attrs.frozen
class Skeleton:
    """A played replication without its procedure: its entries (class and recorded fields, in order), the
    days of its SimPy steps."""

    entries: tuple[tuple[type, dict[str, Any]], ...]
    days: tuple[int, ...]


def skeleton(scenario: Scenario, run_id: str, replication: int, root_seed: int) -> Skeleton:
    """Play a replication as `play` does, keeping its entries and the days of its SimPy steps."""
    env = _Clocked()
    matter = simulate(scenario, run_id, replication, replication_seed(root_seed, replication), env=env)
    return Skeleton(tuple((type(e), dict(e.__dict__)) for e in matter.collect_events()), tuple(env.days))


class _Clocked(simpy.Environment):
    """SimPy's environment, noting the day of each step it takes (each processed event is one)."""

    def __init__(self) -> None:
        super().__init__()
        self.days: list[int] = []

    def step(self) -> None:
        super().step()  # raises EmptySchedule, noting nothing, when no event is left
        self.days.append(int(self.now))


def bare(s: Skeleton, mapper: Any) -> list[Record]:
    """The skeleton played: its SimPy steps on their days in one process, its entries built the library's way
    as the steps pass, and mapped; the records `play` stores for the same replication."""
    env = simpy.Environment()
    built: list[Any] = []
    entries, days = s.entries, s.days
    made_at: dict[int, list[int]] = {}  # step -> the entries built as it passes, spread over the steps
    for k in range(len(entries)):
        made_at.setdefault(len(days) * k // len(entries), []).append(k)

    def actor(env: simpy.Environment) -> Any:
        for i, day in enumerate(days):
            yield env.timeout(max(0, day - env.now))
            for k in made_at.get(i, ()):
                cls, fields = entries[k]
                built.append(cls.of(dict(fields)) if issubclass(cls, Matter.Entry) else _created(cls, fields))

    env.process(actor(env))
    env.run()
    return [mapper.to_record(e) for e in built]


def _created(cls: type, fields: dict[str, Any]) -> Any:
    """The matter's opening event, built as the library's mapper rebuilds one."""
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", dict(fields))
    return event


def rates(scenario: Scenario, mapper: Any, n: int, rounds: int) -> dict[str, float]:
    """Replications per second of `play` and of the skeletons of the same `n` replications, one process,
    alternating for `rounds` rounds (medians); the skeletons are made before the clock starts."""
    skeletons = [skeleton(scenario, "floor", i, 0) for i in range(n)]
    full, floor = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        for i in range(n):
            play(scenario, "floor", i, 0, mapper)
        full.append(n / (time.perf_counter() - began))
        began = time.perf_counter()
        for s in skeletons:
            bare(s, mapper)
        floor.append(n / (time.perf_counter() - began))
    return {"play_replications_per_s": statistics.median(full),
            "floor_replications_per_s": statistics.median(floor),
            "steps_per_replication": statistics.fmean(len(s.days) for s in skeletons),
            "events_per_replication": statistics.fmean(len(s.entries) for s in skeletons)}
