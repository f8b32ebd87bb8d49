"""`validate`: the verdict `run` (or `fork --recipe`) would give a file, without recording anything.

A scenario file is loaded as `run` loads it and then played once, in a store in memory, so that what
only the engine finds (a scenario played on the record must pin every step it reaches) is found here
too. A what-if recipe (a file with a [recipe] table) is loaded as `fork --recipe` loads it and its fork
is played once the same way. One loader, one verdict.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from sim import scenario as scenarios
from sim.domain.procedure import Unlawful
from sim.errors import UserError
from sim.runs.forks import fork
from sim.runs.recipes import load_recipe
from sim.runs.runner import record_run
from sim.store import open_store

HISTORICAL_KIND = "historical"


@attrs.frozen
class Verdict:
    """A file that would run: what it is, and any figure without a source or an assumption."""

    path: str
    summary: str
    undocumented: tuple[str, ...] = ()


def is_recipe(name: str) -> bool:
    """True for a file holding a [recipe] table and no [scenario] (a what-if recipe)."""
    path = Path(name)
    if not path.is_file():
        return False
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False  # the scenario loader says what is wrong with it
    return "recipe" in data and "scenario" not in data


@contextlib.contextmanager
def _silent(label: str, total: int) -> Iterator[Callable[[int, int], None]]:
    yield lambda done, total: None


def validate(name: str) -> Verdict:
    """The file `name` (a scenario, by path or bundled name, or a recipe) checked as running it would;
    a `UserError` (one line naming the file and key) if running it would fail."""
    try:
        return _recipe(name) if is_recipe(name) else _scenario(name)
    except Unlawful as e:
        raise UserError(f"{name}: the scenario led to an unlawful step: {e}") from None


def _scenario(name: str) -> Verdict:
    loaded = scenarios.load(name)
    record_run(open_store("memory://"), loaded, seed=0)  # one play: what the engine checks, checked
    kind = "played on the record" if loaded.scenario.kind == HISTORICAL_KIND else "simulated"
    return Verdict(loaded.path, f"{loaded.name}: {sum(1 for _ in loaded.figures())} figures, {kind}",
                   tuple(loaded.undocumented()))


def _recipe(name: str) -> Verdict:
    recipe = load_recipe(name)
    source = scenarios.load(recipe.source)
    scenarios.with_settings(source, list(recipe.set))
    store = open_store("memory://")
    matter_id = record_run(store, source, seed=0).matter_ids[0]
    fork(store, matter_id, None, recipe.as_of, list(recipe.set), 1, recipe.seed, 1, None, _silent,
         lambda _: None, recipe.title)
    changes = ", ".join(f"{k} = {v}" for k, v in recipe.set)
    return Verdict(name, f"what-if recipe: fork of {recipe.source} as of {recipe.as_of}: {changes}")
