"""The review of a challenge to the warrant, up the ladder: magistrate judge, district judge (Fed. R.
Crim. P. 59(a)), court of appeals (panel, rehearing en banc), Supreme Court (certiorari, argument,
decision).

At each level the losing side decides whether to seek review (its own stream), files within its
period (`sim.engine.filings`), and each court decides by the doctrine it applies: the location rule
(content stored abroad is out of a 2703 warrant's reach) or the control rule (what the provider
controls must be produced wherever stored). Once 18 U.S.C. 2713 is in force the statute settles it.
If a new warrant moots the dispute, the process is interrupted and `sim.engine.mootness` disposes of
the matter where it is pending.
"""

from __future__ import annotations

import datetime as dt

import simpy

from sim.distributions import Probability
from sim.domain.jurisdiction import STAY_MOTION
from sim.domain.ladder import LADDER, SOLICITOR_GENERAL, in_supreme_court, other
from sim.domain.matter import Matter
from sim.domain.rules import RULES, in_force
from sim.engine import amici, mandates, merits, mootness
from sim.engine.courts import SupremeCourt
from sim.engine.filings import meet
from sim.engine.proceeding import Proceeding, Wait

# How a court at a level puts a doctrine, where the record gives its words (sources §1, §9.7).
WORDS = {
    ("magistrate", "control"): "the warrant is 'a hybrid: part search warrant and part subpoena', served on the "
                               "provider with no officer present (18 U.S.C. 2703(g)), so it compels disclosure of "
                               "what the provider controls, wherever it is stored (control rule)",
    ("circuit", "location"): "18 U.S.C. 2703 'does not authorize courts to issue and enforce against U.S.-based "
                             "service providers warrants for the seizure of customer e-mail content that is stored "
                             "exclusively on foreign servers' (location rule)",
}
REASONS = {
    "location": "a warrant under 18 U.S.C. 2703 does not reach content stored exclusively abroad (location rule)",
    "control": "the warrant compels disclosure of what the provider controls, wherever it is stored (control rule)",
    "statute": "18 U.S.C. 2713 requires disclosure of what the provider controls regardless of where it is stored",
}


def decide(p: Proceeding, court: str, doctrine: Probability) -> tuple[str, str]:
    """The prevailing side and the doctrine applied. The draw is always made, so streams stay paired
    across regimes."""
    location = p.occurs(court, doctrine)
    if p.law_in_force("18 U.S.C. 2713") and not warrant_before_the_act(p):
        return "government", "statute"
    return ("provider", "location") if location else ("government", "control")


def warrant_before_the_act(p: Proceeding) -> bool:
    """True if the warrant in dispute was served before 18 U.S.C. 2713 was enacted: the courts judge it by
    2703 as it stood, and the government's way to the statute is a new warrant, as in the record (§1,
    §10.4; inferred: the sources give no court applying 2713 to an earlier warrant)."""
    enacted, served = p.scenario.cloud_act.enacted, p.matter.served_on
    return isinstance(enacted, dt.date) and served is not None and served < enacted.isoformat()


def authority(rule_key: str, doctrine: str, date: str = "") -> str | None:
    """The rule a ruling rests on: under 18 U.S.C. 2713 the statute is cited with the rule of the court
    (in its text in force on `date`)."""
    if doctrine != "statute":
        return None
    rule = RULES[in_force(rule_key, "", date)]
    return f"{rule.citation}; 18 U.S.C. 2713: {rule.summary}"


def reason(p: Proceeding, level: str, doctrine: str) -> str:
    """Why the court at `level` decided as it did under `doctrine`; under 2713, what became of comity: weighed
    on the provider's motion, or, where the data's country is a qualifying foreign government, never raised by
    the one motion that could raise it (18 U.S.C. 2703(h)(2): the sole basis for a conflict-of-law challenge,
    sources §3, §8.1)."""
    said = WORDS.get((level, doctrine), REASONS[doctrine])
    if doctrine != "statute":
        return said
    if "ComityMotionFiled" in p.matter.seen:
        return f"{said}, and comity does not outweigh it"
    if p.matter.comity_by_statute_only:
        return f"{said}; no motion to quash or modify under 18 U.S.C. 2703(h)(2) was filed within 14 days of service"
    return said


