#!/usr/bin/env python3
"""docketsim's command line: parses arguments and calls one function per command.

Bad input of any kind ends with one line on stderr and exit status 2, a fault of the environment (a full
disk, a read-only, damaged or unreachable store) one line and exit status 1, never a traceback. Text from
scenario files and stores is printed literally (control characters made visible, no markup).
"""

from __future__ import annotations

import os
import signal


def _stopped_while_starting(number: int, frame: object) -> None:
    os.write(2, b"run.py: interrupted\n")
    os._exit(128 + number)


if __name__ == "__main__":  # Ctrl-C while the libraries load: one line, no traceback
    for _number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_number, _stopped_while_starting)

# What pyproject.toml's dependencies provide (import names), checked before any is imported.
REQUIRED = ("eventsourcing", "simpy", "attrs", "matplotlib", "holidays", "rich", "numpy", "jinja2", "orjson")
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e .   then run: .venv/bin/python run.py ..."


def _unready() -> str | None:
    """Why this Python cannot run docketsim (too old, or packages missing), with how to set it up; or None."""
    import importlib.util
    import sys

    if sys.version_info < (3, 11):  # noqa: UP036 - an older python3 is told so, not given a traceback
        return f"docketsim needs Python 3.11 or newer, this is {sys.version.split()[0]} ({sys.executable})"
    missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        return f"this Python ({sys.executable}) lacks {', '.join(missing)}; install docketsim's environment: {INSTALL}"
    return None


_UNREADY = _unready() if __name__ == "__main__" else None
if _UNREADY:
    os.write(2, f"run.py: {_UNREADY}\n".encode())
    os._exit(1)

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any, NoReturn
from uuid import UUID

import attrs
from eventsourcing.persistence import PersistenceError

from reports import terminal
from reports.build import SweepPoint, build_report, incomplete, run_label, sweep_values
from sim import interrupts, outputs
from sim import scenario as scenarios
from sim.domain.procedure import Unlawful
from sim.errors import Fault, UserError
from sim.literal import printable, printable_lines
from sim.runs import authoring, ids
from sim.runs.audit import audit, audited_matters
from sim.runs.calibration import calibrate
from sim.runs.caseload import audited_matters as audited_caseloads
from sim.runs.caseload import caseload_ids, is_caseload, stored_replications
from sim.runs.caseload import matter_ids as caseload_matter_ids
from sim.runs.caseload import stored_matters as caseload_matters
from sim.runs.comparison import HISTORICAL, Comparison, Variants, compare, resume, run_scenarios
from sim.runs.forks import fork
from sim.runs.recipes import load_recipe
from sim.runs.replays import ensure_matter
from sim.runs.runner import RunInterrupted, record_run, run_scenario, stored_prefix, usable_jobs
from sim.runs.validation import validate
from sim.store import DEFAULT_STORE, STORE_ENV, open_store, recording, store_url
from sim.store.backends import fault
from sim.store.url import hide_password
from sim.views.narrative import running, tell
from sim.views.projections import entries, render_text, replay_notice
from sim.views.stages import stage_rows, write_stages

CALIBRATED = "microsoft_ireland_stochastic"
CASELOAD_N = 5  # compare's replications of a caseload scenario by default (each is years of many matters)
DEMO_REGIMES = ("microsoft_ireland_stochastic", "location_rule", "control_rule", "cloud_act",
                "cloud_act_executive_agreement", "provider_complies")
DEMO_N = 1000
DEMO_OUT = "docketsim-report"
MAX_IDS_SHOWN = 10


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _store_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="URL",
                        help="sqlite:///PATH, postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or memory:// "
                             f"(default: ${STORE_ENV} or {DEFAULT_STORE})")


def _matter_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("matter_id", nargs="?", metavar="MATTER_ID")
    parser.add_argument("--latest", action="store_true", help="the first matter of the newest run")


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0 to 3600, got {value!r}")
    return seconds


def _whole(minimum: int):  # type: ignore[no-untyped-def]
    """An argparse type: a whole number >= minimum."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {value!r}")
        return number
    return parse


def cmd_scenarios(args: argparse.Namespace) -> None:
    for path in scenarios.bundled_paths():
        loaded = scenarios.load(str(path))
        print(f"{loaded.name:<34} {printable(loaded.scenario.title)}")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file given as running it would (`sim.runs.validation`); each bad one gets its line on
    stderr, and the status is 2 if any was bad."""
    bad = 0
    for name in args.files:
        try:
            verdict = validate(name)
        except UserError as e:
            print(f"run.py validate: {e}", file=sys.stderr)
            bad += 1
            continue
        print(f"{printable(verdict.path)}: ok ({printable(verdict.summary)})")
        for key in verdict.undocumented:
            print(f"{printable(verdict.path)}: {key}: no source or assumption given", file=sys.stderr)
    if bad and len(args.files) > 1:
        print(f"run.py validate: {bad} of {len(args.files)} files are not valid scenarios", file=sys.stderr)
    return 2 if bad else 0


def cmd_keys(args: argparse.Namespace) -> None:
    loaded = scenarios.load(args.scenario)
    listed = authoring.keys(loaded)
    print(printable(f"{loaded.name} ({loaded.path}): {len(listed)} keys. Change one with --set KEY=VALUE (fork), "
                    "--sweep KEY=V1,V2,... (compare), or in a scenario that extends this one (python run.py new "
                    f"NAME --from {args.scenario})."))
    for line in terminal.keys_lines(listed):
        print(line)


