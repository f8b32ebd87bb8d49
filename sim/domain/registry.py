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

from sim.domain import conditions as q
from sim.domain import entry_checks as c
from sim.domain import jurisdiction as j
from sim.domain.conditions import Condition
from sim.domain.ladder import other
from sim.domain.periods import (
    PERIODS,
    Opening,
    Period,
    closed_by_filing,
    comity_motion_open,
    every_period,
    loser,
    loser_of_motion,
)
from sim.domain.rules import RULES

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
    requires: tuple[Condition, ...] = ()  # its own conditions of legal order (`sim.domain.conditions`)
    opens: tuple[Opening, ...] = ()
    meets: str | None = None
    meets_if: Callable[[dict[str, Any]], bool] | None = None  # it meets `meets` only when this holds of its fields
    named: bool = False  # the recorder names the period it meets (none unless named: a brief, in opposition)
    period: Period | None = None  # the period it meets, declared here (one not among `periods.PERIODS`)
    filed_by: str | None = None
    follows: Follow | None = None
    stages: tuple[Stage, ...] = ()
    checks: tuple[c.Check, ...] = ()  # its own checks (`sim.domain.entry_checks`), after the common ones
    numbers: str | None = None  # the lane whose docket it numbers by its own date (a petition, by its Term)
    amicus: bool = False  # filed by an amicus curiae or the foreign government, and only by them
    closes: Callable[[Any], tuple[str, ...] | None] | None = None  # the periods it closes (None: all open)
    disposes: tuple[str, ...] = ()  # the kinds of pending motion it rules on
    after_disposition: bool = False  # it may follow a final disposition (production: sources §10.4)
    calendar: str | None = None  # its part in the calendar checks (`sim.domain.calendar_checks`): "grant",
    # "argument", "brief" (a principal brief), "amicus", "end" (cites the step that ended the matter); and in
    # the Supreme Court's statistics (`sim.runs.calibration`): "petition" (for certiorari), "decision" (merits)
    outcome: Callable[[Any], str | None] | None = None  # how it came out, as a value (`projections.outcome_of`)
    row: str | None = None  # its part in a matter's outcome row (`projections.outcome_row`, its first of each):
    # "disclosure", "end" (the final disposition), "contempt", "mootness"


def _provider(e: Any, s: Any) -> str:
    return "provider"


def _government(e: Any, s: Any) -> str:
    return "government"


def _rehearing_petition_closes(event: Any) -> tuple[str, ...]:
    """A timely petition for rehearing closes the time for certiorari too: it runs again from the
    denial (Sup. Ct. R. 13.3)."""
    met = closed_by_filing(event)
    return (*met, "cert_petition") if met and event.timely else met


def _disposition(event: Any) -> str:
    return event.disposition


def _granted(event: Any) -> str:
    return "granted" if event.granted else "denied"


