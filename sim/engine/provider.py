"""The provider: produces what is stored at home, decides whether to refuse what is stored abroad,
may move to quash under 18 U.S.C. 2703(h), and complies once it has lost (or is held in contempt)."""

from __future__ import annotations

from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait


def answer_warrant(p: Proceeding) -> Wait:
    """Production of domestic records, then "complied", "refused" or "quashed" for the content."""
    s, name = p.scenario, p.scenario.parties.provider
    yield from p.wait("domestic_production", "provider", s.provider.produce_after)
    p.record(Matter.DomesticDataProduced, "domestic_production", "out_of_court", name,
             f"{name} produces the non-content records stored in the United States.")
    qfg = s.foreign_authority.qualifying_foreign_government
    if qfg and p.law_in_force("18 U.S.C. 2703(h)") and p.occurs("provider", s.provider.comity_motion):
        return (yield from _comity_challenge(p))
    if not p.occurs("provider", s.provider.refuses):
        return "complied"
    yield from p.wait("refusal", "provider", s.provider.refusal_after)
    p.record(Matter.ProductionRefused, "refusal", "out_of_court", name,
             f"{name} declines to produce the e-mail content, stored only in {s.parties.data_location}.",
             reason=f"content stored only in {s.parties.data_location}")
    return "refused"


def _comity_challenge(p: Proceeding) -> Wait:
    """Motion to quash or modify under 18 U.S.C. 2703(h)(2): within 14 days of service; the provider
    preserves but need not produce while it is pending (2703(h)(4))."""
    s, name = p.scenario, p.scenario.parties.provider
    served = p.step_dates["warrant_served"]
    yield from p.wait("comity_motion", "provider", s.provider.comity_motion_after)
    p.record(Matter.ComityMotionFiled, "comity_motion", "magistrate", name,
             f"MOTION to quash or modify under 18 U.S.C. 2703(h)(2), filed by {name}: disclosure would "
             f"create a material risk of violating the laws of {s.parties.foreign_state}, a qualifying "
             "foreign government; content preserved meanwhile (2703(h)(4)).",
             motion_id="comity-1", qualifying_foreign_government=True,
             **p.deadline("comity_motion", served, extension_days=p.extension("comity_motion")))
    yield from p.wait("comity_ruling", "magistrate", s.magistrate.comity_ruling_after)
    quashed = p.occurs("magistrate", s.magistrate.quashes_on_comity)
    p.record(Matter.ComityMotionRuled, "comity_ruling", "magistrate", p.judge("magistrate"),
             "ORDER " + ("QUASHING the warrant: the three findings of 2703(h)(2)(B) are made on the "
                         "comity factors of 2703(h)(3)." if quashed else
                         "DENYING the motion to quash: the findings of 2703(h)(2)(B) are not made."),
             motion_id="comity-1", disposition="quashed" if quashed else "denied")
    return "quashed" if quashed else "complied"


def comply(p: Proceeding, text: str) -> Wait:
    """Produce the content under a warrant the provider no longer contests."""
    s = p.scenario
    yield from p.wait("disclosure", "provider", s.provider.comply_after)
    route, rule_key = "warrant", "warrant"
    if p.law_in_force("18 U.S.C. 2713"):
        rule_key = "disclosure_2713"
    if p.law_in_force("18 U.S.C. 2523") and s.foreign_authority.qualifying_foreign_government:
        route, rule_key = "executive_agreement", "executive_agreement"
        text += f", {s.parties.foreign_state}'s law no longer barring it under the executive agreement"
    p.record(Matter.DataDisclosed, "disclosure", "out_of_court", s.parties.provider,
             f"{s.parties.provider} discloses the e-mail content {text}.", rule_key=rule_key, route=route)
