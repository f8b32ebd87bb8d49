"""The declared procedure on the real `Matter` aggregate: legal order, the header the law fixes, periods,
calendars, parties and labels; what it refuses, what it accepts, and the same after a rebuild."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sim.domain import ladder
from sim.domain.ladder import LADDER, LANES, counsel, docket_number, in_supreme_court
from sim.domain.matter import Matter
from sim.domain.periods import PERIODS
from sim.domain.procedure import MOTION_PREREQUISITES, PREREQUISITES, RULINGS, OutOfOrder, Unlawful
from sim.domain.registry import OPENS
from sim.specimen import PARTIES, START, Clerk, opened
from sim.store import open_store

CLOUD_ACT = ["18 U.S.C. 2713", "18 U.S.C. 2703(h)", "18 U.S.C. 2523"]

# Default event-specific fields, overridable per call.
FIELDS: dict[str, dict[str, Any]] = {
    "WarrantApplied": {"party": "government"},
    "ProductionRefused": {"reason": "content stored in Ireland"},
    "MotionFiled": {"party": "provider", "motion_id": "m1", "kind": "vacate"},
    "MotionRuled": {"motion_id": "m1", "disposition": "denied"},
    "BriefFiled": {"party": "government", "kind": "response"},
    "HearingHeld": {"kind": "argument"},
    "ExtensionApplied": {"party": "provider", "extends": "objection", "until": "2013-12-31"},
    "TimeExtended": {"extends": "objection", "extended_to": "2013-12-31"},
    "ObjectionFiled": {"party": "provider"},
    "ObjectionRuled": {"disposition": "affirmed", "final_order": False, "prevailing": "government"},
    "StayLifted": {"motion_id": "m1"},
    "ContemptHeld": {"sanctions": "none while the appeal proceeds"},
    "NoticeOfAppealFiled": {"party": "provider"},
    "PanelDecided": {"disposition": "reversed", "doctrine": "location", "prevailing": "provider"},
    "RehearingPetitioned": {"party": "government"},
    "RehearingDecided": {"granted": False, "untimely": False},
    "EnBancDecided": {"disposition": "panel decision adhered to", "doctrine": "location", "prevailing": "provider"},
    "CertPetitioned": {"party": "government"},
    "PetitionReturned": {"petitioner": "government"},
    "CertDecided": {"granted": True},
    "SupremeCourtDecided": {"disposition": "reversed", "doctrine": "control", "prevailing": "government"},
    "OrderOnRemand": {"action": "dismissed as moot"},
    "LegislationEnacted": {"public_law": "Pub. L. 115-141", "statutes": CLOUD_ACT},
    "DismissedAsMoot": {"motion_id": "m1", "vacatur": "dismissed as moot"},
    "MLATRequestSent": {"requested_state": "Ireland"},
    "MLATRequestRefused": {"reason": "dual criminality"},
    "ComityMotionFiled": {"party": "provider", "motion_id": "m1", "qualifying_foreign_government": False,
                          "period": None},
    "ComityMotionRuled": {"motion_id": "m1", "disposition": "denied"},
    "DataDisclosed": {"route": "warrant"},
    "FinalDisposition": {"disposition": "warrant executed"},
    "AmicusBriefFiled": {"party": "amicus", "supporting": "provider", "offers_mlat": False},
    "NondisclosureSought": {"party": "government", "days": 90},
    "NondisclosureOrdered": {"until": "2014-03-04", "extension": False},
    "NondisclosureChallenged": {"party": "provider"},
    "NondisclosureRuled": {"disposition": "denied"},
}

Step = tuple[str, dict[str, Any]]


def record(matter: Matter, event: str, **fields: Any) -> None:
    """Record `event` (a class name) with default fields; `day` and `level` as the clerk takes them."""
    special = {k: fields.pop(k) for k in ("day", "level") if k in fields}
    Clerk(matter).enter(Matter.ENTRY_TYPES[event], **special, **{**FIELDS.get(event, {}), **fields})


def play(matter: Matter, steps: list[Step]) -> Matter:
    for event, fields in steps:
        record(matter, event, **fields)
    return matter


def snapshot(matter: Matter) -> tuple[Any, ...]:
    return (matter.version, len(matter.pending_events), list(matter.history), matter.last_day,
            dict(matter.last_entry), dict(matter.pending_motions), matter.appealable_order, matter.stayed,
            {k: dict(v) for k, v in matter.deadlines.items()})


def assert_refused(matter: Matter, event: str, needs: str, **kwargs: Any) -> Unlawful:
    """`event` raises Unlawful naming itself and `needs`, and leaves the matter as it was."""
    before = snapshot(matter)
    with pytest.raises(Unlawful) as info:
        record(matter, event, **kwargs)
    message = str(info.value)
    assert event in message, message
    assert needs in message, message
    assert info.value.event == event
    assert snapshot(matter) == before
    return info.value


def assert_accepted(matter: Matter, event: str, **kwargs: Any) -> None:
    version = matter.version
    record(matter, event, **kwargs)
    assert matter.history[-1] == event
    assert matter.version == version + 1


SERVED: list[Step] = [("WarrantApplied", {}), ("WarrantIssued", {}), ("WarrantServed", {})]
REFUSED: list[Step] = [*SERVED, ("ProductionRefused", {})]
CONTEMPT: list[Step] = [*REFUSED, ("MotionFiled", {"party": "government", "motion_id": "c1", "kind": "contempt"}),
                        ("ContemptHeld", {})]
APPEALED: list[Step] = [*CONTEMPT, ("NoticeOfAppealFiled", {})]
JUDGMENT: list[Step] = [*APPEALED, ("PanelDecided", {})]
CERT_SOUGHT: list[Step] = [*JUDGMENT, ("CertPetitioned", {})]
OPPOSED: list[Step] = [*CERT_SOUGHT, ("BriefFiled", {"party": "provider", "kind": "brief in opposition",
                                                       "period": "brief_in_opposition"})]
DISTRIBUTED: list[Step] = [*OPPOSED, ("PetitionDistributed", {"day": 14})]
RULED: list[Step] = [*SERVED, ("MotionFiled", {}), ("MotionRuled", {})]
REHEARD: list[Step] = [*JUDGMENT, ("RehearingPetitioned", {}),
                       ("RehearingDecided", {"granted": True, "level": "en_banc"})]

# What must be on record before each prerequisite can itself be recorded (the prerequisite excluded).
UPSTREAM: dict[str, list[Step]] = {
    "WarrantApplied": [],
    "WarrantIssued": [("WarrantApplied", {})],
    "WarrantServed": SERVED[:2],
    "ProductionRefused": SERVED,
    "MotionRuled": [*SERVED, ("MotionFiled", {})],
    "ComityMotionRuled": [*SERVED, ("ComityMotionFiled", {})],
    "ObjectionFiled": RULED,
    "NoticeOfAppealFiled": CONTEMPT,
    "PanelDecided": APPEALED,
    "RehearingPetitioned": JUDGMENT,
    "RehearingDecided": [*JUDGMENT, ("RehearingPetitioned", {})],
    "CertPetitioned": JUDGMENT,
    "PetitionDistributed": OPPOSED,
    "SupremeCourtDecided": [*DISTRIBUTED, ("CertDecided", {"day": 14}),
                            ("HearingHeld", {"day": 14, "level": "supreme"})],
    "MLATRequestSent": [],
    "StayGranted": SERVED,
    "NewWarrantIssued": [],
    "NondisclosureSought": [("WarrantApplied", {})],
    "NondisclosureOrdered": [("WarrantApplied", {}), ("NondisclosureSought", {})],
    "NondisclosureChallenged": [("WarrantApplied", {}), ("NondisclosureSought", {}), ("NondisclosureOrdered", {})],
}
# The prerequisites the parametrized test can record in turn (each with its own fields).
PREREQUISITE_FIELDS: dict[str, dict[str, Any]] = {
    "DismissedAsMoot": {}, "EnBancDecided": {}, "SupremeCourtDecided": {"day": 14},
    "PetitionDistributed": {"day": 14},
}
SKIPPED = {"JudgmentIssued", "MandateIssued", "OrderOnRemand", "AppealDismissed", "PetitionReturned",
           "EnBancDecided", "DismissedAsMoot", "ObjectionRuled", "PetitionDistributed",
           "NondisclosureLapsed"}  # each has its own test


def test_helper_fills_every_event_specific_field():
    """Guard: FIELDS knows each event's own fields, so the tests can record any event."""
    common = {f.name for f in dataclasses.fields(Matter.Filing)}
    for name, cls in Matter.ENTRY_TYPES.items():
        own = {f.name for f in dataclasses.fields(cls)} - common - {"period"}
        assert own <= set(FIELDS.get(name, {})) | {"party"}, name


