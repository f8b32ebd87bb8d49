"""The courts: magistrate judge, district judge, court of appeals (panel and en banc), Supreme Court.

`litigate` plays a provider's challenge to a warrant up the ladder of review. At each level the
losing party decides whether to seek review (its own stream), and each court decides by the
doctrine it applies: the location rule (content stored abroad is out of the warrant's reach) or the
control rule (what the provider controls must be produced wherever stored). Once 18 U.S.C. 2713 is
in force the statute settles it: control. If the government moves to dismiss as moot, the process
is interrupted and the court where the matter is pending disposes of it.
"""

from __future__ import annotations

import simpy

from sim.distributions import Probability
from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait
from sim.scenario import Litigant


def other(side: str) -> str:
    return "provider" if side == "government" else "government"


def litigant(p: Proceeding, side: str) -> Litigant:
    return p.scenario.government if side == "government" else p.scenario.provider


def party(p: Proceeding, side: str) -> str:
    return p.scenario.parties.government if side == "government" else p.scenario.parties.provider


def decide(p: Proceeding, court: str, doctrine: Probability) -> tuple[str, str]:
    """The prevailing side and the doctrine applied: location favours the provider, control the
    government. The draw is always made, so streams stay paired across regimes."""
    location = p.occurs(court, doctrine) and not p.law_in_force("18 U.S.C. 2713")
    return ("provider", "location") if location else ("government", "control")


REASONS = {
    "location": "a warrant under 18 U.S.C. 2703 does not reach content stored exclusively abroad",
    "control": "the warrant compels disclosure of what the provider controls, wherever it is stored",
}


def litigate(p: Proceeding) -> Wait:
    """A challenge to the warrant from the magistrate judge up; returns (prevailing side, level),
    or ("mooted", level) when the government's motion to dismiss as moot interrupts it."""
    try:
        return (yield from _review(p))
    except simpy.Interrupt:
        level = p.pending_level
        yield from dismiss_as_moot(p)
        return "mooted", level


def _review(p: Proceeding) -> Wait:
    winner, motion_date = yield from _magistrate(p)
    loser = other(winner)
    if not p.occurs(loser, litigant(p, loser).objects):
        return winner, "magistrate"
    winner = yield from _district(p, loser, winner, motion_date)
    order_date = p.today
    loser = other(winner)
    if not p.occurs(loser, litigant(p, loser).appeals):
        return winner, "district"
    if loser == "provider":
        order_date = yield from _contempt(p)
    winner, judgment_date, level = yield from _appeal(p, loser, winner, order_date)
    loser = other(winner)
    if not p.occurs(loser, litigant(p, loser).petitions_cert):
        return winner, level
    return (yield from _certiorari(p, loser, winner, judgment_date, level))


def _magistrate(p: Proceeding) -> Wait:
    s = p.scenario
    if p.occurs("provider", s.provider.challenges):
        yield from p.wait("motion_to_vacate", "provider", s.provider.motion_after)
        step, kind, mover = "motion_to_vacate", "vacate", "provider"
        what = f"MOTION to vacate the warrant in part, as to e-mail content stored in {s.parties.data_location}"
    else:
        yield from p.wait("motion_to_compel", "government", s.government.compel_after)
        step, kind, mover = "motion_to_compel", "compel", "government"
        what = "MOTION to compel production of the content under the warrant"
    motion_id = f"{kind}-1"
    p.record(Matter.MotionFiled, step, "magistrate", party(p, mover), f"{what}, filed by {party(p, mover)}.",
             motion_id=motion_id, kind=kind, deadline=None, late=False)
    yield from p.wait("magistrate_ruling", "magistrate", s.magistrate.ruling_after)
    winner, doctrine = decide(p, "magistrate", s.magistrate.doctrine)
    granted = (winner == mover)
    verb = "GRANTING" if granted else "DENYING"
    p.record(Matter.MotionRuled, "magistrate_ruling", "magistrate", p.judge("magistrate"),
             f"MEMORANDUM AND ORDER {verb} the motion to {kind}: {REASONS[doctrine]} ({doctrine} rule).",
             motion_id=motion_id, disposition="granted" if granted else "denied")
    return winner, p.today


