"""A specimen matter for tests and benchmarks: opened with the Microsoft Ireland parties and courts
(docs/sources.md §1), and a clerk that records steps with everything the aggregate does not derive
filled in (the day, the rule, the text), so a test states only what it is about.

>>> matter = opened()
>>> clerk = Clerk(matter)
>>> clerk.enter(Matter.WarrantApplied, party="government")
>>> matter.dockets["district"]["number"], matter.last_entry
('1:13-mj-02814', {'1:13-mj-02814': 1})
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from sim.domain.matter import Matter

START = dt.date(2013, 12, 4)
PARTIES = {"government": "United States", "government_counsel": "U.S. Attorney's Office, S.D.N.Y.",
           "provider": "Microsoft Corp.", "provider_counsel": "counsel for Microsoft Corp.",
           "data_location": "Dublin, Ireland", "foreign_state": "Ireland",
           "foreign_authority": "Ireland (central authority under the US-Ireland MLAT)",
           "treaty": "US-Ireland MLAT (TIAS 13137)", "united_states_party": True, "foreign_state_called": "Ireland",
           "foreign_government": "Ireland", "amicus": "amici curiae", "agreement_assumed_from": None}
COURTS = {
    "district": {"name": "United States District Court for the Southern District of New York", "short": "S.D.N.Y.",
                 "docket_number": "1:13-mj-02814", "judge": "Chief Judge Loretta A. Preska",
                 "caption": "In re Warrant to Search a Certain E-Mail Account Controlled and Maintained by "
                            "Microsoft Corporation", "magistrate_judge": "Magistrate Judge James C. Francis IV"},
    "circuit": {"name": "United States Court of Appeals for the Second Circuit", "short": "2d Cir.",
                "docket_number": "14-2985", "judge": "Lynch and Carney, Circuit Judges", "caption": ""},
    "supreme": {"name": "Supreme Court of the United States", "short": "U.S.", "docket_number": "17-2",
                "judge": "The Court", "caption": ""},
}
# Where each kind of event is entered by default.
LEVELS = {
    "ObjectionFiled": "district", "ObjectionRuled": "district", "StayGranted": "district", "StayLifted": "district",
    "ContemptHeld": "district", "NoticeOfAppealFiled": "circuit", "AppealDismissed": "circuit",
    "PanelDecided": "circuit", "RehearingPetitioned": "circuit", "RehearingDecided": "circuit",
    "EnBancDecided": "en_banc", "CertPetitioned": "supreme", "PetitionDistributed": "supreme",
    "CertDecided": "supreme", "SupremeCourtDecided": "supreme", "JudgmentIssued": "supreme",
    "MandateIssued": "circuit", "LegislationEnacted": "congress", "MLATRequestSent": "foreign",
    "MLATRequestExecuted": "foreign", "MLATRequestRefused": "foreign", "MLATRequestWithdrawn": "foreign",
    "AmicusBriefFiled": "circuit",
}


def opened(statutes: list[str] | None = None, historical: bool = False, start: dt.date = START,
           qualifying_since: str | None = None) -> Matter:
    """A fresh matter, as the engine opens one."""
    return Matter(run_id="specimen", scenario="specimen", title="A specimen matter", historical=historical,
                  replication=0, seed=0, start_date=start.isoformat(), parties=dict(PARTIES),
                  courts={lane: dict(court) for lane, court in COURTS.items()}, statutes_in_force=list(statutes or []),
                  qualifying_since=qualifying_since)


@attrs.define
class Clerk:
    """Records steps on `matter`: by default on the day of the last one, at the level where the event
    is usually entered, with a placeholder rule and text."""

    matter: Matter

    def enter(self, event_class: type[Matter.Entry], day: int | None = None, level: str | None = None, *,
              party: str | None = None, actor: str | None = None, entry_at_least: int | None = None,
              **fields: Any) -> None:
        m = self.matter
        sim_day = m.last_day if day is None else day
        name = event_class.__name__
        level = level or LEVELS.get(name) or ("out_of_court" if event_class.KIND == "outside" else "magistrate")
        date = (dt.date.fromisoformat(m.start_date) + dt.timedelta(days=sim_day)).isoformat()
        fields.setdefault("rule", f"rule for {name}")
        fields.update(step=name.lower(), sim_day=sim_day, approximate=False, text=f"{name} (specimen)", inherited=None)
        m.record(event_class, fields, level=level, date=date, actor=actor, party=party, entry_at_least=entry_at_least)
