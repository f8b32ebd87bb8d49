"""The bundled one-matter scenarios play exactly as they did: their event streams, the historical docket, the
audit and every seeded outcome, hashed into one digest.

The caseload (issue 17) shares judges and Congress among many matters; a matter alone, with unlimited judges,
must play as before. The expected digest was taken at the start of that work (branch `caseload`, from main
6b192ed). A change that legitimately alters the procedure (a new step, a new rule) changes the digest: then
recompute it and replace `EXPECTED`, saying why in the commit:

    python -m tests.test_streams_unchanged      # prints the digest of the tree as it is

Wall-clock timestamps are left out (they are not part of what is simulated); everything else an event holds
is hashed, in order, with its type.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Retaken when the registry of steps and the calendars (mandates, remands, merits briefs) changed the procedure,
# on main just before the caseload merged; the caseload leaves it unchanged. Retaken when the final disposition
# of an MLAT route wrote "MLAT request executed" (or refused) on the docket rather than the outcome's name.
# Retaken when the Supreme Court's periods and days followed Sup. Ct. R. 30.1 rather than New York's holidays,
# and when the district judge was named by the title held on each entry's day (Chief Judge to 2016-05-31), and
# when running text named the United Kingdom's central authority with its article (and the central authority
# transmitting the content, the United States whose time lapsed). Retaken when the Supreme Court's sheet was
# headed "No. 17-2" with no judge assigned and no entry numbers (the historical docket's text only: the events,
# audit and outcomes hash as before).
EXPECTED = "56dafaf6616a55091ecf4a391a48d91598718806d83e450a4dec59cb13c25bd7"

# The bundled one-matter scenarios and how many replications of each are hashed (root seed `SEED`).
ONE_MATTER = {
    "microsoft_ireland_2013": 1,
    "microsoft_ireland_stochastic": 40,
    "location_rule": 20,
    "control_rule": 20,
    "cloud_act": 20,
    "cloud_act_executive_agreement": 20,
    "cloud_act_executive_agreement_counterfactual": 20,
    "provider_complies": 10,
}
SEED = 7


def _plain(value: Any) -> Any:
    return str(value)


def event_text(event: Any) -> str:
    """An event as canonical JSON: its type and every field but the wall-clock timestamp."""
    fields = {k: v for k, v in vars(event).items() if k != "timestamp"}
    return json.dumps([type(event).__qualname__, fields], sort_keys=True, default=_plain)


def digest() -> str:
    """The digest of every hashed stream, docket, audit and outcome row (see the module's docstring)."""
    from sim import scenario as scenarios
    from sim.runs.audit import audit_events
    from sim.runs.runner import record_run
    from sim.store import open_store
    from sim.views.projections import outcome_row, render_text

    h = hashlib.sha256()
    for name, n in ONE_MATTER.items():
        store = open_store("memory://")
        result = record_run(store, scenarios.load(name), seed=SEED, replications=n)
        h.update(f"run {name} {result.run_id}\n".encode())
        for matter_id in result.matter_ids:
            events = store.matter_events(matter_id)
            for event in events:
                h.update(event_text(event).encode() + b"\n")
            h.update(json.dumps(outcome_row(events), sort_keys=True, default=_plain).encode() + b"\n")
            findings = [attrs.asdict(finding) for finding in audit_events(events)]
            h.update(json.dumps(findings, sort_keys=True).encode() + b"\n")
            if name == "microsoft_ireland_2013":
                h.update(render_text(events).encode())
    return h.hexdigest()


def test_one_matter_streams_unchanged():
    """The bundled scenarios' events, historical docket, audit and outcomes are those of the start of the
    caseload work (recompute with `python -m tests.test_streams_unchanged` when a change is meant)."""
    assert digest() == EXPECTED


if __name__ == "__main__":
    print(digest())
