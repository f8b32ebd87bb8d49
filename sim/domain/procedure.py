"""Legal order of the procedure: what must be on record before each kind of event.

`requirement` answers with the missing prerequisite, named as an event, or None when the event may
be recorded now. It reads only the matter's state, so it holds on a rebuilt matter too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sim.domain import jurisdiction, registry
from sim.domain.unlawful import OutOfOrder, Unlawful

__all__ = ["OutOfOrder", "Unlawful", "requirement"]


class MatterState(Protocol):
    seen: dict[str, int]
    motions: dict[str, dict[str, Any]]
    appealable_order: str | None
    warrants_served: int
    cert_granted: bool
    en_banc_granted: bool
    stayed: bool
    mlat_outcome: str | None
    statutes_in_force: list[str]
    applications: dict[str, dict[str, Any]]
    nondisclosure: dict[str, Any] | None
    holding: str
    owed: dict[str, bool]
    mandate: dict[str, Any] | None
    sanction_running: bool

    @property
    def pending_motions(self) -> dict[str, str]: ...


# Event -> events of which at least one must already be on record (declared in the registry).
PREREQUISITES = registry.PREREQUISITES

# Motion kinds and what must be on record before each is filed.
MOTION_PREREQUISITES: dict[str, tuple[str, ...]] = {
    "vacate": ("WarrantServed",),
    "compel": ("ProductionRefused",),
    "lift_stay": ("StayGranted",),
    "vacate_moot": ("NewWarrantIssued",),
    "dismiss_moot": ("NewWarrantIssued",),
    "contempt": ("ProductionRefused",),
    jurisdiction.STAY_MOTION: ("PanelDecided", "EnBancDecided", "DismissedAsMoot"),
}
MOOTNESS_MOTIONS = ("vacate_moot", "dismiss_moot")

# Events that dispose of a pending motion, and the kinds of motion they need (None: any kind).
RULINGS: dict[str, tuple[str, ...] | None] = {
    "MotionRuled": ("vacate", "compel", jurisdiction.STAY_MOTION),
    "DismissedAsMoot": MOOTNESS_MOTIONS,
    "ComityMotionRuled": ("comity",),
    "StayLifted": ("lift_stay",),
}

# The steps of an order under 18 U.S.C. 2705(b).
ORDER_NOT_TO_NOTIFY = frozenset({"NondisclosureOrdered", "NondisclosureChallenged", "NondisclosureRuled",
                                 "NondisclosureLapsed"})

# What may follow a final disposition: production (the end waits for every judgment, mandate and
# order on remand, sources §10.4).
AFTER_DISPOSITION = ("DataDisclosed",)


def _missing(seen: dict[str, int], needed: tuple[str, ...]) -> str | None:
    for name in needed:
        if name in seen:
            return None
    return " or ".join(needed)


def requirement(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    """The prerequisite `event` lacks on `matter`, described by event name, or None if it may follow:
    first what must be on record (`PREREQUISITES`), then the event's own conditions (`CONDITIONS`)."""
    if event in PREREQUISITES:
        missing = _missing(matter.seen, PREREQUISITES[event])
        if missing:
            return missing
    for condition in CONDITIONS.get(event, ()):
        missing = condition(matter, event, fields)
        if missing:
            return missing
    return None


Condition = Callable[[MatterState, str, dict[str, Any]], "str | None"]


