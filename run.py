#!/usr/bin/env python3
"""docketsim's command line: parses arguments and calls one function per command.

Bad input of any kind ends with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from sim import scenario as scenarios
from sim.domain.procedure import OutOfOrder
from sim.errors import UserError
from sim.projections import entries, render_text
from sim.runner import record_run
from sim.store import DEFAULT_STORE, STORE_ENV, open_store

HISTORICAL = "microsoft_ireland_2013"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _store_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="URL",
                        help=f"sqlite:///PATH or memory:// (default: ${STORE_ENV} or {DEFAULT_STORE})")


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value!r}")
    return seed


def cmd_scenarios(args: argparse.Namespace) -> None:
    for path in scenarios.bundled_paths():
        loaded = scenarios.load(str(path))
        print(f"{loaded.name:<34} {loaded.scenario.title}")


def cmd_validate(args: argparse.Namespace) -> None:
    for name in args.files:
        loaded = scenarios.load(name)
        undocumented = loaded.undocumented()
        print(f"{loaded.path}: ok ({loaded.name}: {sum(1 for _ in loaded.figures())} figures)")
        for key in undocumented:
            print(f"{loaded.path}: {key}: no source or assumption given", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> None:
    loaded = scenarios.load(args.scenario)
    store = open_store(args.store, create=True)
    result = record_run(store, loaded, seed=args.seed)
    note = " (already in the store: same scenario text and seed; nothing new recorded)" \
        if result.already_recorded else ""
    print(f"run {result.run_id}  scenario {loaded.name}  seed {args.seed}{note}")
    for matter_id in result.matter_ids:
        print(f"matter {matter_id}")


def _matter_id(args: argparse.Namespace, store) -> str:  # type: ignore[no-untyped-def]
    if args.latest == bool(args.matter_id):
        raise UserError("docket: give either a MATTER_ID or --latest")
    return store.latest_matter_id() if args.latest else args.matter_id


def cmd_docket(args: argparse.Namespace) -> None:
    store = open_store(args.store)
    events = store.matter_events(_matter_id(args, store))
    if args.format == "json":
        print(json.dumps(entries(events), indent=2))
    else:
        print(render_text(events), end="")


def cmd_demo(args: argparse.Namespace) -> None:
    store = open_store(args.store, create=True)
    result = record_run(store, scenarios.load(HISTORICAL), seed=0)
    print(render_text(store.matter_events(result.matter_ids[0])), end="")
    print(f"\nrun {result.run_id}; see it again with: python run.py docket --latest")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="run.py", description="docketsim: an event-sourced court docket simulator")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = commands.add_parser("scenarios", help="list the bundled scenarios, one line each")
    p.set_defaults(func=cmd_scenarios)

    p = commands.add_parser("validate", help="check scenario files and report undocumented figures")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = commands.add_parser("run", help="simulate a scenario into the store")
    p.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario's name or a TOML file")
    p.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    _store_flag(p)
    p.set_defaults(func=cmd_run)

    p = commands.add_parser("docket", help="PACER-style docket sheets of a recorded matter")
    p.add_argument("matter_id", nargs="?", metavar="MATTER_ID")
    p.add_argument("--latest", action="store_true", help="the first matter of the newest run")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _store_flag(p)
    p.set_defaults(func=cmd_docket)

    p = commands.add_parser("demo", help="run the historical case and print its docket")
    _store_flag(p)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except UserError as e:
        print(f"run.py {args.command}: {e}", file=sys.stderr)
        return 2
    except OutOfOrder as e:
        print(f"run.py {args.command}: the scenario led to an illegal step: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"run.py {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