# Legal order -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("event", "needed"),
                         [(e, n) for e, alternatives in PREREQUISITES.items() for n in alternatives
                          if e not in SKIPPED and n in UPSTREAM],
                         ids=lambda value: value)
def test_event_refused_without_prerequisite_and_accepted_with_it(event, needed):
    """Everything upstream but the prerequisite: refused; record the prerequisite: accepted."""
    matter = play(opened(), UPSTREAM[needed])
    day = {"day": 14} if needed in PREREQUISITE_FIELDS or event in ("CertDecided",) else {}
    assert_refused(matter, event, needed, **day)
    record(matter, needed, **PREREQUISITE_FIELDS.get(needed, {}))
    assert_accepted(matter, event, **day)


@pytest.mark.parametrize(("kind", "needed", "party"),
                         [("vacate", "WarrantServed", "provider"), ("compel", "ProductionRefused", "government"),
                          ("lift_stay", "StayGranted", "government"), ("contempt", "ProductionRefused", "government")],
                         ids=lambda value: value)
def test_motion_refused_without_prerequisite_and_accepted_with_it(kind, needed, party):
    """Each motion kind needs its own prerequisite on record, and is made by its own side."""
    assert set(MOTION_PREREQUISITES) >= {kind}
    matter = play(opened(), UPSTREAM[needed])
    level = {"level": "district"} if kind == "lift_stay" else {}
    assert_refused(matter, "MotionFiled", needed, kind=kind, party=party, **level)
    record(matter, needed)
    assert_refused(matter, "MotionFiled", f"filed by the {party}", kind=kind,
                   party="provider" if party == "government" else "government", **level)
    assert_accepted(matter, "MotionFiled", kind=kind, party=party, **level)
    assert matter.pending_motions == {"m1": kind}


