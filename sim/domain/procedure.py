"""Legal order of the procedure: what must be on record before each kind of event.

`requirement` answers with the missing prerequisite, named as an event, or None when the event
may be recorded now. It reads only the matter's state, so it holds on a rebuilt matter too.
"""

from __future__ import annotations

from typing import Any, Protocol


class OutOfOrder(Exception):
    """An event the law does not allow at this point; names the event and the one it conflicts with."""

    def __init__(self, event: str, other: str, relation: str = "requires") -> None:
        super().__init__(event, other, relation)  # SimPy re-raises as type(e)(*e.args)
        self.event, self.other, self.relation = event, other, relation

    def __str__(self) -> str:
        return f"{self.event} is out of legal order: it {self.relation} {self.other}"


class MatterState(Protocol):
    history: list[str]
    pending_motions: dict[str, str]
    appealable_order: str | None
    warrants_served: int
    cert_granted: bool
    stayed: bool
    mlat_outcome: str | None
    statutes_in_force: list[str]


# Event -> events of which at least one must already be on record.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "WarrantIssued": ("WarrantApplied",),
    "WarrantServed": ("WarrantIssued", "NewWarrantIssued"),
    "DomesticDataProduced": ("WarrantServed",),
    "ProductionRefused": ("WarrantServed",),
    "ObjectionFiled": ("MotionRuled",),
    "ObjectionRuled": ("ObjectionFiled",),
    "ContemptHeld": ("ProductionRefused",),
    "PanelDecided": ("NoticeOfAppealFiled",),
    "RehearingPetitioned": ("PanelDecided",),
    "RehearingDecided": ("RehearingPetitioned",),
    "EnBancDecided": ("RehearingDecided",),
    "CertPetitioned": ("PanelDecided",),
    "CertDecided": ("CertPetitioned",),
    "MLATRequestExecuted": ("MLATRequestSent",),
    "MLATRequestRefused": ("MLATRequestSent",),
    "ComityMotionFiled": ("WarrantServed",),
}

# Motion kinds and what must be on record before each is filed.
MOTION_PREREQUISITES: dict[str, tuple[str, ...]] = {
    "vacate": ("WarrantServed",),
    "quash": ("WarrantServed",),
    "modify": ("WarrantServed",),
    "compel": ("ProductionRefused",),
    "stay": ("WarrantServed",),
    "lift_stay": ("StayGranted",),
    "dismiss_moot": ("LegislationEnacted", "NewWarrantIssued"),
}

# Events that dispose of a pending motion, and the kind of motion they need (None: any kind).
RULINGS: dict[str, str | None] = {
    "MotionRuled": None,
    "DismissedAsMoot": "dismiss_moot",
    "ComityMotionRuled": "comity",
    "StayLifted": "lift_stay",
}


def _missing(history: list[str], needed: tuple[str, ...]) -> str | None:
    return None if any(name in history for name in needed) else " or ".join(needed)


def requirement(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    """The prerequisite `event` lacks on `matter`, described by event name, or None if it may follow."""
    history = matter.history
    if event in PREREQUISITES:
        missing = _missing(history, PREREQUISITES[event])
        if missing:
            return missing
    if event == "MotionFiled":
        kind = fields["kind"]
        if kind not in MOTION_PREREQUISITES:
            return f"a known motion kind (got {kind!r})"
        if kind == "lift_stay" and not matter.stayed:
            return "StayGranted (a stay in effect)"
        return _missing(history, MOTION_PREREQUISITES[kind])
    if event in RULINGS:
        kind = RULINGS[event]
        pending = matter.pending_motions.get(fields["motion_id"])
        if pending is None or (kind is not None and pending != kind):
            label = "ComityMotionFiled" if kind == "comity" else f"MotionFiled ({kind or 'any kind'})"
            return f"{label} for motion {fields['motion_id']!r}, still pending"
    if event == "ComityMotionFiled" and fields["qualifying_foreign_government"] \
            and "18 U.S.C. 2703(h)" not in matter.statutes_in_force:
        return "LegislationEnacted (18 U.S.C. 2703(h) in force)"
    if event == "StayLifted" and not matter.stayed:
        return "StayGranted (a stay in effect)"
    if event == "NoticeOfAppealFiled" and matter.appealable_order is None:
        return "ContemptHeld or a final ObjectionRuled (an appealable order)"
    if event == "SupremeCourtDecided" and not matter.cert_granted:
        return "CertDecided (certiorari granted)"
    if event in ("BriefFiled", "HearingHeld"):
        level = fields["court_level"]
        if level == "circuit":
            return _missing(history, ("NoticeOfAppealFiled",))
        if level == "supreme":
            if event == "HearingHeld" and not matter.cert_granted:
                return "CertDecided (certiorari granted)"
            return _missing(history, ("CertPetitioned",))
    if event == "DataDisclosed":
        route = fields["route"]
        if route == "mlat" and matter.mlat_outcome != "executed":
            return "MLATRequestExecuted"
        if route in ("warrant", "executive_agreement") and not matter.warrants_served:
            return "WarrantServed"
    return None
