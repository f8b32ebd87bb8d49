"""The government: applies for and serves the warrant, drives the matter to its end, and answers new
legislation with a new warrant (and, while the old one is in litigation, with mootness)."""

from __future__ import annotations

import datetime as dt

from sim.domain import periods
from sim.domain.matter import Matter
from sim.domain.outcomes import disposition, docket_words
from sim.engine import filings, foreign, mandates, mootness, nondisclosure, provider, review
from sim.engine.proceeding import Proceeding, Wait


def pursue(p: Proceeding) -> Wait:
    """The matter from the government's side, from the application to the final disposition."""
    s = p.scenario
    if s.government.route == "mlat":
        obtained = yield from foreign.mutual_legal_assistance(p)
        yield from conclude(p, "mlat executed" if obtained else "mlat refused")
        return
    yield from obtain_warrant(p)
    answer = yield from provider.answer_warrant(p)
    if answer == "complied":
        yield from provider.comply(p, "under the warrant")
        yield from conclude(p, "warrant executed")
        return
    if answer == "quashed":
        yield from after_loss(p, "warrant quashed")
        return
    p.litigation = p.env.process(review.litigate(p))
    winner, _level = yield p.litigation
    if winner == "mooted":
        mandates.descend(p, mootness.remand(p, p.matter.motions[mootness.MOTION_ID]["level"]))
        yield from provider.comply(p, "under the new warrant")
        yield from conclude(p, "dismissed as moot")
    elif winner == "government":
        complies = p.occurs("provider", s.provider.complies_after_loss)
        if complies or p.new_warrant.triggered:
            yield from provider.comply(p, "under the new warrant" if p.new_warrant.triggered else
                                       "under the warrant, as the courts have ordered")
            yield from conclude(p, "warrant enforced")
        else:
            yield from coercive_contempt(p)
            yield from conclude(p, "contempt sanctions")
    else:
        yield from after_loss(p, "warrant vacated")


def coercive_contempt(p: Proceeding) -> Wait:
    """The provider still refuses once the case is back in the district court: the government moves for
    an order to show cause (after the time to object to the magistrate judge's order, Fed. R. Crim. P.
    59(a)); the district judge holds it in contempt with coercive fines; it complies, and the contempt is
    purged (sources §9.8)."""
    s, m, court = p.scenario, p.matter, p.courts["district"]
    yield from mandates.settled(p)
    objection = m.due("objection")

    def motion_day() -> dt.date:
        day = p.after(p.draw(court.actor, s.district_court.contempt_after))
        if objection is not None:
            day = max(day, dt.date.fromisoformat(objection) + dt.timedelta(days=1))
        return court.sitting(day)

    yield from p.until("contempt_sanctions_motion", motion_day)
    motion_id = f"contempt-{sum(1 for x in m.motions.values() if x['kind'] == 'contempt') + 1}"
    p.record(Matter.MotionFiled, "contempt_sanctions_motion", "district",
             f"MOTION for an order to show cause why {p.name('provider')} should not be held in civil contempt for "
             "declining to produce the content, filed by " + p.name("government") + ".", party="government",
             motion_id=motion_id, kind="contempt")
    yield from p.wait("contempt_sanctions", court.actor, s.district_court.hearing_after, court)
    p.record(Matter.ContemptHeld, "contempt_sanctions", "district",
             f"ORDER, after hearing the parties on the motion, holding {p.name('provider')} in civil contempt with "
             "coercive sanctions until it produces the content.", sanctions="coercive fines until compliance")
    yield from provider.comply(p, "under the warrant, to purge the contempt")
    yield from p.until("contempt_purged", lambda: court.sitting(p.day))
    p.record(Matter.ContemptPurged, "contempt_purged", "district",
             f"ORDER: {p.name('provider')} has complied; the contempt is PURGED and the sanctions end.")


def obtain_warrant(p: Proceeding) -> Wait:
    s = p.scenario
    gov, judge = p.name("government"), p.matter.judge("magistrate", p.today)
    p.record(Matter.WarrantApplied, "warrant_applied", "magistrate",
             f"APPLICATION for a search warrant under 18 U.S.C. 2703 for the contents of an e-mail account "
             f"maintained by {p.name('provider')}, filed by {gov} ({s.parties.government_counsel}).",
             rule_key="warrant_2713" if p.law_in_force("18 U.S.C. 2713") else "warrant", party="government")
    silence = nondisclosure.apply(p)
    court = p.courts["magistrate"]
    yield from p.wait("warrant_issued", court.actor, s.magistrate.issue_after, court)
    p.record(Matter.WarrantIssued, "warrant_issued", "magistrate",
             f"SEARCH WARRANT issued by {judge} on a showing of probable cause.",
             rule_key="warrant_2713" if p.law_in_force("18 U.S.C. 2713") else "warrant")
    if silence is not None:
        nondisclosure.order(p, silence)
    yield from p.wait("warrant_served", "government", s.government.serve_after)
    p.record(Matter.WarrantServed, "warrant_served", "out_of_court", f"Warrant served on {p.name('provider')}.",
             actor=p.matter.parties["government"])