def _motion(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    kind = fields["kind"]
    if kind not in MOTION_PREREQUISITES:
        return f"a known motion kind (got {kind!r})"
    if kind == "lift_stay" and not matter.stayed:
        return "StayGranted (a stay in effect)"
    if kind == jurisdiction.STAY_MOTION and (matter.mandate is None or matter.mandate["stayed"]):
        return "a judgment of the court of appeals whose mandate has not issued (FRAP 41(d))"
    return _missing(matter.seen, MOTION_PREREQUISITES[kind])


def _ruling(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    kinds = RULINGS[event]
    pending = matter.pending_motions.get(fields["motion_id"])
    if pending is None or (kinds is not None and pending not in kinds):
        label = "ComityMotionFiled" if kinds == ("comity",) else f"MotionFiled ({' or '.join(kinds or ())})"
        return f"{label} for motion {fields['motion_id']!r}, still pending"
    return None


def _state(test: Callable[[MatterState, dict[str, Any]], bool], missing: str) -> Condition:
    """A condition on the matter's state: `missing` unless `test` holds."""
    def condition(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
        return None if test(matter, fields) else missing.format(**fields)
    return condition


def _court_has_case(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    """Briefs, hearings and amicus briefs above the district court need the case there."""
    level = fields["court_level"]
    if level in ("circuit", "en_banc"):
        return _missing(matter.seen, ("NoticeOfAppealFiled",))
    if level == "supreme":
        if event == "HearingHeld" and not matter.cert_granted:
            return "CertDecided (certiorari granted)"
        return _missing(matter.seen, ("CertPetitioned",))
    return None


def _disclosure(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    route = fields["route"]
    if route == "mlat" and matter.mlat_outcome != "executed":
        return "MLATRequestExecuted"
    if route == "warrant" and not matter.warrants_served:
        return "WarrantServed"
    return None


def _not_to_notify(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    return _order_not_to_notify(matter.nondisclosure, event, fields)


def _owed(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    return OWED[event](matter, fields)


def _order_not_to_notify(order: dict[str, Any] | None, event: str, fields: dict[str, Any]) -> str | None:
    """What a step on a 2705(b) order needs: a first order only once; an extension, a challenge or a
    lapse only while the order is in force; a ruling only on a pending challenge."""
    if event == "NondisclosureOrdered" and not fields["extension"]:
        return "no NondisclosureOrdered yet (a first order is made once)" if order is not None else None
    if event in ("NondisclosureOrdered", "NondisclosureChallenged", "NondisclosureLapsed") \
            and (order is None or order["ended"]):
        return "NondisclosureOrdered (an order under 18 U.S.C. 2705(b) in force)"
    if event == "NondisclosureChallenged" and order is not None and order["challenged"]:
        return "NondisclosureRuled (on the challenge already pending)"
    if event == "NondisclosureRuled" and (order is None or not order["challenged"]):
        return "NondisclosureChallenged (a challenge still pending)"
    return None


def _judgment_owed(matter: MatterState, fields: dict[str, Any]) -> str | None:
    if jurisdiction.JUDGMENT in matter.owed:
        return None
    return "SupremeCourtDecided or DismissedAsMoot (a judgment to issue)"


def _mandate_owed(matter: MatterState, fields: dict[str, Any]) -> str | None:
    if jurisdiction.MANDATE not in matter.owed or matter.mandate is None:
        return "a judgment of the court of appeals whose mandate has not issued"
    return "CertDecided (the mandate is stayed pending certiorari, FRAP 41(d))" if matter.mandate["stayed"] else None


def _remand_owed(matter: MatterState, fields: dict[str, Any]) -> str | None:
    return jurisdiction.remand_missing(matter, "circuit" if fields["court_level"] in ("circuit", "en_banc")
                                       else "district")


def _contempt_moved(matter: MatterState, fields: dict[str, Any]) -> str | None:
    """Civil contempt only on a motion or an order to show cause, and in a court that holds the case
    with nothing still to come down (sources §9.8)."""
    if "contempt" not in matter.pending_motions.values():
        return "MotionFiled (contempt: a motion or an order to show cause, still pending)"
    if matter.holding != "district" or matter.owed:
        return " and ".join(jurisdiction.still_owed(matter)) or "MandateIssued (the case back in the district court)"
    return None


def _sanction_running(matter: MatterState, fields: dict[str, Any]) -> str | None:
    return None if matter.sanction_running else "ContemptHeld (coercive sanctions running)"


# Events whose place in the order depends on where the case is and what must still come down.
OWED: dict[str, Callable[[MatterState, dict[str, Any]], str | None]] = {
    "JudgmentIssued": _judgment_owed, "MandateIssued": _mandate_owed, "OrderOnRemand": _remand_owed,
    "ContemptHeld": _contempt_moved, "ContemptPurged": _sanction_running,
}


_STAYED = _state(lambda m, f: m.stayed, "StayGranted (a stay in effect)")
# Each event's own conditions, beyond what must be on record.
CONDITIONS: dict[str, tuple[Condition, ...]] = {
    "MotionFiled": (_motion,),
    **{name: (_ruling,) for name in RULINGS if name != "StayLifted"},
    "StayLifted": (_ruling, _STAYED),
    "ComityMotionFiled": (_state(lambda m, f: not f["qualifying_foreign_government"]
                                 or "18 U.S.C. 2703(h)" in m.statutes_in_force,
                                 "LegislationEnacted (18 U.S.C. 2703(h) in force)"),),
    "NoticeOfAppealFiled": (_state(lambda m, f: m.appealable_order is not None,
                                   "ContemptHeld or a final ObjectionRuled (an appealable order)"),),
    "EnBancDecided": (_state(lambda m, f: m.en_banc_granted, "RehearingDecided (rehearing en banc granted)"),),
    "SupremeCourtDecided": (_state(lambda m, f: m.cert_granted, "CertDecided (certiorari granted)"),),
    "TimeExtended": (_state(lambda m, f: f["extends"] in m.applications,
                            "ExtensionApplied (an application to extend {extends}, still pending)"),),
    **{name: (_owed,) for name in OWED},
    **{name: (_not_to_notify,) for name in ORDER_NOT_TO_NOTIFY},
    **{name: (_court_has_case,) for name in ("BriefFiled", "HearingHeld", "AmicusBriefFiled")},
    "DataDisclosed": (_disclosure,),
}
