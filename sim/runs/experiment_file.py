"""Experiment files: an experiment as its TOML file gives it, checked key by key.

The file has an [experiment] table (base scenario, design, its size, replications, seed, measures) and a
[factors] table (keys of the base scenario, each with a list of values or a numeric range). Every error
names the file and the key, as a scenario's do; both ends of every factor's range are checked to make a
valid scenario before anything is played.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from pathlib import Path
from typing import Any

import attrs

from sim import scenario as scenarios
from sim.errors import ScenarioError, UserError
from sim.runs import authoring
from sim.runs.designs import DESIGNS, Factor, size_of
from sim.scenario import Scenario
from sim.views.projections import LEVELS

SIZE_KEYS = {"grid": None, "lhs": "points", "morris": "trajectories", "sobol": "samples"}
NUMERIC_KINDS = ("days", "probability", "duration", "count", "spread")
DEFAULT_MEASURES = ("p_disclosed_within_730", "restricted_mean_days", "p_ended_in_contempt")
MEASURES = ("p_disclosed", "p_disclosed_within_365", "p_disclosed_within_730", "restricted_mean_days",
            "median_days", "p90_days", "p_held_in_contempt", "p_ended_in_contempt", "p_mooted",
            *(f"reached_{level}" for level in LEVELS))
EXPERIMENT_KEYS = ("name", "description", "scenario", "design", "points", "trajectories", "samples", "levels",
                   "replications", "seed", "measures")


@attrs.frozen
class ExperimentFile:
    """An experiment as its file gives it, checked."""

    path: str
    name: str
    base: Scenario
    design: str
    size: int                       # lhs points, Morris trajectories, Sobol samples (0 for a grid)
    factors: tuple[Factor, ...]
    replications: int
    seed: int
    measures: tuple[str, ...]
    data: dict[str, Any]            # the file's tables, as read
    text_hash: str

    @property
    def points(self) -> int:
        return size_of(self.design, self.size, self.factors)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.factors]


def _fail(path: str, key: str, message: str) -> ScenarioError:
    return ScenarioError(path, key, message)


def load(path_text: str) -> ExperimentFile:
    """Read and check an experiment file: one clear error naming the file and key, else the experiment."""
    path = Path(path_text)
    shown = path_text
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(shown, "", "no such experiment file") from None
    except IsADirectoryError:
        raise _fail(shown, "", "is a directory, expected a TOML experiment file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _fail(shown, "", f"cannot be read ({getattr(e, 'strerror', None) or e})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _fail(shown, "", f"not valid TOML ({e})") from None
    unknown = sorted(set(data) - {"experiment", "factors"})
    if unknown:
        raise _fail(shown, unknown[0], "unknown table; expected [experiment] and [factors]")
    about = data.get("experiment")
    if not isinstance(about, dict):
        raise _fail(shown, "experiment", "missing: an [experiment] table (scenario, design, replications, ...)")
    for key in about:
        if key not in EXPERIMENT_KEYS:
            raise _fail(shown, f"experiment.{key}", f"unknown key; expected one of {', '.join(EXPERIMENT_KEYS)}")
    base = _base(shown, path.parent, about.get("scenario"))
    design = about.get("design")
    if design not in DESIGNS:
        raise _fail(shown, "experiment.design", f"expected one of {', '.join(DESIGNS)}, got {design!r}")
    size = _size(shown, design, about)
    replications = _whole(shown, "experiment.replications", about.get("replications"), 1)
    seed = _whole(shown, "experiment.seed", about.get("seed", 0), 0)
    measures = _measures(shown, about.get("measures", list(DEFAULT_MEASURES)))
    factors = _factors(shown, data.get("factors"), base, design, about.get("levels"))
    name = about.get("name", path.stem)
    if not isinstance(name, str) or not authoring.NAME.fullmatch(name):
        raise _fail(shown, "experiment.name", "expected letters, digits and underscores, starting with a letter")
    digest = hashlib.sha256(f"{text}\n{base.text_hash}".encode()).hexdigest()
    found = ExperimentFile(shown, name, base, design, size, factors, replications, seed, measures, data, digest)
    if found.points < 2 and design != "grid":
        raise _fail(shown, f"experiment.{SIZE_KEYS[design]}", "the design has fewer than 2 points")
    return found


def _base(shown: str, folder: Path, name: Any) -> Scenario:
    if not isinstance(name, str) or not name.strip():
        raise _fail(shown, "experiment.scenario", "expected a bundled scenario's name or a path to a TOML file")
    relative = folder / name
    try:
        return scenarios.load(str(relative) if relative.suffix == ".toml" and relative.exists() else name)
    except ScenarioError as e:
        raise _fail(shown, "experiment.scenario", str(e)) from None


def _whole(shown: str, key: str, value: Any, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _fail(shown, key, f"expected a whole number >= {low}, got {value!r}")
    return value


def _size(shown: str, design: str, about: dict[str, Any]) -> int:
    wanted = SIZE_KEYS[design]
    for key in ("points", "trajectories", "samples"):
        if key in about and key != wanted:
            expected = f"`{wanted}`" if wanted else "no size (a grid's points are its factors' levels multiplied)"
            raise _fail(shown, f"experiment.{key}", f"not for the {design} design; it takes {expected}")
    if "levels" in about and design != "grid":
        raise _fail(shown, "experiment.levels", "levels are for the grid design (a range's values in the grid)")
    if wanted is None:
        return 0
    size = _whole(shown, f"experiment.{wanted}", about.get(wanted), 2)
    if design == "sobol" and size & (size - 1):
        raise _fail(shown, "experiment.samples", f"Sobol' sampling needs a power of two (e.g. 64, 128, 256), "
                                                 f"got {size}")
    return size


def _measures(shown: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(shown, "experiment.measures", f"expected a list of measures, some of {', '.join(MEASURES)}")
    for item in value:
        if item not in MEASURES:
            raise _fail(shown, "experiment.measures", f"unknown measure {item!r}; expected some of "
                                                      f"{', '.join(MEASURES)}")
    return tuple(dict.fromkeys(value))


def _factors(shown: str, table: Any, base: Scenario, design: str, levels: Any) -> tuple[Factor, ...]:
    if not isinstance(table, dict) or not table:
        raise _fail(shown, "factors", "missing: a [factors] table, e.g. \"provider.refuses.p\" = { low = 0.5, "
                                      "high = 1.0 }")
    known = {key.path: key for key in authoring.keys(base)}
    grid_levels = 3 if levels is None else _whole(shown, "experiment.levels", levels, 2)
    out = []
    for key, spec in table.items():
        where = f"factors.{key}"
        if key not in known or key.startswith("pins."):
            raise _fail(shown, where, f"not a key of {base.name}; `python run.py keys {base.name}` lists them")
        kind = known[key].kind
        numeric = kind.startswith(NUMERIC_KINDS)
        if isinstance(spec, list):
            spec = {"values": spec}
        if not isinstance(spec, dict):
            raise _fail(shown, where, "expected a list of values, { values = [...] } or { low = ..., high = ... }")
        extra = sorted(set(spec) - {"values", "low", "high", "levels"})
        if extra:
            raise _fail(shown, f"{where}.{extra[0]}", "unknown key; expected values, or low and high (and levels)")
        if "values" in spec:
            if set(spec) != {"values"} or not isinstance(spec["values"], list) or not spec["values"]:
                raise _fail(shown, where, "expected values = [a non-empty list], and no range with it")
            out.append(Factor(key, values=tuple(spec["values"])))
            continue
        if not numeric:
            raise _fail(shown, where, f"a range needs a numeric key; {key} is a {kind}: give values = [...]")
        low, high = spec.get("low"), spec.get("high")
        for part, value in (("low", low), ("high", high)):
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
                raise _fail(shown, f"{where}.{part}", f"expected a number, got {value!r}")
        if not low < high:  # type: ignore[operator]
            raise _fail(shown, where, f"expected low < high, got low {low} and high {high}")
        if "levels" in spec and design != "grid":
            raise _fail(shown, f"{where}.levels", "levels are for the grid design")
        count = _whole(shown, f"{where}.levels", spec.get("levels", grid_levels), 2)
        out.append(Factor(key, low=float(low), high=float(high), whole=kind == "count", levels=count))  # type: ignore[arg-type]
    for factor in out:  # each end of each factor, alone, must make a valid scenario
        for u in (0.0, 1.0):
            _at(base, [factor], [u], shown)
    return tuple(out)


def _setting(value: Any) -> str:
    return authoring.toml_value(value)


def _at(base: Scenario, factors: list[Factor] | tuple[Factor, ...], unit: Any, shown: str) -> Scenario:
    """The base scenario with each factor at its coordinate."""
    settings = [(f.key, _setting(f.at(u))) for f, u in zip(factors, unit, strict=True)]
    try:
        return scenarios.with_settings(base, settings, flag=f"{shown}: factors")
    except ScenarioError as e:
        raise UserError(str(e)) from None
