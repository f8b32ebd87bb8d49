"""Legal order on the real `Matter` aggregate: what it refuses, what it accepts, and after a rebuild."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from sim.domain.matter import Matter
from sim.domain.procedure import MOTION_PREREQUISITES, PREREQUISITES, RULINGS, OutOfOrder
from sim.store import open_store

START = date(2013, 12, 4)
CLOUD_ACT = ["18 U.S.C. 2713", "18 U.S.C. 2703(h)", "18 U.S.C. 2523"]

# Court level -> (court, docket number).
COURTS = {
    "magistrate": ("S.D.N.Y. (magistrate judge)", "13-MAG-2814"),
    "district": ("S.D.N.Y.", "13-MAG-2814"),
    "circuit": ("2d Cir.", "14-2985"),
    "en_banc": ("2d Cir. (en banc)", "14-2985"),
    "supreme": ("Supreme Court", "17-2"),
    "out_of_court": ("Out of court", ""),
}

# Where each event is usually entered; only BriefFiled and HearingHeld depend on it.
LEVELS = {
    "ObjectionFiled": "district", "ObjectionRuled": "district", "StayGranted": "district",
    "ContemptHeld": "district", "NoticeOfAppealFiled": "district",
    "PanelDecided": "circuit", "RehearingPetitioned": "circuit", "RehearingDecided": "en_banc",
    "EnBancDecided": "en_banc", "CertPetitioned": "supreme", "CertDecided": "supreme",
    "SupremeCourtDecided": "supreme", "DismissedAsMoot": "supreme",
    "WarrantServed": "out_of_court", "DomesticDataProduced": "out_of_court", "ProductionRefused": "out_of_court",
    "LegislationEnacted": "out_of_court", "MLATRequestSent": "out_of_court",
    "MLATRequestExecuted": "out_of_court", "MLATRequestRefused": "out_of_court", "DataDisclosed": "out_of_court",
}

# Default event-specific fields, overridable per call.
FIELDS: dict[str, dict[str, Any]] = {
    "ProductionRefused": {"reason": "content stored in Ireland"},
    "MotionFiled": {"motion_id": "m1", "kind": "vacate", "deadline": None, "late": False},
    "MotionRuled": {"motion_id": "m1", "disposition": "denied"},
    "BriefFiled": {"party": "provider", "kind": "appellant", "deadline": None, "late": False},
    "HearingHeld": {"kind": "argument"},
    "ObjectionFiled": {"party": "provider", "deadline": None, "late": False},
    "ObjectionRuled": {"disposition": "affirmed", "final_order": False},
    "StayLifted": {"motion_id": "m1"},
    "ContemptHeld": {"sanctions": "none (stipulated)"},
    "NoticeOfAppealFiled": {"appellant": "provider", "deadline": None, "late": False},
    "PanelDecided": {"disposition": "reversed", "doctrine": "location", "prevailing": "provider"},
    "RehearingPetitioned": {"petitioner": "government", "deadline": None, "late": False, "extension_days": 0},
    "RehearingDecided": {"granted": False},
    "EnBancDecided": {"disposition": "affirmed", "doctrine": "location", "prevailing": "provider"},
    "CertPetitioned": {"petitioner": "government", "deadline": None, "late": False, "extension_days": 0},
    "CertDecided": {"granted": True},
    "SupremeCourtDecided": {"disposition": "reversed", "doctrine": "control", "prevailing": "government"},
    "LegislationEnacted": {"public_law": "Pub. L. 115-141", "statutes": CLOUD_ACT},
    "DismissedAsMoot": {"motion_id": "m1", "vacatur": "vacated and remanded"},
    "MLATRequestSent": {"requested_state": "Ireland"},
    "MLATRequestRefused": {"reason": "dual criminality"},
    "ComityMotionFiled": {"motion_id": "m1", "qualifying_foreign_government": False, "deadline": None,
                          "late": False},
    "ComityMotionRuled": {"motion_id": "m1", "disposition": "denied"},
    "DataDisclosed": {"route": "warrant"},
    "FinalDisposition": {"disposition": "dismissed as moot"},
}

Step = tuple[str, dict[str, Any]]


def opened(statutes: list[str] | None = None) -> Matter:
    """A fresh matter, as the engine opens one."""
    return Matter(run_id="test-run", scenario="procedure_test", replication=0, seed=0,
                  start_date=START.isoformat(),
                  parties={"government": "United States", "provider": "Microsoft Corp.",
                           "data_location": "Ireland", "foreign_state": "Ireland",
                           "foreign_authority": "Department of Justice (Ireland)"},
                  courts={level: {"name": name, "docket_number": number} for level, (name, number) in COURTS.items()},
                  statutes_in_force=list(statutes or []))


def header(matter: Matter, event: str, day: int | None, level: str | None, entry: int | None) -> dict[str, Any]:
    """The docket header every entry carries; by default the same day as the last event, no entry number."""
    sim_day = matter.last_day if day is None else day
    level = level or LEVELS.get(event, "magistrate")
    court, docket = COURTS[level]
    return {"step": event.lower(), "sim_day": sim_day, "date": (START + timedelta(days=sim_day)).isoformat(),
            "approximate": False, "court_level": level, "court": court, "docket_number": docket,
            "entry_number": entry, "actor": "test", "rule": f"rule for {event}", "text": f"{event} (test)",
            "inherited": None}


def record(matter: Matter, event: str, *, day: int | None = None, level: str | None = None,
           entry: int | None = None, **fields: Any) -> None:
    """Record `event` (a class name) with a filled-in header and default fields."""
    matter.record(Matter.ENTRY_TYPES[event], **header(matter, event, day, level, entry),
                  **{**FIELDS.get(event, {}), **fields})


def play(matter: Matter, steps: list[Step]) -> Matter:
    for event, fields in steps:
        record(matter, event, **fields)
    return matter


def snapshot(matter: Matter) -> tuple[Any, ...]:
    return (matter.version, len(matter.pending_events), list(matter.history), matter.last_day,
            dict(matter.last_entry), dict(matter.pending_motions), matter.appealable_order, matter.stayed)


def assert_refused(matter: Matter, event: str, needs: str, **kwargs: Any) -> OutOfOrder:
    """`event` raises OutOfOrder naming itself and `needs`, and leaves the matter as it was."""
    before = snapshot(matter)
    with pytest.raises(OutOfOrder) as info:
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
CONTEMPT: list[Step] = [*REFUSED, ("ContemptHeld", {})]
APPEALED: list[Step] = [*CONTEMPT, ("NoticeOfAppealFiled", {})]
JUDGMENT: list[Step] = [*APPEALED, ("PanelDecided", {})]
CERT_SOUGHT: list[Step] = [*JUDGMENT, ("CertPetitioned", {})]
RULED: list[Step] = [*SERVED, ("MotionFiled", {}), ("MotionRuled", {})]

# What must be on record before each prerequisite can itself be recorded (the prerequisite excluded).
UPSTREAM: dict[str, list[Step]] = {
    "WarrantApplied": [],
    "WarrantIssued": [("WarrantApplied", {})],
    "NewWarrantIssued": [],
    "WarrantServed": SERVED[:2],
    "ProductionRefused": SERVED,
    "MotionRuled": [*SERVED, ("MotionFiled", {})],
    "ObjectionFiled": RULED,
    "NoticeOfAppealFiled": CONTEMPT,
    "PanelDecided": APPEALED,
    "RehearingPetitioned": JUDGMENT,
    "RehearingDecided": [*JUDGMENT, ("RehearingPetitioned", {})],
    "CertPetitioned": JUDGMENT,
    "MLATRequestSent": [],
    "StayGranted": SERVED,
    "LegislationEnacted": [],
}


def test_helper_fills_every_event_specific_field():
    """Guard: FIELDS knows each event's own fields, so the parametrized tests can record any event."""
    common = {f.name for f in dataclasses.fields(Matter.Entry)}
    for name, cls in Matter.ENTRY_TYPES.items():
        own = {f.name for f in dataclasses.fields(cls)} - common
        assert own == set(FIELDS.get(name, {})), name


