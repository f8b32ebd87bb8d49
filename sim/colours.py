"""Each scenario's colour, taken from its name, so it is the same in every chart, table and summary.json.

Two palettes that share no colour: one for scenarios (`BUNDLED`, `OTHERS`, and the shades of a sweep's
variants), one for how a matter ends (`OUTCOMES`), so a scenario's square never matches an ending's bar.

The bundled scenarios have fixed colours from the Okabe-Ito palette (safe for colour-blind readers).
Any other name gets one of `OTHERS` chosen by a hash of its name, never one of the fixed colours; in
one report, a name whose colour another scenario already has takes the next free one. The variants of
one scenario ("location_rule [key=value]") take shades of their scenario's colour, darker to lighter in
the order of the swept value, each distinct from the scenario's own and from each other.

>>> colour("location_rule")
'#e69f00'
>>> colour("my_regime") == colour("my_regime") and colour("my_regime") in OTHERS
True
>>> shades = palette(["location_rule", "location_rule [p=0.5]", "location_rule [p=0.1]"])
>>> shades["location_rule"], len(set(shades.values()))
('#e69f00', 3)
>>> ordered(["x [p=400]", "x [p=120]", "y", "x [p=270]"])
['x [p=120]', 'x [p=270]', 'x [p=400]', 'y']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

BUNDLED = {  # Okabe & Ito (2008); their yellow is left out (too faint on white)
    "microsoft_ireland_2013": "#000000",
    "microsoft_ireland_stochastic": "#0072b2",
    "location_rule": "#e69f00",
    "control_rule": "#d55e00",
    "cloud_act": "#009e73",
    "cloud_act_executive_agreement": "#56b4e9",
    "provider_complies": "#cc79a7",
    "cloud_act_executive_agreement_counterfactual": "#9467bd",  # outside Okabe-Ito, which has no eighth tone
    # The caseloads: a darker tone of their one-matter regime's colour (the base: a cyan of its own)
    "caseload": "#17becf",
    "caseload_location_rule": "#b8860b",
    "caseload_control_rule": "#a0522d",
    "caseload_cloud_act": "#2e8b57",
}
# For every other name: tones of Paul Tol's "muted", "dark" and "light" schemes, none close to a bundled
# colour and none an outcome's.
OTHERS = ("#44aa99", "#999933", "#882255", "#661100", "#777777", "#222255", "#663333", "#bbcc33")
# How a matter ends (`reports.charts.ENDINGS`): Paul Tol's "muted" tones, kept for the outcomes only.
OUTCOMES = ("#332288", "#88ccee", "#ddcc77", "#cc6677", "#aaaaaa")


def family(name: str) -> str:
    """The scenario a run's name belongs to: a sweep's "location_rule [key=value]" to location_rule."""
    base, sep, rest = name.partition(" [")
    return base if sep and rest.endswith("]") else name


def swept(name: str) -> str:
    """What sets a variant apart from its scenario: "key=value" of "location_rule [key=value]" ("" for the
    scenario itself)."""
    return name[len(family(name)) + 2:-1] if family(name) != name else ""


def _value_order(name: str) -> tuple[int, float, str]:
    """Variants in the order of their swept value: numbers by size, then other values by their text."""
    value = swept(name).rpartition("=")[2]
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def ordered(names: Iterable[str]) -> list[str]:
    """`names` with each scenario's variants together, in the order of their swept value, where the first
    of the scenario's names stood (the scenario itself first); other names keep their places."""
    names = list(dict.fromkeys(names))
    out: list[str] = []
    for name in names:
        base = family(name)
        if any(family(done) == base for done in out):
            continue
        members = [n for n in names if family(n) == base]
        out += [n for n in members if n == base] + sorted((n for n in members if n != base), key=_value_order)
    return out


def _first_choice(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % len(OTHERS)


def colour(name: str) -> str:
    """The colour of a scenario on its own (fixed for the bundled ones, from a hash of the name otherwise)."""
    name = family(name)
    return BUNDLED.get(name) or OTHERS[_first_choice(name)]


def _mix(hex_colour: str, toward: int, share: float) -> str:
    """`hex_colour` moved `share` of the way toward black (0) or white (255)."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (toward - c) * share):02x}" for c in rgb)


def shades(base: str, count: int) -> list[str]:
    """`count` shades of `base`, darker to lighter, none equal to it nor to each other: `count` + 1 steps
    spread from 60% toward black to 60% toward white, less the one nearest the base itself.

    >>> shades("#e69f00", 3)
    ['#5c4000', '#b87f00', '#f5d999']
    """
    steps = [-0.6 + 1.2 * i / count for i in range(count + 1)] if count else []
    if steps:
        steps.remove(min(steps, key=abs))
    return [_mix(base, 0, -step) if step < 0 else _mix(base, 255, step) for step in steps]


def palette(names: Iterable[str]) -> dict[str, str]:
    """A colour per name for one report: each scenario's own `colour`, except that a name whose colour an
    earlier name in the list already took gets the next free one of `OTHERS` (while any is free); a
    scenario's variants take `shades` of its colour in the order of their swept value."""
    names = list(dict.fromkeys(names))
    by_family: dict[str, str] = {}
    for name in names:
        base = family(name)
        if base not in by_family:
            taken = set(by_family.values())
            chosen = colour(base)
            if base not in BUNDLED and chosen in taken:
                start = _first_choice(base)
                free = [OTHERS[(start + i) % len(OTHERS)] for i in range(1, len(OTHERS))]
                chosen = next((c for c in free if c not in taken), chosen)
            by_family[base] = chosen
    out: dict[str, str] = {}
    for base, chosen in by_family.items():
        variants = sorted((n for n in names if family(n) == base and n != base), key=_value_order)
        out[base] = chosen
        out.update(zip(variants, shades(chosen, len(variants)), strict=True))
    return {name: out[name] for name in names}
