"""The docket viewer: one self-contained HTML page of a matter, for teaching (`docket --format html`).

Built from projections of the stored events alone: the docket sheets (`docket_sheets`, `timing_note`,
`simulated_notice`), the narration and the deadlines running at each step (`sim.views.narrative.steps`: the
matter's state folded once, the deadlines read from the aggregate, never computed here or in the page's
script), and the court lanes of `sim.domain.ladder`. The per-step data travels as JSON inside a
``<script type="application/json">`` element (Jinja2's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``, so
no text can close the element); the small inline script drives the step-through, the date slider and the
timeline's cursor, and writes text with ``textContent`` only. Everything else is escaped by autoescaping.
The page loads nothing: no file, font or script outside itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import jinja2

from reports.html import TEMPLATES, breakable
from sim import __version__
from sim.domain.ladder import FORUMS, LANES, LEVEL, OUTSIDE, lane_of
from sim.errors import UserError
from sim.store import DocketStore
from sim.views.narrative import Step, long_date, running, steps
from sim.views.projections import docket_sheets, sheet_row, simulated_notice, timing_note

# The lanes outside the courts, after the courts' own (sim.domain.ladder.FORUMS), as the page names them.
FORUM_LANES = {"congress": "Congress", "foreign": "Foreign authority", OUTSIDE: "Outside the courts"}
DAY = dt.timedelta(days=1)


def _lane(entry: dict[str, Any]) -> str:
    """The timeline lane of an entry: its court's docket, else the forum outside the courts."""
    level = entry["court_level"]
    return lane_of(level) or (level if level in FORUMS else OUTSIDE)


def _row(entry: dict[str, Any], on_docket: bool, simulated: bool) -> dict[str, Any]:
    """An entry as the sheets show it: as the text docket prints it (`render_text`)."""
    return {"seq": entry["seq"], "date": entry["date"], **sheet_row(entry, on_docket), "timing": timing_note(entry),
            "approximate": entry["approximate"], "simulated": simulated and entry["counterfactual"],
            "lane": _lane(entry)}


def _sheets(events: list[Any]) -> list[dict[str, Any]]:
    simulated = not events[0].historical
    return [{"court": s.court, "docket_number": s.docket_number, "heading": s.heading, "caption": s.caption,
             "judge": s.judge,
             "entries": [_row(e, bool(s.docket_number), simulated) for e in s.entries]}
            for s in docket_sheets(events)]


def _running_from(step: Step, matter: Any) -> list[list[Any]]:
    """The deadlines running from the step's date on, as [first day, [deadline, ...]] for each stretch in
    which they stay the same (a deadline stops running the day after its last day); read from the matter's
    state at this step."""
    stretches = [[step.date.isoformat(), [d.describe() for d in step.running]]]
    for lapsed in sorted({d.due + DAY for d in step.running}):
        stretches.append([lapsed.isoformat(), [d.describe() for d in running(matter, lapsed)]])
    return stretches


def _walk(events: list[Any]) -> list[dict[str, Any]]:
    """What the page shows at each step: the narration and, until the next entry, the deadlines running."""
    shown = [{"seq": step.seq, "date": step.date.isoformat(),
              "told": [line.strip() for line in step.narration.splitlines()], "running": _running_from(step, matter)}
             for step, matter in steps(events)]  # each step read before the next folds the matter on
    for here, after in zip(shown, [*shown[1:], None], strict=True):
        until = after["date"] if after else here["date"]
        here["running"] = here["running"][:1] + [s for s in here["running"][1:] if s[0] < until]
    return shown