def _rehearing_outcome(event: Any) -> str:
    return "denied as untimely" if event.untimely else _granted(event)


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
    "MotionFiled": Kind(requires=(q.motion,), stages=(CHALLENGE,), checks=(c.motion_party,)),
    "MotionRuled": Kind(disposes=("vacate", "compel", j.STAY_MOTION), opens=(Opening("objection", loser_of_motion,
                                       applies=lambda e, s: e.court_level == "magistrate"),), follows=j.stay,
                         stages=(CHALLENGE_RULED,), checks=(c.in_district_court,), outcome=_disposition),
    "BriefFiled": Kind(meets="brief_in_opposition", meets_if=lambda f: f["period"] is not None, named=True,
                       requires=(q.court_has_case(),), calendar="brief"),
    "HearingHeld": Kind(requires=(q.court_has_case(heard=True),), checks=(c.argument, c.in_district_court),
                        calendar="argument"),
    "ExtensionApplied": Kind(checks=(c.application,)),
    "TimeExtended": Kind(requires=(q.state(lambda m, f: f["extends"] in m.applications,
                                           "ExtensionApplied (an application to extend {extends}, still pending)"),),
                         follows=j.extended, checks=(c.extension,)),
    # Review of the magistrate judge, stays, contempt
    "ComityMotionFiled": Kind(after=("WarrantServed",), meets="comity_motion", filed_by="provider",
                               meets_if=lambda f: f["qualifying_foreign_government"],
                               requires=(q.state(lambda m, f: not f["qualifying_foreign_government"]
                                                 or "18 U.S.C. 2703(h)" in m.statutes_in_force,
                                                 "LegislationEnacted (18 U.S.C. 2703(h) in force)"),),
                               stages=(CHALLENGE,), checks=(c.agreement,)),
    "ComityMotionRuled": Kind(disposes=("comity",), opens=(Opening("objection", loser_of_motion),),
                              outcome=_disposition,
                              stages=(CHALLENGE_RULED,),
                               checks=(c.consequence("comity_motion",
                                                     lambda f: f["disposition"] == "denied as untimely"),)),
    "ObjectionFiled": Kind(after=("MotionRuled", "ComityMotionRuled"), meets="objection",
                           stages=(Stage("reaches", "district"),)),
    "ObjectionRuled": Kind(outcome=_disposition, after=("ObjectionFiled",), stages=_ends("district"),
                           checks=(c.consequence("objection", lambda f: f["disposition"] == "overruled as untimely"),
                                   c.in_district_court),
                           opens=(Opening("notice_of_appeal", _government, applies=lambda e, s: e.final_order),)),
    "StayGranted": Kind(),
    "StayLifted": Kind(disposes=("lift_stay",), requires=(q.STAYED,)),
    "ContemptHeld": Kind(row="contempt", requires=(q.contempt_moved,), opens=(Opening("notice_of_appeal", _provider),),
                         follows=j.contempt,
                         checks=(c.contempt, c.in_district_court)),
    "ContemptPurged": Kind(requires=(q.sanction_running,), follows=j.purged, checks=(c.in_district_court,)),
    # Court of appeals
    "NoticeOfAppealFiled": Kind(requires=(q.state(lambda m, f: m.appealable_order is not None,
                                                  "ContemptHeld or a final ObjectionRuled (an appealable order)"),),
                                meets="notice_of_appeal", follows=j.notice, stages=_starts("circuit")),
    "AppealDismissed": Kind(after=("NoticeOfAppealFiled",), follows=j.dismissed, stages=_ends("circuit"),
                            checks=(c.appeal_dismissed,)),
    "PanelDecided": Kind(outcome=_disposition, after=("NoticeOfAppealFiled",), opens=(Opening("rehearing", loser),
                                                                Opening("cert_petition", loser)),
                         follows=j.panel, stages=(*_ends("circuit"), Stage("restarts", "rehearing")),
                         checks=(c.panel,)),
    "RehearingPetitioned": Kind(after=("PanelDecided",), meets="rehearing", stages=(Stage("reaches", "rehearing"),),
                                closes=_rehearing_petition_closes),
    "RehearingDecided": Kind(after=("RehearingPetitioned",), follows=j.rehearing, stages=_ends("rehearing"),
                             outcome=_rehearing_outcome,
                             checks=(c.consequence("rehearing", lambda f: bool(f["untimely"])),),
                             opens=(Opening("cert_petition", lambda e, s: s.rehearing_petitioner,
                                            applies=lambda e, s: not e.granted and not e.untimely),)),
    "EnBancDecided": Kind(outcome=_disposition, after=("RehearingDecided",),
                          requires=(q.state(lambda m, f: m.en_banc_granted,
                                            "RehearingDecided (rehearing en banc granted)"),),
                          opens=(Opening("cert_petition", loser),), follows=j.en_banc),
    "MandateIssued": Kind(requires=(q.mandate_owed,), follows=j.mandate, checks=(c.mandate,)),
    # Supreme Court
    "CertPetitioned": Kind(after=("PanelDecided",), meets="cert_petition", stages=_starts("certiorari"),
                           calendar="petition",
                           numbers="supreme", follows=j.stay_continues,
                           opens=(Opening("brief_in_opposition", lambda e, s: other(e.party)),)),
    "PetitionReturned": Kind(after=("PanelDecided",), follows=j.stay_ends),
    "PetitionDistributed": Kind(after=("CertPetitioned",), checks=(c.distribution,),
                                closes=lambda e: ("brief_in_opposition",)),
    "CertDecided": Kind(outcome=_granted, after=("PetitionDistributed",), follows=j.stay_ends,
                        stages=(*_ends("certiorari"), Stage("restarts", "merits", lambda e: e.granted)),
                        checks=(c.conference,), calendar="grant"),
    "SupremeCourtDecided": Kind(requires=(q.state(lambda m, f: m.cert_granted, "CertDecided (certiorari granted)"),),
                                calendar="decision", outcome=_disposition,
                                follows=j.supreme, stages=_ends("merits"), checks=(c.decision, c.against_below)),
    "JudgmentIssued": Kind(requires=(q.judgment_owed,), follows=j.judgment, checks=(c.judgment_issued,)),
    "OrderOnRemand": Kind(requires=(q.remand_owed,), follows=j.on_remand),
    # Legislation and mootness
    "LegislationEnacted": Kind(),
    "DismissedAsMoot": Kind(disposes=q.MOOTNESS_MOTIONS, follows=j.moot, stages=(Stage("ends_pending"),),
                            outcome=lambda e: e.vacatur, row="mootness",
                            checks=(c.decision, c.moot),
                            closes=every_period),
    # Mutual legal assistance
    "MLATRequestSent": Kind(stages=_starts("mlat")),
    "MLATRequestExecuted": Kind(after=("MLATRequestSent",), stages=_ends("mlat")),
    "MLATRequestRefused": Kind(after=("MLATRequestSent",), stages=_ends("mlat")),
    "MLATRequestWithdrawn": Kind(after=("MLATRequestSent",)),
    # Amici, orders not to notify
    "AmicusBriefFiled": Kind(amicus=True, requires=(q.court_has_case(),), checks=(c.amicus,), calendar="amicus"),
    "NondisclosureSought": Kind(after=("WarrantApplied",), filed_by="government"),
    "NondisclosureOrdered": Kind(after=("NondisclosureSought",), requires=(q.order_not_to_notify,),
                                 checks=(c.nondisclosure_ordered,)),
    "NondisclosureChallenged": Kind(after=("NondisclosureOrdered",), filed_by="provider",
                                     requires=(q.order_in_force, q.no_challenge_pending),
                                     checks=(c.nondisclosure_challenged,)),
    "NondisclosureRuled": Kind(after=("NondisclosureChallenged",), requires=(q.challenge_pending,)),
    "NondisclosureLapsed": Kind(after=("NondisclosureOrdered",), requires=(q.order_in_force,),
                                checks=(c.nondisclosure_lapsed,)),
    # Outcome
    "DataDisclosed": Kind(row="disclosure", requires=(q.disclosure,), after_disposition=True),
    "FinalDisposition": Kind(row="end", stages=_ends("total"), checks=(c.final,), closes=every_period, calendar="end",
                             outcome=_disposition),
}

