"""What a clerk reading the simulated dockets found wrong, checked over every bundled scenario's plays (the
`played` fixture of `tests/conftest.py`): who is named once, the article a country takes in running text, the
filer of every motion, a Munsingwear vacatur on a petition not yet granted, the mandate on a remand from the
Supreme Court, and the narration's subjects and parties."""

from __future__ import annotations

import re

from sim.views.narrative import tell
from sim.views.projections import render_text, state


def _named(events, name):
    return [e for e in events[1:] if type(e).__name__ == name]


def test_a_mootness_vacatur_grants_a_petition_not_yet_granted_and_the_mandate_follows(played):
    """sources §9.6: on a petition not yet granted the Court grants, vacates and remands by one order; after a
    grant, by a per curiam. The court of appeals' order on that remand sends its mandate down (§9.8)."""
    seen = {True: 0, False: 0}
    for events in played:
        for order in (e for e in _named(events, "DismissedAsMoot") if e.court_level == "supreme"):
            granted = any(e.granted for e in _named(events, "CertDecided"))
            seen[granted] += 1
            assert order.text.startswith("PER CURIAM:") == granted, order.text
            assert ("the petition for a writ of certiorari is GRANTED" in order.text) == (not granted), order.text
            remand = next(e for e in _named(events, "OrderOnRemand") if e.court_level == "circuit")
            assert "; the mandate issues forthwith." in remand.text, remand.text
    assert all(seen.values()), seen


def test_sheets_name_who_acted_once_each_filer_and_a_country_with_its_article(played):
    uk = 0
    for events in played:
        sheet = " ".join(render_text(events).split())  # the sheet's lines joined again
        actors = {e.actor for e in events[1:] if e.actor}
        for actor in actors:
            assert f"{actor}: The {actor}" not in sheet and f"{actor}: {actor}" not in sheet, actor
        for motion in _named(events, "MotionFiled"):
            assert " filed by " in motion.text or motion.text.startswith("STIPULATION of the parties"), motion.text
        if events[0].parties["foreign_state"] == "United Kingdom":
            assert " in United Kingdom" not in sheet
            if _named(events, "ProductionRefused"):
                uk += 1
                assert "stored only in the United Kingdom" in sheet
    assert uk


def test_a_refused_treaty_request_cites_a_gloss_that_allows_a_refusal(played):
    refused = [e for events in played for e in _named(events, "MLATRequestRefused")]
    assert refused and all("declines" in e.rule for e in refused)


def test_the_narration_tells_a_stipulated_contempt_as_the_parties_and_a_panel_as_the_court(played):
    stipulations = 0
    for events in played:
        told = dict(tell(events))
        for motion in _named(events, "MotionFiled"):
            if motion.text.startswith("STIPULATION"):
                stipulations += 1
                assert "The parties agree that the court should hold" in told[motion.originator_version]
        for text in told.values():
            said = text.splitlines()[1]
            assert not re.search(r"(Judges?|designation\)) (grants|denies|gives)\b", said), said
    assert stipulations


def test_an_order_on_remand_for_the_provider_vacates_its_contempt_and_the_warrant_as_to_the_content_abroad(played):
    """sources §9.8: the Second Circuit reversed the denial of Microsoft's motion and vacated the contempt order
    ("REVERSED, VACATED, AND REMANDED"); the district court's order on such a remand carries that out: the
    contempt order and the warrant, as to the content abroad, are vacated."""
    carried = 0
    for events in played:
        decided = None
        for e in events[1:]:
            name = type(e).__name__
            if name in ("PanelDecided", "EnBancDecided", "SupremeCourtDecided"):
                decided = e.prevailing
            if name == "OrderOnRemand" and e.court_level == "district" and e.action != "dismissed as moot":
                contempt = any(type(x).__name__ == "ContemptHeld" for x in events[1:e.originator_version])
                vacates = "in civil contempt is VACATED" in e.text
                assert vacates == (decided == "provider" and contempt), e.text
                carried += vacates
                if decided == "provider":
                    assert "the warrant is VACATED as to the content stored in " in e.text, e.text
    assert carried


