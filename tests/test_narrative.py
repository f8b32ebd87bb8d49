"""The narration of `replay` and the docket viewer on real runs of every bundled scenario: plain English for
every event type the engine records, with no internal label, value or class name showing through."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sim import scenario as scenarios
from sim.domain.matter import Matter
from sim.domain.outcomes import AFTER_LOSS, ENDED
from sim.engine import simulate
from sim.runs.runner import replication_seed
from sim.views.narrative import ENDINGS, sentence, steps, tell
from sim.views.projections import entries, render_text

# A parenthesised phrase of plain lowercase words after a space, e.g. " (vacate)" or " (by warrant)"; the
# subdivisions of a citation ("2703(a), (b)(1)") are single letters or follow a number, and are not matched.
LABEL = re.compile(r"\s\(([a-z][a-z_ ]+)\)")
OWN_WORDS = {"approximately", "as extended"}  # the narration's own asides
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _names(opened) -> list[str]:
    """The names a scenario gives (parties, authorities, courts, judges), longest first: its data, which
    may have asides of its own ("United Kingdom (central authority)"), not the narration's words."""
    given = [v for v in opened.parties.values() if isinstance(v, str)]
    given += [v for court in opened.courts.values() for v in court.values() if isinstance(v, str)]
    return sorted({v for v in given if v}, key=len, reverse=True)


@pytest.fixture(scope="module")
def told(played) -> dict[str, set[tuple[str, str]]]:
    """Every distinct narration by event type: as told, and with the scenario's names replaced by NAME."""
    found: dict[str, set[tuple[str, str]]] = {}
    for events in played:
        names = _names(events[0])
        for (seq, text), event in zip(tell(events), events[1:], strict=True):
            assert seq == event.originator_version
            masked = text
            for name in names:
                masked = masked.replace(name, "NAME")
            found.setdefault(type(event).__name__, set()).add((text, masked))
    return found


@pytest.mark.slow
def test_every_event_type_is_told(told):
    assert set(told) == set(Matter.ENTRY_TYPES), "an event type no run recorded, or one the domain lacks"


def test_the_narration_shows_no_internal_label(told):
    """No "(vacate)", "(hearing)" or "(by warrant)" (the rule's own words, on its Authority line, may have
    asides), no snake_case value, no event class name."""
    class_names = re.compile(r"\b(" + "|".join(Matter.ENTRY_TYPES) + r")\b")
    for kind, texts in told.items():
        for _, text in texts:
            told_lines = "\n".join(line for line in text.splitlines() if not line.strip().startswith("Authority:"))
            labels = [g for g in LABEL.findall(told_lines) if g not in OWN_WORDS]
            assert not labels, f"{kind}: internal label {labels} in {text!r}"
            assert not SNAKE.findall(text), f"{kind}: {SNAKE.findall(text)} in {text!r}"
            assert not class_names.search(text), f"{kind}: a class name in {text!r}"
            assert not re.search(r"\bmlat\b", text), f"{kind}: the value 'mlat' in {text!r}"
            assert not re.search(r"[^.]\.\.(?!\.)", text), f"{kind}: a doubled full stop in {text!r}"


def test_dates_are_written_as_people_read_them_not_as_events_record_them(played, told):
    """Events record ISO dates ("until 2014-06-02", "not law until 2018-03-23"); the sheets write them as a
    docket does (06/02/2014), the narration as it heads a step (2 June 2014), whatever the release that
    recorded the text."""
    recorded_with_dates = 0
    for events in played:
        sheet = render_text(events)
        assert not ISO_DATE.search(sheet), ISO_DATE.search(sheet)
        for entry in entries(events):
            for iso in ISO_DATE.findall(entry["description"] + entry["rule"]):
                recorded_with_dates += 1
                assert dt.date.fromisoformat(iso).strftime("%m/%d/%Y") in sheet
    assert recorded_with_dates > 100  # orders under 2705(b), assumed laws, lapsed periods, rules as amended
    for kind, texts in told.items():
        for text, _ in texts:
            assert not ISO_DATE.search(text), f"{kind}: {text!r}"
    said = [line for texts in told.values() for text, _ in texts for line in text.splitlines()[1:]]
    assert any(re.search(r"until \d{1,2} [A-Z][a-z]+ \d{4}\b", line) for line in said)  # a 2705(b) order


def test_a_step_under_a_law_not_yet_in_force_says_so_as_its_docket_does(played):
    """The sheet labels a simulated entry relying on a law before it was law ("[simulated regime: 18 U.S.C. 2713
    assumed in force; not law until 2018-03-23]"); told, the step says the same, and a step without it does not."""
    labelled = 0
    for events in played:
        for (_, text), event in zip(tell(events), events[1:], strict=True):
            said = [line.strip() for line in text.splitlines() if line.strip().startswith("Simulated regime:")]
            assert len(said) == event.text.count("[simulated regime:"), text
            labelled += len(said)
            if "2713 assumed in force" in event.text:
                assert "Simulated regime: 18 U.S.C. 2713 assumed in force; not law until 23 March 2018." in said
    assert labelled > 50


def test_each_sentence_is_a_sentence(told):
    """The told event (the line after the date and court) starts with a capital and ends with a full stop."""
    for kind, texts in told.items():
        for text, _ in texts:
            said = text.splitlines()[1].strip()
            assert said[:1].isupper() and said.endswith("."), f"{kind}: {said!r}"


def test_every_final_disposition_has_plain_words():
    assert set(ENDINGS) == set(ENDED) | set(AFTER_LOSS)
    assert all(SNAKE.search(words) is None and "mlat" not in words for words in ENDINGS.values())


def test_a_step_carries_the_deadlines_running_on_its_date(historical):
    """`steps` folds the matter once: each step's deadlines are the aggregate's, running on its date."""
    events = simulate(historical, "narration", 0, 0).pending_events
    walked = [(step, sentence(events[step.seq - 1], matter)) for step, matter in steps(events)]
    panel = next(step for step, _ in walked if step.date.isoformat() == "2016-07-14")
    assert [(d.action, d.due.isoformat()) for d in panel.running] == [
        ("petition for panel rehearing or rehearing en banc", "2016-08-29"),  # FRAP 40(a)(1): 45 days
        ("petition for a writ of certiorari", "2016-10-12")]  # Sup. Ct. R. 13.1: 90 days
    assert [seq for seq, _ in tell(events)] == [step.seq for step, _ in walked]


def test_a_contempt_ending_agrees_with_the_disclosure_on_record():
    """Coercive contempt lasts until the provider complies (sources §9.8): the narration of a matter that
    ends in contempt sanctions must not say the e-mails were never handed over when its docket shows them
    disclosed, nor (sheet or narration) that the provider is still in contempt once the contempt is purged."""
    loaded = scenarios.load("control_rule")
    told = 0
    for i in range(40):
        events = simulate(loaded, "contempt", i, replication_seed(3, i)).pending_events
        names = [type(e).__name__ for e in events]
        final = events[names.index("FinalDisposition")]
        if final.disposition != "contempt sanctions":
            continue
        assert "DataDisclosed" in names and "ContemptPurged" in names
        assert final.text.startswith("Final disposition: warrant enforced by civil contempt, purged on compliance.")
        last = [text for _, text in tell(events)][names.index("FinalDisposition") - 1]
        assert "without handing over" not in last and "hands the e-mails over and the contempt is purged" in last
        assert "under coercive fines until" not in last, last
        told += 1
    assert told, "no matter of control_rule ended in contempt at these seeds"