def _district(p: Proceeding, objector: str, respondent: str, ruling_date: str) -> Wait:
    """Objection under Fed. R. Crim. P. 59(a), the response, a hearing and the district judge's ruling."""
    s, below = p.scenario, respondent
    yield from p.wait("objection", objector, litigant(p, objector).objection_after)
    p.record(Matter.ObjectionFiled, "objection", "district", party(p, objector),
             f"OBJECTION to the magistrate judge's order, filed by {party(p, objector)}.", party=objector,
             **p.deadline("objection", ruling_date, extension_days=p.extension("objection")))
    yield from p.wait("objection_response", respondent, litigant(p, respondent).brief_after)
    p.record(Matter.BriefFiled, "objection_response", "district", party(p, respondent),
             f"MEMORANDUM in support of the magistrate judge's order, filed by {party(p, respondent)}.",
             party=respondent, kind="response to objection", deadline=None, late=False)
    yield from p.wait("district_hearing", "district_court", s.district_court.hearing_after)
    p.record(Matter.HearingHeld, "district_hearing", "district", p.judge("district"),
             "HEARING on the objection to the magistrate judge's order.", kind="hearing")
    yield from p.wait("district_ruling", "district_court", s.district_court.ruling_after)
    winner, doctrine = decide(p, "district_court", s.district_court.doctrine)
    disposition = "affirmed" if winner == below else "set aside"
    final = winner == "provider"
    p.record(Matter.ObjectionRuled, "district_ruling", "district", p.judge("district"),
             f"ORDER: the magistrate judge's order is {disposition.upper()}; {REASONS[doctrine]} ({doctrine} rule)."
             + (" The warrant is vacated as to content stored abroad: a final order." if final else ""),
             disposition=disposition, final_order=final)
    return winner


def _contempt(p: Proceeding) -> Wait:
    """The provider's road to an appealable order: optionally a stay pending appeal that the
    government has lifted, then civil contempt on the parties' stipulation."""
    s = p.scenario
    if p.occurs("provider", s.provider.seeks_stay_pending_appeal):
        yield from p.wait("stay_pending_appeal", "district_court", s.district_court.stay_after)
        p.record(Matter.StayGranted, "stay_pending_appeal", "district", p.judge("district"),
                 f"ORDER granting {s.parties.provider}'s unopposed application for a stay pending appeal.")
        yield from p.wait("motion_to_lift_stay", "government", s.government.lift_stay_after)
        p.record(Matter.MotionFiled, "motion_to_lift_stay", "district", s.parties.government,
                 "LETTER MOTION to lift the stay: the order is not a final, appealable order.",
                 motion_id="lift_stay-1", kind="lift_stay", deadline=None, late=False)
        yield from p.wait("stay_lifted", "district_court", s.district_court.lift_stay_ruling_after)
        p.record(Matter.StayLifted, "stay_lifted", "district", p.judge("district"),
                 "ORDER granting the motion: the stay is lifted.", motion_id="lift_stay-1")
    yield from p.wait("contempt", "district_court", s.district_court.contempt_after)
    p.record(Matter.ContemptHeld, "contempt", "district", p.judge("district"),
             f"ORDER holding {s.parties.provider} in civil contempt on the parties' stipulation; "
             "no sanctions while the appeal proceeds.", sanctions="none while the appeal proceeds")
    return p.today


