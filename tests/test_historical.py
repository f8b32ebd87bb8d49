"""The historical scenario reproduces the real docket: dates, order, judges, docket numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.runs.runner import record_run
from sim.views.projections import docket_sheets, entries


@pytest.fixture(scope="module")
def events(historical):
    from sim.store import open_store

    store = open_store("memory://")
    result = record_run(store, historical, seed=0)
    return store.matter_events(result.matter_ids[0])


# (event type, date, court short name or forum, docket number) in the order of the record
# (sources §1, §8.3).
KEY_EVENTS = [
    ("WarrantIssued", "2013-12-04", "1:13-mj-02814"),
    ("MotionFiled", "2013-12-18", "1:13-mj-02814"),
    ("MotionRuled", "2014-04-25", "1:13-mj-02814"),
    ("ObjectionRuled", "2014-07-31", "1:13-mj-02814"),
    ("ContemptHeld", "2014-09-08", "1:13-mj-02814"),
    ("HearingHeld", "2015-09-09", "14-2985"),
    ("PanelDecided", "2016-07-14", "14-2985"),
    ("RehearingDecided", "2017-01-24", "14-2985"),
    ("CertDecided", "2017-10-16", "17-2"),
    ("HearingHeld", "2018-02-27", "17-2"),
    ("LegislationEnacted", "2018-03-23", ""),
    ("NewWarrantIssued", "2018-03-30", ""),
    ("DismissedAsMoot", "2018-04-17", "17-2"),
]


def test_key_events_in_order_with_real_dates_and_dockets(events):
    """Each key step of the record appears, on its date and docket, in the record's order."""
    rows = entries(events)
    position = -1
    for event, date, docket in KEY_EVENTS:
        found = [i for i, r in enumerate(rows)
                 if i > position and r["event"] == event and r["date"] == date and r["docket_number"] == docket]
        assert found, f"{event} on {date} ({docket or 'no docket'}) missing or out of order"
        position = found[0]


def test_outcomes_of_the_rulings(events):
    by_type = {}
    for e in events[1:]:
        by_type.setdefault(type(e).__name__, []).append(e)
    assert by_type["MotionRuled"][0].disposition == "denied"
    assert by_type["ObjectionRuled"][0].disposition == "affirmed"
    assert by_type["PanelDecided"][0].disposition == "reversed"
    assert by_type["PanelDecided"][0].doctrine == "location"
    assert by_type["RehearingDecided"][0].granted is False
    assert by_type["CertDecided"][0].granted is True
    assert "SupremeCourtDecided" not in by_type
    assert by_type["FinalDisposition"][0].disposition == "dismissed as moot"
    assert by_type["DataDisclosed"][0].route == "warrant"


def test_warrant_to_the_supreme_courts_disposition_is_1595_days_and_the_end_follows_the_remand(events):
    """sources §1: warrant to the per curiam, 1,595 days (the named key date); sources §9.6: the dismissal
    itself happens on remand, so the final disposition follows the district court's order on remand."""
    per_curiam = next(e for e in events if type(e).__name__ == "DismissedAsMoot")
    assert per_curiam.sim_day == 1595 and per_curiam.court_level == "supreme"
    assert dt.date.fromisoformat(per_curiam.date) - dt.date(2013, 12, 4) == dt.timedelta(days=1595)
    final = next(e for e in events if type(e).__name__ == "FinalDisposition")
    last_remand = [e for e in events if type(e).__name__ == "OrderOnRemand"][-1]
    assert last_remand.court_level == "district" and final.date >= last_remand.date and final.approximate


def test_the_mandate_is_stayed_pending_certiorari_and_the_contempt_follows_a_stipulation(events):
    """FRAP 41(d): the Second Circuit's judgment was not carried out before the per curiam (sources §9.8);
    the contempt order follows the parties' stipulation of the same day (sources §8.3)."""
    names = [type(e).__name__ for e in events]
    assert "MandateIssued" not in names
    stay = [e for e in events if type(e).__name__ == "MotionRuled" and e.court_level == "circuit"]
    assert len(stay) == 1 and stay[0].approximate and "STAYED" in stay[0].text
    motion = next(e for e in events if type(e).__name__ == "MotionFiled" and e.kind == "contempt")
    held = next(e for e in events if type(e).__name__ == "ContemptHeld")
    assert motion.date == held.date == "2014-09-08" and names.index("MotionFiled", names.index("StayLifted")) \
        < names.index("ContemptHeld")