def _timeline(opened: Any, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The court lanes (each docket of the ladder, then the forums outside the courts that the matter
    used), each entry's place along the time axis in percent, and the years marked."""
    first = dt.date.fromisoformat(rows[0]["date"])
    last = dt.date.fromisoformat(rows[-1]["date"])
    span = max((last - first).days, 1)

    def at(day: dt.date) -> str:
        return f"{100 * (day - first).days / span:.3f}"

    used = {row["lane"] for row in rows}
    lanes = [{"key": lane, "name": LEVEL[lane].label, "court": opened.courts[lane].get("short", ""),
              "title": opened.courts[lane]["name"]} for lane in LANES]
    lanes += [{"key": forum, "name": FORUM_LANES[forum], "court": "",
               "title": opened.parties["foreign_authority"] if forum == "foreign" else FORUM_LANES[forum]}
              for forum in FORUMS if forum in used]
    for lane in lanes:
        lane["ticks"] = [{"seq": row["seq"], "left": at(dt.date.fromisoformat(row["date"]))}
                         for row in rows if row["lane"] == lane["key"]]
    years = [{"year": first.year, "left": "0.000", "place": "start"}]  # the year the axis starts in
    for year in range(first.year + 1, last.year + 1):  # every new year; one near an end is set inside from
        share = 100 * (dt.date(year, 1, 1) - first).days / span  # its mark rather than centred on it
        if share < 6:  # so near the start that it names the axis's start better than the year before
            years = []
        years.append({"year": year, "left": at(dt.date(year, 1, 1)),
                      "place": "start" if share < 6 else "end" if share > 96 else "centre"})
    return {"lanes": lanes, "years": years, "first": first.isoformat(), "last": last.isoformat(), "span": span}


def _in_order(sheets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sheets' entries in the order they were made."""
    return sorted((row for sheet in sheets for row in sheet["entries"]), key=lambda row: row["seq"])


def _comparison(opened: Any, rows: list[dict[str, Any]], source: list[Any] | None) -> dict[str, Any] | None:
    """For a fork: the source matter's entries and the fork's (`rows`), from the fork point on."""
    fork = opened.forked_from
    if not fork:
        return None
    point = fork["seq"]
    shown = {"source_id": fork["matter_id"], "point": point, "found": source is not None,
             "fork": [r for r in rows if r["seq"] > point],
             "shared": next((r for r in rows if r["seq"] == point), None)}
    if source is not None:
        shown["source"] = [r for r in _in_order(_sheets(source)) if r["seq"] > point]
        shown["source_scenario"] = source[0].scenario
    return shown


def page(events: list[Any], source: list[Any] | None = None) -> str:
    """The viewer page of a matter (its stored events, the opening first); for a fork, `source` is the source
    matter's events (None when the store no longer holds them)."""
    opened = events[0]
    sheets = _sheets(events)
    rows = _in_order(sheets)
    if not rows:
        raise UserError(f"matter {opened.originator_id} has no docket entries yet")
    data = {"steps": _walk(events), "first": rows[0]["date"], "last": rows[-1]["date"]}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["breakable"] = breakable
    return env.get_template("viewer.html.j2").render(
        version=__version__, matter=opened, notice=simulated_notice(opened), sheets=sheets, count=len(rows),
        first=long_date(dt.date.fromisoformat(rows[0]["date"])),
        last=long_date(dt.date.fromisoformat(rows[-1]["date"])),
        timeline=_timeline(opened, rows), comparison=_comparison(opened, rows, source), data=data)


def matter_page(store: DocketStore, matter_id: str, as_of: dt.date | None = None) -> str:
    """The viewer page of a stored matter (as of a date: its entries on or before it), read from `store`,
    with a fork's source matter from the same store."""
    events = store.matter_events(matter_id)
    opened = events[0]
    if as_of is not None:
        version = store.matter_as_of(matter_id, as_of).version
        events = [e for e in events if e.originator_version <= version]
    source = None
    if opened.forked_from:
        try:
            source = store.matter_events(opened.forked_from["matter_id"])
        except UserError:  # the source is gone from this store: the fork is shown alone
            source = None
        if source is not None and as_of is not None:
            source = [source[0], *(e for e in source[1:] if e.date <= as_of.isoformat())]
    return page(events, source)