# Prerequisites ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("event", "needed"),
                         [(e, n) for e, alternatives in PREREQUISITES.items() for n in alternatives],
                         ids=lambda value: value)
def test_event_refused_without_prerequisite_and_accepted_with_it(event, needed):
    """Everything upstream but the prerequisite: refused; record the prerequisite: accepted."""
    matter = play(opened(), UPSTREAM[needed])
    assert_refused(matter, event, needed)
    record(matter, needed)
    assert_accepted(matter, event)


@pytest.mark.parametrize(("kind", "needed"),
                         [(k, n) for k, alternatives in MOTION_PREREQUISITES.items() for n in alternatives],
                         ids=lambda value: value)
def test_motion_refused_without_prerequisite_and_accepted_with_it(kind, needed):
    """Each motion kind needs its own prerequisite on record."""
    matter = play(opened(), UPSTREAM[needed])
    assert_refused(matter, "MotionFiled", needed, kind=kind)
    record(matter, needed)
    assert_accepted(matter, "MotionFiled", kind=kind)
    assert matter.pending_motions == {"m1": kind}


def test_motion_of_unknown_kind_is_refused():
    matter = play(opened(), SERVED)
    assert_refused(matter, "MotionFiled", "'reconsider'", kind="reconsider")


def test_lift_stay_motion_needs_a_stay_still_in_effect():
    """StayGranted in the history is not enough once the stay was lifted."""
    matter = play(opened(), [*SERVED, ("StayGranted", {}), ("MotionFiled", {"kind": "lift_stay"}),
                             ("StayLifted", {})])
    assert not matter.stayed
    assert_refused(matter, "MotionFiled", "StayGranted", kind="lift_stay", motion_id="m2")