def test_motion_of_unknown_kind_is_refused():
    matter = play(opened(), SERVED)
    assert_refused(matter, "MotionFiled", "'reconsider'", kind="reconsider")


@pytest.mark.parametrize("ruling", sorted(RULINGS))
def test_ruling_refused_without_pending_motion(ruling):
    matter = play(opened(), SERVED)
    assert_refused(matter, ruling, "still pending", level="district" if ruling == "StayLifted" else "magistrate")


def test_ruling_on_a_motion_never_filed_is_refused_and_a_ruled_motion_is_no_longer_pending():
    matter = play(opened(), [*SERVED, ("MotionFiled", {"motion_id": "m1"})])
    error = assert_refused(matter, "MotionRuled", "MotionFiled", motion_id="m2")
    assert "'m2'" in str(error)
    assert_accepted(matter, "MotionRuled", motion_id="m1")
    assert_refused(matter, "MotionRuled", "still pending", motion_id="m1")


def test_appeal_refused_without_appealable_order_accepted_after_contempt():
    matter = play(opened(), CONTEMPT[:-1])
    assert_refused(matter, "NoticeOfAppealFiled", "ContemptHeld")
    record(matter, "ContemptHeld")
    assert_accepted(matter, "NoticeOfAppealFiled")


@pytest.mark.parametrize("final_order", [True, False])
def test_appeal_after_objection_ruling_only_if_final(final_order):
    matter = play(opened(), [*RULED, ("ObjectionFiled", {}),
                             ("ObjectionRuled", {"final_order": final_order, "disposition": "set aside",
                                                 "prevailing": "provider"})])
    if final_order:
        assert_accepted(matter, "NoticeOfAppealFiled", party="government")
    else:
        assert_refused(matter, "NoticeOfAppealFiled", "ObjectionRuled", party="government")


@pytest.mark.parametrize("event", sorted(set(Matter.ENTRY_TYPES) - {"DataDisclosed", "JudgmentIssued",
                                                                       "MandateIssued", "OrderOnRemand"}))
def test_nothing_but_what_may_follow_after_final_disposition(event):
    matter = play(opened(), [*SERVED, ("FinalDisposition", {})])
    assert_refused(matter, event, "FinalDisposition")


def test_en_banc_decision_needs_rehearing_granted():
    matter = play(opened(), [*JUDGMENT, ("RehearingPetitioned", {}), ("RehearingDecided", {})])
    assert_refused(matter, "EnBancDecided", "rehearing en banc granted")
    matter = play(opened(), REHEARD)
    assert_accepted(matter, "EnBancDecided")


