"""The SimPy engine on real runs: every path ends in a final disposition, in legal order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.distributions import Probability
from sim.domain.procedure import AFTER_DISPOSITION
from sim.engine import simulate
from sim.runs.audit import audit_events
from sim.runs.runner import replication_seed
from sim.scenario import AssumedAgreement, CertGrant
from tests.conftest import kinds, variant


def test_time_really_passes_between_steps(historical):
    """Unpinned, the steps are spaced by the scenario's durations (timeouts are yielded)."""
    matter = simulate(variant(historical), "t", 0, 0)
    days = [e.sim_day for e in matter.pending_events[1:]]
    assert days == sorted(days)
    assert days[-1] > 1000


def test_provider_complies_without_litigation(historical):
    matter = simulate(variant(historical, provider={"refuses": 0.0}), "t", 0, 0)
    assert kinds(matter)[-2:] == ["DataDisclosed", "FinalDisposition"]
    assert "MotionFiled" not in kinds(matter)


def test_government_moves_to_compel_when_provider_refuses_without_moving(historical):
    matter = simulate(variant(historical, provider={"challenges": 0.0}, cloud_act={"enacted": None}), "t", 0, 0)
    filed = [e for e in matter.pending_events if type(e).__name__ == "MotionFiled"]
    assert filed[0].kind == "compel"


def test_location_rule_throughout_leads_to_mlat(historical):
    location = Probability(1.0)
    scenario = variant(historical, magistrate={"doctrine": location}, district_court={"doctrine": location},
                       court_of_appeals={"doctrine": location}, cloud_act={"enacted": None},
                       government={"objects": 1.0, "appeals": 1.0, "petitions_rehearing": 0.0,
                                   "petitions_cert": 0.0})
    matter = simulate(scenario, "t", 0, 0)
    assert "MLATRequestSent" in kinds(matter) and "ContemptHeld" not in kinds(matter)
    assert matter.disclosed_route == "mlat"


def test_control_rule_and_refusal_end_in_contempt_sanctions(historical):
    control = Probability(0.0)
    scenario = variant(historical, court_of_appeals={"doctrine": control}, cloud_act={"enacted": None},
                       provider={"complies_after_loss": 0.0, "petitions_rehearing": 0.0, "petitions_cert": 0.0})
    matter = simulate(scenario, "t", 0, 0)
    assert kinds(matter).count("ContemptHeld") == 2
    # coercive contempt runs until compliance (sources §9.8): the provider produces, the contempt is purged,
    # and only then does the matter end, after the mandate returned the case to the district court
    names = kinds(matter)
    assert names.index("MandateIssued") < names.index("MotionFiled", names.index("PanelDecided")) \
        < len(names) - 1 - names[::-1].index("ContemptHeld") < names.index("ContemptPurged")
    assert matter.disposition == "contempt sanctions" and matter.disclosed_route == "warrant"
    assert names[-1] == "FinalDisposition" and not matter.sanction_running


def test_comity_motion_under_2703h_with_a_qualifying_foreign_government(historical):
    import datetime as dt

    scenario = variant(historical, cloud_act={"enacted": dt.date(2013, 1, 1)},
                       data={"assume_agreement": AssumedAgreement(dt.date(2013, 1, 1), "a test")},
                       provider={"comity_motion": 1.0}, magistrate={"quashes_on_comity": 1.0},
                       government={"mlat_after_loss": 1.0})
    matter = simulate(scenario, "t", 0, 0)
    names = kinds(matter)
    assert names.index("ComityMotionFiled") < names.index("ComityMotionRuled") < names.index("MLATRequestSent")
    filed = next(e for e in matter.pending_events if type(e).__name__ == "ComityMotionFiled")
    served = next(e for e in matter.pending_events if type(e).__name__ == "WarrantServed")
    assert served.date == "2013-12-04"
    assert filed.deadline == "2013-12-18"  # 18 U.S.C. 2703(h)(2): 14 days after service
    assert "[simulated regime: an executive agreement with Ireland assumed in force" in filed.text


def test_government_route_mlat_needs_no_warrant(historical):
    matter = simulate(variant(historical, government={"route": "mlat"}), "t", 0, 0)
    assert kinds(matter)[1] == "MLATRequestSent" and "WarrantApplied" not in kinds(matter)