def cmd_new(args: argparse.Namespace) -> None:
    name = authoring.check_name(args.name)
    base = scenarios.load(args.base)
    out = Path(args.out or f"{name}.toml")
    outputs.check_file(str(out), "scenario.toml")
    if outputs.kind(out) is not None:
        raise UserError(f"{out}: already exists; choose another --out (nothing was written)")
    bundled = scenarios.SCENARIO_DIR / f"{args.base}.toml"
    extends = args.base if bundled.exists() and not Path(args.base).exists() else \
        os.path.relpath(Path(args.base).resolve(), out.parent.resolve())
    text = authoring.draft(name, base, extends, args.base)
    scenarios.parse(text, str(out), out.parent)  # it validates as written, or nothing is written
    outputs.write_new(str(out), text)
    print(printable(f"wrote {out}: scenario {name}, extending {base.name}. Next:"))
    for step in (f"edit {out} (the keys most often changed are listed, commented out)",
                 f"python run.py keys {out}          # every key you can set, with its value and source",
                 f"python run.py validate {out}",
                 f"python run.py compare {args.base} {out} -n 1000 --out report/"):
        print(printable(f"  {step}"))


def cmd_run(args: argparse.Namespace) -> None:
    if args.resume:
        if args.scenarios or args.set:
            raise UserError("give scenarios (with any --set) or --resume RUN_ID, not both")
        args.resume = ids.run_id(open_store(args.store), args.resume)  # a missing store or unknown run fails here
        if is_caseload(open_store(args.store).run(args.resume)):
            _caseload_runs(args, [], open_store(args.store).run(args.resume))
            return
        with recording(args.store) as store, outputs.folder(args.out) as folder:
            comparison = resume(store, args.resume, usable_jobs(args.jobs, 64), _work(folder), terminal.progress,
                                args.note)
    else:
        if not args.scenarios:
            raise UserError("name at least one scenario (see `python run.py scenarios`), or --resume RUN_ID")
        settings = [_setting(text) for text in args.set or []]
        loaded = [_changed(scenarios.load(name), settings) for name in args.scenarios]
        if any(s.caseload for s in loaded):
            _caseload_runs(args, loaded)
            return
        with recording(args.store) as store, outputs.folder(args.out) as folder:
            comparison = run_scenarios(store, loaded, args.seed, args.n, usable_jobs(args.jobs, args.n),
                                       _work(folder), terminal.progress, note=args.note, keep=args.keep)
    _report(comparison, folder.path if folder else None)


def _work(folder: outputs.Folder | None) -> Path | None:
    """Where the writers write (a temporary folder moved into place at the end), or None without --out."""
    return folder.work if folder else None


def _caseload_runs(args: argparse.Namespace, loaded: list[Any], resumed: Any = None) -> None:
    """`run` on caseload scenarios (or `--resume` of a caseload run): each a table per court and a summary;
    with --out, DIR/outcomes.csv, DIR/caseload.csv and DIR/summary.json (DIR/SCENARIO/ for several)."""
    from reports import caseload as caseload_report
    from sim.runs.caseload import resume_caseload

    if not all(s.caseload for s in loaded):
        raise UserError("caseload scenarios (with a [caseload] table) run alone or with other caseload scenarios: "
                        + ", ".join(s.name for s in loaded if not s.caseload) + " has none")
    with recording(args.store) as store, outputs.folder(args.out) as folder:
        out_dir = _work(folder)
        if resumed is not None:
            scenario = run_scenario(resumed)
            files = caseload_report.CaseloadFiles(out_dir)
            try:
                with terminal.progress(f"{scenario.name} (caseload)", resumed.replications) as update:
                    result = resume_caseload(store, resumed, files.matter, files.replication, update,
                                             usable_jobs(args.jobs, resumed.replications))
            finally:
                files.close()
            done = [(scenario, result, files)]
        else:
            done = []
            for scenario in loaded:
                where = out_dir / caseload_report.folder_name(scenario.name) \
                    if out_dir is not None and len(loaded) > 1 else out_dir
                if where is not None:
                    where.mkdir(parents=True, exist_ok=True)
                done.append((scenario, *caseload_report.run_caseload(store, scenario, args.seed, args.n, where,
                                                                      args.note, usable_jobs(args.jobs, args.n))))
        for scenario, result, files in done:
            note = " (already in the store: same scenario text, seed and n; nothing new recorded)" \
                if result.already_recorded else ""
            print(f"run {result.run_id}  scenario {printable(scenario.name)} (caseload){note}")
            for matter_id in result.matter_ids:
                print(f"matter {matter_id}")
            if result.cases > len(result.matter_ids):
                print(f"... and {result.cases - len(result.matter_ids):,} more matters")
            document = caseload_report.summary(scenario, result, files)
            for table in caseload_report.court_tables(document):
                terminal.console.print(table)
            for line in caseload_report.summary_lines(document):
                print(printable(line))
    if folder is not None:
        print(printable(f"wrote outcomes.csv, caseload.csv and summary.json into {folder.path}"))


def _report(comparison: Comparison, out_dir: Path | None) -> None:
    for scenario, result, _ in comparison.runs:
        note = " (already in the store: same scenario text, seed and n; nothing new recorded)" \
            if result.already_recorded else ""
        print(f"run {result.run_id}  scenario {printable(scenario.name)}{note}")
        shown = result.matter_ids[:MAX_IDS_SHOWN]
        for matter_id in shown:
            print(f"matter {matter_id}")
        if len(result.matter_ids) > len(shown):
            where = f"{out_dir / 'outcomes.csv'} lists them all" if out_dir is not None else \
                "--out DIR writes them all to DIR/outcomes.csv"
            print(printable(f"... and {len(result.matter_ids) - len(shown):,} more matters ({where})"))
    if comparison.summary["n"] > 1 or len(comparison.runs) > 1:
        for run in comparison.summary["runs"]:
            terminal.console.print(terminal.summary_table(run))
        if comparison.summary["paired_differences"]:
            terminal.console.print(terminal.paired_table(comparison.summary["paired_differences"]))
    if out_dir is not None:
        print(printable(f"wrote {out_dir / 'outcomes.csv'} and {out_dir / 'summary.json'}"))


