"""Projections: docket sheets, docket entries and outcome rows, pure functions of a matter's stored events."""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import reduce
from typing import Any

import attrs

from sim.domain.ladder import COURT_LEVELS, LANES, forum_name, judge_on, lane_of
from sim.domain.matter import Matter
from sim.domain.outcomes import IN_SANCTIONS
from sim.domain.registry import OUTCOMES, ROW_PARTS
from sim.text import dates_written

ENTRY_KEYS = ("court", "docket_number", "entry_number", "date", "event", "description", "rule", "actor", "sim_day",
              "approximate", "seq", "deadline", "late", "court_level", "kind", "party", "counsel", "caption",
              "timely", "extended_to", "counterfactual")


def entries(events: list[Any]) -> list[dict[str, Any]]:
    """Every docket event of a matter as a JSON-ready dict with the keys `ENTRY_KEYS`: `seq` is its
    position in the matter's stream; `kind` is "filing", "court" or "outside"; `party` and `counsel`
    are set on filings; `deadline`, `timely` and `extended_to` on filings that have a period (`late`
    is the opposite of `timely` there, false elsewhere)."""
    rows = []
    captions: dict[str, str] = {}  # docket number -> caption, stored on the entry that opened the docket
    opened = events[0]
    for e in events:
        if not isinstance(e, Matter.Entry):
            continue
        filing = isinstance(e, Matter.Filing)
        caption = captions.setdefault(e.docket_number, e.caption) if e.docket_number else ""
        timely = e.timely if filing else None
        rows.append({
            "court": forum_name(e.court_level, opened.courts, opened.parties), "docket_number": e.docket_number,
            "entry_number": e.entry_number, "date": e.date,
            "event": type(e).__name__, "description": e.text, "rule": e.rule, "actor": e.actor,
            "sim_day": e.sim_day, "approximate": e.approximate, "seq": e.originator_version,
            "deadline": e.deadline if filing else None, "late": timely is False, "court_level": e.court_level,
            "kind": e.KIND, "party": e.party if filing else None, "counsel": e.counsel if filing else None,
            "caption": caption, "timely": timely, "extended_to": e.extended_to if filing else None,
            "counterfactual": e.counterfactual,
        })
    return rows


def outcome_of(event: Any) -> str | None:
    """How an event came out, as a value (its kind's `outcome` in the registry of steps): a ruling's
    disposition, a grant or denial, a final disposition; the timeline labels read these, not docket text."""
    read = OUTCOMES.get(type(event).__name__)
    return read(event) if read is not None else None


def timeline(events: list[Any]) -> list[dict[str, Any]]:
    """The docket entries with, for charts, each one's `outcome` value (see `outcome_of`)."""
    entry_events = [e for e in events if isinstance(e, Matter.Entry)]
    return [dict(row, outcome=outcome_of(e)) for row, e in zip(entries(events), entry_events, strict=True)]


def state(events: list[Any]) -> Matter:
    """The matter rebuilt from its events, without a store (each event mutates the state in turn)."""
    return reduce(lambda matter, event: event.mutate(matter), events, None)  # type: ignore[arg-type, return-value]


@attrs.frozen
class DocketSheet:
    """One court's docket for the matter (or, with no docket number, the steps outside the courts). The
    Supreme Court's docket is headed by its number ("No. 17-2"), assigns no judge and numbers no entry
    (sources §6): `numbered` is False there."""

    court: str
    docket_number: str
    caption: str
    judge: str
    entries: list[dict[str, Any]]
    numbered: bool = True

    @property
    def heading(self) -> str:
        """The line naming the docket: PACER's "DOCKET FOR CASE #: 14-2985", or the Supreme Court's "No. 17-2"."""
        if not self.docket_number:
            return ""
        return f"DOCKET FOR CASE #: {self.docket_number}" if self.numbered else f"No. {self.docket_number}"


def numbered(entry: dict[str, Any]) -> bool:
    """Whether the entry's docket numbers its entries (the Supreme Court's does not: sources §6)."""
    return entry["entry_number"] is not None and lane_of(entry["court_level"]) != "supreme"