def declare_periods(kinds: dict[str, Kind]) -> None:
    """Periods declared with the filing that meets them (`Kind.period`) join the periods table, and their
    rules the rules table (what is declared there already is kept)."""
    for kind in kinds.values():
        if kind.period is not None:
            PERIODS.setdefault(kind.period.key, kind.period)
            RULES.update({key: rule for key, rule in kind.period.cites.items() if key not in RULES})


declare_periods(KINDS)


# Derived tables --------------------------------------------------------------------------------
PREREQUISITES: dict[str, tuple[str, ...]] = {name: k.after for name, k in KINDS.items() if k.after}
OPENS: dict[str, tuple[Opening, ...]] = {name: k.opens for name, k in KINDS.items() if k.opens}
MEETS: dict[str, str] = {name: k.meets or k.period.key for name, k in KINDS.items()  # type: ignore[union-attr]
                         if k.meets or k.period}
FILED_BY: dict[str, str] = {name: k.filed_by for name, k in KINDS.items() if k.filed_by}
FOLLOWS: dict[str, Follow] = {name: k.follows for name, k in KINDS.items() if k.follows}
CHECKS: dict[str, tuple[c.Check, ...]] = {name: k.checks for name, k in KINDS.items() if k.checks}
STAGE_STEPS: dict[str, tuple[Stage, ...]] = {name: k.stages for name, k in KINDS.items() if k.stages}
RULINGS: dict[str, tuple[str, ...]] = {name: k.disposes for name, k in KINDS.items() if k.disposes}
AFTER_DISPOSITION: tuple[str, ...] = tuple(name for name, k in KINDS.items() if k.after_disposition)
CALENDAR_ROLES: dict[str, str] = {name: k.calendar for name, k in KINDS.items() if k.calendar}
OUTCOMES: dict[str, Callable[[Any], str | None]] = {name: k.outcome for name, k in KINDS.items() if k.outcome}
# The period a filing meets when its recorder names none (a kind with `named` meets one only when named).
ROW_PARTS: dict[str, str] = {name: k.row for name, k in KINDS.items() if k.row}
UNNAMED_PERIOD: dict[str, str] = {name: met for name, met in MEETS.items() if not KINDS[name].named}


def _legal_order(kind: Kind) -> tuple[Condition, ...]:
    """What must be on record, then the motion it rules on, then its own conditions: once per kind."""
    on_record = (q.on_record(*kind.after),) if kind.after else ()
    ruling = (q.ruling(kind.disposes, q.FILED_AS.get(kind.disposes[0], "")),) if kind.disposes else ()
    return (*on_record, *ruling, *kind.requires)


# Each kind's conditions of legal order, in the order they are asked (`sim.domain.procedure.requirement`).
LEGAL_ORDER: dict[str, tuple[Condition, ...]] = {name: _legal_order(k) for name, k in KINDS.items()}


def closes(name: str, event: Any) -> tuple[str, ...] | None:
    """The periods an entry of kind `name` closes as it is recorded (None: every one still open): what
    its kind declares, else for a filing the period it meets."""
    declared = KINDS[name].closes
    return (declared or closed_by_filing)(event)


def period_met(name: str, fields: dict[str, Any]) -> str | None:
    """The period a filing of kind `name` must meet (None when its kind's `meets_if` does not hold: a
    common-law comity motion meets none, a brief only as a brief in opposition)."""
    kind = KINDS[name]
    if kind.meets_if is not None and not kind.meets_if(fields):
        return None
    return MEETS.get(name)