def filer(p: Proceeding, side: str, level: str) -> str:
    """A party as the docket text names the one filing: the Solicitor General for the United States
    in the Supreme Court (28 U.S.C. 518(a))."""
    name = p.name(side)
    return f"the {SOLICITOR_GENERAL} for {name}" if side == "government" and in_supreme_court(level) else name


def signed(side: str) -> str:
    """Who signs a brief of the United States in the Supreme Court (28 U.S.C. 518(a))."""
    return f", by the {SOLICITOR_GENERAL}" if side == "government" else ""


def litigate(p: Proceeding) -> Wait:
    """A challenge to the warrant from the magistrate judge up; returns (prevailing side, level), or
    ("mooted", level) when a new warrant under the amended statute moots it."""
    try:
        return (yield from _review(p))
    except simpy.Interrupt:
        level = p.pending_level or "magistrate"
        yield from mootness.dismiss(p)
        return "mooted", level


def _review(p: Proceeding) -> Wait:
    """Up `LADDER`: from the magistrate judge's ruling, each level a losing party may take the matter to
    (`Level.sought_by`), in turn. The loser's choice is drawn at each rung the matter reached, even when
    the level below closed the way up (a waived objection, a dismissed appeal), so streams stay paired."""
    winner, level, open_above = (yield from _magistrate(p)), "magistrate", True
    for above in (rung for rung in LADDER if rung.sought_by):
        loser = other(winner)
        seeks = p.occurs(loser, getattr(p.litigant(loser), above.sought_by or ""))
        if not (open_above and seeks):
            if level in ("circuit", "en_banc"):
                mandates.descend(p, mandates.mandate(p))
            return winner, level
        winner, level, open_above = yield from UP[above.key](p, loser, winner, level)
    return winner, level


def _to_district(p: Proceeding, loser: str, winner: str, level: str) -> Wait:
    """Fed. R. Crim. P. 59(a): a late objection waives review above."""
    winner, waived = yield from _district(p, loser, winner)
    return winner, "district", not waived


def _to_circuit(p: Proceeding, loser: str, winner: str, level: str) -> Wait:
    """The provider reaches an appealable order through contempt; a dismissed appeal goes no further."""
    if loser == "provider":
        yield from _contempt(p)
    winner, level = yield from _appeal(p, loser, winner)
    return winner, level, level != "district"


def _to_supreme(p: Proceeding, loser: str, winner: str, level: str) -> Wait:
    """The mandate stayed pending the petition (FRAP 41(d)); on denial, or a petition returned, it issues."""
    yield from _stay_mandate(p, loser)
    mandates.descend(p, mandates.stay_timer(p))  # the mandate issues if the stay runs out (FRAP 41(d)(2))
    winner, level = yield from _certiorari(p, loser, winner, level)
    if level != "supreme":  # certiorari denied, or the petition returned: the mandate issues (FRAP 41(d)(4))
        mandates.descend(p, mandates.mandate(p))
    return winner, level, False


def _stay_mandate(p: Proceeding, petitioner: str) -> Wait:
    """FRAP 41(d): the party that will petition for certiorari moves to stay the mandate; the court
    of appeals stays it pending the petition (the per curiam of 2018 could still vacate the contempt
    finding, so the mandate had not been carried out: sources §9.6, §9.8)."""
    court = p.courts["circuit"]
    p.record(Matter.MotionFiled, "mandate_stay_motion", "circuit",
             f"MOTION to stay the mandate pending a petition for a writ of certiorari, filed by {p.name(petitioner)}.",
             party=petitioner, motion_id="stay_mandate-1", kind=STAY_MOTION)
    yield from p.until("mandate_stay", lambda: court.sitting(p.after(1)))
    p.record(Matter.MotionRuled, "mandate_stay", "circuit",
             "ORDER GRANTING the motion: the mandate is STAYED pending the petition for a writ of certiorari.",
             motion_id="stay_mandate-1", disposition="granted")