def docket_sheets(events: list[Any]) -> list[DocketSheet]:
    """Entries grouped per docket, in the order of the ladder (district, circuit, Supreme Court), then
    the steps outside the courts."""
    opened = events[0]
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries(events):
        lane = (lane_of(entry["court_level"]) or "") if entry["docket_number"] else ""
        groups.setdefault(lane, []).append(entry)
    sheets = []
    for lane in (*LANES, ""):
        rows = groups.get(lane)
        if not rows:
            continue
        if not lane:
            sheets.append(DocketSheet("Proceedings outside the courts (no docket)", "", "", "", rows))
            continue
        court, supreme = opened.courts[lane], lane == "supreme"
        # The whole Court sits, so no judge is assigned; below it, the judge as the docket's last entry names them
        judge = "" if supreme else judge_on(court, rows[-1]["date"])
        if court.get("magistrate_judge"):
            judge = f"{judge}; referred to {court['magistrate_judge']}"
        sheets.append(DocketSheet(court["name"], rows[0]["docket_number"], rows[0]["caption"], judge, rows,
                                  numbered=not supreme))
    return sheets


def us_date(iso: str) -> str:
    """A date as a docket shows it: 12/04/2013."""
    return docket_date(dt.date.fromisoformat(iso))


def docket_date(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def simulated_notice(opened: Any) -> str | None:
    """The header line of a matter that is not the record, or None for one played on the record."""
    if opened.historical:
        return None
    fork = f" (fork of matter {opened.forked_from['matter_id']} after entry {opened.forked_from['seq']})" \
        if opened.forked_from else ""
    return (f"SIMULATED DOCKET{fork}: scenario {opened.scenario}, \"{opened.title}\". Entries marked * did not "
            "happen; they are the scenario's.")


def replay_notice(opened: Any) -> str:
    """The first line of a replay: a simulated matter says it is simulated (as `simulated_notice` heads its
    docket); a matter played on the record says so."""
    if opened.historical:
        return f"THE RECORD: scenario {opened.scenario}, \"{opened.title}\" (dates marked approximately are " \
               "approximate)."
    fork = f" (fork of matter {opened.forked_from['matter_id']} after entry {opened.forked_from['seq']}: entries " \
           "up to it are copied from that matter)" if opened.forked_from else ""
    return (f"SIMULATED MATTER{fork}: scenario {opened.scenario}, \"{opened.title}\". What follows is what the "
            "scenario played, not what happened.")


def timing_note(entry: dict[str, Any]) -> str:
    """What a filing's timing says on the docket: on time, under an extension, or late."""
    if entry["timely"] is None:
        return ""
    deadline = us_date(entry["deadline"])
    if entry["timely"] is False:
        return f"[LATE: filed after the deadline of {deadline}]"
    if entry["extended_to"]:
        return f"[timely: time extended to {deadline}]"
    return f"[timely: due {deadline}]"


def docket_text(entry: dict[str, Any], on_docket: bool) -> str:
    """An entry's text on its sheet: as entered on a court's docket, its dates as the sheet writes dates
    (12/04/2013, where the event records 2013-12-04), an order of the district court naming its judge;
    off the dockets, who acted, then what (who acted once: not before a text that begins by naming them,
    "Microsoft Corp. produces ...")."""
    text, actor = dates_written(entry["description"], docket_date), entry["actor"]
    if on_docket:
        return signed(text, entry)
    named = text.startswith(actor) or text.startswith(f"The {actor}")
    return text if not actor or named else f"{actor}: {text}"


ORDER_HEADS = ("MEMORANDUM AND ORDER", "OPINION AND ORDER", "ORDER")  # how a district court's orders begin


def signed(text: str, entry: dict[str, Any]) -> str:
    """An order on the district court's docket (the magistrate judge's or the district judge's) names the
    judge who made it after its title, as the district's docket text does: "ORDER by Judge Richard Seeborg
    Denying 47 ..." (docs/sources.md §6). The judge is the entry's actor, with the title held that day."""
    if entry["kind"] != "court" or lane_of(entry["court_level"]) != "district" or not entry["actor"]:
        return text
    for head in ORDER_HEADS:
        rest = text[len(head):]
        if text.startswith(head) and rest[:1] in ("", " ", ":", ",", ".") and not rest.startswith(" by "):
            return f"{head} by {entry['actor']}{rest}"
    return text


def docket_rule(entry: dict[str, Any]) -> str:
    """The rule an entry cites, its dates as the sheet writes dates."""
    return dates_written(entry["rule"], docket_date)


def sheet_row(entry: dict[str, Any], on_docket: bool) -> dict[str, Any]:
    """An entry's cells on its sheet (the viewer's and the HTML report's): its date as the docket writes it,
    its number ("" where the entry has none, and on the Supreme Court's docket), its text (`docket_text`) and
    its rule (`docket_rule`)."""
    return {"us_date": us_date(entry["date"]), "number": entry["entry_number"] if numbered(entry) else "",
            "text": docket_text(entry, on_docket), "rule": docket_rule(entry)}


def render_text(events: list[Any], width: int = 100) -> str:
    """PACER-style docket reports, one per court, headed by what the matter is (record or simulation)."""
    opened = events[0]
    out = [f"Matter {opened.originator_id}  scenario {opened.scenario}  replication {opened.replication}  "
           f"seed {opened.seed}"]
    notice = simulated_notice(opened)
    if notice:
        out += textwrap.wrap(notice, width)
    text_width = width - 20
    for sheet in docket_sheets(events):
        out += ["", "=" * width, sheet.court]
        if sheet.docket_number:
            out += [sheet.heading, sheet.caption]
        if sheet.judge:
            out.append(f"Assigned to: {sheet.judge}")
        heading = "Date Filed" if sheet.docket_number else "Date"
        out += ["-" * width, f"{heading:<12}{'#' if sheet.numbered else '':>5}   Docket Text", "-" * width]
        for e in sheet.entries:
            number = str(e["entry_number"]) if numbered(e) else ""
            mark = "*" if e["counterfactual"] and not opened.historical else " "
            lines = textwrap.wrap(docket_text(e, bool(sheet.docket_number)), text_width) or [""]
            lines += textwrap.wrap(" ".join(x for x in (timing_note(e), f"[{docket_rule(e)}]") if x), text_width)
            out.append(f"{us_date(e['date']):<11}{mark}{number:>5}   {lines[0]}")
            out += [" " * 20 + line for line in lines[1:]]
    return "\n".join(out) + "\n"


OUTCOME_KEYS = ("run_id", "scenario", "replication", "seed", "matter_id", "disclosed", "route",
                "days_to_disclosure", "highest_court", "final_disposition", "contempt", "mooted", "entries")
LEVELS = COURT_LEVELS


def outcome_row(events: list[Any]) -> dict[str, Any]:
    """One replication's outcome, computed from its events' values alone (at run time, or later from the
    store).

    `days_to_disclosure` is None when nothing was disclosed; `highest_court` is "none" when the matter
    never reached a court (e.g. the MLAT route). `reached` (every level the matter came before, in
    order) is for tallies; outcomes.csv has exactly `OUTCOME_KEYS`.
    """
    opened, disclosed, final, contempt, mooted = events[0], None, None, False, False
    reached: set[str] = set()
    entries = 0
    for e in events:  # one pass: a row is made for every replication stored
        if not isinstance(e, Matter.Entry):
            continue
        entries += 1
        reached.add(e.court_level)
        row = ROW_PARTS.get(type(e).__name__)  # its part in the row, as the registry declares it
        if row == "disclosure":
            disclosed = disclosed or e
        elif row == "end":
            final = final or e
        elif row == "contempt":
            contempt = True
        elif row == "mootness":
            mooted = True
    highest = next((level for level in reversed(LEVELS) if level in reached), "none")
    return {
        "run_id": opened.run_id, "scenario": opened.scenario, "replication": opened.replication,
        "seed": opened.seed, "matter_id": str(opened.originator_id), "disclosed": disclosed is not None,
        "route": disclosed.route if disclosed else "none",
        "days_to_disclosure": disclosed.sim_day if disclosed else None, "highest_court": highest,
        "final_disposition": final.disposition if final else "",
        "contempt": contempt, "mooted": mooted, "entries": entries,
        "sanctioned": bool(final and final.disposition in IN_SANCTIONS),
        "reached": [level for level in LEVELS if level in reached],
    }
