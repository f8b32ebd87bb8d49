"""Where the data sits: the countries table, `data.country`, and what the provider may do there on a
given day (18 U.S.C. 2703(h) only for a qualifying foreign government; otherwise common-law comity),
with the MLAT route under that country's treaty (docs/sources.md §3, §4, §8.1, §9.5)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sim import scenario as scenarios
from sim.domain import countries
from sim.engine import simulate
from sim.errors import ScenarioError
from sim.runs.audit import audit_events
from sim.runs.runner import replication_seed
from tests.conftest import cli, kinds

UK_2023 = [("data.country", "United Kingdom"), ("scenario.start_date", "2023-03-01"),
           ("provider.comity_motion", "1.0")]


def test_the_table_holds_each_countrys_treaty_and_agreement_with_its_status():
    uk, australia, ireland = (countries.COUNTRIES[c] for c in ("United Kingdom", "Australia", "Ireland"))
    assert uk.agreement.in_force == "2022-10-03" and uk.agreement.status == "CONFIRMED"
    assert australia.agreement.in_force == "2024-01-31" and "UNCONFIRMED" in australia.agreement.describe()
    assert ireland.agreement is None and ireland.mlat.in_force == "2009-08-11" and "TIAS 13137" in ireland.treaty
    assert uk.treaty == "US-UK Mutual Legal Assistance Treaty (1994), in force 1996"  # sources §11.4
    assert uk.mlat.signed == "1994" and "not in docketsim's sources" in countries.COUNTRIES["Canada"].treaty
    assert countries.qualifying_foreign_government("United Kingdom", "2022-10-03")
    assert not countries.qualifying_foreign_government("United Kingdom", "2022-10-02")
    assert not countries.qualifying_foreign_government("Ireland", "2030-01-01")
    assert countries.qualifying_foreign_government("Ireland", "2014-01-01", assumed="2013-12-04")


@pytest.mark.parametrize(("table", "key", "message"), [
    ({"Ruritania": {"source": "sources §3"}}, "Ruritania.central_authority", "missing"),
    ({"Ruritania": {"central_authority": "x", "source": "s", "agreement": {"name": "a", "in_force": "soon",
                                                                           "status": "CONFIRMED", "source": "s"}}},
     "Ruritania.agreement.in_force", "expected a date"),
    ({"Ruritania": {"central_authority": "x", "source": "s", "treaty": "t"}}, "Ruritania.treaty", "unknown key"),
    ({"Ruritania": {"central_authority": "x", "source": "s", "mlat": {"name": "t", "in_force": None,
                                                                      "status": "likely", "source": "s"}}},
     "Ruritania.mlat.status", "expected one of CONFIRMED"),
])
def test_a_bad_countries_table_names_the_file_and_the_key(table, key, message):
    with pytest.raises(ScenarioError) as info:
        countries.parse(table)
    assert info.value.source == countries.SHOWN and info.value.key == key and message in info.value.message


def test_an_unknown_country_names_the_known_ones():
    with pytest.raises(ScenarioError) as info:
        scenarios.with_settings(scenarios.load("cloud_act"), [("data.country", "Ruritania")])
    assert "unknown country" in str(info.value) and "United Kingdom" in str(info.value)
    assert "Ireland" in str(info.value) and "Australia" in str(info.value)


def matters(settings, n: int = 30, name: str = "cloud_act"):
    scenario = scenarios.with_settings(scenarios.load(name), settings)
    for i in range(n):
        yield simulate(scenario, "countries", i, replication_seed(11, i))


def statutory_motions(matter) -> list[bool]:
    return [e.qualifying_foreign_government for e in matter.pending_events if type(e).__name__ == "ComityMotionFiled"]


def test_a_uk_warrant_after_the_agreement_meets_a_2703h_motion_before_it_or_for_ireland_never():
    after = list(matters(UK_2023))
    assert all(True in statutory_motions(m) for m in after)  # the provider moves whenever the law lets it
    for m in after:
        filed = next(e for e in m.pending_events if type(e).__name__ == "ComityMotionFiled")
        assert filed.period == "comity_motion" and filed.rule.startswith("18 U.S.C. 2703(h)(2)(A)")
        assert "[simulated regime" not in filed.text and audit_events(m.pending_events) == []
    before = [*matters([("data.country", "United Kingdom"), ("scenario.start_date", "2022-09-01"),
                        ("provider.comity_motion", "1.0")]),
              *matters([("data.country", "United Kingdom"), ("provider.comity_motion", "1.0")])]
    ireland = list(matters([("scenario.start_date", "2023-03-01"), ("provider.comity_motion", "1.0")]))
    for m in before + ireland:
        assert True not in statutory_motions(m)  # at most the common-law challenge
        assert audit_events(m.pending_events) == []
    assert any(False in statutory_motions(m) for m in ireland)


def test_the_2703h_motion_is_the_sole_basis_for_a_conflict_with_a_qualifying_government():
    """A provider that lets the 14 days pass and refuses meets a motion to compel, not a comity challenge."""
    for m in matters([*UK_2023[:2], ("provider.comity_motion", "0.0"), ("provider.refuses", "1.0")], n=10):
        assert statutory_motions(m) == [] and "ComityMotionFiled" not in kinds(m)
        assert next(e for e in m.pending_events if type(e).__name__ == "MotionFiled").kind == "compel"


def test_the_ruling_on_a_2703h_motion_names_the_comity_factors_it_weighed():
    ruled = next(e for m in matters(UK_2023, n=5) for e in m.pending_events if type(e).__name__ == "ComityMotionRuled")
    for factor in ("(A) the interests of the United States", "(B) the interests of the United Kingdom",
                   "(G) the likelihood of timely and effective access", "factor (H) does not apply"):
        assert factor in ruled.text


def test_the_mlat_route_cites_the_countrys_treaty():
    [ireland] = matters([], n=1, name="location_rule")
    [uk] = matters([("data.country", "United Kingdom")], n=1, name="location_rule")
    rule = {m.parties["foreign_state"]: next(e.rule for e in m.pending_events if type(e).__name__ == "MLATRequestSent")
            for m in (ireland, uk)}
    assert rule["Ireland"].startswith("US-Ireland MLAT (TIAS 13137), in force 2009-08-11")
    assert "US-UK Mutual Legal Assistance Treaty (1994), in force 1996" in rule["United Kingdom"]


def test_the_audit_checks_when_the_country_qualifies():
    [m] = matters(UK_2023, n=1)
    opened, *rest = m.pending_events
    forged = dataclasses.replace(opened, qualifying_since="2013-01-01")
    found = audit_events([forged, *rest])
    assert found and found[0].event == "Opened" and "'2022-10-03'" in found[0].expected


@pytest.mark.slow
def test_run_and_compare_take_set(tmp_path):
    """The command contract: --set on run and compare, validated as in a file."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    done = cli("run", "cloud_act", "--set", "data.country=United Kingdom", "--set", "scenario.start_date=2023-03-01",
               "--set", "provider.comity_motion=1.0", "-n", "2", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "scenario cloud_act [data.country=United Kingdom, scenario.start_date=2023-03-01" in done.stdout
    docket = json.loads(cli("docket", "--latest", "--format", "json", "--store", url, cwd=tmp_path).stdout)
    assert any(e["event"] == "ComityMotionFiled" and e["deadline"] for e in docket)
    assert any(e["docket_number"] == "1:23-mj-02814" for e in docket)
    bad = cli("run", "cloud_act", "--set", "data.country=Ruritania", "--store", url, cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--set data.country: unknown country \"Ruritania\"; expected one of Ireland" in bad.stderr
    out = tmp_path / "report"
    done = cli("compare", "cloud_act", "--set", "data.country=United Kingdom", "-n", "3", "--out", str(out),
               "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cloud_act [data.country=United Kingdom]" in (out / "index.html").read_text(encoding="utf-8")
    for args in (["run", "--resume", "x", "--set", "a=b"], ["compare", "cloud_act", "--set", "nonsense"]):
        bad = cli(*args, "--store", url, cwd=tmp_path)
        assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