def _magistrate(p: Proceeding) -> Wait:
    """The first challenge: the provider's motion (to vacate before 2713; a comity challenge after,
    unless the data's country was a qualifying foreign government when the warrant was served, when
    the 2703(h)(2) motion was the sole basis for one), or the government's motion to compel; the
    magistrate judge's ruling."""
    s, provider = p.scenario, p.name("provider")
    court = p.courts["magistrate"]
    challenges = p.occurs("provider", s.provider.challenges)
    if challenges and not p.matter.comity_by_statute_only:
        yield from p.wait("motion_to_vacate", "provider", s.provider.motion_after)
        if p.law_in_force("18 U.S.C. 2713"):
            kind, mover = "comity", "provider"
            p.record(Matter.ComityMotionFiled, "comity_challenge", "magistrate",
                     f"MOTION to quash the warrant on grounds of international comity, filed by {provider}: "
                     f"disclosure would conflict with the laws of {p.matter.parties['foreign_state_called']}, which "
                     "is not a qualifying foreign government (a common-law challenge, preserved by the CLOUD Act's "
                     "rule of construction, Pub. L. 115-141, div. V, § 103(c)).",
                     party="provider", period=None, motion_id="comity-1", qualifying_foreign_government=False)
        else:
            kind, mover = "vacate", "provider"
            p.record(Matter.MotionFiled, "motion_to_vacate", "magistrate",
                     f"MOTION to vacate the warrant in part, as to e-mail content stored in {s.data.place_in_text}, "
                     f"filed by {provider}.", party="provider", motion_id="vacate-1", kind="vacate")
    else:
        yield from p.wait("motion_to_compel", "government", s.government.compel_after)
        kind, mover = "compel", "government"
        p.record(Matter.MotionFiled, "motion_to_compel", "magistrate",
                 "MOTION to compel production of the content under the warrant, filed by "
                 f"{p.name('government')}.", party="government", motion_id="compel-1", kind="compel")
    yield from p.wait("magistrate_ruling", court.actor, s.magistrate.ruling_after, court)
    winner, doctrine = decide(p, court.actor, s.magistrate.doctrine)
    granted = winner == mover
    if kind == "comity":
        p.record(Matter.ComityMotionRuled, "magistrate_ruling", "magistrate",
                 f"MEMORANDUM AND ORDER {'QUASHING the warrant' if granted else 'DENYING the motion to quash'}: "
                 f"{reason(p, 'magistrate', doctrine)}.", rule_key="common_law_comity_ruling", motion_id="comity-1",
                 disposition="quashed" if granted else "denied")
    else:
        p.record(Matter.MotionRuled, "magistrate_ruling", "magistrate",
                 f"MEMORANDUM AND ORDER {'GRANTING' if granted else 'DENYING'} the motion to {kind}: "
                 f"{reason(p, 'magistrate', doctrine)}.", rule=authority("magistrate_ruling", doctrine),
                 motion_id=f"{kind}-1",
                 disposition="granted" if granted else "denied")
    return winner


def _district(p: Proceeding, objector: str, respondent: str) -> Wait:
    """Objection under Fed. R. Crim. P. 59(a), the response, a hearing and the district judge's ruling;
    returns (prevailing side, whether review was waived by a late objection)."""
    s, court = p.scenario, p.courts["district"]
    timely = yield from meet(p, "objection", objector, "objection", p.litigant(objector).objection_after)
    due = p.matter.due("objection")
    p.record(Matter.ObjectionFiled, "objection", "district",
             f"OBJECTION to the magistrate judge's order, filed by {p.name(objector)}.", party=objector)
    if not timely:
        yield from p.wait("district_ruling", court.actor, s.district_court.ruling_after, court)
        p.record(Matter.ObjectionRuled, "district_ruling", "district",
                 f"ORDER OVERRULING the objection as untimely: it was filed after the time allowed by Fed. R. Crim. "
                 f"P. 59(a) ({due}), and failure to object in time waives review; "
                 "the magistrate judge's order stands.", rule_key="objection_untimely",
                 disposition="overruled as untimely", final_order=False, prevailing=respondent)
        return respondent, True
    yield from p.wait("objection_response", respondent, p.litigant(respondent).objection_response_after)
    p.record(Matter.BriefFiled, "objection_response", "district",
             f"MEMORANDUM in support of the magistrate judge's order, filed by {p.name(respondent)}.",
             party=respondent, kind="response to objection")
    yield from p.wait("district_hearing", court.actor, s.district_court.hearing_after, court)
    p.record(Matter.HearingHeld, "district_hearing", "district",
             "HEARING on the objection to the magistrate judge's order.", kind="hearing on the objection")
    yield from p.wait("district_ruling", court.actor, s.district_court.ruling_after, court)
    winner, doctrine = decide(p, court.actor, s.district_court.doctrine)
    disposition = "affirmed" if winner == respondent else "set aside"
    final = winner == "provider"
    p.record(Matter.ObjectionRuled, "district_ruling", "district",
             f"ORDER: the magistrate judge's order is {disposition.upper()}; {reason(p, 'district', doctrine)}."
             + (" The warrant is vacated as to content stored abroad: a final order." if final else ""),
             rule=authority("objection_ruling", doctrine), disposition=disposition, final_order=final,
             prevailing=winner)
    return winner, False


