"""Replaying a source matter's first entries through the engine, so that a fork can carry on from them.

A fork's matter begins with copies of the source's events up to the cut. The engine plays the
procedure from the start under the fork's scenario, but while entries remain to be copied each
step is held to the source: it waits until the source's date, its decisions (who prevails, who
seeks review, ...) are searched for until the engine records exactly the source's next entry, and
what is recorded is a copy of that entry, marked as inherited. When the copies run out, every
process still pending (a deadline running, a motion awaiting ruling, an MLAT request in flight)
simply carries on live. A wait that began before the cut and whose step the source never reached
is drawn again until it ends after the cut: the source shows it had not ended by then.
"""

from __future__ import annotations

from typing import Any

import attrs

# Fields that carry a decision: a copy is accepted only if the engine reached the same ones.
DECISION_FIELDS = ("disposition", "granted", "prevailing", "kind", "route", "doctrine", "final_order", "party",
                   "qualifying_foreign_government", "extends", "untimely", "motion_id")
MAX_ATTEMPTS = 4096


class Divergence(Exception):
    """The engine's next step differs from the source's next entry under the decisions tried."""

    def __init__(self, expected: str, got: str, *, step: str | None = None, day: int | None = None,
                 reached: str | None = None, reached_day: int | None = None) -> None:
        super().__init__(expected, got)
        self.expected, self.got = expected, got
        self.step, self.day, self.reached, self.reached_day = step, day, reached, reached_day  # for the user
        self.copied = 0  # source entries copied before it

    def __reduce__(self) -> tuple[Any, ...]:  # whole across the worker processes that play a fork
        return _divergence, (self.expected, self.got, self.step, self.day, self.reached, self.reached_day, self.copied)

    def __str__(self) -> str:
        return f"expected {self.expected}, the engine reached {self.got}"


def _divergence(expected: str, got: str, step: str | None, day: int | None, reached: str | None,
                reached_day: int | None, copied: int) -> Divergence:
    diverged = Divergence(expected, got, step=step, day=day, reached=reached, reached_day=reached_day)
    diverged.copied = copied
    return diverged


def payload(event: Any) -> dict[str, Any]:
    """An entry's own fields (header and particulars), without the store's bookkeeping."""
    skip = {"originator_id", "originator_version", "timestamp", "inherited"}
    return {k: v for k, v in vars(event).items() if k not in skip}


@attrs.define
class Script:
    """The source entries still to copy, and the decisions forced on this pass."""

    source_id: str
    entries: list[Any]
    forced: list[bool]
    taken: list[bool] = attrs.Factory(list)
    position: int = 0

    @property
    def replaying(self) -> bool:
        return self.position < len(self.entries)

    @property
    def cut_day(self) -> int:
        return self.entries[-1].sim_day if self.entries else 0

    def decide(self, drawn: bool) -> bool:
        """A decision while replaying: forced if this pass forces it, else as drawn."""
        i = len(self.taken)
        value = self.forced[i] if i < len(self.forced) else drawn
        self.taken.append(value)
        return value

    def day_of(self, step: str) -> int | None:
        """The day of the next uncopied source entry for `step`, if the source reached it."""
        return next((e.sim_day for e in self.entries[self.position:] if e.step == step), None)

    def copy(self, event_name: str, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields to record: a copy of the next source entry, if the engine's step matches it."""
        expected = self.entries[self.position]
        mine = (event_name, fields["step"], fields["sim_day"],
                *(fields.get(k) for k in DECISION_FIELDS))
        theirs = (type(expected).__name__, expected.step, expected.sim_day,
                  *(getattr(expected, k, None) for k in DECISION_FIELDS))
        if mine != theirs:
            raise Divergence(f"{theirs[0]} ({theirs[1]}, day {theirs[2]})", f"{mine[0]} ({mine[1]}, day {mine[2]})",
                             step=expected.step, day=expected.sim_day, reached=fields["step"],
                             reached_day=fields["sim_day"])
        self.position += 1
        return dict(payload(expected), inherited={"matter_id": self.source_id, "seq": expected.originator_version})


def search(play: Any, source_id: str, entries: list[Any]) -> Any:
    """Run `play(script)` under decision vectors, depth first, until it reproduces `entries`."""
    path: list[tuple[bool, bool]] = []  # (decision, already the second try)
    furthest: Divergence | None = None  # the try that copied the most entries: what the user must hear of
    for _ in range(MAX_ATTEMPTS):
        script = Script(source_id, entries, [value for value, _ in path])
        try:
            return play(script)
        except Divergence as raised:
            cause = raised.__cause__  # SimPy raises a copy made from the args; the original is its cause
            diverged = cause if isinstance(cause, Divergence) else raised
            diverged.copied = script.position
            if diverged.step is None and script.replaying:  # the source's entry the engine could not reach
                diverged.step = script.entries[script.position].step
                diverged.day = script.entries[script.position].sim_day
            if furthest is None or diverged.copied > furthest.copied:
                furthest = diverged
            path += [(value, False) for value in script.taken[len(path):]]
            while path and path[-1][1]:
                path.pop()
            if not path:
                break
            value, _ = path.pop()
            path.append((not value, True))
    raise ForkImpossible(furthest)


class ForkImpossible(Exception):
    """No play of the fork's scenario reproduces the copied entries (e.g. a --set contradicts them);
    `divergence` is the try that came furthest."""

    def __init__(self, divergence: Divergence | None) -> None:
        super().__init__(str(divergence))
        self.divergence = divergence

    def __reduce__(self) -> tuple[Any, ...]:
        return ForkImpossible, (self.divergence,)
