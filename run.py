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

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn
from uuid import UUID

import attrs
from eventsourcing.persistence import PersistenceError

from reports import terminal
from reports.build import SweepPoint, build_report, incomplete, run_label, sweep_values
from sim import interrupts
from sim import scenario as scenarios
from sim.domain.procedure import Unlawful
from sim.errors import Fault, UserError
from sim.literal import printable, printable_lines
from sim.runs import authoring
from sim.runs.audit import audit, stored_matters
from sim.runs.calibration import calibrate
from sim.runs.comparison import HISTORICAL, Comparison, Variants, check_out_dir, compare, resume, run_scenarios
from sim.runs.forks import fork
from sim.runs.recipes import load_recipe
from sim.runs.replays import ensure_matter
from sim.runs.runner import RunInterrupted, record_run, stored_prefix, usable_jobs
from sim.store import DEFAULT_STORE, STORE_ENV, open_store, recording, store_url
from sim.store.backends import fault
from sim.store.url import hide_password
from sim.views.narrative import running, tell
from sim.views.projections import entries, render_text
from sim.views.stages import stage_rows, write_stages

CALIBRATED = "microsoft_ireland_stochastic"
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
    """Check every file given; each bad one gets its line on stderr, and the status is 2 if any was bad."""
    bad = 0
    for name in args.files:
        try:
            loaded = scenarios.load(name)
        except UserError as e:
            print(f"run.py validate: {e}", file=sys.stderr)
            bad += 1
            continue
        undocumented = loaded.undocumented()
        print(f"{printable(loaded.path)}: ok ({loaded.name}: {sum(1 for _ in loaded.figures())} figures)")
        for key in undocumented:
            print(f"{printable(loaded.path)}: {key}: no source or assumption given", file=sys.stderr)
    if bad and len(args.files) > 1:
        print(f"run.py validate: {bad} of {len(args.files)} files are not valid scenarios", file=sys.stderr)
    return 2 if bad else 0


def cmd_keys(args: argparse.Namespace) -> None:
    loaded = scenarios.load(args.scenario)
    listed = authoring.keys(loaded)
    print(f"{loaded.name} ({loaded.path}): {len(listed)} keys. Change one with --set KEY=VALUE (fork), "
          "--sweep KEY=V1,V2,... (compare), or in a scenario that extends this one (python run.py new NAME "
          f"--from {args.scenario}).")
    for line in terminal.keys_lines(listed):
        print(line)


def cmd_new(args: argparse.Namespace) -> None:
    name = authoring.check_name(args.name)
    base = scenarios.load(args.base)
    out = Path(args.out or f"{name}.toml")
    if out.exists():
        raise UserError(f"{out}: already exists; choose another --out (nothing was written)")
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: folder {out.parent} does not exist")
    bundled = scenarios.SCENARIO_DIR / f"{args.base}.toml"
    extends = args.base if bundled.exists() and not Path(args.base).exists() else \
        os.path.relpath(Path(args.base).resolve(), out.parent.resolve())
    text = authoring.draft(name, base, extends, args.base)
    scenarios.parse(text, str(out), out.parent)  # it validates as written, or nothing is written
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}: scenario {name}, extending {base.name}. Next:")
    for step in (f"edit {out} (the keys most often changed are listed, commented out)",
                 f"python run.py keys {out}          # every key you can set, with its value and source",
                 f"python run.py validate {out}",
                 f"python run.py compare {args.base} {out} -n 1000 --out report/"):
        print(f"  {step}")


def cmd_run(args: argparse.Namespace) -> None:
    if args.resume:
        if args.scenarios or args.set:
            raise UserError("give scenarios (with any --set) or --resume RUN_ID, not both")
        open_store(args.store).run(args.resume)  # a missing store or unknown run fails here, creating nothing
        with recording(args.store) as store:
            out_dir = check_out_dir(args.out)
            comparison = resume(store, args.resume, usable_jobs(args.jobs, 64), out_dir, terminal.progress,
                                args.note)
    else:
        if not args.scenarios:
            raise UserError("name at least one scenario (see `python run.py scenarios`), or --resume RUN_ID")
        settings = [_setting(text) for text in args.set or []]
        loaded = [_changed(scenarios.load(name), settings) for name in args.scenarios]
        with recording(args.store) as store:
            out_dir = check_out_dir(args.out)
            comparison = run_scenarios(store, loaded, args.seed, args.n, usable_jobs(args.jobs, args.n), out_dir,
                                       terminal.progress, note=args.note, keep=args.keep)
    _report(comparison, out_dir)


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
            print(f"... and {len(result.matter_ids) - len(shown):,} more matters ({where})")
    if comparison.summary["n"] > 1 or len(comparison.runs) > 1:
        for run in comparison.summary["runs"]:
            terminal.console.print(terminal.summary_table(run))
        if comparison.summary["paired_differences"]:
            terminal.console.print(terminal.paired_table(comparison.summary["paired_differences"]))
    if out_dir is not None:
        print(f"wrote {out_dir / 'outcomes.csv'} and {out_dir / 'summary.json'}")


