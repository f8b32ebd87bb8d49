"""The foreign central authority: executes or refuses a mutual legal assistance request under the
treaty the scenario names for the data's country."""

from __future__ import annotations

import simpy

from sim.domain.matter import Matter
from sim.domain.rules import RULES
from sim.engine.proceeding import Proceeding, Wait


def _rule(p: Proceeding, key: str) -> str:
    return RULES[key].describe().format(treaty=p.scenario.foreign_authority.treaty)


def mutual_legal_assistance(p: Proceeding) -> Wait:
    """Request through both central authorities; True if the data is obtained and disclosed, False if
    refused, None if withdrawn because a new warrant came first."""
    s, state = p.scenario, p.scenario.parties.foreign_state
    authority, gov = s.foreign_authority, p.name("government")
    requester = p.matter.parties["government"]
    try:
        yield from p.wait("mlat_request", "government", s.government.mlat_request_after)
        p.record(Matter.MLATRequestSent, "mlat_request", "foreign",
                 f"Request for mutual legal assistance sent by {gov} to {authority.name} for the content stored in "
                 f"{s.parties.data_location}.", rule=_rule(p, "mlat_request"), actor=requester, requested_state=state)
        yield from p.wait("mlat_response", "foreign_authority", authority.mlat_response_after)
    except simpy.Interrupt:
        if "MLATRequestSent" in p.matter.seen:
            p.record(Matter.MLATRequestWithdrawn, "mlat_withdrawn", "foreign",
                     f"{gov} withdraws its request: the content is sought under a new warrant.",
                     rule=_rule(p, "mlat_withdrawn"), actor=requester)
        return None
    if p.occurs("foreign_authority", authority.refuses_mlat):
        p.record(Matter.MLATRequestRefused, "mlat_response", "foreign",
                 f"{authority.name} declines to execute the request.", rule=_rule(p, "mlat_execution"),
                 actor=authority.name, reason="request refused")
        return False
    p.record(Matter.MLATRequestExecuted, "mlat_response", "foreign",
             f"{authority.name} executes the request; the content is produced under a local order.",
             rule=_rule(p, "mlat_execution"), actor=authority.name)
    p.record(Matter.DataDisclosed, "disclosure", "foreign",
             f"The e-mail content is transmitted to {gov} through the central authorities.",
             rule=_rule(p, "mlat_execution"), actor=authority.name, route="mlat")
    return True