# Setup before the filing, and the filing a ruling disposes of.
FILINGS: dict[str, tuple[list[Step], Step]] = {
    "MotionRuled": (SERVED, ("MotionFiled", {"kind": "vacate"})),
    "DismissedAsMoot": ([("LegislationEnacted", {})], ("MotionFiled", {"kind": "dismiss_moot"})),
    "ComityMotionRuled": (SERVED, ("ComityMotionFiled", {})),
    "StayLifted": ([*SERVED, ("StayGranted", {})], ("MotionFiled", {"kind": "lift_stay"})),
}


def test_filings_cover_every_ruling():
    assert set(FILINGS) == set(RULINGS)


@pytest.mark.parametrize("ruling", sorted(RULINGS))
def test_ruling_refused_without_pending_motion_and_accepted_with_it(ruling):
    """A ruling needs its motion pending; once ruled on, the motion is no longer pending."""
    setup, filing = FILINGS[ruling]
    matter = play(opened(), setup)
    assert_refused(matter, ruling, filing[0])
    play(matter, [filing])
    assert_accepted(matter, ruling)
    assert "m1" not in matter.pending_motions
    assert_refused(matter, ruling, filing[0])


@pytest.mark.parametrize("ruling", sorted(r for r, kind in RULINGS.items() if kind is not None))
def test_ruling_refused_on_a_motion_of_another_kind(ruling):
    """A ruling that disposes of one kind of motion does not dispose of a motion to vacate."""
    matter = play(opened(), [*SERVED, ("MotionFiled", {"kind": "vacate"})])
    assert_refused(matter, ruling, FILINGS[ruling][1][0])


def test_ruling_on_a_motion_never_filed_is_refused():
    matter = play(opened(), [*SERVED, ("MotionFiled", {"motion_id": "m1"})])
    error = assert_refused(matter, "MotionRuled", "MotionFiled", motion_id="m2")
    assert "'m2'" in str(error)
    assert_accepted(matter, "MotionRuled", motion_id="m1")


# Appeals and certiorari ------------------------------------------------------------------------

def test_appeal_refused_without_appealable_order_accepted_after_contempt():
    matter = play(opened(), REFUSED)
    assert_refused(matter, "NoticeOfAppealFiled", "ContemptHeld")
    record(matter, "ContemptHeld")
    assert_accepted(matter, "NoticeOfAppealFiled")


@pytest.mark.parametrize("final_order", [True, False])
def test_appeal_after_objection_ruling_only_if_final(final_order):
    matter = play(opened(), [*RULED, ("ObjectionFiled", {}), ("ObjectionRuled", {"final_order": final_order})])
    if final_order:
        assert_accepted(matter, "NoticeOfAppealFiled")
    else:
        assert_refused(matter, "NoticeOfAppealFiled", "ObjectionRuled")


def test_cert_petition_refused_without_court_of_appeals_judgment():
    matter = play(opened(), APPEALED)
    assert_refused(matter, "CertPetitioned", "PanelDecided")
    record(matter, "PanelDecided")
    assert_accepted(matter, "CertPetitioned")


@pytest.mark.parametrize("granted", [True, False])
def test_supreme_court_decision_needs_cert_granted(granted):
    matter = play(opened(), CERT_SOUGHT)
    assert_refused(matter, "SupremeCourtDecided", "CertDecided")
    record(matter, "CertDecided", granted=granted)
    if granted:
        assert_accepted(matter, "SupremeCourtDecided")
    else:
        assert_refused(matter, "SupremeCourtDecided", "CertDecided")


@pytest.mark.parametrize("event", ["BriefFiled", "HearingHeld"])
def test_circuit_brief_or_argument_needs_notice_of_appeal(event):
    matter = play(opened(), CONTEMPT)
    assert_refused(matter, event, "NoticeOfAppealFiled", level="circuit")
    record(matter, "NoticeOfAppealFiled")
    assert_accepted(matter, event, level="circuit")