def cmd_runs(args: argparse.Namespace) -> None:
    store = open_store(args.store)
    if args.delete:
        _delete_runs(store, args.delete)
        return
    rows = [{"run_id": str(run.id), "scenario": run.scenario, "label": run_label(store, run), "n": run.replications,
             "seed": run.seed, "started": run.started_at,
             "finished": run.finished_at or f"incomplete ({stored_prefix(store, run):,} stored)"}
            for run in store.runs()]
    if not rows:
        print("no runs in the store")
        return
    terminal.console.print(terminal.runs_table(rows))


def _delete_runs(store: Any, run_ids: list[str]) -> None:
    """Delete runs whole (matters, snapshots, the run's record); refuse, before deleting anything, an
    unknown id or a run that other runs fork from (unless those go too)."""
    runs = [store.run(run_id) for run_id in dict.fromkeys(run_ids)]
    going = {str(run.id) for run in runs}
    matters = {str(m): run for run in runs for m in run.matter_ids()}
    for other in store.runs():
        source = matters.get((other.fork or {}).get("matter_id", ""))
        if source is not None and str(other.id) not in going:
            raise UserError(f"run {source.id} has forks (run {other.id}); delete them with it, or keep it")
    for run in runs:
        freed = store.delete_run(run)
        matters = f"{run.replications:,} matter{'s' if run.replications != 1 else ''}"
        print(f"deleted run {run.id} ({run.scenario}, {matters}); freed {_bytes(freed)}")


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
    matter_id = store.latest_matter_id() if args.latest else args.matter_id
    ensure_matter(store, matter_id, args.note)
    return matter_id


