"""Where the data sits: the countries table (`countries.toml`, data only, shipped with the package),
each country's mutual legal assistance treaty and its executive agreement under 18 U.S.C. 2523
(docs/sources.md §3, §4, §9.5).

Whether a country is a qualifying foreign government on a day (18 U.S.C. 2703(h)(1)(A)) is one
function of the country and the date, `qualifying_since`: the engine records it when a matter opens,
the aggregate's periods read it (a 2703(h)(2) motion is open only then) and the audit checks it.
A scenario may assume an agreement in force earlier (a counterfactual); its entries then say so.

>>> qualifying_since("United Kingdom")
'2022-10-03'
>>> qualifying_since("Ireland") is None, qualifying_since("Ireland", assumed="2013-12-04")
(True, '2013-12-04')
>>> COUNTRIES["Ireland"].treaty
'US-Ireland MLAT (TIAS 13137), in force 2009-08-11'
>>> COUNTRIES["Canada"].treaty
"mutual legal assistance with Canada (the treaty is not in docketsim's sources)"
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import attrs

from sim.errors import ScenarioError

TABLE = Path(__file__).with_name("countries.toml")
SHOWN = "sim/domain/countries.toml"
STATUSES = ("CONFIRMED", "CONFIRMED (secondary)", "INFERRED", "UNCONFIRMED")


@attrs.frozen
class Instrument:
    """A treaty or an executive agreement: its name, when signed and in force, and how sure the sources are."""

    name: str
    in_force: str
    status: str
    source: str
    signed: str | None = None

    def describe(self) -> str:
        unconfirmed = " (in-force date UNCONFIRMED)" if self.status == "UNCONFIRMED" else ""
        return f"{self.name}, in force {self.in_force}{unconfirmed}"


@attrs.frozen
class Country:
    """One country of the table: `mlat` is None where the sources do not name the treaty, `agreement`
    None where no 2523 agreement is in force."""

    name: str
    central_authority: str
    source: str
    called: str = ""
    note: str = ""
    mlat: Instrument | None = None
    agreement: Instrument | None = None

    def __attrs_post_init__(self) -> None:
        if not self.called:
            object.__setattr__(self, "called", self.name)

    @property
    def treaty(self) -> str:
        """The treaty a mutual legal assistance request cites."""
        if self.mlat is None:
            return f"mutual legal assistance with {self.called} (the treaty is not in docketsim's sources)"
        return self.mlat.describe()


class _Bad(Exception):
    def __init__(self, key: str, message: str) -> None:
        self.key, self.message = key, message


def _text(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{where}.{key}", "missing; expected a non-empty string" if value is None else
                   f"expected a non-empty string, got {value!r}")
    return value


def _date(table: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    """A date, or a year alone where the sources give no day (the US-UK MLAT: 1994, in force 1996)."""
    value = table.get(key)
    if value is None and not required:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2100:
        return str(value)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _Bad(f"{where}.{key}", f"expected a date YYYY-MM-DD (or a year where the sources give no day), "
                   f"got {value!r}")
    return value.isoformat()


def _only(table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise _Bad(f"{where}.{key}", f"unknown key; expected one of {', '.join(allowed)}")


def _instrument(value: Any, where: str) -> Instrument:
    if not isinstance(value, dict):
        raise _Bad(where, "expected a table")
    _only(value, ("name", "signed", "in_force", "status", "source"), where)
    status = _text(value, "status", where)
    if status not in STATUSES:
        raise _Bad(f"{where}.status", f"expected one of {', '.join(STATUSES)}, got {status!r}")
    return Instrument(name=_text(value, "name", where), in_force=_date(value, "in_force", where) or "",
                      status=status, source=_text(value, "source", where),
                      signed=_date(value, "signed", where, required=False))


def parse(data: dict[str, Any]) -> dict[str, Country]:
    """The countries of a table read from TOML; a `ScenarioError` names the key and what was expected."""
    countries = {}
    try:
        for name, value in data.items():
            where = f'"{name}"' if " " in name else name
            if not isinstance(value, dict):
                raise _Bad(where, "expected a table")
            _only(value, ("called", "central_authority", "note", "source", "mlat", "agreement"), where)
            countries[name] = Country(
                name=name, central_authority=_text(value, "central_authority", where),
                source=_text(value, "source", where), note=_text(value, "note", where, required=False),
                called=_text(value, "called", where, required=False),
                mlat=_instrument(value["mlat"], f"{where}.mlat") if "mlat" in value else None,
                agreement=_instrument(value["agreement"], f"{where}.agreement") if "agreement" in value else None)
    except _Bad as e:
        raise ScenarioError(SHOWN, e.key, e.message) from None
    if not countries:
        raise ScenarioError(SHOWN, "", "holds no country")
    return countries


def load(path: Path = TABLE) -> dict[str, Country]:
    """Read and validate the countries table."""
    try:
        return parse(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(SHOWN, "", f"not valid TOML ({e})") from None


COUNTRIES: dict[str, Country] = load()


def known() -> str:
    """The countries of the table, for error messages."""
    return ", ".join(COUNTRIES)


def qualifying_since(country: str, assumed: str | None = None) -> str | None:
    """The first day `country` counts as a qualifying foreign government: its 2523 agreement's entry
    into force, or the day a counterfactual scenario `assumed` it, whichever is earlier (None: never)."""
    agreement = COUNTRIES[country].agreement
    days = [day for day in (agreement.in_force if agreement else None, assumed) if day]
    return min(days) if days else None


def qualifying_foreign_government(country: str, date: str, assumed: str | None = None) -> bool:
    """True if on `date` (YYYY-MM-DD) the data's country counts as a qualifying foreign government."""
    since = qualifying_since(country, assumed)
    return since is not None and date >= since


def agreement_in_force(country: str) -> str | None:
    """The day the country's real 2523 agreement came into force (None: it has none)."""
    agreement = COUNTRIES[country].agreement if country in COUNTRIES else None
    return agreement.in_force if agreement else None