def cmd_runs(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    if args.delete:
        return _delete_runs(store, args.delete)
    rows = [{"run_id": str(run.id), "scenario": run.scenario, "label": run_label(store, run), "n": run.replications,
             "seed": run.seed, "started": run.started_at,
             "finished": run.finished_at or f"incomplete ({stored_prefix(store, run):,} stored)"}
            for run in store.runs()]
    if not rows:
        print("no runs in the store")
        return 0
    terminal.console.print(terminal.runs_table(rows, terminal.console.width))
    return 0


def _delete_runs(store: Any, run_ids: list[str]) -> int:
    """Delete runs whole (matters, snapshots, the run's record), each under its writer lock, then compact an
    SQLite file; refuse, before deleting anything, an unknown id or a run that other runs fork from (unless
    those go too). Each run deleted is said as soon as it is gone, so an interrupted delete tells the truth."""
    runs = [store.run(ids.run_id(store, run_id)) for run_id in dict.fromkeys(run_ids)]
    going = {str(run.id) for run in runs}
    extra = {str(run.id): caseload_ids(store, run) for run in runs}
    for other in store.runs():
        source = (other.fork or {}).get("matter_id")
        if source is None or str(other.id) in going:
            continue
        try:
            source_run = store.matter_events_between(source, 0, 1)[0].run_id
        except UserError:  # its source is gone already
            continue
        if source_run in going:
            raise UserError(f"run {source_run} has forks (run {other.id}); delete them with it, or keep it")
    deleted: list[str] = []
    try:
        for run in runs:
            count = len(extra[str(run.id)]) - stored_replications(store, run) if is_caseload(run) else \
                run.replications
            removed = store.delete_run(run, extra[str(run.id)])
            deleted.append(str(run.id))
            matters = f"{count:,} matter{'s' if count != 1 else ''}"
            size = f"; {_bytes(removed)} of events" if removed else ""
            print(f"deleted run {run.id} ({printable(run.scenario)}, {matters}{size})", flush=True)
        compacted = store.compact()
    except KeyboardInterrupt:
        gone = f"run{'s' if len(deleted) > 1 else ''} {', '.join(deleted)} deleted" if deleted else "nothing deleted"
        kept = [str(run.id) for run in runs if str(run.id) not in deleted]
        rest = f"; run{'s' if len(kept) > 1 else ''} {', '.join(kept)} kept whole" if kept else \
            ("; the store file may not be compacted (the next delete compacts it)" if store.where.path else "")
        return _fail("runs", f"interrupted: {gone}{rest}", 128 + (interrupts.received() or signal.SIGINT))
    if compacted is not None:
        before, after = compacted
        print(f"compacted the store file: {_bytes(before)} -> {_bytes(after)} (freed {_bytes(max(0, before - after))})")
    elif store.where.scheme == "sqlite":
        print("the store file was not compacted: another process is recording into it (the space is reused by "
              "later runs; the next delete compacts it)")
    return 0


def _bytes(count: int) -> str:
    """A size for people: 0 bytes, 12.3 kB, 4.5 MB, ..."""
    size = float(count)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def _matter_id(args: argparse.Namespace, store) -> str:  # type: ignore[no-untyped-def]
    """The matter asked for; one of an outcomes-only run is played again and stored first (and said so)."""
    if args.latest == bool(args.matter_id):
        raise UserError("give either a MATTER_ID or --latest")
    if not args.latest:
        matter_id = ids.matter_id(store, args.matter_id)
        ensure_matter(store, matter_id, args.note)
        return matter_id
    run = store.run(store.latest_run_id())
    if is_caseload(run):  # a caseload's first case
        first = next(iter(caseload_matter_ids(store, run)), None)
        if first is None:
            raise UserError(f"run {run.id} ({run.scenario}) has no stored matter yet")
        return first
    matter_id = store.latest_matter_id()
    ensure_matter(store, matter_id, args.note)
    return matter_id


def cmd_docket(args: argparse.Namespace) -> None:
    if args.court is not None or args.run is not None:
        _court_docket(args)
        return
    if args.out is not None and args.format != "html":
        raise UserError("--out writes the HTML page; give --format html with it")
    store = open_store(args.store)
    matter_id = _matter_id(args, store)
    if args.format == "html":
        from reports import viewer  # Jinja2 and the report's templates only for the page

        page = viewer.matter_page(store, matter_id, args.as_of)
        if args.out is None:
            sys.stdout.write(page)
            return
        path = outputs.write_file(args.out, page)
        print(printable(f"wrote {path}: open it in a browser ({path.resolve().as_uri()}); arrow keys step through "
                        "the docket"))
        return
    if args.as_of is None:
        events = store.matter_events(matter_id)
        open_then: list[Any] = []
    else:
        matter = store.matter_as_of(matter_id, args.as_of)
        events = store.matter_events_between(matter_id, 0, matter.version)
        open_then = running(matter, args.as_of)
    if args.format == "json":
        document: Any = entries(events)
        if args.as_of is not None:
            document = {"as_of": args.as_of.isoformat(), "entries": document,
                        "open_deadlines": [attrs.asdict(d, value_serializer=_json_value) for d in open_then]}
        print(json.dumps(document, indent=2))
        return
    print(printable_lines(render_text(events)), end="")
    if args.as_of is not None:
        print(f"\nAs of {args.as_of.isoformat()}: {len(events) - 1} entries on record; deadlines then running:")
        for deadline in open_then:
            print(f"  - {printable(deadline.describe())}")
        if not open_then:
            print("  (none)")


def _court_docket(args: argparse.Namespace) -> None:
    """`docket --court COURT --as-of DATE [--run RUN_ID | --latest]`: the matters pending at a court that day."""
    from sim.runs.caseload import court_docket

    if args.court is None:
        raise UserError("--run goes with --court (a court's docket report); for a matter give its MATTER_ID")
    if args.matter_id or args.format == "html" or args.out is not None:
        raise UserError("--court lists a court's pending matters: give --as-of DATE and --run RUN_ID or --latest, "
                        "not a MATTER_ID, --format html or --out")
    if args.as_of is None:
        raise UserError("--court needs --as-of DATE (the day of the docket report)")
    if args.run and args.latest:
        raise UserError("give --run RUN_ID or --latest, not both")
    store = open_store(args.store)
    run = store.run(args.run or store.latest_run_id())
    report = court_docket(store, run, args.court, args.as_of)
    if args.format == "json":
        print(json.dumps({"court": args.court, "as_of": args.as_of.isoformat(), "run_id": str(run.id),
                          "pending": report}, indent=2))
        return
    print(f"{args.court.upper()} COURT: matters of run {run.id} ({printable(run.scenario)}) pending on "
          f"{args.as_of.isoformat()}: {len(report):,}")
    for row in report:
        last = row["last_entry"]
        print(f"{printable(row['docket_number']):<16} {printable(row['caption'])}")
        print(f"{'':16} pending {row['days_pending']:,} days (since {row['pending_since']}); matter "
              f"{row['matter_id']}")
        if last:
            print(f"{'':16} last entry {last['date']}: {printable(last['description'])[:160]}")
        for d in row["deadlines"]:
            print(f"{'':16} deadline: {printable(d['party'])} may {printable(d['action'])} by {d['due']} "
                  f"({printable(d['rule'])})")
    if not report:
        print("  (none)")


def _json_value(_: Any, __: Any, value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def cmd_replay(args: argparse.Namespace) -> None:
    store = open_store(args.store)
    matter_id = _matter_id(args, store)
    events = store.matter_events(matter_id)
    if args.as_of is not None:
        version = store.version_on(matter_id, args.as_of)
        events = [e for e in events if e.originator_version <= version]
    if args.step and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("--step waits for Enter and needs a terminal (stdin and stdout); without --step the "
                        "events print one after another (--delay S paces them)")
    print(printable(replay_notice(events[0])) + "\n", flush=True)
    if args.step:
        print("Enter: next event, q then Enter (or Ctrl-D): quit\n")
    for _, told in tell(events):
        print(printable_lines(told), flush=True)
        if args.step:
            try:
                answer = input()
            except EOFError:  # Ctrl-D: the teacher is done
                print()
                return
            if answer.strip().lower() == "q":
                return
        else:
            print()
            if args.delay and sys.stdout.isatty():
                time.sleep(args.delay)


def cmd_fork(args: argparse.Namespace) -> None:
    if args.recipe:
        if args.matter_id or args.after_entry is not None or args.as_of is not None or args.set:
            raise UserError("--recipe gives the matter, the fork point and the changes; "
                            "give no MATTER_ID, --after-entry, --as-of or --set with it")
        recipe = load_recipe(args.recipe)
        source = scenarios.load(recipe.source)
        scenarios.with_settings(source, list(recipe.set))  # a bad change fails here, before anything is written
        with recording(args.store) as store:
            matter_id = record_run(store, source, seed=0, note=args.note).matter_ids[0]
            _report(*fork(store, matter_id, None, recipe.as_of, list(recipe.set), args.n or recipe.n,
                          recipe.seed if args.seed is None else args.seed, args.jobs, args.out, terminal.progress,
                          args.note, recipe.title))
        return
    if not args.matter_id:
        raise UserError("give a MATTER_ID (see `python run.py run`), or --recipe FILE")
    settings = [_setting(text) for text in args.set or []]
    open_store(args.store)  # a missing store fails here, before a new file would be made
    with recording(args.store) as store:
        matter_id = ids.matter_id(store, args.matter_id)
        ensure_matter(store, matter_id, args.note)
        _report(*fork(store, matter_id, args.after_entry, args.as_of, settings, args.n or 1,
                      args.seed or 0, args.jobs, args.out, terminal.progress, args.note))


def _setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UserError(f"--set {text!r}: expected KEY=VALUE, e.g. cloud_act.enacted=never")
    return key.strip(), value.strip()


def _changed(scenario: Any, settings: list[tuple[str, str]]) -> Any:
    """The scenario with --set settings applied (validated as in a file), named after them so that runs
    with and without them stay apart in tables and charts."""
    if not settings:
        return scenario
    changed = scenarios.with_settings(scenario, settings)
    if changed.data.country != scenario.data.country:  # another matter than the one these judges sat on
        changed = scenarios.with_settings(changed, _generic_judges(changed))
    shown = ", ".join(f"{k} = {v}" for k, v in settings)
    return scenarios.renamed(changed, f"{scenario.name} [{', '.join(f'{k}={v}' for k, v in settings)}]",
                             f"{changed.scenario.title} (changed: {shown})")


def _generic_judges(scenario: Any) -> list[tuple[str, str]]:
    """Settings that name no real judge: with the data in another country the matter is not the one the
    scenario's judges decided (as `cloud_act_executive_agreement` names none)."""
    district = scenario.tables.get("courts", {}).get("district", {}).get("short", "district court")
    return [("courts.magistrate_judge", f"a Magistrate Judge of the {district}"),
            ("courts.district.judge", f"a District Judge of the {district}"),
            ("courts.circuit.judge", "a panel of Circuit Judges")]


def _is_run_id(text: str) -> bool:
    """A run id in full, or what can only be the start of one (hex digits, not a scenario's name or file)."""
    try:
        UUID(text)
    except ValueError:
        return len(text) >= ids.MIN_PREFIX and all(c in "0123456789abcdef-" for c in text.lower()) and \
            not Path(text).exists() and not (scenarios.SCENARIO_DIR / f"{text}.toml").exists()
    return True


def cmd_compare(args: argparse.Namespace) -> None:
    stored = [name for name in args.scenarios if _is_run_id(name)]
    settings = [_setting(text) for text in args.set or []]
    if settings and len(stored) == len(args.scenarios):
        raise UserError("--set changes a scenario to rerun (a name or a TOML file), not a stored run")
    loaded = [_changed(scenarios.load(name), settings) for name in args.scenarios if not _is_run_id(name)]
    if args.sweep and not loaded:
        raise UserError("--sweep needs a scenario to rerun (a name or a TOML file), not only run ids")
    sweep = _sweep(args.sweep, loaded[0]) if args.sweep else None
    if args.n is None:
        args.n = CASELOAD_N if any(s.caseload for s in loaded) else 1000
    if any(s.caseload for s in loaded):
        variants = [variant for _, variant in sweep[1]] if sweep else []
        _compare_caseloads(args, [*loaded, *(v for v in variants if v not in loaded)], stored)
        return
    with recording(args.store) as store:
        stored = [ids.run_id(store, run_id) for run_id in stored]  # an unknown one fails before anything runs
        with outputs.folder(args.out) as folder:
            assert folder is not None
            index = folder.final(_compare(store, loaded, args.seed, args.n, usable_jobs(args.jobs, args.n),
                                          folder.work, sweep, args.note, stored))
    print(printable(str(index)))


def _sweep(text: str, base: scenarios.Scenario) -> tuple[str, Variants]:
    """Each value of KEY=V1,V2,... as a variant of `base` (checked before anything runs). A value that plays
    as the base does, or as an earlier value, gives that very scenario, so it is simulated once."""
    key, values = sweep_values(text)
    variants: Variants = []
    for value in values:
        variant = scenarios.with_settings(base, [(key, value)], "--sweep")
        same = next((s for s in [base, *(v for _, v in variants)] if scenarios.plays_alike(s, variant)), None)
        variants.append((value, same or scenarios.renamed(variant, f"{base.name} [{key}={value}]",
                                                 f"{base.scenario.title} ({key} = {value})")))
    return key, variants


def _compare(store: Any, loaded: list[Any], seed: int, n: int, jobs: int, out_dir: Path,
             sweep: tuple[str, Variants] | None, note: Any, stored: Sequence[str] = ()) -> Path:
    """Run the comparison, show its tables, and build the report from the store, stored runs (e.g. forks)
    first."""
    for line in incomplete(store, stored):
        print(printable(line))
    run_ids, swept = compare(store, loaded, seed, n, jobs, sweep, terminal.progress,
                             lambda comparison: _report(comparison, None), note)
    points = None
    if swept:
        key, rows = swept
        terminal.console.print(terminal.sweep_table(key, loaded[0].name, rows))
        points = (key, [SweepPoint(loaded[0].name, value, summary["run_id"]) for value, summary in rows])
    return build_report(store, [*stored, *run_ids], out_dir, points, note)


def cmd_experiment(args: argparse.Namespace) -> None:
    """Play an experiment file's design (or, with --dry-run, say what it would take) and write its results."""
    from sim.runs import experiment as experiments
    from sim.runs.executors import executor
    from sim.runs.experiment_file import load as load_experiment

    found = load_experiment(args.file)
    for key in experiments.unused_factors(found):
        args.note(f"warning: factor {key} changed none of {experiments.UNUSED_SAMPLE} sample dockets between its "
                  f"extremes: {found.base.name} may never use it")
    if args.dry_run:
        for line in experiments.dry_run_lines(found, args.executor, usable_jobs(args.jobs, 64)):
            print(line)
        return
    out = args.out or f"experiment-{found.name}"
    outputs.check_folder(out)  # a bad --out fails here, before anything is played
    with recording(args.store) as store, executor(args.executor, args.scheduler, args.jobs) as where:
        print(f"experiment {found.name}: {found.points:,} design points x {found.replications:,} replications "
              f"({found.design}), played by {where.where}", flush=True)
        try:
            with terminal.progress(found.name, found.points * found.replications) as update:
                result = experiments.run_experiment(store, found, where, update, args.note)
        except experiments.ExperimentInterrupted as e:
            again = f"python run.py experiment {args.file}" + (f" --store {hide_password(args.store)}"
                                                              if args.store else "")
            stored = f"{e.stored:,} of {e.total:,} design points stored whole; finish with: {again}"
            if e.cause:
                raise Fault(f"{e.cause}; {stored}") from None
            raise KeyboardInterrupt(stored) from None
    _experiment_outputs(result, out)


def _experiment_outputs(result: Any, out: str) -> None:
    from reports.experiment import label, write_experiment

    for measure, indices in result.indices.items():
        top = ", ".join(f"{key} ({value:.3g})" for key, index, value, _, _ in indices
                        if index in ("mu_star", "ST"))
        print(printable(f"{label(measure)}: {top}"))
    with outputs.folder(out) as folder:
        assert folder is not None
        written = [folder.final(path) for path in write_experiment(result, folder.work)]
    print(printable(f"wrote {', '.join(str(p) for p in written if p.suffix != '.svg')}"))
    print(f"experiment {result.experiment_id}: rebuild these with python run.py report {result.experiment_id}")


def cmd_report(args: argparse.Namespace) -> None:
    store = open_store(args.store)
    if args.latest == bool(args.run_ids):
        raise UserError("give RUN_IDs or --latest (the newest run in the store)")
    from sim.runs import experiment as experiments

    if len(args.run_ids) == 1 and experiments.is_experiment(store, args.run_ids[0]):
        _experiment_outputs(experiments.from_store(store, args.run_ids[0]), args.out)
        return
    run_ids = [store.latest_run_id()] if args.latest else [ids.run_id(store, given) for given in args.run_ids]
    with outputs.folder(args.out) as folder:
        assert folder is not None
        for line in incomplete(store, [run_id for run_id in run_ids if not is_caseload(store.run(run_id))]):
            print(printable(line))
        index = folder.final(build_report(store, run_ids, folder.work, note=args.note))  # a caseload run: its section
    print(printable(str(index)))


def _compare_caseloads(args: argparse.Namespace, loaded: list[Any], stored: list[str]) -> None:
    """`compare` of caseload scenarios (and stored caseload runs, and a sweep's values, each a run of its own):
    each run, then the caseload report."""
    from reports import caseload as caseload_report

    if not all(s.caseload for s in loaded):
        raise UserError("compare runs caseload scenarios (with a [caseload] table) with other caseload scenarios "
                        "or stored caseload runs only")
    with recording(args.store) as store:
        for run_id in stored:
            store.run(run_id)  # an unknown run id fails here, before anything is recorded
        run_ids = [caseload_report.run_caseload(store, scenario, args.seed, args.n, None, args.note,
                                                usable_jobs(args.jobs, args.n))[0].run_id for scenario in loaded]
        with outputs.folder(args.out) as folder:
            assert folder is not None
            index = folder.final(build_report(store, [*stored, *run_ids], folder.work))
    print(printable(str(index)))


def cmd_audit(args: argparse.Namespace) -> int:
    """Check every stored matter of the runs against the declared procedure; exit 1 on any violation."""
    store = open_store(args.store)
    if args.latest == bool(args.run_ids):
        raise UserError("give RUN_ID... or --latest")
    chosen = [store.latest_run_id()] if args.latest else [ids.run_id(store, given) for given in args.run_ids]
    runs = [store.run(run_id) for run_id in chosen]  # an unknown id fails here, before any output
    found: list[dict[str, Any]] = []

    def report(finding: Any) -> None:
        if args.format == "json":
            found.append(attrs.asdict(finding))
        else:
            print(printable(finding.describe()))

    single = [run for run in runs if not is_caseload(run)]
    tally = audit(chain(audited_matters(store, single, stored_prefix),
                        audited_caseloads(store, [run for run in runs if is_caseload(run)])), report)
    if args.format == "json":
        print(json.dumps({"runs": chosen, **attrs.asdict(tally), "findings": found}, indent=2))
    else:
        print(f"audit: {tally.summary()}")
    return 1 if tally.violations else 0


def cmd_stages(args: argparse.Namespace) -> None:
    """One row per matter and stage it reached, streamed from the stored events (memory flat in n)."""
    store = open_store(args.store)
    if args.latest == bool(args.run_id):
        raise UserError("give a RUN_ID or --latest (the newest run in the store)")
    run = store.run(store.latest_run_id() if args.latest else ids.run_id(store, args.run_id))
    write_stages((stage_rows(events) for events in caseload_matters(store, [run])), args.format,
                 sys.stdout)


def cmd_calibrate(args: argparse.Namespace) -> None:
    scenario = scenarios.load(args.scenario)
    with recording(args.store) as store, outputs.folder(args.out) as folder:
        historical = record_run(store, scenarios.load(HISTORICAL), seed=0, note=args.note)
        (_, result, _), = run_scenarios(store, [scenario], args.seed, args.n, usable_jobs(args.jobs, args.n), None,
                                        terminal.progress, note=args.note).runs
        report = calibrate(store, store.run(result.run_id), store.run(historical.run_id))
        terminal.console.print(terminal.calibration_table(report))
        if not any(stage.n for stage in report.stages if stage.stage not in ("mlat", "total")):
            print(f"{printable(report.scenario)}: no simulated matter came before a court, so only the whole (and "
                  "any MLAT request) can be set beside the real case; calibrate a scenario that goes to court, e.g. "
                  f"{CALIBRATED}")
        if folder is not None:
            from reports.calibration import write_calibration  # matplotlib only when a chart is drawn

            written = [folder.final(path) for path in write_calibration(report, folder.work)]
    if folder is not None:
        for path in written:
            print(printable(f"wrote {path}"))


def cmd_demo(args: argparse.Namespace) -> None:
    historical = scenarios.load(HISTORICAL)
    regimes = [scenarios.load(name) for name in DEMO_REGIMES]
    with recording(args.store) as store, outputs.folder(DEMO_OUT) as folder:
        assert folder is not None
        result = record_run(store, historical, seed=0, note=args.note)
        print(printable_lines(render_text(store.matter_events(result.matter_ids[0]))), end="")
        again = f"python run.py docket {result.matter_ids[0]}" + (f" --store {args.store}" if args.store else "")
        print("\n" + printable(f"run {result.run_id}; see this docket again with: {again}") + "\n")
        index = folder.final(_compare(store, regimes, 0, DEMO_N, usable_jobs(None, DEMO_N), folder.work, None,
                                      args.note))
    print(printable(f"report: {index}"))


def cmd_bench(args: argparse.Namespace) -> None:
    from sim.runs.bench import bench

    bench(n=args.n, memory_n=args.memory_n, postgres=args.postgres or os.environ.get("DOCKETSIM_BENCH_POSTGRES"),
          caseload_only=args.caseload, experiment_only=args.experiment, floor_only=args.floor)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="run.py", description="docketsim: an event-sourced court docket simulator")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    parser.commands = commands.choices  # type: ignore[attr-defined]

    p = commands.add_parser("scenarios", help="list the bundled scenarios, one line each")
    p.set_defaults(func=cmd_scenarios)

    p = commands.add_parser("validate", help="check scenario files and report undocumented figures")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = commands.add_parser("keys", help="every key a scenario can set, with its value, type and source")
    p.add_argument("scenario", nargs="?", default=authoring.DEFAULT_BASE, metavar="SCENARIO",
                   help=f"a bundled scenario's name or a TOML file (default {authoring.DEFAULT_BASE})")
    p.set_defaults(func=cmd_keys)

    p = commands.add_parser("new", help="write a new scenario file that extends another, ready to edit")
    p.add_argument("name", metavar="NAME", help="the new scenario's name: letters, digits, underscores")
    p.add_argument("--from", dest="base", default=authoring.DEFAULT_BASE, metavar="SCENARIO",
                   help=f"the scenario it extends: a bundled name or a TOML file (default {authoring.DEFAULT_BASE})")
    p.add_argument("--out", metavar="FILE", help="where to write it (default NAME.toml; never overwritten)")
    p.set_defaults(func=cmd_new)

    p = commands.add_parser("run", help="simulate scenarios into the store and summarize the outcomes")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="bundled scenario names or TOML files")
    p.add_argument("-n", type=_whole(1), default=1, help="replications per scenario (default 1)")
    p.add_argument("--seed", type=_whole(0), default=0, help="root seed (default 0)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="worker processes (default and at most: every core)")
    p.add_argument("--out", metavar="DIR", help="write outcomes.csv and summary.json into DIR")
    p.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="change a scenario key, validated as in a file (repeatable)")
    p.add_argument("--keep", choices=("events", "outcomes"), default="events",
                   help="store every event (default), or only each replication's outcome row: a matter is then "
                        "played again from the run's scenario and seed when docket, replay or fork opens it")
    _store_flag(p)
    p.set_defaults(func=cmd_run)

    p = commands.add_parser("runs", help="the runs in the store (or delete some)")
    p.add_argument("--delete", nargs="+", metavar="RUN_ID", help="remove these runs and their matters")
    _store_flag(p)
    p.set_defaults(func=cmd_runs)

    p = commands.add_parser("docket", help="PACER-style docket sheets of a recorded matter")
    _matter_flags(p)
    p.add_argument("--format", choices=("text", "json", "html"), default="text",
                   help="json: an array of the entries; with --as-of an object {as_of, entries (that array), "
                        "open_deadlines}; html: one page to open from disk, stepping through the docket (the viewer)")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="the docket as it stood that day, with open deadlines")
    p.add_argument("--out", metavar="FILE", help="with --format html: write the page to FILE (default: stdout)")
    p.add_argument("--court", choices=("district", "circuit", "supreme"),
                   help="a court's docket report on --as-of DATE: the matters of a caseload run pending there")
    p.add_argument("--run", metavar="RUN_ID", help="with --court: the run (default: the newest, as --latest)")
    _store_flag(p)
    p.set_defaults(func=cmd_docket)

    p = commands.add_parser("replay", help="narrate a matter event by event")
    _matter_flags(p)
    p.add_argument("--step", action="store_true", help="wait for Enter after each event (q quits)")
    p.add_argument("--delay", type=_seconds, default=0.0, metavar="SECONDS", help="pause between events")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="stop at the last event on or before DATE")
    _store_flag(p)
    p.set_defaults(func=cmd_replay)

    p = commands.add_parser("fork", help="continue a recorded matter from one of its entries, with changes")
    p.add_argument("matter_id", nargs="?", metavar="MATTER_ID")
    p.add_argument("--recipe", metavar="FILE", help="a what-if recipe (scenarios/what-ifs/*.toml)")
    p.add_argument("--after-entry", type=_whole(1), metavar="SEQ",
                   help="copy the matter's entries up to SEQ, the matter's own numbering: the `seq` of `docket "
                        "--format json`, not the # column of a court's docket sheet (each court numbers its own)")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="copy the entries on or before DATE")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="change a scenario key (repeatable)")
    p.add_argument("-n", type=_whole(1), default=None, help="replications (default 1, or the recipe's)")
    p.add_argument("--seed", type=_whole(0), default=None, help="root seed (default 0, or the recipe's)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="worker processes (default and at most: every core)")
    p.add_argument("--out", metavar="DIR", help="write outcomes.csv and summary.json into DIR")
    _store_flag(p)
    p.set_defaults(func=cmd_fork)

    p = commands.add_parser("bench", help="throughput and memory figures on this machine")
    p.add_argument("-n", type=_whole(10), default=5000, help="replications for the throughput runs (default 5000)")
    p.add_argument("--memory-n", type=_whole(10), default=None,
                   help="replications for the large memory run (default 10 x n)")
    p.add_argument("--postgres", metavar="URL", help="a PostgreSQL server for its rates, in a database made for "
                                                     "the bench (default: $DOCKETSIM_BENCH_POSTGRES)")
    only = p.add_mutually_exclusive_group()
    only.add_argument("--caseload", action="store_true", help="only the caseload line (f): 10 years, ~10,000 matters")
    only.add_argument("--experiment", action="store_true", help="only the experiment and report memory line (h)")
    only.add_argument("--floor", action="store_true", help="only the floor line (i): play against its skeleton, "
                                                           "n/10 replications, one core")
    p.set_defaults(func=cmd_bench)

    p = commands.add_parser("compare", help="run scenarios and build the comparison report")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="bundled scenario names, TOML files, or ids of stored runs (e.g. forks)")
    p.add_argument("-n", type=_whole(1), default=None,
                   help="replications per scenario (default 1000; 5 for caseload scenarios)")
    p.add_argument("--seed", type=_whole(0), default=0, help="root seed (default 0)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="worker processes (default and at most: every core)")
    p.add_argument("--out", metavar="DIR", default="report", help="report folder (default report/)")
    p.add_argument("--sweep", metavar="KEY=V1,V2,...", help="rerun the first scenario across values of one key")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="change a key of every scenario named, validated as in a file (repeatable)")
    _store_flag(p)
    p.set_defaults(func=cmd_compare)

    p = commands.add_parser("experiment", help="play a designed experiment over a scenario's keys (grid, Latin "
                                             "hypercube, Morris, Sobol') and analyse its sensitivity")
    p.add_argument("file", metavar="FILE.toml", help="an experiment file (see scenarios/experiments/)")
    p.add_argument("--dry-run", action="store_true", help="print the design's size and an estimate of its time; "
                                                          "write nothing")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where replications are played: local processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: the scheduler, e.g. "
                   "tcp://HOST:8786 (default: $DASK_SCHEDULER_ADDRESS, else a LocalCluster of this machine)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="local worker processes (default: every core)")
    p.add_argument("--out", metavar="DIR", help="output folder (default experiment-NAME/)")
    _store_flag(p)
    p.set_defaults(func=cmd_experiment)

    p = commands.add_parser("report", help="build the report from stored runs or an experiment (no re-simulation)")
    p.add_argument("run_ids", nargs="*", metavar="RUN_ID", help="runs to report, the first the baseline; or one "
                                                                "experiment's id")
    p.add_argument("--latest", action="store_true", help="the newest run in the store")
    p.add_argument("--out", metavar="DIR", default="report", help="report folder (default report/)")
    _store_flag(p)
    p.set_defaults(func=cmd_report)

    p = commands.add_parser("audit", help="check stored matters against the declared procedure")
    p.add_argument("run_ids", nargs="*", metavar="RUN_ID")
    p.add_argument("--latest", action="store_true", help="the newest run")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _store_flag(p)
    p.set_defaults(func=cmd_audit)

    p = commands.add_parser("stages", help="how long each matter of a run spent at each stage, from its events")
    p.add_argument("run_id", nargs="?", metavar="RUN_ID")
    p.add_argument("--latest", action="store_true", help="the newest run")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    _store_flag(p)
    p.set_defaults(func=cmd_stages)

    p = commands.add_parser("calibrate", help="stage durations simulated against the real case and the "
                                              "published statistics")
    p.add_argument("scenario", nargs="?", default=CALIBRATED, metavar="SCENARIO",
                   help=f"a bundled scenario name or TOML file (default {CALIBRATED})")
    p.add_argument("-n", type=_whole(1), default=1000, help="replications (default 1000)")
    p.add_argument("--seed", type=_whole(0), default=0, help="root seed (default 0)")
    p.add_argument("--jobs", type=_whole(1), default=None, help="worker processes (default: every core)")
    p.add_argument("--out", metavar="DIR", help="write calibration.csv, calibration.json and the chart into DIR")
    _store_flag(p)
    p.set_defaults(func=cmd_calibrate)

    p = commands.add_parser("demo", help="the historical docket, then the bundled regimes compared in "
                                         f"./{DEMO_OUT}/")
    _store_flag(p)
    p.set_defaults(func=cmd_demo)
    return parser