def cmd_docket(args: argparse.Namespace) -> None:
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
        path = viewer.write(page, args.out)
        print(f"wrote {path}: open it in a browser ({path.resolve().as_uri()}); arrow keys step through the docket")
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
        ensure_matter(store, args.matter_id, args.note)
        _report(*fork(store, args.matter_id, args.after_entry, args.as_of, settings, args.n or 1,
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
    return scenarios.renamed(changed, f"{scenario.name} [{', '.join(f'{k}={v}' for k, v in settings)}]",
                    changed.scenario.title)


def _is_run_id(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
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
    with recording(args.store) as store:
        for run_id in stored:
            store.run(run_id)  # an unknown run id fails here, before anything is recorded
        out_dir = check_out_dir(args.out)
        assert out_dir is not None
        index = _compare(store, loaded, args.seed, args.n, usable_jobs(args.jobs, args.n), out_dir, sweep,
                         args.note, stored)
    print(index)


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
    return build_report(store, [*stored, *run_ids], out_dir, points)


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
    with recording(args.store) as store, executor(args.executor, args.scheduler, args.jobs) as where:
        out_dir = check_out_dir(args.out or f"experiment-{found.name}")
        assert out_dir is not None
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
    _experiment_outputs(result, out_dir)


def _experiment_outputs(result: Any, out_dir: Path) -> None:
    from reports.experiment import label, write_experiment

    for measure, indices in result.indices.items():
        top = ", ".join(f"{key} ({value:.3g})" for key, index, value, _, _ in indices
                        if index in ("mu_star", "ST"))
        print(printable(f"{label(measure)}: {top}"))
    written = write_experiment(result, out_dir)
    print(f"wrote {', '.join(str(p) for p in written if p.suffix != '.svg')}")
    print(f"experiment {result.experiment_id}: rebuild these with python run.py report {result.experiment_id}")


def cmd_report(args: argparse.Namespace) -> None:
    store = open_store(args.store)
    if args.latest == bool(args.run_ids):
        raise UserError("give RUN_IDs or --latest (the newest run in the store)")
    from sim.runs import experiment as experiments

    if len(args.run_ids) == 1 and experiments.is_experiment(store, args.run_ids[0]):
        out_dir = check_out_dir(args.out)
        assert out_dir is not None
        _experiment_outputs(experiments.from_store(store, args.run_ids[0]), out_dir)
        return
    run_ids = [store.latest_run_id()] if args.latest else args.run_ids
    for run_id in run_ids:
        store.run(run_id)  # an unknown id fails here, before anything is written
    out_dir = check_out_dir(args.out)
    assert out_dir is not None
    for line in incomplete(store, run_ids):
        print(printable(line))
    print(build_report(store, run_ids, out_dir))


def cmd_audit(args: argparse.Namespace) -> int:
    """Check every stored matter of the runs against the declared procedure; exit 1 on any violation."""
    store = open_store(args.store)
    if args.latest == bool(args.run_ids):
        raise UserError("give RUN_ID... or --latest")
    ids = [store.latest_run_id()] if args.latest else args.run_ids
    runs = [store.run(run_id) for run_id in ids]  # an unknown id fails here, before any output
    found: list[dict[str, Any]] = []

    def report(finding: Any) -> None:
        if args.format == "json":
            found.append(attrs.asdict(finding))
        else:
            print(printable(finding.describe()))

    tally = audit(stored_matters(store, runs, stored_prefix), report)
    if args.format == "json":
        print(json.dumps({"runs": ids, **attrs.asdict(tally), "findings": found}, indent=2))
    else:
        print(f"audit: {tally.summary()}")
    return 1 if tally.violations else 0


def cmd_stages(args: argparse.Namespace) -> None:
    """One row per matter and stage it reached, streamed from the stored events (memory flat in n)."""
    store = open_store(args.store)
    if args.latest == bool(args.run_id):
        raise UserError("give a RUN_ID or --latest (the newest run in the store)")
    run = store.run(store.latest_run_id() if args.latest else args.run_id)
    write_stages((stage_rows(events) for events in stored_matters(store, [run], stored_prefix)), args.format,
                 sys.stdout)


def cmd_calibrate(args: argparse.Namespace) -> None:
    scenario = scenarios.load(args.scenario)
    with recording(args.store) as store:
        out_dir = check_out_dir(args.out)
        historical = record_run(store, scenarios.load(HISTORICAL), seed=0, note=args.note)
        (_, result, _), = run_scenarios(store, [scenario], args.seed, args.n, usable_jobs(args.jobs, args.n), None,
                                        terminal.progress, note=args.note).runs
        report = calibrate(store, store.run(result.run_id), store.run(historical.run_id))
    terminal.console.print(terminal.calibration_table(report))
    if out_dir is not None:
        from reports.calibration import write_calibration  # matplotlib only when a chart is drawn

        for path in write_calibration(report, out_dir):
            print(f"wrote {path}")


def cmd_demo(args: argparse.Namespace) -> None:
    historical = scenarios.load(HISTORICAL)
    regimes = [scenarios.load(name) for name in DEMO_REGIMES]
    with recording(args.store) as store:
        out_dir = check_out_dir(DEMO_OUT)
        assert out_dir is not None
        result = record_run(store, historical, seed=0, note=args.note)
        print(printable_lines(render_text(store.matter_events(result.matter_ids[0]))), end="")
        again = f"python run.py docket {result.matter_ids[0]}" + (f" --store {args.store}" if args.store else "")
        print(f"\nrun {result.run_id}; see this docket again with: {again}\n")
        index = _compare(store, regimes, 0, DEMO_N, usable_jobs(None, DEMO_N), out_dir, None, args.note)
    print(f"report: {index}")


def cmd_bench(args: argparse.Namespace) -> None:
    from sim.runs.bench import bench

    bench(n=args.n, memory_n=args.memory_n, postgres=args.postgres or os.environ.get("DOCKETSIM_BENCH_POSTGRES"))


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
                   help="html: one page to open from disk, stepping through the docket (the viewer)")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="the docket as it stood that day, with open deadlines")
    p.add_argument("--out", metavar="FILE", help="with --format html: write the page to FILE (default: stdout)")
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
    p.add_argument("--after-entry", type=_whole(1), metavar="ENTRY", help="the last entry (seq) to copy")
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
    p.set_defaults(func=cmd_bench)

    p = commands.add_parser("compare", help="run scenarios and build the comparison report")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="bundled scenario names, TOML files, or ids of stored runs (e.g. forks)")
    p.add_argument("-n", type=_whole(1), default=1000, help="replications per scenario (default 1000)")
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