# The header the law fixes (sources §9.3, §9.4) ------------------------------------------------

def test_docket_numbers_carry_the_year_of_docketing_and_the_supreme_court_its_term():
    assert docket_number("district", "1:13-mj-02814", START.replace(year=2023)) == "1:23-mj-02814"
    assert docket_number("circuit", "14-2985", START.replace(year=2016)) == "16-2985"
    assert docket_number("supreme", "17-2", START.replace(year=2017, month=6, day=23)) == "17-2"
    assert docket_number("supreme", "17-2", START.replace(year=2017, month=6, day=19)) == "16-2"
    matter = play(opened(), [*APPEALED])
    assert matter.dockets["circuit"]["number"] == "13-2985"  # docketed 2013-12-04
    assert matter.dockets["circuit"]["caption"] == "Microsoft Corp. v. United States"


def test_captions_follow_who_appeals_or_petitions():
    matter = play(opened(), [*RULED, ("ObjectionFiled", {}),
                             ("ObjectionRuled", {"final_order": True, "disposition": "set aside",
                                                 "prevailing": "provider"}),
                             ("NoticeOfAppealFiled", {"party": "government"}),
                             ("PanelDecided", {"prevailing": "government", "disposition": "reversed",
                                               "doctrine": "control"}),
                             ("CertPetitioned", {"party": "provider"})])
    assert matter.dockets["circuit"]["caption"] == "United States v. Microsoft Corp."
    assert matter.dockets["supreme"]["caption"] == "Microsoft Corp. v. United States"


def test_the_solicitor_general_speaks_for_the_united_states_in_the_supreme_court():
    assert [counsel("government", level.key, PARTIES) for level in LADDER] == [
        "U.S. Attorney's Office, S.D.N.Y."] * 4 + ["Solicitor General"]
    matter = play(opened(), CERT_SOUGHT)
    petition = matter.pending_events[-1]
    assert petition.counsel == "Solicitor General" and petition.party == "government"


def test_a_level_is_known_by_its_fields_not_its_name(monkeypatch):
    """A level on the Supreme Court's docket (a Justice in chambers, say) is the Supreme Court's for counsel
    and the Clerk; rehearing en banc sits on the court of appeals' bench."""
    monkeypatch.setitem(ladder.LANE_OF, "circuit_justice", "supreme")
    assert counsel("government", "circuit_justice", PARTIES) == "Solicitor General"
    assert in_supreme_court("circuit_justice") and not in_supreme_court("en_banc")
    assert not in_supreme_court(None)
    assert {level.key: level.bench for level in LADDER} == {
        "magistrate": "magistrate", "district": "district", "circuit": "circuit", "en_banc": "circuit",
        "supreme": "supreme"}


@pytest.mark.parametrize(("key", "value", "rule"), [
    ("docket_number", "14-2985", "numbering"), ("caption", "Microsoft Corp. v. United States", "captions"),
    ("counsel", "U.S. Attorney's Office, S.D.N.Y.", r"518\(a\)"), ("entry_number", None, "entry number exactly"),
])
def test_a_copy_with_the_wrong_header_is_refused(key, value, rule):
    """A copied entry (a fork's, or the audit's reading of the store) is checked field by field."""
    source = play(opened(), CERT_SOUGHT)
    petition = source.pending_events[-1]
    matter = play(opened(), JUDGMENT)
    fields = {k: v for k, v in vars(petition).items() if k not in ("originator_id", "originator_version", "timestamp")}
    fields[key] = value
    with pytest.raises(Unlawful, match=rule):
        matter.copy(Matter.CertPetitioned, fields)
    fields[key] = getattr(petition, key)
    matter.copy(Matter.CertPetitioned, fields)


# Periods (sources §9.1) ------------------------------------------------------------------------

def test_every_opening_names_a_declared_period_and_every_period_a_rule():
    from sim.domain.rules import RULES

    for openings in OPENS.values():
        for opening in openings:
            assert opening.period in PERIODS
    for period in PERIODS.values():
        assert all(RULES[key].period_days for key in period.rules)
        assert period.extension.rule in RULES and period.late


