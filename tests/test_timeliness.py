"""Every period enforced on real SimPy runs (docs/sources.md §9.1): a filing comes in time, or after an
extension docketed first, or late with the law's consequence; courts act on their calendars; the
right party moves; and the audit finds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from sim import calendar
from sim import scenario as scenarios
from sim.distributions import Fixed, Probability
from sim.engine import simulate
from sim.runs.audit import audit_events
from sim.runs.runner import replication_seed
from sim.scenario import CertGrant
from sim.views.projections import entries, render_text
from tests.conftest import kinds, variant

NEVER = {"enacted": None}


@pytest.fixture(scope="module")
def base():
    """The stochastic scenario with every contested outcome fixed and every filing within its period,
    so each test names the path it takes and the one filing it makes late."""
    s = scenarios.load("microsoft_ireland_stochastic")
    timely = {"objection_after": Fixed(10), "appeal_after": Fixed(10), "rehearing_after": Fixed(10),
              "cert_after": Fixed(30), "opposition_after": Fixed(20), "seeks_extension": 1.0}
    return variant(s, cloud_act=NEVER,
                   provider={"refuses": 1.0, "challenges": 1.0, "objects": 1.0, "appeals": 1.0,
                             "petitions_rehearing": 0.0, "petitions_cert": 0.0, "seeks_stay_pending_appeal": 0.0,
                             "complies_after_loss": 1.0, **timely},
                   government={"objects": 1.0, "appeals": 1.0, "petitions_rehearing": 0.0, "petitions_cert": 0.0,
                               "mlat_after_loss": 0.0, **timely},
                   magistrate={"doctrine": Probability(0.0)}, district_court={"doctrine": Probability(0.0)},
                   court_of_appeals={"doctrine": Probability(1.0), "en_banc_grant": 0.0},
                   supreme_court={"doctrine": Probability(0.0),
                                  "cert_grant": CertGrant(Probability(1.0), Probability(1.0))})


def play(scenario, seed: int = 1):
    matter = simulate(scenario, "t", 0, seed)
    assert audit_events(matter.pending_events) == []
    return matter, {type(e).__name__: e for e in reversed(matter.pending_events)}


def first(matter, name):
    return next(e for e in matter.pending_events if type(e).__name__ == name)


def test_a_late_objection_waives_review(base):
    """Fed. R. Crim. P. 59(a): 30 days after the order, no extension sought: overruled as untimely, and
    the provider, having waived review, does not appeal."""
    matter, by = play(variant(base, provider={"objection_after": Fixed(30), "seeks_extension": 0.0}))
    objection = by["ObjectionFiled"]
    assert objection.timely is False and objection.deadline < objection.date
    assert by["ObjectionRuled"].disposition == "overruled as untimely"
    assert "NoticeOfAppealFiled" not in kinds(matter) and "ContemptHeld" not in kinds(matter)
    assert "[LATE: filed after the deadline" in render_text([*matter.pending_events])


def test_an_objection_out_of_time_but_under_an_extension_is_reviewed(base):
    matter, by = play(variant(base, provider={"objection_after": Fixed(30)}))
    names = kinds(matter)
    assert names.index("ExtensionApplied") < names.index("TimeExtended") < names.index("ObjectionFiled")
    applied, objection = by["ExtensionApplied"], by["ObjectionFiled"]
    assert applied.date <= first(matter, "MotionRuled").date or applied.date <= objection.deadline
    assert objection.timely and objection.extended_to == objection.deadline >= objection.date
    assert by["ObjectionRuled"].disposition == "affirmed"


def test_a_late_notice_of_appeal_within_30_days_is_saved_by_frap_4_a_5(base):
    matter, by = play(variant(base, provider={"appeal_after": Fixed(75)}))
    contempt = dt.date.fromisoformat(by["ContemptHeld"].date)
    due = calendar.deadline(contempt, 60)
    applied, granted, notice = by["ExtensionApplied"], by["TimeExtended"], by["NoticeOfAppealFiled"]
    assert applied.court_level == "district" and applied.date > due.isoformat()  # after the time expired
    latest = max(due + dt.timedelta(days=30), dt.date.fromisoformat(granted.date) + dt.timedelta(days=14))
    assert granted.extended_to <= latest.isoformat()
    assert notice.timely and "PanelDecided" in kinds(matter)


def test_a_notice_of_appeal_too_late_for_frap_4_a_5_is_dismissed(base):
    matter, by = play(variant(base, provider={"appeal_after": Fixed(120)}))
    assert by["NoticeOfAppealFiled"].timely is False
    assert "AppealDismissed" in kinds(matter) and "PanelDecided" not in kinds(matter)
    assert matter.disposition in ("warrant enforced", "contempt sanctions")


def test_an_out_of_time_petition_for_certiorari_is_never_docketed(base):
    """Sup. Ct. R. 13.2: returned unfiled; no Supreme Court docket opens; the judgment below stands."""
    matter, _by = play(variant(base, government={"petitions_cert": 1.0, "cert_after": Fixed(120),
                                                 "seeks_extension": 0.0}))
    assert "PetitionReturned" in kinds(matter) and "CertPetitioned" not in kinds(matter)
    assert not any(e.court_level == "supreme" for e in matter.pending_events[1:])
    assert matter.disposition.startswith("warrant vacated")


def test_a_stay_of_the_mandate_not_continued_runs_out_after_90_days(base):
    """FRAP 41(d)(2): the stay "must not exceed 90 days" unless the petition is filed or the time to file it
    extended; with neither, the mandate issues once the 90 days are past, not when a late petition is returned."""
    matter, by = play(variant(base, government={"petitions_cert": 1.0, "cert_after": Fixed(200),
                                                "seeks_extension": 0.0}))
    stayed = next(e for e in matter.pending_events if type(e).__name__ == "MotionRuled"
                  and e.motion_id == "stay_mandate-1")
    last_day = calendar.deadline(dt.date.fromisoformat(stayed.date), 90)
    mandate, returned = by["MandateIssued"], by["PetitionReturned"]
    assert mandate.date == calendar.deadline(last_day, 1).isoformat() < returned.date
    assert mandate.rule.startswith("FRAP 41(d)(2):") and "stay of the mandate has run out" in mandate.text
    assert [type(e).__name__ for e in matter.pending_events].index("OrderOnRemand") \
        > [type(e).__name__ for e in matter.pending_events].index("MandateIssued")


def test_a_stay_continued_by_the_petition_ends_on_denial_and_the_mandate_cites_41_d_4(base):
    """FRAP 41(d)(2), (4): the petition filed, the stay lasts until the Court disposes of it; denied, the
    mandate issues at once, under 41(d)(4), more than 90 days after the stay."""
    denied = variant(base, government={"petitions_cert": 1.0, "cert_after": Fixed(80)},
                     supreme_court={"cert_grant": CertGrant(Probability(0.0), Probability(0.0))})
    matter, by = play(denied)
    decision, mandate = by["CertDecided"], by["MandateIssued"]
    assert not decision.granted and mandate.date == decision.date
    assert mandate.rule.startswith("FRAP 41(d)(4):")
    stayed = next(e for e in matter.pending_events if type(e).__name__ == "MotionRuled"
                  and e.motion_id == "stay_mandate-1")
    assert mandate.date > calendar.deadline(dt.date.fromisoformat(stayed.date), 90).isoformat()


def test_a_rule_13_5_extension_is_applied_for_ten_days_ahead_and_is_at_most_60_days(base):
    _, by = play(variant(base, government={"petitions_cert": 1.0, "cert_after": Fixed(140)}))
    applied, petition = by["ExtensionApplied"], by["CertPetitioned"]
    judgment = dt.date.fromisoformat(by["PanelDecided"].date)
    due = calendar.deadline(judgment, 90, supreme=True)
    assert applied.date <= (due - dt.timedelta(days=10)).isoformat()
    assert applied.until <= (due + dt.timedelta(days=60)).isoformat()
    assert petition.timely and petition.counsel == "Solicitor General"
    assert petition.docket_number == f"{calendar.term_of(dt.date.fromisoformat(petition.date)) % 100:02d}-2"
    assert applied.docket_number == petition.docket_number


def test_a_late_brief_in_opposition_is_not_filed_and_the_petition_goes_to_conference(base):
    matter, by = play(variant(base, government={"petitions_cert": 1.0, "cert_after": Fixed(30)},
                              provider={"opposition_after": Fixed(45), "seeks_extension": 0.0}))
    assert not any(getattr(e, "period", None) == "brief_in_opposition" for e in matter.pending_events)
    distributed = by["PetitionDistributed"]
    assert "No brief in opposition was filed" in distributed.text
    petition = dt.date.fromisoformat(by["CertPetitioned"].date)
    assert distributed.date > calendar.deadline(petition, 30, supreme=True).isoformat()


def test_a_late_rehearing_petition_is_denied_and_certiorari_runs_from_the_judgment(base):
    _, by = play(variant(base, government={"petitions_rehearing": 1.0, "rehearing_after": Fixed(50),
                                                 "seeks_extension": 0.0, "petitions_cert": 1.0,
                                                 "cert_after": Fixed(20)},
                              court_of_appeals={"en_banc_ruling_after": Fixed(5)}))
    assert by["RehearingPetitioned"].timely is False
    assert by["RehearingDecided"].untimely is True and by["RehearingDecided"].granted is False
    judgment = dt.date.fromisoformat(by["PanelDecided"].date)
    assert by["CertPetitioned"].deadline == calendar.deadline(judgment, 90, supreme=True).isoformat()


def test_a_late_2703h_motion_is_denied_unless_time_was_extended():
    s = scenarios.load("cloud_act_executive_agreement")
    late = variant(s, provider={"comity_motion": 1.0, "comity_motion_after": Fixed(20), "seeks_extension": 0.0})
    _, by = play(late)
    assert by["ComityMotionFiled"].timely is False and by["ComityMotionRuled"].disposition == "denied as untimely"
    extended = variant(s, provider={"comity_motion": 1.0, "comity_motion_after": Fixed(20), "seeks_extension": 1.0})
    _, by = play(extended)
    assert by["ComityMotionFiled"].timely is True and by["ComityMotionRuled"].disposition != "denied as untimely"
    assert "[simulated regime" not in by["ComityMotionFiled"].text  # a 2023 warrant: the agreement is in force
    counterfactual = scenarios.load("cloud_act_executive_agreement_counterfactual")
    _, by = play(variant(counterfactual, provider={"comity_motion": 1.0}))
    assert "[simulated regime: an executive agreement with the United Kingdom assumed in force; in force only " \
           "from 2022-10-03]" in by["ComityMotionFiled"].text


@pytest.mark.parametrize("name", ["microsoft_ireland_stochastic", "cloud_act", "control_rule"])
def test_courts_act_on_business_days_and_the_supreme_court_on_its_term(name):
    s = scenarios.load(name)
    for i in range(150):
        matter = simulate(s, "t", i, 1000 + i)
        for row in entries(matter.pending_events):
            day = dt.date.fromisoformat(row["date"])
            if row["kind"] == "court":  # the Supreme Court's business days under Sup. Ct. R. 30.1
                assert calendar.is_business_day(day, row["court_level"] == "supreme"), row
            if row["event"] == "CertDecided":
                assert not calendar.in_summer_recess(day), row
            if row["event"] == "HearingHeld" and row["court_level"] == "supreme":
                assert day.month in (10, 11, 12, 1, 2, 3, 4), row


def test_the_party_that_lost_below_asks_to_vacate_as_moot(base):
    """The provider lost in the court of appeals and petitioned; the CLOUD Act moots the case: the
    provider, not the government, asks the Supreme Court to vacate (sources §9.6)."""
    scenario = variant(base, cloud_act={"enacted": dt.date(2018, 3, 23)},
                       court_of_appeals={"doctrine": Probability(0.0), "en_banc_grant": 0.0},
                       provider={"petitions_cert": 1.0, "cert_after": Fixed(60)},
                       supreme_court={"cert_grant": CertGrant(Probability(1.0), Probability(1.0)),
                                      "argument_after": Fixed(400), "doctrine": Probability(0.0)})
    for seed in range(40):
        matter, by = play(scenario, seed)
        motion = [e for e in matter.pending_events if type(e).__name__ == "MotionFiled" and e.kind == "vacate_moot"]
        if motion and motion[0].court_level == "supreme":
            assert by["PanelDecided"].prevailing == "government" and motion[0].party == "provider"
            assert motion[0].counsel == "counsel for Microsoft Corp."
            return
    pytest.fail("no replication was mooted in the Supreme Court")


def test_a_mandate_waits_for_the_ruling_on_a_motion_pending_in_the_court_of_appeals():
    """Found by a 1,500-replication run (seed 8, replication 732): the stay of the mandate ran out (FRAP 41(d)(2))
    while the government's motion to vacate the judgment as moot was pending in the court of appeals; the
    mandate then issued and the court ruled on a case it no longer held. The mandate now waits for the ruling,
    which sends it down (sources §10.4)."""
    s = scenarios.load("microsoft_ireland_stochastic")
    matter = simulate(s, "t", 732, replication_seed(8, 732))
    names = [type(e).__name__ for e in matter.pending_events]
    assert audit_events(matter.pending_events) == []
    assert "RehearingDecided" in names and "LegislationEnacted" in names  # the path that found it
    moot = next(e for e in matter.pending_events if type(e).__name__ == "DismissedAsMoot")
    mandate = next(e for e in matter.pending_events if type(e).__name__ == "MandateIssued")
    assert moot.court_level == "circuit" and names.index("DismissedAsMoot") < names.index("MandateIssued")
    assert mandate.rule.startswith("FRAP 41(b)")


def test_a_fork_of_the_record_after_its_last_entry_copies_it_whole():
    """The historical matter's stay of the mandate was continued (the time to petition extended); a fork
    copying every entry must not wait for a mandate the source never issued (the stay's 90-day timer records
    nothing then): it ends as the record does, on the record's day. The slow CLI test of forks found it."""
    from sim.runs.forks import fork
    from sim.runs.runner import record_run
    from sim.store import open_store
    from tests.conftest import no_progress

    store = open_store("memory://")
    source_id = record_run(store, scenarios.load("microsoft_ireland_2013"), seed=0).matter_ids[0]
    source = store.matter_events(source_id)
    comparison, _ = fork(store, str(source_id), source[-1].originator_version, None, [], 1, 1, 1, None, no_progress,
                         lambda _: None)
    forked = store.matter_events(comparison.runs[0][1].matter_ids[0])
    assert [(type(e).__name__, e.date) for e in forked[1:]] == [(type(e).__name__, e.date) for e in source[1:]]