def test_coercive_contempt_is_ordered_after_hearing_the_parties(played):
    """sources §9.8: notice and a chance to be heard (a motion or an order to show cause, then a hearing)."""
    coercive = [e for events in played for e in _named(events, "ContemptHeld") if "fines" in e.sanctions]
    assert coercive and all("after hearing the parties on the motion" in e.text for e in coercive)


def test_a_ruling_under_2713_weighs_comity_only_where_a_motion_raised_it(played):
    """sources §3, §8.1: for a qualifying foreign government the 2703(h)(2) motion is the sole basis for a
    conflict-of-law challenge; a court weighs comity on the provider's motion, and none was made otherwise."""
    said = {"weighed": 0, "never raised": 0, "statute alone": 0}
    for events in played:
        for i, e in enumerate(events[1:], start=1):
            if "18 U.S.C. 2713 requires disclosure" not in e.text:
                continue
            matter = state(events[:i])
            if "ComityMotionFiled" in matter.seen:
                assert "and comity does not outweigh it" in e.text, e.text
                said["weighed"] += 1
            elif matter.comity_by_statute_only:
                assert "no motion to quash or modify under 18 U.S.C. 2703(h)(2) was filed" in e.text, e.text
                said["never raised"] += 1
            else:
                assert "comity" not in e.text and "2703(h)(2)" not in e.text, e.text
                said["statute alone"] += 1
    assert said["weighed"] and said["never raised"], said


def test_a_district_courts_orders_name_the_judge_by_the_title_held_that_day(played):
    """On the district court's docket an order names who made it after its title, "ORDER by Judge ... Denying
    47 ..." (sources §6): the magistrate judge or the district judge, Chief Judge Preska to 2016-05-31 and Judge
    Preska after (§10.3). The courts above keep their own style; a filing is not signed."""
    from sim.text import dates_written
    from sim.views.projections import ORDER_HEADS, docket_date, docket_text, entries

    titles, signed, kept = set(), 0, 0
    for events in played:
        for row in (r for r in entries(events) if r["docket_number"]):
            text, entered = docket_text(row, True), dates_written(row["description"], docket_date)
            order = row["kind"] == "court" and entered.startswith(("ORDER", "MEMORANDUM AND ORDER"))
            if order and row["court_level"] in ("magistrate", "district"):
                signed += 1
                head = next(h for h in ORDER_HEADS if entered.startswith(h))
                assert text == f"{head} by {row['actor']}{entered[len(head):]}", text
                if "Preska" in row["actor"]:
                    titles.add(row["actor"])
                    assert row["actor"].startswith("Chief Judge") == (row["date"] < "2016-06-01"), row
            else:
                kept += order
                assert text == entered, text
    assert titles == {"Chief Judge Loretta A. Preska", "Judge Loretta A. Preska"} and signed and kept


def test_a_central_authority_is_named_in_running_text_as_its_country_is(played):
    """"sent by the United States to the United Kingdom (central authority)", "The United Kingdom (central
    authority) executes the request" (as `data.place_in_text` names the country); Ireland's as the table has it."""
    requests = {}
    for events in played:
        for e in events[1:]:
            if type(e).__name__ == "MLATRequestSent":
                requests[e.requested_state] = e.text
                assert f" to {'the ' if e.requested_state == 'United Kingdom' else ''}{e.requested_state} (" in e.text
            begins = ("The United Kingdom (central authority) ", "Ireland (central authority")
            if type(e).__name__ in ("MLATRequestExecuted", "MLATRequestRefused") or getattr(e, "route", "") == "mlat":
                assert e.text.startswith(begins), e.text  # who acted, once (the sheet adds no "Actor: ")
            if type(e).__name__ == "FinalDisposition":
                assert "The time for United States" not in e.text, e.text  # "the United States"
    assert set(requests) == {"Ireland", "United Kingdom"}
