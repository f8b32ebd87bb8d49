"""The SimPy engine: actors as processes that decide what happens next and when.

`simulate` plays one replication of a scenario into a new `Matter` (not yet saved). It is the only
place random draws happen; each actor draws from its own stream (see `proceeding.actor_stream`).
"""

from __future__ import annotations

from typing import Any

import attrs
import simpy

from sim.domain import countries
from sim.domain.laws import CLOUD_ACT_STATUTES
from sim.domain.matter import Matter
from sim.engine import congress, government
from sim.engine.proceeding import Proceeding
from sim.engine.script import Script, search
from sim.scenario import Scenario


def simulate(scenario: Scenario, run_id: str, replication: int, seed: int,
             fork: Fork | None = None, env: simpy.Environment | None = None) -> Matter:
    """Play one replication; returns the matter with its pending (unsaved) events. A fork's matter
    begins with copies of the source's entries (see `sim.engine.script`). `env`: the SimPy environment a
    matter that is not a fork plays in (by default a new one; `sim.runs.floor` passes one that notes its steps)."""
    if fork is None:
        return _play(scenario, run_id, replication, seed, None, env)
    return search(lambda script: _play(scenario, run_id, replication, seed, script), fork.source_id,
                  fork.entries)


@attrs.frozen
class Fork:
    """Where a fork starts: the source matter and its entries up to the cut (Matter.Entry events)."""

    source_id: str
    entries: list[Any]

    @property
    def seq(self) -> int:
        return self.entries[-1].originator_version if self.entries else 1


def parties_of(s: Scenario) -> dict[str, Any]:
    """The parties as the matter records them, with the data's country from the countries table: where
    the data sits, the country's central authority and treaty, and any agreement the scenario assumes."""
    country = countries.COUNTRIES[s.data.country]
    return {**attrs.asdict(s.parties), "data_location": s.data.place, "foreign_state": country.name,
            "foreign_state_called": country.called, "foreign_government": country.called, "amicus": "amici curiae",
            "foreign_authority": country.central_authority, "treaty": country.treaty,
            "agreement_assumed_from": s.data.assumed_since}


def _play(scenario: Scenario, run_id: str, replication: int, seed: int, script: Script | None,
          env: simpy.Environment | None = None) -> Matter:
    matter = open_matter(scenario, run_id, replication, seed, script)
    env = simpy.Environment() if env is None else env
    main = start(Proceeding(env, scenario, matter, seed, script=script))
    env.run()
    if not main.processed or not main.ok:
        raise RuntimeError(f"replication {replication} of {scenario.name} did not reach a final disposition")
    return matter


def _judges(judge: str | tuple[str, tuple[Any, ...]]) -> dict[str, Any]:
    """A court's judge as the matter records it: the name at the start, and (`judge_from`) how the scenario
    writes them from each later day, [[ISO day, name], ...] (`sim.domain.ladder.judge_on` reads it)."""
    if isinstance(judge, str):
        return {"judge": judge}
    start, later = judge
    return {"judge": start, "judge_from": [[j.since.isoformat(), j.judge] for j in later]}


def open_matter(scenario: Scenario, run_id: str, replication: int, seed: int, script: Script | None = None,
                **identity: Any) -> Matter:
    """A new matter for the scenario (opened on its start date); `identity` may give its `id` and
    `parties` and `courts` of its own (a caseload's matter: see `sim.engine.world`)."""
    s = scenario
    in_force = CLOUD_ACT_STATUTES if s.cloud_act.in_force_at(s.scenario.start_date) else ()
    courts = {lane: {"name": c.name, "short": c.short, "docket_number": c.docket_number, "caption": c.caption,
                     **_judges(c.judge)}
              for lane, c in (("district", s.courts.district), ("circuit", s.courts.circuit),
                              ("supreme", s.courts.supreme))}
    courts["district"]["magistrate_judge"] = s.courts.magistrate_judge
    fields = dict(run_id=run_id, scenario=s.name, title=s.scenario.title,
                  historical=s.on_record and script is None, replication=replication, seed=seed,
                  start_date=s.scenario.start_date.isoformat(),
                  parties=identity["parties"] if "parties" in identity else parties_of(s),
                  courts=identity.get("courts", courts), statutes_in_force=list(in_force),
                  qualifying_since=countries.qualifying_since(s.data.country, s.data.assumed_since),
                  forked_from=None if script is None else {"matter_id": script.source_id,
                                                           "seq": script.entries[-1].originator_version})
    if "id" in identity:  # the library's constructor takes no id: its class method does
        return Matter._create(Matter.Opened, id=identity["id"], **fields)
    return Matter._create(Matter.Opened, **fields)  # as `Matter(**fields)`, without matching its signature


def start(p: Proceeding) -> simpy.Process:
    """Start a matter's actors (Congress, the government's answer to legislation, its pursuit of the
    content); returns the government's pursuit, which ends with the final disposition."""
    p.env.process(congress.legislate(p))
    p.env.process(government.respond_to_legislation(p))
    return p.env.process(government.pursue(p))