@pytest.mark.parametrize(("event", "needed"), [("BriefFiled", "CertPetitioned"), ("HearingHeld", "CertDecided")])
def test_supreme_court_brief_or_argument_needs_cert(event, needed):
    """A brief needs a petition on file; an argument needs certiorari granted."""
    matter = play(opened(), JUDGMENT)
    assert_refused(matter, event, needed, level="supreme")
    play(matter, [("CertPetitioned", {}), ("CertDecided", {"granted": True})])
    assert_accepted(matter, event, level="supreme")


# Final disposition, disclosure, comity ---------------------------------------------------------

@pytest.mark.parametrize("event", sorted(set(Matter.ENTRY_TYPES) - {"DataDisclosed"}))
def test_nothing_but_disclosure_after_final_disposition(event):
    matter = play(opened(), [*SERVED, ("FinalDisposition", {})])
    assert_refused(matter, event, "FinalDisposition")


def test_disclosure_accepted_after_final_disposition():
    matter = play(opened(), [*SERVED, ("FinalDisposition", {})])
    assert_accepted(matter, "DataDisclosed", route="warrant")
    assert matter.disclosed_route == "warrant"


@pytest.mark.parametrize("setup",
                         [[], [("MLATRequestSent", {})], [("MLATRequestSent", {}), ("MLATRequestRefused", {})]],
                         ids=["no request", "request pending", "request refused"])
def test_mlat_disclosure_needs_executed_request(setup):
    matter = play(opened(), setup)
    assert_refused(matter, "DataDisclosed", "MLATRequestExecuted", route="mlat")


def test_mlat_disclosure_accepted_after_executed_request():
    matter = play(opened(), [("MLATRequestSent", {}), ("MLATRequestExecuted", {})])
    assert_accepted(matter, "DataDisclosed", route="mlat")


def test_warrant_disclosure_needs_a_served_warrant():
    matter = play(opened(), SERVED[:2])
    assert_refused(matter, "DataDisclosed", "WarrantServed", route="warrant")


def test_comity_motion_of_qualifying_government_needs_2703h_in_force():
    """Statutory comity (2703(h)) exists only once the CLOUD Act is enacted."""
    matter = play(opened(), SERVED)
    assert_refused(matter, "ComityMotionFiled", "LegislationEnacted", qualifying_foreign_government=True)
    record(matter, "LegislationEnacted", statutes=["18 U.S.C. 2713"])
    assert_refused(matter, "ComityMotionFiled", "LegislationEnacted", qualifying_foreign_government=True)
    record(matter, "LegislationEnacted", statutes=["18 U.S.C. 2703(h)"])
    assert_accepted(matter, "ComityMotionFiled", qualifying_foreign_government=True)


def test_comity_motion_of_qualifying_government_accepted_when_opened_under_cloud_act():
    matter = play(opened(statutes=CLOUD_ACT), SERVED)
    assert_accepted(matter, "ComityMotionFiled", qualifying_foreign_government=True)


def test_common_law_comity_motion_needs_no_legislation():
    matter = play(opened(), SERVED)
    assert_accepted(matter, "ComityMotionFiled", qualifying_foreign_government=False)


# Days and docket entry numbers -----------------------------------------------------------------

def test_sim_day_going_backwards_is_refused():
    matter = play(opened(), [("WarrantApplied", {"day": 3})])
    error = assert_refused(matter, "WarrantIssued", "WarrantApplied", day=2)
    assert "day 3" in str(error)
    assert_accepted(matter, "WarrantIssued", day=3)


def test_sim_day_before_day_zero_on_a_fresh_matter_is_refused():
    """No event recorded yet: a negative day is still refused with OutOfOrder, not a crash."""
    with pytest.raises(OutOfOrder, match="WarrantApplied"):
        record(opened(), "WarrantApplied", day=-1)


@pytest.mark.parametrize("number", [5, 6])
def test_entry_numbers_must_increase_on_a_docket(number):
    matter = play(opened(), [*SERVED, ("MotionFiled", {"level": "magistrate", "entry": 6})])
    error = assert_refused(matter, "MotionRuled", "entry 6", level="magistrate", entry=number)
    assert COURTS["magistrate"][1] in str(error)
    assert_accepted(matter, "MotionRuled", level="magistrate", entry=7)


def test_entry_numbers_are_counted_per_docket():
    """Entry 1 on the circuit docket follows entry 6 on the magistrate's docket; unnumbered steps do not count."""
    matter = play(opened(), [*CONTEMPT, ("NoticeOfAppealFiled", {"level": "district", "entry": 6})])
    assert_accepted(matter, "BriefFiled", level="circuit", entry=1)
    assert_accepted(matter, "HearingHeld", level="circuit", entry=None)
    assert matter.last_entry == {"13-MAG-2814": 6, "14-2985": 1}