def _contempt(p: Proceeding) -> Wait:
    """The provider's road to an appealable order: optionally a stay pending appeal that the
    government has lifted, then civil contempt on the parties' stipulation."""
    s, court = p.scenario, p.courts["district"]
    if p.occurs("provider", s.provider.seeks_stay_pending_appeal):
        yield from p.wait("stay_pending_appeal", court.actor, s.district_court.stay_after, court)
        p.record(Matter.StayGranted, "stay_pending_appeal", "district",
                 f"ORDER granting {p.name('provider')}'s unopposed application for a stay pending appeal.")
        yield from p.wait("motion_to_lift_stay", "government", s.government.lift_stay_after)
        p.record(Matter.MotionFiled, "motion_to_lift_stay", "district",
                 f"LETTER MOTION to lift the stay, filed by {p.name('government')}: the order is not a final, "
                 "appealable order.",
                 party="government", motion_id="lift_stay-1", kind="lift_stay")
        yield from p.wait("stay_lifted", court.actor, s.district_court.lift_stay_ruling_after, court)
        p.record(Matter.StayLifted, "stay_lifted", "district", "ORDER granting the motion: the stay is lifted.",
                 motion_id="lift_stay-1")
    yield from p.wait("contempt_motion", court.actor, s.district_court.contempt_after, court)
    p.record(Matter.MotionFiled, "contempt_motion", "district",
             f"STIPULATION of the parties and proposed order: {p.name('provider')} to be held in civil contempt for "
             "declining to produce the content, so that the order may be appealed.", party="government",
             motion_id="contempt-1", kind="contempt")
    yield from p.until("contempt", lambda: p.day)
    p.record(Matter.ContemptHeld, "contempt", "district",
             f"ORDER holding {p.name('provider')} in civil contempt on the parties' stipulation for declining to "
             "produce the content; no sanctions while the appeal proceeds. The order is final and appealable.",
             sanctions="none while the appeal proceeds")