def _fail(command: str, message: str, status: int) -> int:
    """One line on stderr, prefixed once with the command (a message may already carry it)."""
    prefix = f"run.py {command}: " if command else "run.py: "
    for own in (prefix, f"{command}: "):
        message = message.removeprefix(own)
    with contextlib.suppress(OSError):
        print(prefix + printable(message), file=sys.stderr, flush=True)
    return status


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line parsed; a word a command does not take is named by that command."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")  # type: ignore[attr-defined]
    return args


def main(argv: list[str] | None = None) -> int:
    interrupts.install()
    command = ""
    try:
        args = parse(argv)
        command = args.command
        args.note = lambda text: print(f"run.py {command}: {printable(text)}", file=sys.stderr, flush=True)
        return args.func(args) or 0
    except UserError as e:
        return _fail(command, str(e), 2)
    except Unlawful as e:
        return _fail(command, f"the scenario led to an unlawful step: {e}", 2)
    except RunInterrupted as e:
        store = f" --store {hide_password(args.store)}" if getattr(args, "store", None) else ""
        stored = f"{e.stored:,} of {e.total:,} replications stored whole"
        finish = f"finish with: python run.py run --resume {e.run_id}{store}"
        if e.cause:
            return _fail(command, f"{e.cause}; {stored}; {finish}", 1)
        return _fail(command, f"interrupted; {stored}; {finish}", 128 + (interrupts.received() or signal.SIGINT))
    except KeyboardInterrupt as e:  # an experiment says what it stored and how to finish
        said = f"interrupted; {e.args[0]}" if e.args and isinstance(e.args[0], str) else "interrupted"
        return _fail(command, said, 128 + (interrupts.received() or signal.SIGINT))
    except Fault as e:
        return _fail(command, str(e), 1)
    except PersistenceError as e:
        return _fail(command, str(fault(e, hide_password(store_url(getattr(args, "store", None))))), 1)
    except BrokenPipeError:
        return 0
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        return _fail(command, f"{where}{e.strerror or e}", 1)


if __name__ == "__main__":
    interrupts.leave(main())
