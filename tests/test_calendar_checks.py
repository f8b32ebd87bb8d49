"""Filing days, argument days, amicus timing and citations in force (sim.domain.calendar_checks,
docs/sources.md §11): the rules table resolves each citation by court and date, the engine's matters
pass, and a store doctored by hand is caught by the audit, naming the rule."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sim import scenario as scenarios
from sim.domain import calendar_checks
from sim.domain.rules import RULES, describe, in_force
from sim.engine import simulate
from sim.runs.audit import audit_events
from sim.runs.runner import record_run, replication_seed
from sim.store import open_store
from tests.conftest import ROOT

SECTIONS = set(re.findall(r"^#+ (§[0-9]+(?:\.[0-9]+)?[a-z]?) ", (ROOT / "docs" / "sources.md").read_text(), re.M))


# The rules table ----------------------------------------------------------------------------------

def test_every_rule_names_sections_of_the_sources_that_exist():
    for key, rule in RULES.items():
        named = re.findall(r"§([0-9]+(?:\.[0-9]+)?[a-z]?)", rule.source)
        assert named or "not in docs/sources.md" in rule.source, key
        for section in named:
            assert f"§{section}" in SECTIONS, (key, section)


def test_a_rule_is_cited_in_the_text_in_force_on_the_entrys_date_and_by_the_court():
    assert RULES[in_force("en_banc_vote", "en_banc", "2024-11-29")].citation == "FRAP 35(a)"
    assert RULES[in_force("en_banc_vote", "en_banc", "2024-12-01")].citation == "FRAP 40(c)"
    # FRAP 29 renumbered on 2016-12-01: the amicus time rule was 29(e) before it (sources §11.3)
    assert RULES[in_force("amicus_circuit", "circuit", "2014-12-15")].citation == "FRAP 29(e)"
    assert RULES[in_force("amicus_circuit", "circuit", "2016-12-01")].citation == "FRAP 29(a)(6)"
    assert describe("rehearing_us", "circuit", "2025-01-02").startswith("FRAP 40 (as amended 2024-12-01): 45 days")
    assert describe("rehearing_us", "circuit", "2016-08-29").startswith("FRAP 40(a)(1): 45 days")
    assert RULES[in_force("response", "circuit", "2018-04-03")].citation == "FRAP 27(a)(3)"
    assert RULES[in_force("response", "supreme", "2018-04-03")].citation == "Sup. Ct. R. 21"
    assert RULES[in_force("legislation_letter", "circuit", "2018-03-23")].citation.startswith("FRAP 28(j)")
    assert "518(a)" not in RULES[in_force("legislation_letter", "supreme", "2018-03-23")].citation
    assert RULES["common_law_comity"].citation.startswith("Pub. L. 115-141, div. V, § 103(c)")
    assert "1291" not in RULES["final_disposition"].citation


def _events(name: str, n: int) -> list[list[Any]]:
    loaded = scenarios.load(name)
    return [simulate(loaded, "t", i, replication_seed(3, i)).pending_events for i in range(n)]


def test_final_dispositions_cite_the_last_step_or_the_period_that_ran_never_1291():
    matters = _events("microsoft_ireland_stochastic", 60)
    ends = [next(e for e in events if type(e).__name__ == "FinalDisposition") for events in matters]
    assert not any(e.rule.startswith("28 U.S.C. 1291") for e in ends)
    # a matter that ends on the treaty's execution or refusal cites the treaty, not a court's rule
    mlat = [e for e in ends if "mlat" in e.disposition]
    assert mlat and all(e.rule.startswith("US-Ireland MLAT (TIAS 13137)") for e in mlat)
    assert any(e.rule.startswith("Sup. Ct. R. 13.1") for e in ends)  # time to petition for certiorari ran


def test_supreme_court_filings_fall_on_business_days_and_arguments_monday_to_wednesday():
    from sim.calendar import is_argument_day, is_business_day
    argued, filings, below_weekend = [], 0, 0
    for events in _events("microsoft_ireland_stochastic", 150):
        for e in events[1:]:
            day = dt.date.fromisoformat(e.date)
            if e.KIND == "filing" and e.court_level == "supreme":
                filings += 1
                assert is_business_day(day, supreme=True), (e.step, e.date)  # Sup. Ct. R. 30.1
            elif e.KIND == "filing" and not is_business_day(day):
                below_weekend += 1  # electronic filing below is open every day (sources §11.1)
            if type(e).__name__ == "HearingHeld" and e.court_level == "supreme":
                argued.append(day)
                assert is_argument_day(day) and day.weekday() <= 2, e.date
    assert filings > 50 and len(argued) > 5
    first_mondays = sum(d.month == 10 and d.day <= 7 and d.weekday() == 0 for d in argued)
    assert first_mondays / len(argued) < 0.2, sorted(argued)


def test_amici_follow_the_brief_of_the_party_they_support_within_7_days():
    seen = 0
    for events in _events("microsoft_ireland_stochastic", 100):
        briefs = {(e.court_level, e.party): e.date for e in events[1:] if type(e).__name__ == "BriefFiled"
                  and e.kind in ("brief for appellant", "brief for appellee", "brief for petitioner",
                                 "brief for respondent")}
        for e in events[1:]:
            if type(e).__name__ == "AmicusBriefFiled" and e.supporting in ("provider", "government"):
                anchor = dt.date.fromisoformat(briefs[(e.court_level, e.supporting)])
                assert anchor <= dt.date.fromisoformat(e.date) <= anchor + dt.timedelta(days=7), e.step
                seen += 1
    assert seen > 50


def test_supreme_court_merits_briefing_runs_in_rule_25_order_before_argument():
    checked = 0
    for events in _events("microsoft_ireland_stochastic", 150):
        merits = [e for e in events if getattr(e, "step", "").startswith("merits_")]
        argued = [e for e in events if getattr(e, "step", "") == "supreme_argument"]
        if argued:
            assert [e.step for e in merits] == ["merits_petitioner", "merits_respondent", "merits_reply"]
            assert merits[0].date <= merits[1].date <= merits[2].date < argued[0].date
            assert all(e.rule.startswith("Sup. Ct. R. 25") for e in merits)
            checked += 1
    assert checked > 5


# A store doctored by hand --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The historical matter and 40 stochastic replications in a real SQLite store."""
    path = tmp_path_factory.mktemp("calendar") / "store.sqlite"
    store = open_store(f"sqlite:///{path}", create=True)
    historical = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0).matter_ids[0]
    stochastic = record_run(store, scenarios.load("microsoft_ireland_stochastic"), seed=5, replications=40).matter_ids
    return path, str(historical), [str(m) for m in stochastic]


