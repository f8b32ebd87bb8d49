"""How a matter can end: the closed set of final dispositions, as values that projections and charts
read (never docket wording).

>>> disposition("warrant vacated", "mlat executed")
'warrant vacated; mlat executed'
>>> "dismissed as moot" in UNDER_NEW_WARRANT
True
"""

from __future__ import annotations

# How the fight over the warrant ended.
ENDED = ("warrant executed", "warrant enforced", "contempt sanctions", "dismissed as moot",
         "warrant vacated", "warrant quashed", "mlat executed", "mlat refused")
# What the government did next when the warrant was gone.
AFTER_LOSS = ("new warrant executed", "mlat executed", "mlat refused", "content not obtained")
LOST = ("warrant vacated", "warrant quashed")


def disposition(ended: str, then: str | None = None) -> str:
    """A final disposition value: how the warrant fight ended, and (after a loss) what came of it."""
    if ended not in ENDED or (then is not None) != (ended in LOST) or (then is not None and then not in AFTER_LOSS):
        raise ValueError(f"no such disposition: {ended!r} then {then!r}")
    return f"{ended}; {then}" if then else ended


# How the docket writes a value that is not already in a clerk's words ("contempt sanctions" ends a matter whose
# coercive contempt was purged once the provider complied, sources §9.8).
DOCKET_WORDS = {"contempt sanctions": "warrant enforced by civil contempt, purged on compliance",
                "mlat executed": "MLAT request executed", "mlat refused": "MLAT request refused"}


def docket_words(value: str) -> str:
    """A final disposition as the docket writes it.

    >>> docket_words("warrant vacated; mlat executed")
    'warrant vacated; MLAT request executed'
    """
    return "; ".join(DOCKET_WORDS.get(part, part) for part in value.split("; "))


DISPOSITIONS: tuple[str, ...] = (*(e for e in ENDED if e not in LOST),
                                 *(f"{e}; {t}" for e in LOST for t in AFTER_LOSS))
# Dispositions under which the content came through a new warrant after legislation.
UNDER_NEW_WARRANT = frozenset({"dismissed as moot", *(f"{e}; new warrant executed" for e in LOST)})
# Dispositions in contempt sanctions.
IN_SANCTIONS = frozenset({"contempt sanctions"})

# Routes by which the content reaches the government (DataDisclosed.route; outcomes.csv `route`).
ROUTES = ("warrant", "mlat")
