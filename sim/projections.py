"""Projections: docket sheets and docket entries, pure functions of a matter's stored events."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import attrs

from sim.domain.matter import Matter
from sim.domain.rules import COURT_LEVELS

ENTRY_KEYS = ("court", "docket_number", "entry_number", "date", "event", "description", "rule",
              "actor", "sim_day", "approximate", "seq", "deadline", "late", "court_level")
COURT_ORDER = ("district", "circuit", "supreme")


def entries(events: list[Any]) -> list[dict[str, Any]]:
    """Every docket event of a matter as a JSON-ready dict with the keys `ENTRY_KEYS`: `seq` is its
    position in the matter's stream; `deadline` and `late` are set on filings that have a period."""
    return [
        {"court": e.court, "docket_number": e.docket_number, "entry_number": e.entry_number,
         "date": e.date, "event": type(e).__name__, "description": e.text, "rule": e.rule,
         "actor": e.actor, "sim_day": e.sim_day, "approximate": e.approximate,
         "seq": e.originator_version, "deadline": getattr(e, "deadline", None),
         "late": getattr(e, "late", False), "court_level": e.court_level}
        for e in events if isinstance(e, Matter.Entry)
    ]


@attrs.frozen
class DocketSheet:
    """One court's docket for the matter (or, with no docket number, a forum outside the courts)."""

    court: str
    docket_number: str
    caption: str
    judge: str
    entries: list[dict[str, Any]]


def docket_sheets(events: list[Any]) -> list[DocketSheet]:
    """Entries grouped per court, courts first (district, circuit, Supreme Court), then other forums."""
    opened = events[0]
    headers = {(c["name"], c["docket_number"]): c for c in opened.courts.values()}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in entries(events):
        groups.setdefault((entry["court"], entry["docket_number"]), []).append(entry)
    ranked = [(c["name"], c["docket_number"]) for level in COURT_ORDER
              if (c := opened.courts.get(level)) is not None]
    keys = [k for k in ranked if k in groups] + [k for k in groups if k not in ranked]
    sheets = []
    for key in keys:
        header = headers.get(key)
        judge = ""
        if header:
            judge = header["judge"]
            if header.get("magistrate_judge"):
                judge = f"{header['judge']}; referred to {header['magistrate_judge']}"
        caption = header["caption"] if header else "Proceedings outside the courts (no docket)"
        sheets.append(DocketSheet(key[0], key[1], caption, judge, groups[key]))
    return sheets


def _us_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%m/%d/%Y")


def render_text(events: list[Any], width: int = 100) -> str:
    """PACER-style docket reports, one per court."""
    opened = events[0]
    out = [f"Matter {opened.originator_id}  scenario {opened.scenario}  replication {opened.replication}  "
           f"seed {opened.seed}"]
    text_width = width - 20
    for sheet in docket_sheets(events):
        out += ["", "=" * width, sheet.court]
        if sheet.docket_number:
            out.append(f"DOCKET FOR CASE #: {sheet.docket_number}")
        out.append(sheet.caption)
        if sheet.judge:
            out.append(f"Assigned to: {sheet.judge}")
        heading = "Date Filed" if sheet.docket_number else "Date"
        out += ["-" * width, f"{heading:<12}{'#':>5}   Docket Text", "-" * width]
        for e in sheet.entries:
            number = "" if e["entry_number"] is None else str(e["entry_number"])
            text = e["description"] if sheet.docket_number else f"{e['actor']}: {e['description']}"
            lines = textwrap.wrap(text, text_width) or [""]
            lines += textwrap.wrap(f"[{e['rule']}]", text_width)
            out.append(f"{_us_date(e['date']):<12}{number:>5}   {lines[0]}")
            out += [" " * 20 + line for line in lines[1:]]
    return "\n".join(out) + "\n"


OUTCOME_KEYS = ("run_id", "scenario", "replication", "seed", "matter_id", "disclosed", "route",
                "days_to_disclosure", "highest_court", "final_disposition", "contempt", "mooted", "entries")
LEVELS = COURT_LEVELS


def outcome_row(events: list[Any]) -> dict[str, Any]:
    """One replication's outcome, computed from its events alone (at run time, or later from the store).

    `days_to_disclosure` is None when nothing was disclosed; `highest_court` is "none" when the matter
    never reached a court (e.g. the MLAT route). `reached` (every level the matter came before, in
    order) is for tallies; outcomes.csv has exactly `OUTCOME_KEYS`.
    """
    opened = events[0]
    names = [type(e).__name__ for e in events]
    disclosed = next((e for e in events if isinstance(e, Matter.DataDisclosed)), None)
    final = next((e for e in events if isinstance(e, Matter.FinalDisposition)), None)
    reached = {e.court_level for e in events if isinstance(e, Matter.Entry)}
    highest = next((level for level in reversed(LEVELS) if level in reached), "none")
    return {
        "run_id": opened.run_id, "scenario": opened.scenario, "replication": opened.replication,
        "seed": opened.seed, "matter_id": str(opened.originator_id), "disclosed": disclosed is not None,
        "route": disclosed.route if disclosed else "none",
        "days_to_disclosure": disclosed.sim_day if disclosed else None, "highest_court": highest,
        "final_disposition": final.disposition if final else "", "contempt": "ContemptHeld" in names,
        "mooted": "DismissedAsMoot" in names, "entries": sum(isinstance(e, Matter.Entry) for e in events),
        "reached": [level for level in LEVELS if level in reached],
    }
