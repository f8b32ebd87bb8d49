"""Conditions of legal order: what the matter's state must show before an entry may follow (docs/sources.md
§9, §10). The registry of steps (`sim.domain.registry`) says which conditions each kind of entry carries;
nothing here branches on an event's name.

A condition reads the matter's state before the entry and the entry's fields, and answers with what is
missing, named as the entry that would supply it, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.domain import jurisdiction

Condition = Callable[[Any, dict[str, Any]], "str | None"]


def missing(seen: dict[str, int], needed: tuple[str, ...]) -> str | None:
    """None if at least one of `needed` is on record, else their names joined by "or"."""
    for name in needed:
        if name in seen:
            return None
    return " or ".join(needed)


def on_record(*needed: str) -> Condition:
    """At least one of `needed` already on record."""
    lacking = " or ".join(needed)

    def condition(matter: Any, fields: dict[str, Any]) -> str | None:
        seen = matter.seen
        for name in needed:
            if name in seen:
                return None
        return lacking
    return condition


def state(test: Callable[[Any, dict[str, Any]], bool], lacking: str) -> Condition:
    """A condition on the matter's state: `lacking` (formatted with the entry's fields) unless `test` holds."""
    def condition(matter: Any, fields: dict[str, Any]) -> str | None:
        return None if test(matter, fields) else lacking.format(**fields)
    return condition


STAYED = state(lambda m, f: m.stayed, "StayGranted (a stay in effect)")


def _mandate_unissued(matter: Any, fields: dict[str, Any]) -> str | None:
    if matter.mandate is None or matter.mandate["stayed"]:
        return "a judgment of the court of appeals whose mandate has not issued (FRAP 41(d))"
    return None


# Motion kinds and what each needs before it is made.
MOTIONS: dict[str, tuple[Condition, ...]] = {
    "vacate": (on_record("WarrantServed"),),
    "compel": (on_record("ProductionRefused"),),
    "lift_stay": (STAYED, on_record("StayGranted")),
    "vacate_moot": (on_record("NewWarrantIssued"),),
    "dismiss_moot": (on_record("NewWarrantIssued"),),
    "contempt": (on_record("ProductionRefused"),),
    jurisdiction.STAY_MOTION: (_mandate_unissued, on_record("PanelDecided", "EnBancDecided", "DismissedAsMoot")),
}
MOOTNESS_MOTIONS = ("vacate_moot", "dismiss_moot")
FILED_AS = {"comity": "ComityMotionFiled"}  # the entry that makes a motion of a kind, where not MotionFiled


def motion(matter: Any, fields: dict[str, Any]) -> str | None:
    """A motion of a known kind, with what that kind needs."""
    needs = MOTIONS.get(fields["kind"])
    if needs is None:
        return f"a known motion kind (got {fields['kind']!r})"
    for condition in needs:
        lacking = condition(matter, fields)
        if lacking:
            return lacking
    return None


def ruling(kinds: tuple[str, ...], label: str = "") -> Condition:
    """A ruling disposes of a pending motion of one of `kinds` (the entry that makes it: `label`, by
    default a MotionFiled of those kinds)."""
    label = label or f"MotionFiled ({' or '.join(kinds)})"

    def condition(matter: Any, fields: dict[str, Any]) -> str | None:
        pending = matter.pending_motions.get(fields["motion_id"])
        if pending is None or pending not in kinds:
            return f"{label} for motion {fields['motion_id']!r}, still pending"
        return None
    return condition


def court_has_case(heard: bool = False) -> Condition:
    """Briefs, arguments and amicus briefs above the district court need the case there; an argument in
    the Supreme Court (`heard`) needs certiorari granted."""
    def condition(matter: Any, fields: dict[str, Any]) -> str | None:
        level = fields["court_level"]
        if level in ("circuit", "en_banc"):
            return missing(matter.seen, ("NoticeOfAppealFiled",))
        if level == "supreme":
            if heard and not matter.cert_granted:
                return "CertDecided (certiorari granted)"
            return missing(matter.seen, ("CertPetitioned",))
        return None
    return condition


def disclosure(matter: Any, fields: dict[str, Any]) -> str | None:
    """Production by the route that reached it: an executed treaty request, or a served warrant."""
    route = fields["route"]
    if route == "mlat" and matter.mlat_outcome != "executed":
        return "MLATRequestExecuted"
    if route == "warrant" and not matter.warrants_served:
        return "WarrantServed"
    return None


# Orders under 18 U.S.C. 2705(b) ------------------------------------------------------------------
IN_FORCE = "NondisclosureOrdered (an order under 18 U.S.C. 2705(b) in force)"


def order_not_to_notify(matter: Any, fields: dict[str, Any]) -> str | None:
    """A first order only once; an extension only while the order is in force."""
    order = matter.nondisclosure
    if not fields["extension"]:
        return "no NondisclosureOrdered yet (a first order is made once)" if order is not None else None
    return IN_FORCE if order is None or order["ended"] else None


def order_in_force(matter: Any, fields: dict[str, Any]) -> str | None:
    """A challenge or a lapse only while the order is in force."""
    order = matter.nondisclosure
    return IN_FORCE if order is None or order["ended"] else None


def no_challenge_pending(matter: Any, fields: dict[str, Any]) -> str | None:
    order = matter.nondisclosure
    return "NondisclosureRuled (on the challenge already pending)" if order is not None and order["challenged"] \
        else None


def challenge_pending(matter: Any, fields: dict[str, Any]) -> str | None:
    order = matter.nondisclosure
    return None if order is not None and order["challenged"] else "NondisclosureChallenged (a challenge still pending)"


# What must still come down (sim.domain.jurisdiction) ----------------------------------------------
def judgment_owed(matter: Any, fields: dict[str, Any]) -> str | None:
    if jurisdiction.JUDGMENT in matter.owed:
        return None
    return "SupremeCourtDecided or DismissedAsMoot (a judgment to issue)"


def mandate_owed(matter: Any, fields: dict[str, Any]) -> str | None:
    if jurisdiction.MANDATE not in matter.owed or matter.mandate is None:
        return "a judgment of the court of appeals whose mandate has not issued"
    if matter.mandate["stayed"] and not jurisdiction.stay_runs_out(matter, fields["date"]):
        return "CertDecided (the mandate is stayed pending certiorari, FRAP 41(d))"
    if jurisdiction.motion_before_the_court_of_appeals(matter):
        return "a ruling on the motion pending in the court of appeals (its mandate waits for it)"
    return None


def remand_owed(matter: Any, fields: dict[str, Any]) -> str | None:
    return jurisdiction.remand_missing(matter, "circuit" if fields["court_level"] in ("circuit", "en_banc")
                                       else "district")


def contempt_moved(matter: Any, fields: dict[str, Any]) -> str | None:
    """Civil contempt only on a motion or an order to show cause, and in a court that holds the case
    with nothing still to come down (sources §9.8)."""
    if "contempt" not in matter.pending_motions.values():
        return "MotionFiled (contempt: a motion or an order to show cause, still pending)"
    if matter.holding != "district" or matter.owed:
        return " and ".join(jurisdiction.still_owed(matter)) or "MandateIssued (the case back in the district court)"
    return None


def sanction_running(matter: Any, fields: dict[str, Any]) -> str | None:
    return None if matter.sanction_running else "ContemptHeld (coercive sanctions running)"