def _appeal(p: Proceeding, appellant: str, appellee: str, order_date: str) -> Wait:
    """Notice of appeal, briefs, argument, panel decision, and rehearing en banc."""
    s, coa = p.scenario, p.scenario.court_of_appeals
    us = s.parties.united_states_party
    yield from p.wait("notice_of_appeal", appellant, litigant(p, appellant).appeal_after)
    p.record(Matter.NoticeOfAppealFiled, "notice_of_appeal", "circuit", party(p, appellant),
             f"NOTICE OF APPEAL, filed by {party(p, appellant)}.",
             rule_key="notice_of_appeal_us" if us else "notice_of_appeal", appellant=appellant,
             **p.deadline("notice_of_appeal", order_date, "notice_of_appeal_us" if us else "notice_of_appeal"))
    for step, side, label in (("appellant_brief", appellant, "BRIEF for appellant"),
                              ("appellee_brief", appellee, "BRIEF for appellee")):
        yield from p.wait(step, side, litigant(p, side).brief_after)
        p.record(Matter.BriefFiled, step, "circuit", party(p, side), f"{label} {party(p, side)}, FILED.",
                 party=side, kind=label.lower(), deadline=None, late=False)
    yield from p.wait("circuit_argument", "court_of_appeals", coa.argument_after)
    p.record(Matter.HearingHeld, "circuit_argument", "circuit", p.judge("circuit"),
             f"ORAL ARGUMENT heard before {p.judge('circuit')}.", kind="oral argument")
    yield from p.wait("panel_decision", "court_of_appeals", coa.decision_after)
    below = appellee
    winner, doctrine = decide(p, "court_of_appeals", coa.doctrine)
    disposition = "affirmed" if winner == below else "reversed"
    p.record(Matter.PanelDecided, "panel_decision", "circuit", p.judge("circuit"),
             f"OPINION and JUDGMENT: {disposition.upper()}; {REASONS[doctrine]} ({doctrine} rule).",
             disposition=disposition, doctrine=doctrine, prevailing=winner)
    judgment_date, level = p.today, "circuit"
    loser = other(winner)
    if p.occurs(loser, litigant(p, loser).petitions_rehearing):
        rule_key = "rehearing_us" if us else "rehearing"
        extension = p.extension("rehearing_petition")
        yield from p.wait("rehearing_petition", loser, litigant(p, loser).rehearing_after)
        p.record(Matter.RehearingPetitioned, "rehearing_petition", "circuit", party(p, loser),
                 f"PETITION for panel rehearing or rehearing en banc, filed by {party(p, loser)}.",
                 rule_key=rule_key, petitioner=loser, extension_days=extension,
                 **p.deadline("rehearing_petition", judgment_date, rule_key, extension))
        yield from p.wait("rehearing_decision", "court_of_appeals", coa.en_banc_ruling_after)
        granted = p.occurs("court_of_appeals", coa.en_banc_grant)
        p.record(Matter.RehearingDecided, "rehearing_decision", "en_banc" if granted else "circuit",
                 "Court of Appeals, en banc",
                 f"ORDER {'GRANTING' if granted else 'DENYING'} rehearing en banc.", granted=granted)
        judgment_date = p.today
        if granted:
            yield from p.wait("en_banc_decision", "court_of_appeals", coa.en_banc_decision_after)
            previous = winner
            winner, doctrine = decide(p, "court_of_appeals", coa.doctrine)
            disposition = "panel decision adhered to" if winner == previous else "panel decision vacated"
            p.record(Matter.EnBancDecided, "en_banc_decision", "en_banc", "Court of Appeals, en banc",
                     f"EN BANC OPINION: {disposition}; {REASONS[doctrine]} ({doctrine} rule).",
                     disposition=disposition, doctrine=doctrine, prevailing=winner)
            judgment_date, level = p.today, "en_banc"
    return winner, judgment_date, level


