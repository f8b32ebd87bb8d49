"""Each scenario's colour, taken from its name, so it is the same in every chart, table and summary.json.

The bundled scenarios have fixed colours from the Okabe-Ito palette (safe for colour-blind readers).
Any other name gets one of `OTHERS` chosen by a hash of its name, never one of the fixed colours; in
one report, a name whose colour another scenario already has takes the next free one. A sweep's runs
("location_rule [key=value]") take their scenario's colour.

>>> colour("location_rule")
'#e69f00'
>>> colour("my_regime") == colour("my_regime") and colour("my_regime") in OTHERS
True
>>> palette(["location_rule", "location_rule [provider.refuses=0.5]"])
{'location_rule': '#e69f00', 'location_rule [provider.refuses=0.5]': '#e69f00'}
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
# For every other name: Paul Tol's "muted" and "dark" tones, none close to a bundled colour.
OTHERS = ("#332288", "#44aa99", "#999933", "#882255", "#ddcc77", "#cc6677", "#661100", "#777777")


def family(name: str) -> str:
    """The scenario a run's name belongs to: a sweep's "location_rule [key=value]" to location_rule."""
    base, sep, rest = name.partition(" [")
    return base if sep and rest.endswith("]") else name


def _first_choice(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % len(OTHERS)


def colour(name: str) -> str:
    """The colour of a scenario on its own (fixed for the bundled ones, from a hash of the name otherwise)."""
    name = family(name)
    return BUNDLED.get(name) or OTHERS[_first_choice(name)]


def palette(names: Iterable[str]) -> dict[str, str]:
    """A colour per name for one report: each name's own `colour`, except that a name whose colour an
    earlier name in the list already took gets the next free one of `OTHERS` (while any is free)."""
    out: dict[str, str] = {}
    by_family: dict[str, str] = {}
    for name in dict.fromkeys(names):
        base = family(name)
        if base not in by_family:
            taken = set(by_family.values())
            chosen = colour(base)
            if base not in BUNDLED and chosen in taken:
                start = _first_choice(base)
                free = [OTHERS[(start + i) % len(OTHERS)] for i in range(1, len(OTHERS))]
                chosen = next((c for c in free if c not in taken), chosen)
            by_family[base] = chosen
        out[name] = by_family[base]
    return out