def test_entry_number_refusal_names_the_event_it_conflicts_with():
    """README: the error names both events. Entry 6 here is the MotionFiled."""
    matter = play(opened(), [*SERVED, ("MotionFiled", {"level": "magistrate", "entry": 6})])
    assert_refused(matter, "MotionRuled", "MotionFiled", level="magistrate", entry=6)


def test_entry_number_zero_on_a_new_docket_is_refused():
    """Docket entries start at 1: entry 0 is refused with OutOfOrder, not a crash."""
    with pytest.raises(OutOfOrder, match="WarrantApplied"):
        record(opened(), "WarrantApplied", level="magistrate", entry=0)


# Rebuilt from the store ------------------------------------------------------------------------

# (history, refused next events as (event, needs, fields), accepted next event as (event, fields))
REBUILDS: dict[str, tuple[list[Step], list[tuple[str, str, dict[str, Any]]], Step]] = {
    "pending motion": ([*SERVED, ("MotionFiled", {})],
                       [("MotionRuled", "MotionFiled", {"motion_id": "m2"})],
                       ("MotionRuled", {"motion_id": "m1"})),
    "appealable order": (CONTEMPT,
                         [("PanelDecided", "NoticeOfAppealFiled", {}),
                          ("BriefFiled", "NoticeOfAppealFiled", {"level": "circuit"})],
                         ("NoticeOfAppealFiled", {})),
    "stay in effect": ([*SERVED, ("StayGranted", {})],
                       [("MotionFiled", "ProductionRefused", {"kind": "compel"}),
                        ("StayLifted", "MotionFiled", {})],
                       ("MotionFiled", {"kind": "lift_stay"})),
    "cert granted": ([*CERT_SOUGHT, ("CertDecided", {"granted": True})],
                     [("RehearingDecided", "RehearingPetitioned", {})],
                     ("SupremeCourtDecided", {})),
    "cert denied": ([*CERT_SOUGHT, ("CertDecided", {"granted": False})],
                    [("SupremeCourtDecided", "CertDecided", {}), ("HearingHeld", "CertDecided", {"level": "supreme"})],
                    ("FinalDisposition", {})),
    "2703(h) enacted": ([*SERVED, ("LegislationEnacted", {})],
                        [("DataDisclosed", "MLATRequestExecuted", {"route": "mlat"})],
                        ("ComityMotionFiled", {"qualifying_foreign_government": True})),
    "2703(h) not enacted": (SERVED,
                            [("ComityMotionFiled", "LegislationEnacted", {"qualifying_foreign_government": True})],
                            ("ComityMotionFiled", {"qualifying_foreign_government": False})),
    "MLAT executed": ([("MLATRequestSent", {}), ("MLATRequestExecuted", {})],
                      [("DataDisclosed", "WarrantServed", {"route": "warrant"})],
                      ("DataDisclosed", {"route": "mlat"})),
    "day and entry": ([("WarrantApplied", {"day": 5, "level": "magistrate", "entry": 1})],
                      [("WarrantIssued", "WarrantApplied", {"day": 4}),
                       ("WarrantIssued", "entry 1", {"level": "magistrate", "entry": 1})],
                      ("WarrantIssued", {"day": 5, "level": "magistrate", "entry": 2})),
    "final disposition": ([*SERVED, ("FinalDisposition", {})],
                          [("MotionFiled", "FinalDisposition", {}), ("FinalDisposition", "FinalDisposition", {})],
                          ("DataDisclosed", {"route": "warrant"})),
}


@pytest.mark.parametrize("case", list(REBUILDS))
def test_rebuilt_matter_refuses_and_accepts_the_same_next_events(case):
    """Saved and read back from the store, a matter keeps the state legal order depends on."""
    steps, refused, (accepted, fields) = REBUILDS[case]
    matter = play(opened(), steps)
    store = open_store("memory://")
    store.save(matter)
    rebuilt = store.repository.get(matter.id)
    assert rebuilt.history == matter.history
    assert rebuilt.version == matter.version
    assert rebuilt.pending_events == []
    for copy in (matter, rebuilt):
        for event, needs, kwargs in refused:
            assert_refused(copy, event, needs, **kwargs)
        assert_accepted(copy, accepted, **fields)
    store.save(rebuilt)
    assert store.repository.get(matter.id).history == [*(event for event, _ in steps), accepted]