def _certiorari(p: Proceeding, petitioner: str, respondent: str, judgment_date: str, level: str) -> Wait:
    """Petition (Sup. Ct. R. 13), brief in opposition (15.3), the grant, argument and decision."""
    sc = p.scenario.supreme_court
    extension = p.extension("cert_petition",
                            60 if p.occurs(petitioner, litigant(p, petitioner).cert_extension) else 0)
    yield from p.wait("cert_petition", petitioner, litigant(p, petitioner).cert_after)
    extended = f"; time extended {extension} days under Sup. Ct. R. 13.5" if extension else ""
    p.record(Matter.CertPetitioned, "cert_petition", "supreme", party(p, petitioner),
             f"PETITION for a writ of certiorari filed by {party(p, petitioner)}{extended}.",
             petitioner=petitioner, extension_days=extension,
             **p.deadline("cert_petition", judgment_date, extension_days=extension))
    petition_date = p.today
    yield from p.wait("brief_in_opposition", respondent, litigant(p, respondent).brief_after)
    p.record(Matter.BriefFiled, "brief_in_opposition", "supreme", party(p, respondent),
             f"BRIEF of respondent {party(p, respondent)} in opposition filed.", party=respondent,
             kind="brief in opposition",
             **p.deadline("brief_in_opposition", petition_date,
                          extension_days=p.extension("brief_in_opposition")))
    yield from p.wait("cert_decision", "supreme_court", sc.cert_decision_after)
    granted = p.occurs("supreme_court", getattr(sc.cert_grant, petitioner))
    p.record(Matter.CertDecided, "cert_decision", "supreme", "The Court",
             f"Petition {'GRANTED' if granted else 'DENIED'}.", granted=granted)
    if not granted:
        return respondent, level
    yield from p.wait("supreme_argument", "supreme_court", sc.argument_after)
    p.record(Matter.HearingHeld, "supreme_argument", "supreme", "The Court", "ARGUED.", kind="oral argument")
    yield from p.wait("supreme_decision", "supreme_court", sc.decision_after)
    winner, doctrine = decide(p, "supreme_court", sc.doctrine)
    disposition = "reversed" if winner == petitioner else "affirmed"
    p.record(Matter.SupremeCourtDecided, "supreme_decision", "supreme", "The Court",
             f"Judgment {disposition.upper()}: {REASONS[doctrine]} ({doctrine} rule).",
             disposition=disposition, doctrine=doctrine, prevailing=winner)
    return winner, "supreme"


MOOTNESS_ORDERS = {
    "supreme": ("supreme", "supreme_court",
                "PER CURIAM: judgment VACATED and case REMANDED with instructions to vacate the contempt "
                "finding and the denial of the motion, and to direct dismissal as moot."),
    "circuit": ("circuit", "court_of_appeals",
                "ORDER vacating the district court's orders and remanding with directions to dismiss as moot."),
    "district": ("district", "district_court", "ORDER vacating the orders below and dismissing the matter as moot."),
}


def dismiss_as_moot(p: Proceeding) -> Wait:
    """The government's motion to dismiss as moot after a new warrant, the response and the order."""
    s = p.scenario
    pending = p.pending_level or "district"
    key = {"en_banc": "circuit", "magistrate": "district"}.get(pending, pending)
    level, court_actor, order = MOOTNESS_ORDERS[key]
    p.record(Matter.MotionFiled, "mootness_motion", level, s.parties.government,
             "MOTION to vacate and remand with directions to dismiss as moot, filed by "
             f"{s.parties.government}: a new warrant under the CLOUD Act leaves no live dispute.",
             motion_id="dismiss_moot-1", kind="dismiss_moot", deadline=None, late=False)
    yield from p.wait("mootness_response", "provider", s.provider.response_after)
    p.record(Matter.BriefFiled, "mootness_response", level, s.parties.provider,
             f"RESPONSE of {s.parties.provider}: does not oppose; agrees there is no live dispute.",
             party="provider", kind="response to motion", deadline=None, late=False)
    court = getattr(s, court_actor)
    yield from p.wait("dismissal_as_moot", court_actor, court.dismissal_after)
    p.record(Matter.DismissedAsMoot, "dismissal_as_moot", level, p.judge(level), order,
             motion_id="dismiss_moot-1", vacatur="orders below vacated")