def test_a_period_declares_its_rules_step_and_docket_once_and_the_tables_derive_them():
    """A period says the rules it rests on, the step that files in it and where its extension is
    docketed; the rules table, the engine's steps and the extension table read that declaration."""
    from sim.domain.rules import RULES
    from sim.domain.steps import STEPS
    from sim.engine.filings import EXTENSION_LEVEL

    for key, period in PERIODS.items():
        assert {*period.rules, period.extension.rule} <= set(period.cites)
        assert all(RULES[name] is rule for name, rule in period.cites.items())
        assert STEPS[period.step] == period.rules[0]
        assert EXTENSION_LEVEL[key] == period.extension.docketed


def test_a_ruling_opens_the_losers_time_to_object_and_the_objection_closes_it():
    matter = play(opened(), RULED)
    assert matter.deadlines["objection"]["party"] == "provider"
    assert matter.deadlines["objection"]["due"] == "2013-12-18"  # 14 days, Fed. R. Crim. P. 59(a)
    record(matter, "ObjectionFiled")
    assert "objection" not in matter.deadlines
    assert matter.pending_events[-1].timely is True and matter.pending_events[-1].deadline == "2013-12-18"


def test_the_wrong_party_may_not_use_anothers_period():
    matter = play(opened(), RULED)
    assert_refused(matter, "ObjectionFiled", "filed by provider", party="government")


def test_a_late_objection_must_be_overruled_as_untimely():
    matter = play(opened(), [*RULED, ("ObjectionFiled", {"day": 22})])
    assert matter.pending_events[-1].timely is False
    assert_refused(matter, "ObjectionRuled", "overruled as untimely", day=22)
    assert_accepted(matter, "ObjectionRuled", day=22, disposition="overruled as untimely")


def test_a_timely_objection_may_not_be_overruled_as_untimely():
    matter = play(opened(), [*RULED, ("ObjectionFiled", {})])
    assert_refused(matter, "ObjectionRuled", "merits", disposition="overruled as untimely")


def test_an_extension_is_applied_for_in_time_and_granted_as_asked():
    matter = play(opened(), RULED)
    assert_refused(matter, "ExtensionApplied", "applied for by 2013-12-18", day=15)  # after the 14 days
    record(matter, "ExtensionApplied", day=7, until="2014-01-10")
    assert_refused(matter, "TimeExtended", "2014-01-10", day=8, extended_to="2014-01-17")
    record(matter, "TimeExtended", day=8, extended_to="2014-01-10")
    record(matter, "ObjectionFiled", day=35)  # 2014-01-08
    assert matter.pending_events[-1].timely is True and matter.pending_events[-1].extended_to == "2014-01-10"


def test_rule_13_5_needs_the_application_ten_days_before_the_due_date_and_allows_60_days():
    matter = play(opened(), JUDGMENT)  # cert due 2014-03-04 (90 days from 2013-12-04)
    assert matter.deadlines["cert_petition"]["due"] == "2014-03-04"
    assert_refused(matter, "ExtensionApplied", "applied for by 2014-02-22", day=82, party="government",
                   extends="cert_petition", until="2014-04-01", level="supreme")
    assert_refused(matter, "ExtensionApplied", "at most 60 days", day=70, party="government",
                   extends="cert_petition", until="2014-05-05", level="supreme")
    assert_accepted(matter, "ExtensionApplied", day=70, party="government", extends="cert_petition",
                    until="2014-05-02", level="supreme")


def test_an_out_of_time_petition_for_certiorari_is_never_docketed():
    matter = play(opened(), JUDGMENT)
    assert_refused(matter, "CertPetitioned", "Sup. Ct. R. 13.2", day=91)
    assert_accepted(matter, "PetitionReturned", day=91)


def test_distribution_waits_14_days_after_the_brief_in_opposition():
    matter = play(opened(), OPPOSED)
    assert_refused(matter, "PetitionDistributed", "15.5", day=13)
    assert_accepted(matter, "PetitionDistributed", day=14)


def test_no_final_disposition_while_a_period_for_review_runs():
    matter = play(opened(), RULED)
    assert_refused(matter, "FinalDisposition", "run out first", day=14)  # the 14th day: still running
    assert_accepted(matter, "FinalDisposition", day=15)


# Calendars (sources §9.2) ----------------------------------------------------------------------

def test_courts_act_on_business_days():
    matter = play(opened(), [*SERVED, ("MotionFiled", {})])
    assert_refused(matter, "MotionRuled", "business day", day=3)  # Saturday 2013-12-07
    assert_accepted(matter, "MotionRuled", day=5)


