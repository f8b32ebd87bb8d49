"""Writing scenarios of one's own: every key a scenario can set (`keys`), and a new file to start from (`draft`).

Both read the schema (the attrs classes of `sim.scenario` and their parsers), so the keys listed are
exactly the key paths a scenario file, `extends`, `--set` and `--sweep` accept.

>>> toml_value({"dist": "uniform", "low": 7, "high": 14})
'{ dist = "uniform", low = 7, high = 14 }'
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from sim import scenario as scenarios
from sim.distributions import Provenance
from sim.errors import UserError
from sim.literal import printable
from sim.scenario import Scenario, kind_of

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")  # at most 64, as a scenario's name (sim.scenario.NAME)
DEFAULT_BASE = "microsoft_ireland_stochastic"
# The keys most often changed: regime (route, law, doctrines), the provider's stance, the courts' appetite
# for review, and the foreign authority.
COMMON = ("government.route", "cloud_act.enacted", "magistrate.doctrine", "district_court.doctrine",
          "court_of_appeals.doctrine", "court_of_appeals.en_banc_grant", "supreme_court.doctrine",
          "supreme_court.cert_grant.government", "supreme_court.cert_grant.provider", "provider.refuses",
          "provider.challenges", "provider.complies_after_loss", "data.country",
          "foreign_authority.mlat_response_after",
          "foreign_authority.refuses_mlat")
PIN = "a date YYYY-MM-DD, or { date, entry, approximate, extension_days, note }"
_PART_KINDS = {"days": "days", "low": "days", "mode": "days", "high": "days", "median": "days",
               "spread": "spread (1 to 20)", "values": "list of days", "p": "probability", "location": "probability"}


@attrs.frozen
class Key:
    """One settable key of a scenario, with what it holds now."""

    path: str       # e.g. provider.refuses
    kind: str       # duration, probability, doctrine, date, text, flag, choice, count, days, ...
    value: str      # the value as TOML, as `--set` and a scenario file take it
    shown: str      # the value as a reader sees it (e.g. "lognormal median 270 days, spread x1.6")
    expects: str    # what the key accepts
    basis: str      # "source: ...", "assumption: ..." or "" (figures only)
    set_in: str     # the file (or --set) that gives the value


def toml_value(value: Any) -> str:
    """A value as TOML text (a string, number, true/false, date, inline table or list)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # a JSON string is a TOML basic string once DEL, which TOML also wants escaped, is
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_bare(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _bare(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _origins(scenario: Scenario) -> list[tuple[str, dict[str, Any]]]:
    """The files a scenario was read from, nearest last, each with its own (unmerged) data."""
    out = []
    for path in (*scenario.bases, scenario.path):
        try:
            out.append((Path(path).name, tomllib.loads(Path(path).read_text(encoding="utf-8"))))
        except (OSError, tomllib.TOMLDecodeError):
            continue  # a stored run's scenario has no file to read
    return out


def _set_in(path: str, scenario: Scenario, origins: list[tuple[str, dict[str, Any]]]) -> str:
    if any(key == path or path.startswith(key + ".") for key, _ in scenario.settings):
        return "--set"
    found = [name for name, data in origins if _lookup(data, path) is not None]
    return found[-1] if found else ("" if origins else "(stored run)")


def keys(scenario: Scenario) -> list[Key]:
    """Every key `scenario` can set, in schema order, with its current value: each field of each table,
    the parts of a figure given as a table (e.g. provider.refuses.p, ...mlat_response_after.median), and
    the pins it has."""
    origins = _origins(scenario)
    return list(_walk(scenario, type(scenario), "", scenario.tables, scenario, origins))


def _walk(obj: Any, cls: type, prefix: str, data: Any, scenario: Scenario,
          origins: list[tuple[str, dict[str, Any]]]) -> Iterator[Key]:
    for field in attrs.fields(cls):
        parse = field.metadata.get("parse")
        if parse is None:
            continue
        path = f"{prefix}{field.name}"
        value = getattr(obj, field.name)
        raw = data.get(field.name) if isinstance(data, dict) else None
        table = getattr(parse, "table", None)
        if kind_of(parse) == "pins":
            yield from _pins(value, raw or {}, scenario, origins)
        elif table is not None and value is not None:
            yield from _walk(value, table, f"{path}.", raw, scenario, origins)
        elif table is not None:  # an optional table the scenario leaves out, e.g. data.assume_agreement
            yield _key(path, kind_of(parse), None, None, field.metadata["doc"], scenario, origins, field.default)
        else:
            yield _key(path, kind_of(parse), value, raw, field.metadata["doc"], scenario, origins, field.default)
            if isinstance(value, Provenance) and isinstance(raw, dict):
                for part, item in raw.items():
                    if part in _PART_KINDS:
                        yield Key(f"{path}.{part}", _PART_KINDS[part], toml_value(item), toml_value(item),
                                  f"part of {path}", "", _set_in(f"{path}.{part}", scenario, origins))


def _basis(value: Any) -> str:
    if not isinstance(value, Provenance):
        return ""
    said = [f"{what}: {text}" for what, text in (("source", value.source), ("assumption", value.assumption)) if text]
    return "; ".join(said) or "undocumented"


def _key(path: str, kind: str, value: Any, raw: Any, doc: str, scenario: Scenario,
         origins: list[tuple[str, dict[str, Any]]], default: Any) -> Key:
    """A key with its value; one the scenario leaves out has value "" and shows its default."""
    if isinstance(value, Provenance):
        shown = value.describe()
    elif raw is None:
        shown = "(not set: none)" if default in (None, "", attrs.NOTHING) else f"(not set: {toml_value(default)})"
    else:
        shown = raw if isinstance(raw, str) else toml_value(raw)
    text = toml_value(raw) if raw is not None else ""
    return Key(path, kind, text, shown, doc, _basis(value), _set_in(path, scenario, origins))


def _pins(pins: dict[str, Any], raw: dict[str, Any], scenario: Scenario,
          origins: list[tuple[str, dict[str, Any]]]) -> Iterator[Key]:
    if not pins:
        yield Key("pins.STEP", "pin", "", "(none pinned)", f"in a file's [pins] table, STEP = {PIN}", "", "")
    for step in pins:
        value = toml_value(raw[step])
        yield Key(f"pins.{step}", "pin", value, value, PIN, "", _set_in(f"pins.{step}", scenario, origins))


# A new scenario ------------------------------------------------------------------------------------
def check_name(name: str) -> str:
    """A new scenario's name: letters, digits and underscores, starting with a letter; not a bundled name."""
    if not NAME.fullmatch(name):
        raise UserError(f"{name!r}: expected a scenario name of letters, digits and underscores, starting with a "
                        "letter, at most 64 (e.g. my_regime)")
    if name in {p.stem for p in scenarios.bundled_paths()}:
        raise UserError(f"{name!r} is a bundled scenario's name; choose another")
    return name


def draft(name: str, base: Scenario, extends: str, base_arg: str) -> str:
    """The text of a new scenario `name` that extends `base` (written as `extends` in the file; `base_arg`
    is how the command line names it): the [scenario] table, then the keys most often changed, commented
    out, at their current values."""
    by_path = {k.path: k for k in keys(base)}
    lines = [
        f"# docketsim scenario: data only, nothing here is executed. Written by `python run.py new {name}`.",
        f"# It extends {base.name}: every key not set here keeps that scenario's value.",
        "# Uncomment a line and change its value; give each figure a `source` (e.g. \"sources §8.4\") or",
        "# an `assumption` saying why. Every settable key, with its value now: `python run.py keys FILE`.",
        "# Check the file: `python run.py validate FILE`. Run it: `python run.py run FILE -n 1000`.",
        f"# Compare it with its base: `python run.py compare {base_arg} FILE -n 1000`.",
        "",
        "[scenario]",
        f"extends = {toml_value(extends)}",
        f"name = {toml_value(name)}",
        f"title = {toml_value(f'{name}: a variant of {base.name}')}",
        'kind = "regime"',
        f"description = {toml_value(f'What this scenario changes in {base.name} ({base.scenario.title}), and why.')}",
    ]
    tables: dict[str, list[str]] = {}  # each table once: TOML refuses a table given twice
    for path in COMMON:
        key = by_path[path]
        where, _, leaf = path.rpartition(".")
        now = f"{key.shown}; {key.basis}" if key.basis else key.shown
        tables.setdefault(where, []).extend([f"# {leaf}: {key.expects}. Now: {now}", f"# {leaf} = {key.value}"])
    for where, body in tables.items():
        lines += ["", f"[{where}]", *body]
    return "\n".join(printable(line) if line.startswith("#") else line for line in lines) + "\n"
