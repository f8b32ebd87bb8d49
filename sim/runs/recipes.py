"""What-if recipes: data-only TOML files (scenarios/what-ifs/) naming a fork of a bundled matter.

A recipe says which scenario's matter to fork (its seed-0 run, recorded if the store lacks it), as of
which date, with which --set changes, how many replications and which seed, so that a teacher or an
analyst can rerun a what-if with one command: ``python run.py fork --recipe FILE``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from sim.errors import ScenarioError
from sim.scenario import _count, _date, _field, _Invalid, _load_table, _read, _shown, _table, _text, _toml


def _settings(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not value:
        raise _Invalid("", 'expected a table of "key.path" = value, e.g. "cloud_act.enacted" = "never"')
    out = []
    for key, item in value.items():
        if isinstance(item, dict | list):
            raise _Invalid(key, "expected a single value (a date, number, true/false or word)")
        text = item.isoformat() if isinstance(item, dt.date) else str(item).lower() if isinstance(item, bool) \
            else str(item)
        out.append((key, text))
    return tuple(out)


@attrs.frozen
class Recipe:
    title: str = _field(_text, doc="a one-line title")
    description: str = _field(_text, doc="what the what-if asks")
    source: str = _field(_text, doc="the bundled scenario whose matter is forked")
    as_of: dt.date = _field(_date, doc="the fork point: entries on or before this date are copied")
    n: int = _field(_count("a number of replications (integer >= 1)", 1), doc="replications")
    seed: int = _field(_count("a seed (integer >= 0)", 0), doc="the root seed")
    set: tuple[tuple[str, str], ...] = _field(_settings, doc='a [recipe.set] table of "key.path" = value')


@attrs.frozen
class _File:
    recipe: Recipe = _field(_table(Recipe), doc="a [recipe] table")


def load_recipe(path: str) -> Recipe:
    """Load and validate a recipe; errors name the file, the key and what was expected."""
    shown = _shown(Path(path))
    data = _toml(_read(Path(path), shown), shown)
    try:
        return _load_table(_File, data).recipe
    except _Invalid as e:
        raise ScenarioError(shown, e.key, e.message) from None