def after_loss(p: Proceeding, ended: str) -> Wait:
    """The warrant is gone: a new warrant if the law has changed, else the treaty route, if sought
    (abandoned for a new warrant if one comes first)."""
    s = p.scenario
    if p.new_warrant.triggered:
        yield from provider.comply(p, "under the new warrant")
        yield from conclude(p, disposition(ended, "new warrant executed"))
        return
    if not p.occurs("government", s.government.mlat_after_loss):
        yield from conclude(p, disposition(ended, "content not obtained"))
        return
    p.seeking_content = True
    request = p.env.process(foreign.mutual_legal_assistance(p))
    yield request | p.new_warrant
    if request.triggered:
        then = "mlat executed" if request.value else "mlat refused"
    else:
        request.interrupt("new warrant")
        yield request
        yield from provider.comply(p, "under the new warrant")
        then = "new warrant executed"
    p.seeking_content = False
    yield from conclude(p, disposition(ended, then))


def conclude(p: Proceeding, ended: str) -> Wait:
    """Record the final disposition once no period for review still runs (the day after the last one
    lapsed), citing what made the matter final."""
    m = p.matter
    yield from mandates.settled(p)
    running = [d for d in m.running(p.today) if d["period"] in periods.REVIEW]
    rule, lapsed = None, ""
    if running:
        last = max(running, key=lambda d: m.due(d["period"]) or "")
        due = dt.date.fromisoformat(m.due(last["period"]) or p.today)
        yield from p.until("final_disposition", lambda: due + dt.timedelta(days=1))
        rule = f"{last['rule']}: the time to {last['action']} expired on {due.isoformat()}"
        lapsed = f" The time for {p.name(last['party'])} to {last['action']} expired on {due.isoformat()}."
    else:
        yield from p.until("final_disposition", lambda: p.day)
        rule = last_authority(p.matter)
    p.record(Matter.FinalDisposition, "final_disposition", "out_of_court",
             f"Final disposition: {docket_words(ended)}.{lapsed}",
             rule=rule, actor="", disposition=ended)
    p.closed.succeed()


def last_authority(m: Matter) -> str | None:
    """The citation of the step that ended a matter with no period for review left (its last entry): a
    final disposition is not itself 28 U.S.C. 1291 (sources §11.4)."""
    if not m.pending_events:
        return None
    cited = m.pending_events[-1].rule.split(": ")[0]  # type: ignore[attr-defined]
    return f"{cited}: the last step on record; no further review is sought or available"


def respond_to_legislation(p: Proceeding) -> Wait:
    """After enactment, while the warrant is in litigation or lost and the content still sought: a new
    warrant under the amended statute and, if litigation is pending, the mootness that follows."""
    s = p.scenario
    yield p.enacted | p.closed
    if p.closed.triggered:
        return
    p.env.process(_letter(p))
    yield from p.wait("new_warrant", "government", s.government.new_warrant_after)
    litigating = p.litigation is not None and p.litigation.is_alive
    if p.closed.triggered or p.matter.disclosed_route or not (litigating or p.seeking_content):
        return
    p.record(Matter.NewWarrantIssued, "new_warrant", "out_of_court",
             "NEW WARRANT under 18 U.S.C. 2703 and 2713 for the same account.", actor=p.matter.parties["government"])
    p.record(Matter.WarrantServed, "new_warrant_served", "out_of_court",
             f"New warrant served on {p.name('provider')}.", actor=p.matter.parties["government"])
    p.new_warrant.succeed()
    if litigating:
        yield from p.wait("mootness_motion", "government", s.government.mootness_motion_after,
                          filings.clerk(p, p.pending_level))
        if p.litigation is not None and p.litigation.is_alive:
            p.litigation.interrupt("new warrant")


def _letter(p: Proceeding) -> Wait:
    """While the warrant is in litigation, the United States tells the court where it is pending of the new
    law (the Solicitor General's letter of 2018-03-23, sources §1)."""
    after = p.scenario.government.legislation_letter_after
    yield from p.until("legislation_letter",  # docketed on the calendar of the court where the matter is
                       lambda: filings.lands(p, p.pending_level, p.after(p.draw("government", after))))
    level = p.pending_level
    if p.closed.triggered or level is None or p.litigation is None or not p.litigation.is_alive \
            or "DismissedAsMoot" in p.matter.seen:
        return
    court = "the Court" if level == "supreme" else "the court"
    p.record(Matter.BriefFiled, "legislation_letter", level,
             f"LETTER of {review.filer(p, 'government', level)} informing {court} that the CLOUD Act (Consolidated "
             f"Appropriations Act, 2018, Division V, Pub. L. 115-141) was enacted on {p.scenario.cloud_act.enacted}: "
             "18 U.S.C. 2713 now requires a provider to disclose what it controls regardless of where it is stored.",
             party="government", kind="letter on new legislation")
