"""The registry of docket steps: each kind of entry declared once, as data (docs/sources.md §9, §10).

A `Kind` says, for one event class of `sim.domain.matter.Matter`: what must already be on record
(`after`: at least one of them), which periods it opens (`opens`) and which it meets as a filing
(`meets`), which party alone may file it (`filed_by`), how it moves the case between courts or leaves
something owed below (`follows`, `sim.domain.jurisdiction`), and which stage of the procedure it
starts, reaches or ends (`stage`). Legal order (`sim.domain.procedure.PREREQUISITES`), the periods the
aggregate opens (`OPENS`) and checks (`MEETS`), who files (`FILED_BY`), where the case is (`FOLLOWS`)
and the stage table of `sim.views.stages` (`STAGE_STARTS`, `STAGE_REACHED`, `STAGE_ENDS`) are derived
from it. Each event's own conditions and checks stay beside the rule they apply
(`procedure.CONDITIONS`, `lawful.CHECKS`).

>>> KINDS["NoticeOfAppealFiled"].meets, KINDS["NoticeOfAppealFiled"].after
('notice_of_appeal', ())
>>> [o.period for o in OPENS["PanelDecided"]]
['rehearing', 'cert_petition']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from sim.domain import jurisdiction as j
from sim.domain.ladder import other
from sim.domain.periods import Opening, comity_motion_open, loser, loser_of_motion

Follow = Callable[[Any, Any], None]


@attrs.frozen
class Kind:
    """One kind of docket step (see the module's docstring). `stage` is (what it does, the stage):
    "starts", "reaches" (the stage counts as reached) or "ends"."""

    after: tuple[str, ...] = ()
    opens: tuple[Opening, ...] = ()
    meets: str | None = None
    filed_by: str | None = None
    follows: Follow | None = None
    stage: tuple[str, str] | None = None


def _provider(e: Any, s: Any) -> str:
    return "provider"


def _government(e: Any, s: Any) -> str:
    return "government"


KINDS: dict[str, Kind] = {
    # Warrant and production
    "WarrantApplied": Kind(filed_by="government"),
    "WarrantIssued": Kind(after=("WarrantApplied",)),
    "WarrantServed": Kind(after=("WarrantIssued", "NewWarrantIssued"),
                          opens=(Opening("comity_motion", _provider, applies=comity_motion_open),)),
    "DomesticDataProduced": Kind(after=("WarrantServed",)),
    "ProductionRefused": Kind(after=("WarrantServed",)),
    "NewWarrantIssued": Kind(),
    # Motions, briefs, hearings, extensions
    "MotionFiled": Kind(),
    "MotionRuled": Kind(opens=(Opening("objection", loser_of_motion,
                                       applies=lambda e, s: e.court_level == "magistrate"),), follows=j.stay),
    "BriefFiled": Kind(meets="brief_in_opposition"),
    "HearingHeld": Kind(),
    "ExtensionApplied": Kind(),
    "TimeExtended": Kind(follows=j.extended),
    # Review of the magistrate judge, stays, contempt
    "ComityMotionFiled": Kind(after=("WarrantServed",), meets="comity_motion", filed_by="provider"),
    "ComityMotionRuled": Kind(opens=(Opening("objection", loser_of_motion),)),
    "ObjectionFiled": Kind(after=("MotionRuled", "ComityMotionRuled"), meets="objection",
                           stage=("reaches", "district")),
    "ObjectionRuled": Kind(after=("ObjectionFiled",), stage=("ends", "district"),
                           opens=(Opening("notice_of_appeal", _government, applies=lambda e, s: e.final_order),)),
    "StayGranted": Kind(),
    "StayLifted": Kind(),
    "ContemptHeld": Kind(opens=(Opening("notice_of_appeal", _provider),), follows=j.contempt),
    "ContemptPurged": Kind(follows=j.purged),
    # Court of appeals
    "NoticeOfAppealFiled": Kind(meets="notice_of_appeal", follows=j.notice, stage=("starts", "circuit")),
    "AppealDismissed": Kind(after=("NoticeOfAppealFiled",), follows=j.dismissed, stage=("ends", "circuit")),
    "PanelDecided": Kind(after=("NoticeOfAppealFiled",), opens=(Opening("rehearing", loser),
                                                                Opening("cert_petition", loser)),
                         follows=j.panel, stage=("ends", "circuit")),
    "RehearingPetitioned": Kind(after=("PanelDecided",), meets="rehearing", stage=("reaches", "rehearing")),
    "RehearingDecided": Kind(after=("RehearingPetitioned",), follows=j.rehearing, stage=("ends", "rehearing"),
                             opens=(Opening("cert_petition", lambda e, s: s.rehearing_petitioner,
                                            applies=lambda e, s: not e.granted and not e.untimely),)),
    "EnBancDecided": Kind(after=("RehearingDecided",), opens=(Opening("cert_petition", loser),), follows=j.en_banc),
    "MandateIssued": Kind(follows=j.mandate),
    # Supreme Court
    "CertPetitioned": Kind(after=("PanelDecided",), meets="cert_petition", stage=("starts", "certiorari"),
                           opens=(Opening("brief_in_opposition", lambda e, s: other(e.party)),)),
    "PetitionReturned": Kind(after=("PanelDecided",), follows=j.stay_ends),
    "PetitionDistributed": Kind(after=("CertPetitioned",)),
    "CertDecided": Kind(after=("PetitionDistributed",), follows=j.stay_ends, stage=("ends", "certiorari")),
    "SupremeCourtDecided": Kind(follows=j.supreme, stage=("ends", "merits")),
    "JudgmentIssued": Kind(follows=j.judgment),
    "OrderOnRemand": Kind(follows=j.on_remand),
    # Legislation and mootness
    "LegislationEnacted": Kind(),
    "DismissedAsMoot": Kind(follows=j.moot),
    # Mutual legal assistance
    "MLATRequestSent": Kind(stage=("starts", "mlat")),
    "MLATRequestExecuted": Kind(after=("MLATRequestSent",), stage=("ends", "mlat")),
    "MLATRequestRefused": Kind(after=("MLATRequestSent",), stage=("ends", "mlat")),
    "MLATRequestWithdrawn": Kind(after=("MLATRequestSent",)),
    # Amici, orders not to notify
    "AmicusBriefFiled": Kind(),
    "NondisclosureSought": Kind(after=("WarrantApplied",), filed_by="government"),
    "NondisclosureOrdered": Kind(after=("NondisclosureSought",)),
    "NondisclosureChallenged": Kind(after=("NondisclosureOrdered",), filed_by="provider"),
    "NondisclosureRuled": Kind(after=("NondisclosureChallenged",)),
    "NondisclosureLapsed": Kind(after=("NondisclosureOrdered",)),
    # Outcome
    "DataDisclosed": Kind(),
    "FinalDisposition": Kind(stage=("ends", "total")),
}

# Derived tables --------------------------------------------------------------------------------
PREREQUISITES: dict[str, tuple[str, ...]] = {name: k.after for name, k in KINDS.items() if k.after}
OPENS: dict[str, tuple[Opening, ...]] = {name: k.opens for name, k in KINDS.items() if k.opens}
MEETS: dict[str, str] = {name: k.meets for name, k in KINDS.items() if k.meets}
FILED_BY: dict[str, str] = {name: k.filed_by for name, k in KINDS.items() if k.filed_by}
FOLLOWS: dict[str, Follow] = {name: k.follows for name, k in KINDS.items() if k.follows}
STAGE_ENDS: dict[str, str] = {name: k.stage[1] for name, k in KINDS.items() if k.stage and k.stage[0] == "ends"}
STAGE_REACHED: dict[str, str] = {name: k.stage[1] for name, k in KINDS.items()
                                 if k.stage and k.stage[0] == "reaches"}
STAGE_STARTS: dict[str, str] = {name: k.stage[1] for name, k in KINDS.items() if k.stage and k.stage[0] == "starts"}


def period_met(name: str, fields: dict[str, Any]) -> str | None:
    """The period a filing of kind `name` must meet: a 2703(h)(2) motion only for a qualifying foreign
    government (a common-law comity motion meets none), a brief only as a brief in opposition."""
    if name == "ComityMotionFiled" and not fields["qualifying_foreign_government"]:
        return None
    if name == "BriefFiled" and fields["period"] is None:
        return None
    return MEETS.get(name)