def test_the_supreme_court_counts_its_periods_and_sits_by_rule_30_1_not_by_new_york_holidays():
    """A judgment of Friday 2014-11-14 (day 345): certiorari is due 90 days later on Lincoln's Birthday,
    Thursday 2015-02-12, a day the Supreme Court's Clerk is open (Sup. Ct. R. 30.1) though New York's
    courts are closed (FRAP 26(a)(6)(C)); the Supreme Court may act that day, the court of appeals not."""
    matter = play(opened(), [*APPEALED, ("PanelDecided", {"day": 345})])
    assert matter.deadlines["cert_petition"]["due"] == "2015-02-12"
    circuit = play(opened(), [*APPEALED, ("PanelDecided", {"day": 345}), ("RehearingPetitioned", {"day": 350})])
    assert_refused(circuit, "RehearingDecided", "business day", day=435)  # 2015-02-12, in the court of appeals
    record(matter, "CertPetitioned", day=435)
    assert matter.pending_events[-1].timely is True and matter.pending_events[-1].date == "2015-02-12"
    opposed = play(opened(), [*APPEALED, ("PanelDecided", {"day": 345}), ("CertPetitioned", {"day": 400}),
                              ("BriefFiled", {**dict(OPPOSED)["BriefFiled"], "day": 421})])
    assert_accepted(opposed, "PetitionDistributed", day=435)  # 14 days after the brief in opposition


def test_the_supreme_court_refuses_a_grant_in_the_summer_recess():
    matter = play(opened(), DISTRIBUTED)
    assert_refused(matter, "CertDecided", "summer recess", day=210)


def test_argument_outside_a_sitting_or_a_decision_after_june_is_refused():
    matter = play(opened(), [*DISTRIBUTED, ("CertDecided", {"day": 14})])
    assert_refused(matter, "HearingHeld", "sitting", day=166, level="supreme")  # Monday 2014-05-19
    record(matter, "HearingHeld", day=62, level="supreme")  # Tuesday 2014-02-04
    assert_refused(matter, "SupremeCourtDecided", "within the Term", day=216)  # Tuesday 2014-07-08
    assert_accepted(matter, "SupremeCourtDecided", day=203)  # Wednesday 2014-06-25


# Mootness (sources §9.6) -----------------------------------------------------------------------

def test_only_the_party_that_lost_below_asks_to_vacate_as_moot():
    matter = play(opened(), [*JUDGMENT, ("NewWarrantIssued", {})])
    assert_refused(matter, "MotionFiled", "filed by the government", kind="vacate_moot", party="provider",
                   level="circuit")
    assert_accepted(matter, "MotionFiled", kind="vacate_moot", party="government", level="circuit")


def test_with_no_decision_below_the_government_moves_to_dismiss():
    matter = play(opened(), [*SERVED, ("MotionFiled", {}), ("NewWarrantIssued", {})])
    assert_refused(matter, "MotionFiled", "decision below to vacate", kind="vacate_moot", party="government",
                   motion_id="m2")
    assert_accepted(matter, "MotionFiled", kind="dismiss_moot", party="government", motion_id="m2")


# Labels ----------------------------------------------------------------------------------------

def test_a_simulated_entry_relying_on_a_law_not_yet_in_force_says_so():
    """The aggregate labels it when it records; a copy without the label is refused."""
    matter = play(opened(statutes=CLOUD_ACT), SERVED)
    record(matter, "DataDisclosed", rule="18 U.S.C. 2713: disclosure")
    disclosed = matter.pending_events[-1]
    assert "[simulated regime: 18 U.S.C. 2713 assumed in force; not law until 2018-03-23]" in disclosed.text
    assert disclosed.counterfactual is True
    fields = {k: v for k, v in vars(disclosed).items() if k not in ("originator_id", "originator_version",
                                                                    "timestamp")}
    copy = play(opened(statutes=CLOUD_ACT), SERVED)
    with pytest.raises(Unlawful, match="simulated regime"):
        copy.copy(Matter.DataDisclosed, dict(fields, text="disclosed"))
    copy.copy(Matter.DataDisclosed, fields)


