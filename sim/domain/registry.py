"""The registry of docket steps: each kind of entry declared once, as data (docs/sources.md §9, §10).

A `Kind` says, for one event class of `sim.domain.matter.Matter`: what must already be on record
(`after`: at least one of them), which periods it opens (`opens`) and which it meets as a filing
(`meets`), which party alone may file it (`filed_by`), how it moves the case between courts or leaves
something owed below (`follows`, `sim.domain.jurisdiction`), and what it does to the stages of the
procedure (`stages`: `Stage` steps, which `sim.views.stages` applies in order). Legal order
(`sim.domain.procedure.PREREQUISITES`), the periods the aggregate opens (`OPENS`) and checks
(`MEETS`), who files (`FILED_BY`), where the case is (`FOLLOWS`), the stages (`STAGE_STEPS`) and
each kind's own checks (`CHECKS`, applied by `sim.domain.lawful`) are derived from it.

>>> KINDS["NoticeOfAppealFiled"].meets, KINDS["NoticeOfAppealFiled"].after
('notice_of_appeal', ())
>>> [o.period for o in OPENS["PanelDecided"]]
['rehearing', 'cert_petition']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from sim.domain import entry_checks as c
from sim.domain import jurisdiction as j
from sim.domain.ladder import other
from sim.domain.periods import Opening, closed_by_filing, comity_motion_open, every_period, loser, loser_of_motion

Follow = Callable[[Any, Any], None]


def _always(event: Any) -> bool:
    return True


@attrs.frozen
class Stage:
    """What an entry does to a stage of the procedure (`sim.views.stages`), when `when(event)`:
    "starts" it (its first start counts), "restarts" it (the latest counts), "reaches" it (it counts as
    reached), "ends" it (once started), "opens" it with the matter's total (the warrant), "challenges"
    it (the first motion before the magistrate judge), ends it and starts the next on the ruling on
    that challenge ("challenge_ruled"), or ends every court stage still pending ("ends_pending")."""

    verb: str
    stage: str = ""
    when: Callable[[Any], bool] = _always


def _starts(stage: str) -> tuple[Stage, ...]:
    return (Stage("starts", stage),)


def _ends(stage: str) -> tuple[Stage, ...]:
    return (Stage("ends", stage),)


@attrs.frozen
class Kind:
    """One kind of docket step (see the module's docstring)."""

    after: tuple[str, ...] = ()
    opens: tuple[Opening, ...] = ()
    meets: str | None = None
    filed_by: str | None = None
    follows: Follow | None = None
    stages: tuple[Stage, ...] = ()
    checks: tuple[c.Check, ...] = ()  # its own checks (`sim.domain.entry_checks`), after the common ones
    numbers: str | None = None  # the lane whose docket it numbers by its own date (a petition, by its Term)
    amicus: bool = False  # filed by an amicus curiae or the foreign government, and only by them
    closes: Callable[[Any], tuple[str, ...] | None] | None = None  # the periods it closes (None: all open)


def _provider(e: Any, s: Any) -> str:
    return "provider"


def _government(e: Any, s: Any) -> str:
    return "government"


def _rehearing_petition_closes(event: Any) -> tuple[str, ...]:
    """A timely petition for rehearing closes the time for certiorari too: it runs again from the
    denial (Sup. Ct. R. 13.3)."""
    met = closed_by_filing(event)
    return (*met, "cert_petition") if met and event.timely else met


# The provider's first challenge before the magistrate judge, and the ruling on it, bound the first stage.
CHALLENGE = Stage("challenges", "magistrate", lambda e: e.court_level == "magistrate")
CHALLENGE_RULED = Stage("challenge_ruled", "magistrate")

KINDS: dict[str, Kind] = {
    # Warrant and production
    "WarrantApplied": Kind(filed_by="government"),
    "WarrantIssued": Kind(after=("WarrantApplied",), stages=(Stage("opens", "magistrate"),)),
    "WarrantServed": Kind(after=("WarrantIssued", "NewWarrantIssued"),
                          opens=(Opening("comity_motion", _provider, applies=comity_motion_open),)),
    "DomesticDataProduced": Kind(after=("WarrantServed",)),
    "ProductionRefused": Kind(after=("WarrantServed",)),
    "NewWarrantIssued": Kind(),
    # Motions, briefs, hearings, extensions
    "MotionFiled": Kind(stages=(CHALLENGE,), checks=(c.motion_party,)),
    "MotionRuled": Kind(opens=(Opening("objection", loser_of_motion,
                                       applies=lambda e, s: e.court_level == "magistrate"),), follows=j.stay,
                         stages=(CHALLENGE_RULED,), checks=(c.in_district_court,)),
    "BriefFiled": Kind(meets="brief_in_opposition"),
    "HearingHeld": Kind(checks=(c.argument, c.in_district_court)),
    "ExtensionApplied": Kind(checks=(c.application,)),
    "TimeExtended": Kind(follows=j.extended, checks=(c.extension,)),
    # Review of the magistrate judge, stays, contempt
    "ComityMotionFiled": Kind(after=("WarrantServed",), meets="comity_motion", filed_by="provider",
                               stages=(CHALLENGE,), checks=(c.agreement,)),
    "ComityMotionRuled": Kind(opens=(Opening("objection", loser_of_motion),), stages=(CHALLENGE_RULED,),
                               checks=(c.consequence("comity_motion",
                                                     lambda f: f["disposition"] == "denied as untimely"),)),
    "ObjectionFiled": Kind(after=("MotionRuled", "ComityMotionRuled"), meets="objection",
                           stages=(Stage("reaches", "district"),)),
    "ObjectionRuled": Kind(after=("ObjectionFiled",), stages=_ends("district"),
                           checks=(c.consequence("objection", lambda f: f["disposition"] == "overruled as untimely"),
                                   c.in_district_court),
                           opens=(Opening("notice_of_appeal", _government, applies=lambda e, s: e.final_order),)),
    "StayGranted": Kind(),
    "StayLifted": Kind(),
    "ContemptHeld": Kind(opens=(Opening("notice_of_appeal", _provider),), follows=j.contempt,
                         checks=(c.contempt, c.in_district_court)),
    "ContemptPurged": Kind(follows=j.purged, checks=(c.in_district_court,)),
    # Court of appeals
    "NoticeOfAppealFiled": Kind(meets="notice_of_appeal", follows=j.notice, stages=_starts("circuit")),
    "AppealDismissed": Kind(after=("NoticeOfAppealFiled",), follows=j.dismissed, stages=_ends("circuit"),
                            checks=(c.appeal_dismissed,)),
    "PanelDecided": Kind(after=("NoticeOfAppealFiled",), opens=(Opening("rehearing", loser),
                                                                Opening("cert_petition", loser)),
                         follows=j.panel, stages=(*_ends("circuit"), Stage("restarts", "rehearing")),
                         checks=(c.panel,)),
    "RehearingPetitioned": Kind(after=("PanelDecided",), meets="rehearing", stages=(Stage("reaches", "rehearing"),),
                                closes=_rehearing_petition_closes),
    "RehearingDecided": Kind(after=("RehearingPetitioned",), follows=j.rehearing, stages=_ends("rehearing"),
                             checks=(c.consequence("rehearing", lambda f: bool(f["untimely"])),),
                             opens=(Opening("cert_petition", lambda e, s: s.rehearing_petitioner,
                                            applies=lambda e, s: not e.granted and not e.untimely),)),
    "EnBancDecided": Kind(after=("RehearingDecided",), opens=(Opening("cert_petition", loser),), follows=j.en_banc),
    "MandateIssued": Kind(follows=j.mandate, checks=(c.mandate,)),
    # Supreme Court
    "CertPetitioned": Kind(after=("PanelDecided",), meets="cert_petition", stages=_starts("certiorari"),
                           numbers="supreme",
                           opens=(Opening("brief_in_opposition", lambda e, s: other(e.party)),)),
    "PetitionReturned": Kind(after=("PanelDecided",), follows=j.stay_ends),
    "PetitionDistributed": Kind(after=("CertPetitioned",), checks=(c.distribution,),
                                closes=lambda e: ("brief_in_opposition",)),
    "CertDecided": Kind(after=("PetitionDistributed",), follows=j.stay_ends,
                        stages=(*_ends("certiorari"), Stage("restarts", "merits", lambda e: e.granted)),
                        checks=(c.conference,)),
    "SupremeCourtDecided": Kind(follows=j.supreme, stages=_ends("merits"), checks=(c.decision, c.against_below)),
    "JudgmentIssued": Kind(follows=j.judgment, checks=(c.judgment_issued,)),
    "OrderOnRemand": Kind(follows=j.on_remand),
    # Legislation and mootness
    "LegislationEnacted": Kind(),
    "DismissedAsMoot": Kind(follows=j.moot, stages=(Stage("ends_pending"),), checks=(c.decision, c.moot),
                            closes=every_period),
    # Mutual legal assistance
    "MLATRequestSent": Kind(stages=_starts("mlat")),
    "MLATRequestExecuted": Kind(after=("MLATRequestSent",), stages=_ends("mlat")),
    "MLATRequestRefused": Kind(after=("MLATRequestSent",), stages=_ends("mlat")),
    "MLATRequestWithdrawn": Kind(after=("MLATRequestSent",)),
    # Amici, orders not to notify
    "AmicusBriefFiled": Kind(amicus=True, checks=(c.amicus,)),
    "NondisclosureSought": Kind(after=("WarrantApplied",), filed_by="government"),
    "NondisclosureOrdered": Kind(after=("NondisclosureSought",), checks=(c.nondisclosure_ordered,)),
    "NondisclosureChallenged": Kind(after=("NondisclosureOrdered",), filed_by="provider",
                                     checks=(c.nondisclosure_challenged,)),
    "NondisclosureRuled": Kind(after=("NondisclosureChallenged",)),
    "NondisclosureLapsed": Kind(after=("NondisclosureOrdered",), checks=(c.nondisclosure_lapsed,)),
    # Outcome
    "DataDisclosed": Kind(),
    "FinalDisposition": Kind(stages=_ends("total"), checks=(c.final,), closes=every_period),
}

# Derived tables --------------------------------------------------------------------------------
PREREQUISITES: dict[str, tuple[str, ...]] = {name: k.after for name, k in KINDS.items() if k.after}
OPENS: dict[str, tuple[Opening, ...]] = {name: k.opens for name, k in KINDS.items() if k.opens}
MEETS: dict[str, str] = {name: k.meets for name, k in KINDS.items() if k.meets}
FILED_BY: dict[str, str] = {name: k.filed_by for name, k in KINDS.items() if k.filed_by}
FOLLOWS: dict[str, Follow] = {name: k.follows for name, k in KINDS.items() if k.follows}
CHECKS: dict[str, tuple[c.Check, ...]] = {name: k.checks for name, k in KINDS.items() if k.checks}
STAGE_STEPS: dict[str, tuple[Stage, ...]] = {name: k.stages for name, k in KINDS.items() if k.stages}


def closes(name: str, event: Any) -> tuple[str, ...] | None:
    """The periods an entry of kind `name` closes as it is recorded (None: every one still open): what
    its kind declares, else for a filing the period it meets."""
    declared = KINDS[name].closes
    return (declared or closed_by_filing)(event)


def period_met(name: str, fields: dict[str, Any]) -> str | None:
    """The period a filing of kind `name` must meet: a 2703(h)(2) motion only for a qualifying foreign
    government (a common-law comity motion meets none), a brief only as a brief in opposition."""
    if name == "ComityMotionFiled" and not fields["qualifying_foreign_government"]:
        return None
    if name == "BriefFiled" and fields["period"] is None:
        return None
    return MEETS.get(name)