def test_judges_and_captions_on_the_sheets(events):
    sheets = {s.docket_number: s for s in docket_sheets(events)}
    assert "Preska" in sheets["1:13-mj-02814"].judge and "Francis" in sheets["1:13-mj-02814"].judge
    assert sheets["14-2985"].judge.startswith("Lynch and Carney")
    assert sheets["14-2985"].caption == "Microsoft Corp. v. United States"
    assert sheets["17-2"].caption == "United States v. Microsoft Corp."
    ruled = next(e for e in sheets["1:13-mj-02814"].entries if e["event"] == "MotionRuled")
    assert ruled["actor"] == "Magistrate Judge James C. Francis IV"
    affirmed = next(e for e in sheets["1:13-mj-02814"].entries if e["event"] == "ObjectionRuled")
    assert affirmed["actor"] == "Chief Judge Loretta A. Preska"


def test_the_supreme_courts_sheet_reads_as_its_docket_no_numbers_no_judge_assigned(events):
    """The Supreme Court's docket is headed "No. 17-2", assigns no judge and numbers no entry (sources §6), on the
    text sheet and in the viewer's and the report's rows; the courts below keep PACER's numbers."""
    from sim.views.projections import render_text, sheet_row

    sheets = {s.docket_number: s for s in docket_sheets(events)}
    supreme, circuit = sheets["17-2"], sheets["14-2985"]
    assert (supreme.heading, supreme.judge, supreme.numbered) == ("No. 17-2", "", False)
    assert circuit.heading == "DOCKET FOR CASE #: 14-2985" and circuit.numbered
    assert {sheet_row(e, True)["number"] for e in supreme.entries} == {""}
    assert all(isinstance(sheet_row(e, True)["number"], int) for e in circuit.entries)
    text = render_text(events)
    court = text[text.index("Supreme Court of the United States\n"):]
    assert court.startswith("Supreme Court of the United States\nNo. 17-2\nUnited States v. Microsoft Corp.\n---")
    petition = next(line for line in court.splitlines() if "PETITION for a writ of certiorari filed" in line)
    assert petition.startswith("06/23/2017") and petition[11:17].strip() == ""  # no number in its column
    assert "DOCKET FOR CASE #: 14-2985" in text and "Assigned to: The Court" not in text


def test_each_entry_names_the_judge_by_the_title_held_that_day(events):
    """Chief Judge of the S.D.N.Y. to 2016-05-31 (28 U.S.C. 136(a)(3)(A); FJC, sources §10.3): the order of
    2014 names her Chief Judge, the order on remand of 2018 Judge, and so does the sheet's header."""
    sheet = next(s for s in docket_sheets(events) if s.docket_number == "1:13-mj-02814")
    by_preska = [e for e in sheet.entries if "Preska" in e["actor"]]
    assert {e["actor"] for e in by_preska if e["date"] < "2016-06-01"} == {"Chief Judge Loretta A. Preska"}
    assert {e["actor"] for e in by_preska if e["date"] >= "2016-06-01"} == {"Judge Loretta A. Preska"}
    assert sheet.entries[-1]["date"] >= "2016-06-01" and sheet.judge.startswith("Judge Loretta A. Preska;")


def test_known_entry_numbers(events):
    """Docket entries the record numbers (sources §6) keep their numbers."""
    numbered = {(r["docket_number"], r["entry_number"]): r for r in entries(events)}
    assert numbered[("1:13-mj-02814", 6)]["event"] == "MotionFiled"
    assert numbered[("1:13-mj-02814", 60)]["date"] == "2014-07-09"
    assert numbered[("1:13-mj-02814", 82)]["date"] == "2014-08-12"
    assert numbered[("14-2985", 212)]["date"] == "2015-03-09"
    assert numbered[("14-2985", 327)]["event"] == "RehearingDecided"


def test_every_step_names_its_rule(events):
    for row in entries(events):
        assert row["rule"] and ":" in row["rule"], row


