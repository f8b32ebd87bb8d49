"""Runs: replications of a scenario, their seeds, and their recording in the store.

Each replication's seed derives from the root seed and its index alone. Nothing is written before
the first replication has played to its end, so a scenario that fails at run time writes nothing;
each replication is then saved whole, in one transaction.
"""

from __future__ import annotations

import hashlib

import attrs

from sim.engine import simulate
from sim.scenario import Scenario
from sim.store import DocketStore, Run, now, package_versions


def replication_seed(root_seed: int, replication: int) -> int:
    """The seed of replication `replication`, from the root seed and the index alone."""
    digest = hashlib.sha256(f"docketsim/{root_seed}/{replication}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen
class RunResult:
    run_id: str
    matter_ids: list[str]
    already_recorded: bool


def record_run(store: DocketStore, scenario: Scenario, seed: int = 0, replications: int = 1) -> RunResult:
    """Simulate `replications` of `scenario` and record them with the run's provenance."""
    run_id = str(Run.create_id(scenario.text_hash, seed, replications))
    if store.has(Run.create_id(scenario.text_hash, seed, replications)):
        run = store.run(run_id)
        return RunResult(run_id, [str(m) for m in run.matter_ids()], already_recorded=True)
    first = simulate(scenario, run_id, 0, replication_seed(seed, 0))
    run = Run(scenario=scenario.name, scenario_path=scenario.path, scenario_hash=scenario.text_hash,
              seed=seed, replications=replications, versions=package_versions(), started_at=now())
    register = store.register()
    register.add(run_id=run_id)
    store.save(run, register, first)
    matter_ids = [str(first.id)]
    for i in range(1, replications):
        matter = simulate(scenario, run_id, i, replication_seed(seed, i))
        store.save(matter)
        matter_ids.append(str(matter.id))
    run.finish(finished_at=now())
    store.save(run)
    return RunResult(run_id, matter_ids, already_recorded=False)
