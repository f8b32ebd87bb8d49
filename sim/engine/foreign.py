"""The foreign central authority: executes or refuses a mutual legal assistance request under the
treaty the countries table gives for the data's country."""

from __future__ import annotations

import simpy

from sim.domain.matter import Matter
from sim.domain.rules import RULES
from sim.engine.proceeding import Proceeding, Wait


def _rule(p: Proceeding, key: str) -> str:
    return RULES[key].describe().format(treaty=p.matter.parties["treaty"])


def in_text(authority: str, parties: dict[str, str]) -> str:
    """The central authority as running text names it: its country as running text names the country
    ("the United Kingdom (central authority)"; Ireland's as the table writes it)."""
    state, called = parties["foreign_state"], parties.get("foreign_state_called", "")
    return called + authority[len(state):] if called and authority.startswith(state) else authority


def mutual_legal_assistance(p: Proceeding) -> Wait:
    """Request through both central authorities; True if the data is obtained and disclosed, False if
    refused, None if withdrawn because a new warrant came first."""
    s, state = p.scenario, p.scenario.data.country
    authority, gov = p.matter.parties["foreign_authority"], p.name("government")
    named = in_text(authority, p.matter.parties)  # at a sentence's start, `Proceeding.record` capitalises it
    requester = p.matter.parties["government"]
    try:
        yield from p.wait("mlat_request", "government", s.government.mlat_request_after)
        p.record(Matter.MLATRequestSent, "mlat_request", "foreign",
                 f"Request for mutual legal assistance sent by {gov} to {named} for the content stored in "
                 f"{s.data.place_in_text}.", rule=_rule(p, "mlat_request"), actor=requester, requested_state=state)
        yield from p.wait("mlat_response", "foreign_authority", s.foreign_authority.mlat_response_after)
    except simpy.Interrupt:
        if "MLATRequestSent" in p.matter.seen:
            p.record(Matter.MLATRequestWithdrawn, "mlat_withdrawn", "foreign",
                     f"{gov} withdraws its request: the content is sought under a new warrant.",
                     rule=_rule(p, "mlat_withdrawn"), actor=requester)
        return None
    if p.occurs("foreign_authority", s.foreign_authority.refuses_mlat):
        p.record(Matter.MLATRequestRefused, "mlat_response", "foreign",
                 f"{named} declines to execute the request.", rule=_rule(p, "mlat_execution"),
                 actor=authority, reason="request refused")
        return False
    p.record(Matter.MLATRequestExecuted, "mlat_response", "foreign",
             f"{named} executes the request; the content is produced under a local order.",
             rule=_rule(p, "mlat_execution"), actor=authority)
    p.record(Matter.DataDisclosed, "disclosure", "foreign",
             f"{named} transmits the e-mail content to {gov} through the central authorities.",
             rule=_rule(p, "mlat_execution"), actor=authority, route="mlat")
    return True