def test_deadlines_are_computed_and_extensions_inferred(events):
    rows = {r["event"]: r for r in entries(events)}
    # FRAP 4(a)(1)(B): 60 days from the contempt order of 2014-09-08; met without an extension
    assert (rows["NoticeOfAppealFiled"]["deadline"], rows["NoticeOfAppealFiled"]["extended_to"]) == ("2014-11-07", None)
    # FRAP 40(a)(1): 45 days from 2016-07-14 ends Sunday 2016-08-28 -> 2016-08-29; extended (inferred) to the filing
    assert rows["RehearingPetitioned"]["timely"] is True
    assert rows["RehearingPetitioned"]["extended_to"] == rows["RehearingPetitioned"]["deadline"] == "2016-10-13"
    # Sup. Ct. R. 13.1 + 13.5: 90 + 60 days from 2017-01-24, exactly the filing date
    assert rows["CertPetitioned"]["extended_to"] == "2017-06-23" and rows["CertPetitioned"]["timely"] is True
    extensions = [r for r in entries(events) if r["event"] in ("ExtensionApplied", "TimeExtended")]
    assert len(extensions) == 8  # objection, rehearing, certiorari, brief in opposition: application and order
    assert all((r["approximate"] and "INFERRED" in r["description"]) or "consent" in r["description"]
               for r in extensions)
    applied = {r["description"].split(" from ")[1].split(" to ")[0] for r in extensions if r["event"] ==
               "ExtensionApplied"}
    assert applied == {"May 9, 2014", "August 29, 2016", "April 24, 2017", "July 24, 2017"}


def test_the_record_is_not_counterfactual_and_the_parties_are_right(events):
    """sources §9.3: the Solicitor General for the United States in the Supreme Court; captions follow
    who appeals (Microsoft) and who petitions (the government); contempt under 18 U.S.C. 401."""
    rows = entries(events)
    assert not any(r["counterfactual"] for r in rows)
    for r in rows:
        if r["kind"] == "filing" and r["party"] == "government":
            assert r["counsel"] == ("Solicitor General" if r["court_level"] == "supreme"
                                    else "U.S. Attorney's Office, S.D.N.Y."), r
    captions = {r["docket_number"]: r["caption"] for r in rows if r["docket_number"]}
    assert captions == {"1:13-mj-02814": "In re Warrant to Search a Certain E-Mail Account Controlled and Maintained "
                                         "by Microsoft Corporation", "14-2985": "Microsoft Corp. v. United States",
                        "17-2": "United States v. Microsoft Corp."}
    contempt = next(r for r in rows if r["event"] == "ContemptHeld")
    assert contempt["rule"].startswith("18 U.S.C. 401") and "1291" in contempt["rule"]
    moot = next(r for r in rows if r["event"] == "MotionFiled" and r["court_level"] == "supreme")
    assert moot["party"] == "government"  # it lost below (sources §9.6)
    assert "denial of the motion to vacate" in next(r for r in rows if r["event"] == "DismissedAsMoot")["description"]


def test_the_remand_follows_the_per_curiam(events):
    """sources §9.6: the judgment issues 25 days after entry (Sup. Ct. R. 45.2), then the lower courts act."""
    rows = entries(events)
    issued = next(r for r in rows if r["event"] == "JudgmentIssued")
    assert issued["date"] == "2018-05-14" and issued["docket_number"] == "17-2"  # Saturday 2018-05-12 rolls on
    remands = [(r["docket_number"], r["approximate"]) for r in rows if r["event"] == "OrderOnRemand"]
    assert remands == [("14-2985", True), ("1:13-mj-02814", True)]


def test_the_audit_finds_nothing_on_the_record(events):
    from sim.runs.audit import audit_events

    assert audit_events(events) == []


def test_approximate_dates_are_marked(events):
    rows = entries(events)
    served = next(r for r in rows if r["event"] == "WarrantServed")
    assert served["approximate"] is True and "[date approximate]" in served["description"]
    ruled = next(r for r in rows if r["event"] == "MotionRuled")
    assert ruled["approximate"] is False


def test_docket_json_keys_are_exactly_the_documented_ones(events):
    """README: the existing keys, and kind, party, counsel, caption, deadline, timely, extended_to,
    counterfactual with the values the issue names."""
    rows = entries(events)
    expected = {"court", "docket_number", "entry_number", "date", "event", "description", "rule", "actor",
                "sim_day", "approximate", "seq", "deadline", "late", "court_level", "kind", "party", "counsel",
                "caption", "timely", "extended_to", "counterfactual"}
    assert all(set(row) == expected for row in rows)
    assert {row["kind"] for row in rows} == {"filing", "court", "outside"}
    for row in rows:
        filing = row["kind"] == "filing"
        assert (row["party"] in ("government", "provider", "customer", "foreign_government", "amicus")) == filing
        assert (row["counsel"] is not None) == filing
        assert (row["caption"] == "") == (row["kind"] == "outside")
        assert row["timely"] in (True, False, None) and row["counterfactual"] is False
        if row["timely"] is None:
            assert row["deadline"] is None and row["extended_to"] is None