def test_entries_are_counterfactual_unless_on_the_record_and_simulated_ones_never_approximate():
    simulated, historical = opened(), opened(historical=True)
    for matter in (simulated, historical):
        record(matter, "WarrantApplied")
    assert simulated.pending_events[-1].counterfactual is True
    assert historical.pending_events[-1].counterfactual is False
    with pytest.raises(Unlawful, match="approximate"):
        simulated.record(Matter.WarrantIssued, {"step": "s", "sim_day": 0, "approximate": True, "rule": "r",
                                                "text": "t [date approximate]", "inherited": None},
                         level="magistrate", date=START.isoformat())


# Days, entry numbers, rebuilds -----------------------------------------------------------------

def test_sim_day_going_backwards_is_refused():
    matter = play(opened(), [("WarrantApplied", {"day": 5})])
    error = assert_refused(matter, "WarrantIssued", "WarrantApplied", day=4)
    assert "day 5" in str(error)
    assert_accepted(matter, "WarrantIssued", day=5)


def test_entry_numbers_are_counted_per_docket_and_a_pin_may_skip_ahead():
    matter = play(opened(), CONTEMPT)
    assert matter.last_entry == {"1:13-mj-02814": 4}
    Clerk(matter).enter(Matter.NoticeOfAppealFiled, party="provider", entry_at_least=5)
    assert matter.last_entry == {"1:13-mj-02814": 4, "13-2985": 5}


def test_lanes_come_from_the_ladder():
    assert LANES == ("district", "circuit", "supreme")


# (history, refused next events as (event, needs, fields), accepted next event as (event, fields))
REBUILDS: dict[str, tuple[list[Step], list[tuple[str, str, dict[str, Any]]], Step]] = {
    "pending motion": ([*SERVED, ("MotionFiled", {})],
                       [("MotionRuled", "MotionFiled", {"motion_id": "m2"})],
                       ("MotionRuled", {"motion_id": "m1"})),
    "appealable order": (CONTEMPT,
                         [("PanelDecided", "NoticeOfAppealFiled", {})],
                         ("NoticeOfAppealFiled", {})),
    "running period": (RULED,
                       [("ObjectionFiled", "filed by provider", {"party": "government"})],
                       ("ObjectionFiled", {})),
    "late objection": ([*RULED, ("ObjectionFiled", {"day": 22})],
                       [("ObjectionRuled", "overruled as untimely", {"day": 22})],
                       ("ObjectionRuled", {"day": 22, "disposition": "overruled as untimely"})),
    "cert granted": ([*DISTRIBUTED, ("CertDecided", {"day": 14})],
                     [("RehearingDecided", "RehearingPetitioned", {})],
                     ("HearingHeld", {"day": 62, "level": "supreme"})),
    "final disposition": ([*SERVED, ("FinalDisposition", {})],
                          [("MotionFiled", "FinalDisposition", {}), ("FinalDisposition", "FinalDisposition", {})],
                          ("DataDisclosed", {"route": "warrant"})),
}


@pytest.mark.parametrize("case", list(REBUILDS))
def test_rebuilt_matter_refuses_and_accepts_the_same_next_events(case):
    """Saved and read back from the store, a matter keeps the state the law depends on."""
    steps, refused, (accepted, fields) = REBUILDS[case]
    matter = play(opened(), steps)
    store = open_store("memory://")
    store.save(matter)
    rebuilt = store.repository.get(matter.id)
    assert rebuilt.history == matter.history and rebuilt.deadlines == matter.deadlines
    assert rebuilt.pending_events == []
    for copy in (matter, rebuilt):
        for event, needs, kwargs in refused:
            assert_refused(copy, event, needs, **kwargs)
        assert_accepted(copy, accepted, **fields)


def test_out_of_order_is_unlawful():
    assert issubclass(OutOfOrder, Unlawful)


# Amici and orders not to notify (sources §1, §9.7) ----------------------------------------------

def test_only_an_amicus_or_the_foreign_government_files_an_amicus_brief_and_files_nothing_else():
    matter = play(opened(), APPEALED)
    assert_refused(matter, "AmicusBriefFiled", "amicus curiae", party="government")
    assert_refused(matter, "AmicusBriefFiled", "only from the foreign government", offers_mlat=True)
    assert_accepted(matter, "AmicusBriefFiled", party="foreign_government", supporting="", offers_mlat=True)
    assert matter.pending_events[-1].counsel == "counsel for Ireland"
    assert_accepted(matter, "AmicusBriefFiled")
    assert matter.pending_events[-1].counsel == "counsel for amici curiae"
    assert_refused(matter, "BriefFiled", "amicus brief, and only that", party="amicus")


