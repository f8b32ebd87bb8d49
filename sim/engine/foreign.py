"""The foreign central authority: executes or refuses a mutual legal assistance request."""

from __future__ import annotations

from sim.domain.matter import Matter
from sim.engine.proceeding import Proceeding, Wait


def mutual_legal_assistance(p: Proceeding) -> Wait:
    """Request through both central authorities; True if the data is obtained and disclosed."""
    s, state = p.scenario, p.scenario.parties.foreign_state
    authority = s.foreign_authority
    yield from p.wait("mlat_request", "government", s.government.mlat_request_after)
    p.record(Matter.MLATRequestSent, "mlat_request", "foreign", s.parties.government,
             f"Request for mutual legal assistance sent to {authority.name} for the content stored in "
             f"{s.parties.data_location}.", requested_state=state)
    yield from p.wait("mlat_response", "foreign_authority", authority.mlat_response_after)
    if p.occurs("foreign_authority", authority.refuses_mlat):
        p.record(Matter.MLATRequestRefused, "mlat_response", "foreign", authority.name,
                 f"{authority.name} declines to execute the request.", reason="request refused")
        return False
    p.record(Matter.MLATRequestExecuted, "mlat_response", "foreign", authority.name,
             f"{authority.name} executes the request; the content is produced under a local order.")
    p.record(Matter.DataDisclosed, "disclosure", "foreign", authority.name,
             f"The e-mail content is transmitted to {s.parties.government} through the central authorities.",
             rule_key="mlat_execution", route="mlat")
    return True
