"""Mootness and remand (docs/sources.md §9.6): when a new warrant under the amended statute leaves
no live dispute, the party that lost the last decision asks the court where the matter is pending to
vacate it (United States v. Munsingwear), or, with no decision yet, the government moves to dismiss;
the court vacates what is on record and the lower courts dismiss on remand.
"""

from __future__ import annotations

import datetime as dt

from sim.domain import jurisdiction
from sim.domain.ladder import LEVEL, in_supreme_court, other
from sim.domain.matter import Matter
from sim.engine import filings, mandates
from sim.engine.courts import SupremeCourt
from sim.engine.proceeding import Proceeding, Wait

MOTION_ID = "moot-1"
RULED = {"granted": "grant", "denied": "denial", "quashed": "grant"}


def _orders_below(p: Proceeding) -> list[str]:
    """The orders on record that a vacatur reaches, in the words of a per curiam."""
    m = p.matter
    orders = ["the contempt finding"] if "ContemptHeld" in m.seen else []
    for motion in m.motions.values():
        if motion["level"] == "magistrate" and motion["disposition"] in ("granted", "denied", "quashed"):
            what = {"vacate": "the motion to vacate the warrant", "compel": "the motion to compel",
                    "comity": "the motion to quash on comity grounds"}[motion["kind"]]
            orders.append(f"the {RULED[motion['disposition']]} of {what}")
    return orders


def _on_its_way_up(p: Proceeding, mover: str) -> bool:
    """The mover's time to petition for certiorari still runs, and no longer the time to petition the
    court of appeals for rehearing: the case is moot on its way to the Supreme Court, which alone may
    then vacate the judgment below (sources §9.6)."""
    m = p.matter
    return m.deadlines.get("cert_petition", {}).get("party") == mover \
        and (m.due("cert_petition") or "") >= p.today > (m.due("rehearing") or "")


def dismiss(p: Proceeding) -> Wait:
    """The mootness motion at the court where the matter is pending (with a petition for certiorari
    when the mover's time to petition still runs), the response and the order."""
    s, m = p.scenario, p.matter
    level = LEVEL[p.pending_level or "magistrate"].moot_order
    decided = m.last_decision
    if decided is not None and _on_its_way_up(p, other(decided["prevailing"])):
        level = "supreme"
    court = p.courts[level]
    if decided is None:
        mover, kind, rule_key = "government", "dismiss_moot", "motion_withdraw"
        asks = "MOTION to withdraw the warrant and dismiss the proceeding as moot"
    else:
        mover, kind, rule_key = other(decided["prevailing"]), "vacate_moot", "motion_moot"
        asks = ("MOTION to vacate the judgment and remand with directions to dismiss as moot" if level != "district"
                else "MOTION to vacate the orders below and dismiss the proceeding as moot")
    by = f"the Solicitor General for {p.name(mover)}" if mover == "government" and in_supreme_court(level) \
        else p.name(mover)
    if level == "supreme" and "CertPetitioned" not in m.seen:  # docketed on the Clerk's next business day
        yield from p.until("mootness_motion", lambda: filings.lands(p, "supreme", p.day))
        p.record(Matter.CertPetitioned, "cert_petition", "supreme",
                 f"PETITION for a writ of certiorari filed by {by}, suggesting that the case has become moot.",
                 party=mover)
    p.record(Matter.MotionFiled, "mootness_motion", level,
             f"{asks}, filed by {by}: a new warrant under 18 U.S.C. 2703 and 2713 leaves no live dispute.",
             rule_key=rule_key, party=mover, motion_id=MOTION_ID, kind=kind)
    responder = other(mover)
    yield from p.wait("mootness_response", responder, p.litigant(responder).response_after, filings.clerk(p, level))
    p.record(Matter.BriefFiled, "mootness_response", level,
             f"RESPONSE of {p.name(responder)}: does not oppose; agrees there is no live dispute.",
             party=responder, kind="response to motion")
    table = {"district": s.district_court, "circuit": s.court_of_appeals, "supreme": s.supreme_court}[level]
    argued = dt.date.fromisoformat(m.argued_on) if m.argued_on else None

    def order_day() -> dt.date:
        day = p.after(p.draw(court.actor, table.dismissal_after))
        if isinstance(court, SupremeCourt):
            return court.opinion(argued, day) if argued is not None else court.order(day)
        return court.sitting(day)

    yield from p.until("dismissal_as_moot", order_day)
    orders = _orders_below(p)
    below = " and ".join(orders) if orders else "the orders below"
    if level == "supreme":  # a petition not yet granted is granted by the same order (sources §9.6)
        granting = "PER CURIAM:" if m.cert_granted else "ORDER: the petition for a writ of certiorari is GRANTED;"
        text = (f"{granting} the judgment of the {m.courts['circuit']['name']} is VACATED and the case is REMANDED "
                f"with instructions to vacate {below} and to direct dismissal as moot.")
        vacatur = "judgment vacated; remanded with instructions to dismiss as moot"
    elif level == "circuit":
        text = f"ORDER: {below} VACATED; the case is REMANDED with directions to dismiss as moot."
        vacatur = "orders vacated; remanded with directions to dismiss as moot"
    elif decided is None:
        text = "ORDER: the warrant is withdrawn and the proceeding DISMISSED as moot."
        vacatur = "dismissed as moot"
    else:
        text = f"ORDER: {below} VACATED and the proceeding DISMISSED as moot."
        vacatur = "orders vacated; dismissed as moot"
    p.record(Matter.DismissedAsMoot, "dismissal_as_moot", level, text,
             rule_key="dismissal_moot" if level == "supreme" else "dismissal_moot_below",
             actor="The Court" if level == "supreme" else None, motion_id=MOTION_ID, vacatur=vacatur)


def remand(p: Proceeding, level: str) -> Wait:
    """After a vacatur above the district court: the judgment or mandate goes down and the district
    court dismisses on remand."""
    if level == "supreme":
        yield from mandates.judgment_issues(p)
        yield from mandates.on_remand(p, "circuit", "ORDER on remand from the Supreme Court: the district court's "
                                      "orders are VACATED and the case REMANDED with directions to dismiss as moot; "
                                      "the mandate issues forthwith.",
                                      action="vacated and remanded")
    elif level in ("circuit", "en_banc"):
        due = dt.date.fromisoformat(jurisdiction.mandate_due(p.matter) or p.today)
        yield from p.until("mandate", lambda: max(due, p.day))
        p.record(Matter.MandateIssued, "mandate", "circuit", "MANDATE ISSUED.", actor="The Clerk")
    else:
        return
    yield from mandates.on_remand(p, "district", "ORDER on remand: the proceeding is DISMISSED as moot.",
                                  action="dismissed as moot")