def test_an_amicus_brief_needs_the_court_to_have_the_case():
    matter = play(opened(), CONTEMPT)
    assert_refused(matter, "AmicusBriefFiled", "NoticeOfAppealFiled")
    assert_refused(matter, "AmicusBriefFiled", "CertPetitioned", level="supreme")


def test_a_2705b_order_runs_for_a_period_is_extended_while_in_force_and_lapses_the_day_after():
    matter = play(opened(), [("WarrantApplied", {}), ("NondisclosureSought", {})])
    assert_refused(matter, "NondisclosureSought", "filed by the government", party="provider")
    assert_refused(matter, "NondisclosureOrdered", "a period ending after the order", until="2013-12-04")
    record(matter, "NondisclosureOrdered")                                        # until 2014-03-04
    assert_refused(matter, "NondisclosureOrdered", "made once")                    # a second first order
    assert_refused(matter, "NondisclosureOrdered", "while the order is in force", day=91, extension=True,
                   until="2014-06-02")                                             # 2014-03-05: too late
    assert_refused(matter, "NondisclosureLapsed", "the day after the order's last day: 2014-03-05", day=60)
    assert_accepted(matter, "NondisclosureOrdered", day=90, extension=True, until="2014-06-02")
    assert_accepted(matter, "NondisclosureLapsed", day=181)                         # 2014-06-03
    assert_refused(matter, "NondisclosureChallenged", "in force", day=182)


def test_the_provider_challenges_a_2705b_order_and_the_court_rules_once():
    matter = play(opened(), [("WarrantApplied", {}), ("NondisclosureSought", {}), ("NondisclosureOrdered", {})])
    assert_refused(matter, "NondisclosureRuled", "NondisclosureChallenged")
    assert_refused(matter, "NondisclosureChallenged", "filed by the provider", party="government")
    assert_accepted(matter, "NondisclosureChallenged", day=30)
    assert_refused(matter, "NondisclosureChallenged", "already pending", day=30)
    assert_accepted(matter, "NondisclosureRuled", day=30, disposition="vacated")
    assert matter.nondisclosure["ended"] is True
    assert_refused(matter, "NondisclosureRuled", "a challenge still pending", day=30)
    assert_refused(matter, "NondisclosureLapsed", "in force", day=91)


def test_every_entry_class_is_declared_once_in_the_registry_and_the_tables_derive_from_it():
    """A kind of docket step is declared in one place (sim.domain.registry): legal order, the periods it
    opens and meets, who files it, where it moves the case and its stage all read that declaration."""
    from sim.domain import registry
    from sim.views import stages

    assert set(registry.KINDS) == set(Matter.ENTRY_TYPES)
    assert PREREQUISITES is registry.PREREQUISITES
    assert {step.verb for steps in registry.STAGE_STEPS.values() for step in steps} <= set(dir(stages._Stages))
    assert {name for name, kind in registry.KINDS.items() if kind.meets or kind.period} == \
        {name for name, cls in Matter.ENTRY_TYPES.items() if cls.KIND == "filing" and registry.MEETS.get(name)}
    assert all(Matter.ENTRY_TYPES[name].KIND == "filing" for name in registry.MEETS)


def test_a_period_declared_with_its_filing_joins_the_periods_and_the_rules():
    """A new filing with a deadline declares its period in its registry entry (README, Architecture)."""
    from sim.domain import periods, registry, rules
    from sim.domain.authority import Rule

    period = periods.Period("test_reply", "file a test reply", ("test_reply",) * 2, "late",
                            periods.Extension("test_reply_time", "clerk", "supreme"),
                            cites={"test_reply": Rule("Test R. 1", "30 days", "sources §8.6", period_days=30),
                                   "cert_petition": Rule("not this", "kept", "")})
    try:
        registry.declare_periods({"TestReplyFiled": registry.Kind(period=period)})
        assert periods.PERIODS["test_reply"] is period
        assert rules.RULES["test_reply"].period_days == 30
        assert rules.RULES["cert_petition"].citation == "Sup. Ct. R. 13.1, 13.3"  # a rule declared before is kept
    finally:
        periods.PERIODS.pop("test_reply", None)
        rules.RULES.pop("test_reply", None)
