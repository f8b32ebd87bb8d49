"""The government: applies for and serves the warrant, drives the matter to its end, and answers new
legislation with a new warrant and a motion to dismiss as moot."""

from __future__ import annotations

from sim.domain.matter import Matter
from sim.engine import courts, foreign, provider
from sim.engine.proceeding import Proceeding, Wait


def pursue(p: Proceeding) -> Wait:
    """The matter from the government's side, from the application to the final disposition."""
    s = p.scenario
    if s.government.route == "mlat":
        obtained = yield from foreign.mutual_legal_assistance(p)
        _dispose(p, "mlat executed" if obtained else "mlat refused")
        return
    yield from obtain_warrant(p)
    answer = yield from provider.answer_warrant(p)
    if answer == "complied":
        yield from provider.comply(p, "under the warrant")
        _dispose(p, "warrant executed")
        return
    if answer == "quashed":
        yield from _after_loss(p, "warrant quashed")
        return
    p.litigation = p.env.process(courts.litigate(p))
    winner, _level = yield p.litigation
    if winner == "mooted":
        _dispose(p, "dismissed as moot")
        yield from provider.comply(p, "under the new warrant")
    elif winner == "government":
        if p.occurs("provider", s.provider.complies_after_loss):
            yield from provider.comply(p, "under the warrant, as the courts have ordered")
            _dispose(p, "warrant enforced")
        else:
            yield from p.wait("contempt_sanctions", "district_court", s.district_court.contempt_after)
            p.record(Matter.ContemptHeld, "contempt_sanctions", "district", p.judge("district"),
                     f"ORDER holding {s.parties.provider} in civil contempt with coercive sanctions until it "
                     "produces the content.", sanctions="coercive fines until compliance")
            _dispose(p, "contempt sanctions")
    else:
        yield from _after_loss(p, "warrant vacated")


def obtain_warrant(p: Proceeding) -> Wait:
    s = p.scenario
    gov, judge = s.parties.government, s.courts.magistrate_judge
    p.record(Matter.WarrantApplied, "warrant_applied", "magistrate", gov,
             f"APPLICATION for a search warrant under 18 U.S.C. 2703 for the contents of an e-mail account "
             f"maintained by {s.parties.provider}, filed by {gov}.")
    yield from p.wait("warrant_issued", "magistrate", s.magistrate.issue_after)
    p.record(Matter.WarrantIssued, "warrant_issued", "magistrate", judge,
             f"SEARCH WARRANT issued by {judge} on a showing of probable cause.")
    yield from p.wait("warrant_served", "government", s.government.serve_after)
    p.record(Matter.WarrantServed, "warrant_served", "out_of_court", gov,
             f"Warrant served on {s.parties.provider}.")


def _after_loss(p: Proceeding, disposition: str) -> Wait:
    """The warrant is gone: a new warrant if the law has changed, else the treaty route, if sought."""
    s = p.scenario
    if p.new_warrant:
        yield from provider.comply(p, "under the new warrant")
        _dispose(p, f"{disposition}; new warrant executed")
    elif p.occurs("government", s.government.mlat_after_loss):
        obtained = yield from foreign.mutual_legal_assistance(p)
        _dispose(p, f"{disposition}; mlat {'executed' if obtained else 'refused'}")
    else:
        _dispose(p, f"{disposition}; content not obtained")


def _dispose(p: Proceeding, disposition: str) -> None:
    """Record the final disposition where the matter last stood (out of court if it never went)."""
    level = p.pending_level or "out_of_court"
    actor = p.court(level)[2] or p.scenario.parties.government
    rule_key = {"supreme": "judgment_issued", "circuit": "mandate", "en_banc": "mandate"}.get(level)
    p.record(Matter.FinalDisposition, "final_disposition", level, actor,
             f"Final disposition: {disposition}.", rule_key=rule_key, disposition=disposition)
    p.closed.succeed()


def respond_to_legislation(p: Proceeding) -> Wait:
    """After enactment: a new warrant and, if the challenge is still pending, a motion to dismiss as moot."""
    s = p.scenario
    yield p.enacted | p.closed
    if p.closed.triggered:
        return
    yield from p.wait("new_warrant", "government", s.government.new_warrant_after)
    if p.closed.triggered:
        return
    p.record(Matter.NewWarrantIssued, "new_warrant", "out_of_court", s.parties.government,
             "NEW WARRANT under 18 U.S.C. 2703, as amended by the CLOUD Act, for the same account.")
    p.record(Matter.WarrantServed, "new_warrant_served", "out_of_court", s.parties.government,
             f"New warrant served on {s.parties.provider}.")
    p.new_warrant = True
    yield from p.wait("mootness_motion", "government", s.government.mootness_motion_after)
    if p.litigation is not None and p.litigation.is_alive:
        p.litigation.interrupt("new warrant")