def test_irelands_two_amicus_briefs_and_the_other_amici_on_their_dates(events):
    """sources §1, §4, §6: Ireland 2014-12-23 (2d Cir.) and 2017-12-13 (Supreme Court, neither party); amici
    for Microsoft 2014-12-15 (Doc. 81 among them) and 2018-01-18 (23 briefs); December 2017 neutral briefs
    and the 33 States, whose days the sources do not give, marked approximate."""
    briefs = [r for r in entries(events) if r["event"] == "AmicusBriefFiled"]
    ireland = [(r["date"], r["docket_number"], r["party"]) for r in briefs if r["party"] == "foreign_government"]
    assert ireland == [("2014-12-23", "14-2985", "foreign_government"), ("2017-12-13", "17-2", "foreign_government")]
    assert all("Ireland" in r["description"] and "US-Ireland MLAT" in r["description"] for r in briefs
               if r["party"] == "foreign_government")
    assert "supporting neither party" in next(r for r in briefs if r["date"] == "2017-12-13"
                                              and r["party"] == "foreign_government")["description"]
    others = {(r["date"], r["entry_number"] if r["docket_number"] == "14-2985" else None, r["approximate"])
              for r in briefs if r["party"] == "amicus"}
    assert ("2014-12-15", 81, False) in others and ("2018-01-18", None, False) in others
    approximate = [r for r in briefs if r["approximate"]]
    assert len(approximate) == 2 and all("UNCONFIRMED" in r["description"] or "not in the sources" in
                                         r["description"] for r in approximate)
    assert all(r["counterfactual"] is False and r["counsel"].startswith("counsel for") for r in briefs)


def test_the_substance_a_class_discusses(events):
    """The magistrate's hybrid reasoning with 2703(g); the panel's holding in its words and Lynch's
    concurrence; the en banc 4-4 with the dissenters; the consensual stay; the Solicitor General's letter
    on the CLOUD Act; and no order under 2705(b), which the sources do not show."""
    rows = entries(events)
    text = {r["event"]: r["description"] for r in reversed(rows)}  # the first of each kind
    assert "'a hybrid: part search warrant and part subpoena'" in text["MotionRuled"] and "2703(g)" in \
        text["MotionRuled"]
    assert "REVERSED, VACATED and REMANDED" in text["PanelDecided"]
    assert "stored exclusively on foreign servers" in text["PanelDecided"] and "Lynch, J., concurring" in \
        text["PanelDecided"]
    assert "4-4" in text["RehearingDecided"] and "Jacobs, Cabranes, Raggi and Droney dissented" in \
        text["RehearingDecided"]
    assert any("stay" in r["description"] and "consent" in r["description"] for r in rows
               if r["event"] == "TimeExtended")
    letter = next(r for r in rows if r["event"] == "BriefFiled" and r["date"] == "2018-03-23")
    assert letter["docket_number"] == "17-2" and letter["counsel"] == "Solicitor General" and "Noel Francisco" in \
        letter["description"]
    assert not any(r["event"].startswith("Nondisclosure") for r in rows)


def test_off_the_dockets_who_acted_is_named_once(events):
    """The proceedings outside the courts say who acted, then what; a text that begins by naming them is not
    prefixed with the name again ("Microsoft Corp.: Microsoft Corp. produces ...")."""
    from sim.views.projections import docket_text, render_text

    outside = [e for e in entries(events) if not e["docket_number"] and e["actor"]]
    texts = [docket_text(e, on_docket=False) for e in outside]
    assert "United States: Warrant served on Microsoft Corp." in " ".join(texts)
    assert any(t.startswith("Microsoft Corp. produces the non-content records") for t in texts), texts
    assert not any(t.startswith(f"{e['actor']}: {e['actor']}") for e, t in zip(outside, texts, strict=True))
    assert "Microsoft Corp.: Microsoft Corp." not in render_text(events)