def _doctor(path: Path, matter_id: str, pick: Callable[[dict[str, Any]], bool],
            change: Callable[[dict[str, Any]], None]) -> list[str]:
    """Change the first stored entry of a matter that `pick` selects, in a copy of the store; the
    audit's findings on the doctored matter."""
    copy = path.with_name(f"doctored-{matter_id[:8]}-{abs(hash(change.__code__))}.sqlite")
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as db:
        rows = db.execute("SELECT originator_version, state FROM stored_events WHERE originator_id = ? "
                          "ORDER BY originator_version", (matter_id.replace("-", ""),)).fetchall()
        seq, data = next((seq, json.loads(state)) for seq, state in rows if pick(json.loads(state)))
        change(data)
        db.execute("UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
                   (json.dumps(data).encode(), matter_id.replace("-", ""), seq))
    return [f.describe() for f in audit_events(open_store(f"sqlite:///{copy}").matter_events(matter_id))]


def _move(days: int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["date"] = (dt.date.fromisoformat(data["date"]) + dt.timedelta(days=days)).isoformat()
        data["sim_day"] += days
    return change


def test_the_lawful_store_has_no_finding(stored):
    path, historical, stochastic = stored
    store = open_store(f"sqlite:///{path}")
    assert [f for m in [historical, *stochastic] for f in audit_events(store.matter_events(m))] == []


def test_audit_names_a_supreme_court_filing_moved_to_a_sunday(stored):
    path, historical, _ = stored
    # the brief in opposition of Monday 2017-08-28, moved to Sunday 2017-08-27
    found = _doctor(path, historical, lambda d: d.get("step") == "brief_in_opposition", _move(-1))
    assert any("2017-08-27 BriefFiled: " + calendar_checks.FILING_DAYS in f and "Sunday 2017-08-27" in f
               for f in found), found


def test_audit_names_an_argument_on_a_thursday(stored):
    path, historical, _ = stored
    found = _doctor(path, historical, lambda d: d.get("step") == "supreme_argument", _move(2))  # to 2018-03-01
    assert any("2018-03-01 HearingHeld: " + calendar_checks.ARGUMENT_DAYS in f and "Thursday" in f
               for f in found), found


def test_audit_names_an_amicus_brief_more_than_7_days_after_the_brief_it_supports(stored):
    path, _, stochastic = stored
    store = open_store(f"sqlite:///{path}")
    matter = next(m for m in stochastic if any(type(e).__name__ == "AmicusBriefFiled" and e.supporting == "provider"
                                               for e in store.matter_events(m)))
    found = _doctor(path, matter, lambda d: d.get("step", "").endswith("_amici_provider"), _move(9))
    assert any(calendar_checks.AMICUS_TIME["circuit"] in f or calendar_checks.AMICUS_TIME["supreme"] in f
               for f in found), found
    assert any("7 days after the provider's principal brief" in f for f in found), found


def test_audit_names_a_citation_the_table_does_not_hold_for_the_step_and_date(stored):
    path, historical, _ = stored

    def cite(text: str) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            data["rule"] = text
        return change

    found = _doctor(path, historical, lambda d: d.get("step") == "final_disposition",
                    cite("28 U.S.C. 1291: no further review is sought or available"))
    assert any("FinalDisposition: " + calendar_checks.CITATION in f and "'28 U.S.C. 1291'" in f for f in found)
    found = _doctor(path, historical, lambda d: d.get("step") == "rehearing_decision",
                    cite("FRAP 40(c): majority of the active, non-disqualified judges"))  # the 2024 text, in 2017
    assert any("RehearingDecided: " + calendar_checks.CITATION in f and "'FRAP 35(a)'" in f for f in found), found


def test_audit_names_a_grant_by_mid_january_argued_the_next_term():
    """Unit check on stored-entry-like objects: granted 2018-01-08, argued in October Term 2018."""
    class E:
        KIND, court_level, rule, counterfactual = "court", "supreme", "", True

        def __init__(self, name: str, seq: int, date: str, **fields: Any) -> None:
            self.__class__ = type(name, (E,), {})
            self.originator_version, self.date, self.step = seq, date, ""
            vars(self).update(fields)

    opened = type("Opened", (), {"parties": {}})()
    found = list(calendar_checks.findings([opened, E("CertDecided", 2, "2018-01-08", granted=True),
                                           E("HearingHeld", 3, "2018-10-02")]))
    assert [f[3] for f in found] == [calendar_checks.SAME_TERM]


# Outcomes the law does not allow (issue 21) ---------------------------------------------------------

def _replication(i: int) -> list[Any]:
    return simulate(scenarios.load("microsoft_ireland_stochastic"), "t", i, replication_seed(11, i)).pending_events


def test_a_warrant_served_before_the_cloud_act_is_not_decided_under_2713():
    """Replications 1047 and 1748 (seed 11) had the Supreme Court decide the 2013 warrant under 18 U.S.C.
    2713 days after enactment, with no new warrant: the courts judge it by 2703 as it stood."""
    for i in (1047, 1748):
        events = _replication(i)
        enacted = next(e.date for e in events if type(e).__name__ == "LegislationEnacted")
        served = next(e.date for e in events if type(e).__name__ == "WarrantServed")
        assert served < enacted
        decided = [e for e in events if type(e).__name__ in ("SupremeCourtDecided", "PanelDecided", "EnBancDecided")]
        assert decided and all(e.doctrine != "statute" and "2713" not in e.rule for e in decided), i


def test_no_extension_application_is_pending_when_the_matter_ends():
    """Replication 90 (seed 11) ended with its Rule 13.5 application never ruled on: an application
    pending when the matter is mooted is ruled on first."""
    events = _replication(90)
    pending: dict[str, str] = {}
    for e in events:
        name = type(e).__name__
        if name == "ExtensionApplied":
            pending[e.extends] = e.date
        elif name == "TimeExtended":
            pending.pop(e.extends)
        elif name == "FinalDisposition":
            assert pending == {}
    assert any(type(e).__name__ == "TimeExtended" and e.extends == "cert_petition" for e in events)
