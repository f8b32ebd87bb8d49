"""Legal order of the procedure: what must be on record before each kind of event.

`requirement` answers with the missing prerequisite, named as an event, or None when the event may
be recorded now. It reads only the matter's state, so it holds on a rebuilt matter too.
"""

from __future__ import annotations

from typing import Any, Protocol


class Unlawful(Exception):
    """An event the law does not allow: names the event, the rule it breaks and what was expected."""

    def __init__(self, event: str, rule: str, expected: str) -> None:
        super().__init__(event, rule, expected)  # SimPy re-raises as type(e)(*e.args)
        self.event, self.rule, self.expected = event, rule, expected

    def __str__(self) -> str:
        return f"{self.event} is unlawful under {self.rule}: expected {self.expected}"


class OutOfOrder(Unlawful):
    """An event out of legal order; names the event and the one it conflicts with."""

    def __init__(self, event: str, other: str, relation: str = "requires") -> None:
        Exception.__init__(self, event, other, relation)
        self.event, self.other, self.relation = event, other, relation
        self.rule, self.expected = "legal order", f"it {relation} {other}"

    def __str__(self) -> str:
        return f"{self.event} is out of legal order: it {self.relation} {self.other}"


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

    @property
    def pending_motions(self) -> dict[str, str]: ...


# Event -> events of which at least one must already be on record.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "WarrantIssued": ("WarrantApplied",),
    "WarrantServed": ("WarrantIssued", "NewWarrantIssued"),
    "DomesticDataProduced": ("WarrantServed",),
    "ProductionRefused": ("WarrantServed",),
    "ComityMotionFiled": ("WarrantServed",),
    "ObjectionFiled": ("MotionRuled", "ComityMotionRuled"),
    "ObjectionRuled": ("ObjectionFiled",),
    "ContemptHeld": ("ProductionRefused",),
    "PanelDecided": ("NoticeOfAppealFiled",),
    "AppealDismissed": ("NoticeOfAppealFiled",),
    "RehearingPetitioned": ("PanelDecided",),
    "RehearingDecided": ("RehearingPetitioned",),
    "EnBancDecided": ("RehearingDecided",),
    "CertPetitioned": ("PanelDecided",),
    "PetitionReturned": ("PanelDecided",),
    "PetitionDistributed": ("CertPetitioned",),
    "CertDecided": ("PetitionDistributed",),
    "JudgmentIssued": ("SupremeCourtDecided", "DismissedAsMoot"),
    "MandateIssued": ("PanelDecided", "EnBancDecided", "DismissedAsMoot"),
    "OrderOnRemand": ("JudgmentIssued", "MandateIssued"),
    "MLATRequestExecuted": ("MLATRequestSent",),
    "MLATRequestRefused": ("MLATRequestSent",),
    "MLATRequestWithdrawn": ("MLATRequestSent",),
    "NondisclosureSought": ("WarrantApplied",),
    "NondisclosureOrdered": ("NondisclosureSought",),
    "NondisclosureChallenged": ("NondisclosureOrdered",),
    "NondisclosureRuled": ("NondisclosureChallenged",),
    "NondisclosureLapsed": ("NondisclosureOrdered",),
}

# Motion kinds and what must be on record before each is filed.
MOTION_PREREQUISITES: dict[str, tuple[str, ...]] = {
    "vacate": ("WarrantServed",),
    "compel": ("ProductionRefused",),
    "lift_stay": ("StayGranted",),
    "vacate_moot": ("NewWarrantIssued",),
    "dismiss_moot": ("NewWarrantIssued",),
}
MOOTNESS_MOTIONS = ("vacate_moot", "dismiss_moot")

# Events that dispose of a pending motion, and the kinds of motion they need (None: any kind).
RULINGS: dict[str, tuple[str, ...] | None] = {
    "MotionRuled": ("vacate", "compel"),
    "DismissedAsMoot": MOOTNESS_MOTIONS,
    "ComityMotionRuled": ("comity",),
    "StayLifted": ("lift_stay",),
}

# The steps of an order under 18 U.S.C. 2705(b).
ORDER_NOT_TO_NOTIFY = frozenset({"NondisclosureOrdered", "NondisclosureChallenged", "NondisclosureRuled",
                                 "NondisclosureLapsed"})

# What may follow a final disposition: production, and the ministerial steps of a remand.
AFTER_DISPOSITION = ("DataDisclosed", "JudgmentIssued", "MandateIssued", "OrderOnRemand")


def _missing(seen: dict[str, int], needed: tuple[str, ...]) -> str | None:
    for name in needed:
        if name in seen:
            return None
    return " or ".join(needed)


def requirement(matter: MatterState, event: str, fields: dict[str, Any]) -> str | None:
    """The prerequisite `event` lacks on `matter`, described by event name, or None if it may follow."""
    seen = matter.seen
    if event in PREREQUISITES:
        missing = _missing(seen, PREREQUISITES[event])
        if missing:
            return missing
    if event == "MotionFiled":
        kind = fields["kind"]
        if kind not in MOTION_PREREQUISITES:
            return f"a known motion kind (got {kind!r})"
        if kind == "lift_stay" and not matter.stayed:
            return "StayGranted (a stay in effect)"
        return _missing(seen, MOTION_PREREQUISITES[kind])
    if event in RULINGS:
        kinds = RULINGS[event]
        pending = matter.pending_motions.get(fields["motion_id"])
        if pending is None or (kinds is not None and pending not in kinds):
            label = "ComityMotionFiled" if kinds == ("comity",) else f"MotionFiled ({' or '.join(kinds or ())})"
            return f"{label} for motion {fields['motion_id']!r}, still pending"
    if event == "ComityMotionFiled" and fields["qualifying_foreign_government"] \
            and "18 U.S.C. 2703(h)" not in matter.statutes_in_force:
        return "LegislationEnacted (18 U.S.C. 2703(h) in force)"
    if event == "StayLifted" and not matter.stayed:
        return "StayGranted (a stay in effect)"
    if event == "NoticeOfAppealFiled" and matter.appealable_order is None:
        return "ContemptHeld or a final ObjectionRuled (an appealable order)"
    if event == "EnBancDecided" and not matter.en_banc_granted:
        return "RehearingDecided (rehearing en banc granted)"
    if event == "SupremeCourtDecided" and not matter.cert_granted:
        return "CertDecided (certiorari granted)"
    if event == "TimeExtended" and fields["extends"] not in matter.applications:
        return f"ExtensionApplied (an application to extend {fields['extends']}, still pending)"
    if event in ORDER_NOT_TO_NOTIFY:
        missing = _order_not_to_notify(matter.nondisclosure, event, fields)
        if missing:
            return missing
    if event in ("BriefFiled", "HearingHeld", "AmicusBriefFiled"):
        level = fields["court_level"]
        if level in ("circuit", "en_banc"):
            return _missing(seen, ("NoticeOfAppealFiled",))
        if level == "supreme":
            if event == "HearingHeld" and not matter.cert_granted:
                return "CertDecided (certiorari granted)"
            return _missing(seen, ("CertPetitioned",))
    if event == "DataDisclosed":
        route = fields["route"]
        if route == "mlat" and matter.mlat_outcome != "executed":
            return "MLATRequestExecuted"
        if route == "warrant" and not matter.warrants_served:
            return "WarrantServed"
    return None


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