@settings(max_examples=60, deadline=None)
@given(choices=st.fixed_dictionaries({
    "refuses": st.sampled_from([0.0, 1.0]), "challenges": st.sampled_from([0.0, 1.0]),
    "p_objects": st.sampled_from([0.0, 1.0]), "g_objects": st.sampled_from([0.0, 1.0]),
    "p_appeals": st.sampled_from([0.0, 1.0]), "g_appeals": st.sampled_from([0.0, 1.0]),
    "rehearing": st.sampled_from([0.0, 1.0]), "en_banc": st.sampled_from([0.0, 1.0]),
    "cert": st.sampled_from([0.0, 1.0]), "grant": st.sampled_from([0.0, 1.0]),
    "stay": st.sampled_from([0.0, 1.0]), "complies": st.sampled_from([0.0, 1.0]),
    "mlat": st.sampled_from([0.0, 1.0]), "doctrines": st.lists(st.floats(0, 1), min_size=4, max_size=4),
    "cloud_act": st.sampled_from([None, "2013-01-01", "2015-06-01", "2018-03-23"]),
    "qfg": st.booleans(),
}), seed=st.integers(0, 2**32))
def test_every_path_reaches_a_final_disposition_in_legal_order(historical, choices, seed):
    """Whatever the parties and courts decide, the matter ends once, lawfully (the aggregate would
    raise OutOfOrder otherwise), and nothing but disclosure follows the final disposition."""
    import datetime as dt

    c = choices
    d = [Probability(x) for x in c["doctrines"]]
    scenario = variant(
        historical,
        provider={"refuses": c["refuses"], "challenges": c["challenges"], "objects": c["p_objects"],
                  "appeals": c["p_appeals"], "petitions_rehearing": c["rehearing"], "petitions_cert": c["cert"],
                  "seeks_stay_pending_appeal": c["stay"], "complies_after_loss": c["complies"],
                  "comity_motion": 1.0},
        government={"objects": c["g_objects"], "appeals": c["g_appeals"], "petitions_rehearing": c["rehearing"],
                    "petitions_cert": c["cert"], "mlat_after_loss": c["mlat"]},
        magistrate={"doctrine": d[0]}, district_court={"doctrine": d[1]},
        court_of_appeals={"doctrine": d[2], "en_banc_grant": c["en_banc"]},
        supreme_court={"doctrine": d[3], "cert_grant": CertGrant(Probability(c["grant"]), Probability(c["grant"]))},
        cloud_act={"enacted": c["cloud_act"] and dt.date.fromisoformat(c["cloud_act"])},
        data={"assume_agreement": AssumedAgreement(dt.date(2013, 1, 1), "a test") if c["qfg"] else None},
    )
    matter = simulate(scenario, "t", 0, replication_seed(seed, 0))
    names = kinds(matter)
    assert names.count("FinalDisposition") == 1
    assert set(names[names.index("FinalDisposition") + 1:]) <= set(AFTER_DISPOSITION)
    assert names.count("DataDisclosed") <= 1
    assert audit_events(matter.pending_events) == []


def test_amici_and_the_foreign_governments_offer_are_possible_events_in_a_simulation():
    import datetime as dt

    from sim import scenario as scenarios

    s = scenarios.load("microsoft_ireland_stochastic")
    offers, levels = 0, set()
    for i in range(200):
        matter = simulate(s, "t", i, replication_seed(5, i))
        for e in matter.pending_events:
            if type(e).__name__ == "AmicusBriefFiled":
                levels.add(e.court_level)
                offers += e.offers_mlat
                assert e.counterfactual is True and dt.date.fromisoformat(e.date)
    assert levels == {"circuit", "supreme"} and offers > 0


def test_an_order_not_to_notify_is_granted_with_the_warrant_and_extended_or_lapses(historical):
    from sim.distributions import Fixed

    base = variant(historical, nondisclosure={"sought": 1.0, "period": Fixed(90), "challenged": 0.0})
    lapsed = kinds(simulate(variant(base, nondisclosure={"extended": 0.0}), "t", 0, 0))
    assert lapsed[1:5] == ["WarrantApplied", "NondisclosureSought", "WarrantIssued", "NondisclosureOrdered"]
    assert lapsed.count("NondisclosureOrdered") == 1 and "NondisclosureLapsed" in lapsed
    matter = simulate(variant(base, nondisclosure={"extended": 1.0}), "t", 0, 0)
    orders = [e for e in matter.pending_events if type(e).__name__ == "NondisclosureOrdered"]
    assert len(orders) > 5 and all(o.extension for o in orders[1:]) and "NondisclosureLapsed" not in kinds(matter)
    assert audit_events(matter.pending_events) == []
    challenged = simulate(variant(base, nondisclosure={"challenged": 1.0, "vacated": 1.0, "extended": 1.0,
                                                       "period": Fixed(400)}), "t", 0, 0)
    names = kinds(challenged)
    assert names.index("NondisclosureChallenged") < names.index("NondisclosureRuled")
    assert names.count("NondisclosureOrdered") == 1  # vacated: nothing left to extend


def test_the_new_steps_are_told_in_plain_english(historical):
    from sim.distributions import Fixed
    from sim.views.narrative import tell

    matter = simulate(variant(historical, nondisclosure={"sought": 1.0, "period": Fixed(90), "challenged": 1.0,
                                                         "challenge_after": Fixed(10), "extended": 0.0}), "t", 0, 0)
    told = "\n".join(text for _, text in tell(matter.pending_events))
    for phrase in ("not to tell anyone about the warrant", "asks the court to lift that order",
                   "Ireland files a brief as a friend of the court", "would handle a request for the e-mails",
                   "Friends of the court (amici curiae) file briefs, supporting Microsoft Corp.",
                   "writes to tell the court that Congress has changed the law"):
        assert phrase in told
    assert "AmicusBriefFiled" not in told and "Nondisclosure" not in told and "foreign_government" not in told