def _appeal(p: Proceeding, appellant: str, appellee: str) -> Wait:
    """Notice of appeal, briefs, argument, panel decision, and rehearing en banc; returns (prevailing
    side, level), the level "district" when an untimely appeal is dismissed."""
    coa, court = p.scenario.court_of_appeals, p.courts["circuit"]
    authorized = " (appeal authorized by the Solicitor General, 28 C.F.R. 0.20(b))" if appellant == "government" else ""
    timely = yield from meet(p, "notice_of_appeal", appellant, "notice_of_appeal", p.litigant(appellant).appeal_after)
    due = p.matter.due("notice_of_appeal")
    p.record(Matter.NoticeOfAppealFiled, "notice_of_appeal", "circuit",
             f"NOTICE OF APPEAL, filed by {p.name(appellant)}{authorized}.",
             rule_key="notice_of_appeal_us" if p.matter.united_states_party else "notice_of_appeal", party=appellant)
    if not timely:
        yield from p.wait("appeal_dismissed", court.actor, coa.dismissal_after, court)
        p.record(Matter.AppealDismissed, "appeal_dismissed", "circuit",
                 "ORDER DISMISSING the appeal: the notice of appeal was filed after the time allowed by FRAP 4(a)(1) "
                 f"({due}) and the time was not extended under "
                 "FRAP 4(a)(5).")
        return appellee, "district"
    for step, side, label in (("appellant_brief", appellant, "appellant"), ("appellee_brief", appellee, "appellee")):
        yield from p.wait(step, side, p.litigant(side).brief_after)
        p.record(Matter.BriefFiled, step, "circuit", f"BRIEF for {label} {p.matter.parties[side]}, FILED.", party=side,
                 kind=f"brief for {label}")
        amici.file(p, "circuit", appellant) if side == appellant else None
        amici.principal_brief(p, "circuit", side)
    yield from p.wait("circuit_argument", court.actor, coa.argument_after, court)
    p.record(Matter.HearingHeld, "circuit_argument", "circuit",
             f"ORAL ARGUMENT heard before {p.matter.judge('circuit', p.today)}.", kind="oral argument")
    yield from p.wait("panel_decision", court.actor, coa.decision_after, court)
    winner, doctrine = decide(p, court.actor, coa.doctrine)
    disposition = "affirmed" if winner == appellee else "reversed"
    words = "REVERSED, VACATED and REMANDED" if disposition == "reversed" and "ContemptHeld" in p.matter.seen \
        else disposition.upper()
    p.record(Matter.PanelDecided, "panel_decision", "circuit", f"OPINION and JUDGMENT: {words}; "
             f"{reason(p, 'circuit', doctrine)}.", rule=authority("panel_decision", doctrine), disposition=disposition,
             doctrine=doctrine, prevailing=winner)
    level, loser = "circuit", other(winner)
    if not p.occurs(loser, p.litigant(loser).petitions_rehearing):
        return winner, level
    rule_key = "rehearing_us" if p.matter.united_states_party else "rehearing"
    authorized = " (authorized by the Solicitor General, 28 C.F.R. 0.20(b))" if loser == "government" else ""
    timely = yield from meet(p, "rehearing", loser, "rehearing_petition", p.litigant(loser).rehearing_after)
    p.record(Matter.RehearingPetitioned, "rehearing_petition", "circuit",
             f"PETITION for panel rehearing or rehearing en banc, filed by {p.name(loser)}{authorized}.",
             rule_key=rule_key, party=loser)
    yield from p.wait("rehearing_decision", court.actor, coa.en_banc_ruling_after, court)
    granted = p.occurs(court.actor, coa.en_banc_grant)
    if not timely:
        p.record(Matter.RehearingDecided, "rehearing_decision", "circuit",
                 "ORDER DENYING the petition for rehearing as untimely under FRAP 40(a)(1); the time to petition "
                 "for certiorari runs from the judgment (Sup. Ct. R. 13.3).", rule_key="rehearing_untimely",
                 actor="Court of Appeals", granted=False, untimely=True)
        return winner, level
    p.record(Matter.RehearingDecided, "rehearing_decision", "en_banc" if granted else "circuit",
             f"ORDER {'GRANTING' if granted else 'DENYING'} rehearing en banc.", actor="Court of Appeals, en banc",
             granted=granted, untimely=False)
    if granted:
        yield from p.wait("en_banc_decision", court.actor, coa.en_banc_decision_after, court)
        previous = winner
        winner, doctrine = decide(p, court.actor, coa.doctrine)
        disposition = "panel decision adhered to" if winner == previous else "panel decision vacated"
        p.record(Matter.EnBancDecided, "en_banc_decision", "en_banc",
                 f"EN BANC OPINION: {disposition}; {reason(p, 'en_banc', doctrine)}.",
                 rule=authority("en_banc_vote", doctrine, p.today),
                 disposition=disposition, doctrine=doctrine,
                 prevailing=winner)
        level = "en_banc"
    return winner, level


