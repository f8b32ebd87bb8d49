"""The provider: produces what is stored at home, decides whether to refuse what is stored abroad,
may move to quash under 18 U.S.C. 2703(h) where the data's country is a qualifying foreign
government, and complies once it has lost (or is held in contempt)."""

from __future__ import annotations

from sim.domain.laws import assumed_agreement
from sim.domain.matter import Matter
from sim.domain.rules import comity_analysis
from sim.engine.filings import meet
from sim.engine.proceeding import Proceeding, Wait


def answer_warrant(p: Proceeding) -> Wait:
    """"complied", "refused" or "quashed" for the content, with the domestic records produced (after a
    2703(h) motion, which runs from service, where the provider makes one)."""
    s, name = p.scenario, p.name("provider")
    moves = p.occurs("provider", s.provider.comity_motion)
    refuses = p.occurs("provider", s.provider.refuses)
    statutory = p.law_in_force("18 U.S.C. 2703(h)") and p.matter.qualifying_foreign_government(p.today)
    production = p.env.process(_produce_domestic(p))
    if statutory and moves:
        answer = yield from _comity_motion(p)
        yield production
        return answer
    yield production
    if not refuses:
        return "complied"
    yield from p.wait("refusal", "provider", s.provider.refusal_after)
    p.record(Matter.ProductionRefused, "refusal", "out_of_court",
             f"{name} declines to produce the e-mail content, stored only in {s.data.place_in_text}.",
             actor=name, reason=f"content stored only in {s.data.place_in_text}")
    return "refused"


def _produce_domestic(p: Proceeding) -> Wait:
    name = p.name("provider")
    yield from p.wait("domestic_production", "provider", p.scenario.provider.produce_after)
    p.record(Matter.DomesticDataProduced, "domestic_production", "out_of_court",
             f"{name} produces the non-content records stored in the United States.", actor=name)


def _comity_motion(p: Proceeding) -> Wait:
    """Motion to quash or modify under 18 U.S.C. 2703(h)(2): within 14 days of service (or more time
    by agreement or leave); the provider preserves but need not produce while it is pending
    (2703(h)(4)); relief only on all three findings, weighing the comity factors of 2703(h)(3)."""
    s, name, state = p.scenario, p.name("provider"), p.matter.parties["foreign_state_called"]
    court = p.courts["magistrate"]
    timely = yield from meet(p, "comity_motion", "provider", "comity_motion", s.provider.comity_motion_after)
    label = assumed_agreement(s.data.country, p.today)
    p.record(Matter.ComityMotionFiled, "comity_motion", "magistrate",
             f"MOTION to quash or modify the warrant under 18 U.S.C. 2703(h)(2), filed by {name}: the customer is "
             f"not a United States person and does not reside in the United States, and disclosure would create a "
             f"material risk of violating the laws of {state}, a qualifying foreign government; the content is "
             "preserved meanwhile (2703(h)(4))." + (f" {label}" if label else ""),
             party="provider", motion_id="comity-1", qualifying_foreign_government=True)
    yield from p.wait("comity_ruling", court.actor, s.magistrate.comity_ruling_after, court)
    quashed = p.occurs(court.actor, s.magistrate.quashes_on_comity)
    if not timely:
        p.record(Matter.ComityMotionRuled, "comity_ruling", "magistrate",
                 "ORDER DENYING the motion as untimely: it was filed after the 14 days from service that 18 U.S.C. "
                 "2703(h)(2)(A) allows, with no agreement of the government or leave of the court.",
                 rule_key="comity_untimely", motion_id="comity-1", disposition="denied as untimely")
        return "complied"
    opportunity = "the government having been afforded the opportunity to respond (2703(h)(2)(B))"
    weighed = f"Comity analysis under 2703(h)(3): {comity_analysis(state)}."
    if quashed:
        text = (f"ORDER QUASHING the warrant, {opportunity}. {weighed} Findings: disclosure would cause the provider "
                f"to violate the laws of {state}; the interests of justice dictate quashing; and the customer is not "
                "a United States person and does not reside in the United States (2703(h)(2)(B)(i)-(iii)).")
    else:
        text = (f"ORDER DENYING the motion to quash, {opportunity}. {weighed} The court does not find that the "
                "interests of justice dictate quashing or modifying the warrant (2703(h)(2)(B)(ii)).")
    p.record(Matter.ComityMotionRuled, "comity_ruling", "magistrate", text, motion_id="comity-1",
             disposition="quashed" if quashed else "denied")
    return "quashed" if quashed else "complied"


def comply(p: Proceeding, text: str) -> Wait:
    """Produce the content under a warrant the provider no longer contests."""
    s, name = p.scenario, p.name("provider")
    yield from p.wait("disclosure", "provider", s.provider.comply_after)
    rule_key = "disclosure_2713" if p.law_in_force("18 U.S.C. 2713") else "disclosure"
    p.record(Matter.DataDisclosed, "disclosure", "out_of_court",
             f"{name} discloses the e-mail content {text}.", actor=name, rule_key=rule_key, route="warrant")