def _certiorari(p: Proceeding, petitioner: str, respondent: str, level: str) -> Wait:
    """Petition (Sup. Ct. R. 13), brief in opposition (15.3), distribution (15.5), the conference's
    decision, argument in a sitting and decision within the Term."""
    sc, court = p.scenario.supreme_court, p.courts["supreme"]
    assert isinstance(court, SupremeCourt)
    timely = yield from meet(p, "cert_petition", petitioner, "cert_petition", p.litigant(petitioner).cert_after)
    if not timely:
        p.record(Matter.PetitionReturned, "petition_returned", "out_of_court",
                 f"Petition for a writ of certiorari of {p.name(petitioner)} received out of time and returned "
                 f"unfiled by the Clerk: the time expired on {p.matter.due('cert_petition')}. The "
                 "judgment below stands.", petitioner=petitioner)
        return respondent, level
    p.record(Matter.CertPetitioned, "cert_petition", "supreme",
             f"PETITION for a writ of certiorari filed by {filer(p, petitioner, 'supreme')}.", party=petitioner)
    opposed = yield from meet(p, "brief_in_opposition", respondent, "brief_in_opposition",
                              p.litigant(respondent).opposition_after, lapse=True)
    if opposed:
        p.record(Matter.BriefFiled, "brief_in_opposition", "supreme",
                 f"BRIEF of respondent {p.name(respondent)} in opposition{signed(respondent)} filed.", party=respondent,
                 kind="brief in opposition", period="brief_in_opposition")
        earliest = p.after(14)
        note = ""
    else:
        earliest = p.day
        note = (" No brief in opposition was filed; the time to file one expired on "
                f"{p.matter.due('brief_in_opposition')} (Sup. Ct. R. 15.5).")
    yield from p.until("distribution", lambda: court.sitting(earliest))
    p.record(Matter.PetitionDistributed, "distribution", "supreme", f"DISTRIBUTED for Conference.{note}",
             actor="The Clerk")
    distributed = p.day
    yield from p.until("cert_decision", lambda: court.conference(
        distributed + dt.timedelta(days=p.draw(court.actor, sc.cert_decision_after))))
    granted = p.occurs(court.actor, getattr(sc.cert_grant, petitioner))
    bench = p.judges.get("supreme")
    full = bench is not None and bench.count >= bench.capacity  # a caseload: all the Court's places taken
    p.record(Matter.CertDecided, "cert_decision", "supreme",
             f"Petition {'GRANTED' if granted and not full else 'DENIED'}.", actor="The Court",
             granted=granted and not full)
    if not granted or full:
        return respondent, level
    if bench is None:  # one matter alone: the Court always has room for it
        winner = yield from _merits(p, petitioner, respondent)
    else:  # a caseload: the case holds one of the Court's places to its decision
        winner = yield from p.holding(bench, _merits(p, petitioner, respondent))
    mandates.descend(p, mandates.supreme_remand(p))
    return winner, "supreme"


def _merits(p: Proceeding, petitioner: str, respondent: str) -> Wait:
    """From the grant: briefing (Sup. Ct. R. 25) and argument in a sitting, then the decision within the
    Term; the side that prevailed."""
    sc, court = p.scenario.supreme_court, p.courts["supreme"]
    assert isinstance(court, SupremeCourt)
    grant = p.day
    yield from p.until("supreme_argument", merits.argument(p, petitioner, respondent, lambda: court.argument(
        grant, grant + dt.timedelta(days=p.draw(court.actor, sc.argument_after)))))
    p.record(Matter.HearingHeld, "supreme_argument", "supreme", "ARGUED.", actor="The Court", kind="oral argument")
    argued = p.day
    yield from p.until("supreme_decision", lambda: court.opinion(
        argued, argued + dt.timedelta(days=p.draw(court.actor, sc.decision_after))))
    winner, doctrine = decide(p, court.actor, sc.doctrine)
    disposition = "reversed" if winner == petitioner else "affirmed"
    p.record(Matter.SupremeCourtDecided, "supreme_decision", "supreme",
             f"Judgment {disposition.upper()}: {reason(p, 'supreme', doctrine)}.",
             rule=authority("supreme_decision", doctrine),
             actor="The Court", disposition=disposition,
             doctrine=doctrine, prevailing=winner)
    return winner


# How the matter goes up to each level a party may take it to (the engine walks `LADDER`).
UP = {"district": _to_district, "circuit": _to_circuit, "supreme": _to_supreme}
