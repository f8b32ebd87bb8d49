"""Bad input of any kind: one clear line on stderr, exit status 2, no traceback, nothing written.

The CLI tests run the real `run.py` in a subprocess with the working folder set to a fresh
`tmp_path`, so the default store file (`docketsim.sqlite`) would land there; every test snapshots
the folder before and after and checks that no file was created or changed. The property tests at
the end mutate the historical scenario at random and feed it to `sim.scenario.parse` (and, for
texts that parse, to the engine) in-process.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import scenario as scenarios  # noqa: E402
from sim.domain.matter import Matter  # noqa: E402
from sim.domain.procedure import Unlawful as OutOfOrder  # noqa: E402
from sim.engine import simulate  # noqa: E402
from sim.errors import ScenarioError, UserError  # noqa: E402

HISTORICAL = ROOT / "scenarios" / "microsoft_ireland_2013.toml"
TEXT = HISTORICAL.read_text(encoding="utf-8")
DATA = tomllib.loads(TEXT)
NAME = "microsoft_ireland_2013"
DEFAULT_STORE = "docketsim.sqlite"


# Helpers ---------------------------------------------------------------------------------------
def cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in `cwd`, with $DOCKETSIM_STORE unset unless `env` sets it."""
    environ = {k: v for k, v in os.environ.items() if k != "DOCKETSIM_STORE"}
    environ.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, errors="replace", timeout=120)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder`, with the bytes of each file."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit status 2, exactly one non-empty line on stderr, no traceback, each needle in the line."""
    shown = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, shown
    assert result.returncode == 2, shown
    lines = result.stderr.splitlines()
    assert len(lines) == 1, shown
    line = lines[0]
    assert line.strip(), shown
    assert result.stdout == "", shown
    for needle in needles:
        assert needle in line, f"{needle!r} not in the message\n{shown}"
    return line


def check_bad(cwd: Path, args: list[str], needles: tuple[str, ...] = (), *,
              env: dict[str, str] | None = None) -> str:
    """Run a failing command and check the one-line contract, and that nothing in `cwd` changed."""
    before = snapshot(cwd)
    result = cli(cwd, *args, env=env)
    line = assert_one_line_exit_2(result, *needles)
    after = snapshot(cwd)
    created = sorted(set(after) - set(before))
    changed = sorted(name for name in set(after) & set(before) if after[name] != before[name])
    assert not created and not changed, (f"`run.py {' '.join(args)}` created {created} and changed {changed}; "
                                         f"stderr: {result.stderr.strip()}")
    return line


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def replace_line(text: str, pattern: str, new: str) -> str:
    """Replace the one line matching the regex `pattern` (anchored at line start) with `new`."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if re.match(pattern, line)]
    assert len(hits) == 1, f"{pattern!r} matches {len(hits)} lines"
    lines[hits[0]] = new + "\n"
    return "".join(lines)


def in_table(text: str, table: str, pattern: str, new: str | None) -> str:
    """Replace (or, with None, delete) the line matching `pattern` inside `[table]`."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"[{table}]\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    hits = [i for i in range(start + 1, end) if re.match(pattern, lines[i])]
    assert len(hits) == 1, f"{pattern!r} matches {len(hits)} lines in [{table}]"
    if new is None:
        del lines[hits[0]]
    else:
        lines[hits[0]] = new + "\n"
    return "".join(lines)


def drop_table(text: str, table: str) -> str:
    """Remove `[table]` and its lines, up to the next table header."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"[{table}]\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    return "".join(lines[:start] + lines[end:])


def add_to_table(text: str, table: str, line: str) -> str:
    """Add `line` as the first line of `[table]`."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"[{table}]\n")
    return "".join([*lines[:start + 1], line + "\n", *lines[start + 1:]])


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes | None], str, str]:
    """A real store made by a successful run: (files of its folder, run id, matter id)."""
    folder = tmp_path_factory.mktemp("recorded")
    result = cli(folder, "run", NAME, "--store", "sqlite:///store.sqlite")
    assert result.returncode == 0, result.stderr
    run_id = re.search(r"^run (\S+)", result.stdout, re.M).group(1)  # type: ignore[union-attr]
    matter_id = re.search(r"^matter (\S+)", result.stdout, re.M).group(1)  # type: ignore[union-attr]
    files = snapshot(folder)
    assert "store.sqlite" in files
    return files, run_id, matter_id


@pytest.fixture
def store_copy(tmp_path: Path, recorded: tuple[dict[str, bytes | None], str, str]) -> tuple[str, str, str]:
    """A copy of the recorded store in this test's folder: (store URL, run id, matter id)."""
    files, run_id, matter_id = recorded
    for name, content in files.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    return "sqlite:///store.sqlite", run_id, matter_id


# Scenario files: missing, empty, unreadable, not TOML ------------------------------------------
SCENARIO_COMMANDS = ["run", "validate"]


@pytest.mark.parametrize("command", SCENARIO_COMMANDS)
def test_missing_scenario_file(tmp_path: Path, command: str) -> None:
    check_bad(tmp_path, [command, "missing.toml"], ("missing.toml",))


def test_missing_scenario_file_in_missing_folder(tmp_path: Path) -> None:
    check_bad(tmp_path, ["run", "nowhere/x.toml"], ("nowhere/x.toml",))


@pytest.mark.parametrize(("command", "content"), [("run", ""), ("validate", ""), ("run", "   \n\n\t\n")],
                         ids=["run-empty", "validate-empty", "run-whitespace"])
def test_empty_scenario_file(tmp_path: Path, command: str, content: str) -> None:
    write(tmp_path, "empty.toml", content)
    check_bad(tmp_path, [command, "empty.toml"], ("empty.toml",))


@pytest.mark.parametrize(("command", "name"), [("run", "folder.toml"), ("validate", "folder.toml"), ("run", "folder")])
def test_scenario_is_a_directory(tmp_path: Path, command: str, name: str) -> None:
    (tmp_path / name).mkdir()
    check_bad(tmp_path, [command, name], (name,))


def test_a_folder_named_as_a_bundled_scenario_does_not_hide_it(tmp_path: Path, monkeypatch) -> None:
    """`run cloud_act --out cloud_act` leaves a folder `cloud_act` here: the name still means the bundled
    scenario (a file of that name, without `.toml`, is still read as a scenario file)."""
    from sim.scenario import SCENARIO_DIR, resolve

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cloud_act").mkdir()
    assert resolve("cloud_act") == SCENARIO_DIR / "cloud_act.toml"
    (tmp_path / "provider_complies").write_text("")
    assert resolve("provider_complies") == Path("provider_complies")


@pytest.mark.parametrize("command", SCENARIO_COMMANDS)
def test_binary_scenario_file(tmp_path: Path, command: str) -> None:
    write(tmp_path, "binary.toml", bytes(range(256)) * 4 + b"\xff\xfe\x80\x81")
    check_bad(tmp_path, [command, "binary.toml"], ("binary.toml",))


def test_latin1_scenario_file(tmp_path: Path) -> None:
    write(tmp_path, "latin1.toml", TEXT.replace("Microsoft Corp.", "Microsoft Corp. \u00e9").encode("latin-1"))
    check_bad(tmp_path, ["run", "latin1.toml"], ("latin1.toml",))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("command", SCENARIO_COMMANDS)
def test_unreadable_scenario_file(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, "locked.toml", TEXT)
    path.chmod(0)
    try:
        check_bad(tmp_path, [command, "locked.toml"], ("locked.toml",))
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", SCENARIO_COMMANDS)
def test_scenario_file_that_fails_to_read(tmp_path: Path, command: str) -> None:
    """/proc/self/mem exists but reading it from the start fails (EIO), even as root."""
    check_bad(tmp_path, [command, "/proc/self/mem"], ("/proc/self/mem",))


NOT_TOML = {
    "prose": "This is a scenario about a warrant.\nIt has no keys at all.\n",
    "unclosed_table": "[scenario\nname = 'x'\n",
    "unclosed_string": TEXT.replace('name = "microsoft_ireland_2013"', 'name = "microsoft_ireland_2013'),
    "duplicate_key": TEXT.replace('name = "microsoft_ireland_2013"',
                                  'name = "microsoft_ireland_2013"\nname = "again"'),
    "json": '{"scenario": {"name": "x"}}\n',
    "yaml": "scenario:\n  name: x\n  start_date: 2013-12-04\n",
}


@pytest.mark.parametrize("kind", sorted(NOT_TOML))
def test_not_toml(tmp_path: Path, kind: str) -> None:
    write(tmp_path, "bad.toml", NOT_TOML[kind])
    check_bad(tmp_path, ["run", "bad.toml"], ("bad.toml", "TOML"))


def test_not_toml_validate(tmp_path: Path) -> None:
    write(tmp_path, "bad.toml", NOT_TOML["unclosed_table"])
    check_bad(tmp_path, ["validate", "bad.toml"], ("bad.toml", "TOML"))


def test_scenario_file_name_without_toml_suffix_is_named(tmp_path: Path) -> None:
    write(tmp_path, "scenario.txt", "not = [toml")
    check_bad(tmp_path, ["run", "scenario.txt"], ("scenario.txt",))


# Scenario content: unknown keys, wrong types, bad values ----------------------------------------
# (name, mutated text, needles the one line must contain besides the file name)
def _cases() -> list[tuple[str, str, tuple[str, ...]]]:
    argument = r"argument_after = \{ days = 184"
    return [
        ("unknown_top_level_table", TEXT + "\n[bogus]\nx = 1\n", ("bogus", "unknown key")),
        ("unknown_top_level_key", "bogus = 1\n" + TEXT, ("bogus", "unknown key")),
        ("unknown_nested_key", add_to_table(TEXT, "court_of_appeals", "foo = 1"),
         ("court_of_appeals.foo", "unknown key")),
        ("unknown_court_key", add_to_table(TEXT, "courts.circuit", 'clerk = "x"'),
         ("courts.circuit.clerk", "unknown key")),
        ("unknown_key_in_duration", in_table(TEXT, "court_of_appeals", argument,
                                             "argument_after = { days = 184, weeks = 2 }"),
         ("court_of_appeals.argument_after.weeks", "unknown key")),
        ("unknown_key_in_pin", replace_line(TEXT, r"contempt = 2014-09-08",
                                            "contempt = { date = 2014-09-08, colour = 'red' }"),
         ("pins.contempt.colour", "unknown key")),
        ("missing_table", drop_table(TEXT, "cloud_act"), ("cloud_act", "missing")),
        ("missing_key", in_table(TEXT, "court_of_appeals", r"en_banc_grant = ", None),
         ("court_of_appeals.en_banc_grant", "missing")),
        ("missing_days", in_table(TEXT, "court_of_appeals", argument,
                                  'argument_after = { source = "x" }'),
         ("court_of_appeals.argument_after.days", "missing")),
        ("string_duration", in_table(TEXT, "court_of_appeals", argument, 'argument_after = "soon"'),
         ('court_of_appeals.argument_after: expected a duration in days (number >= 0), got "soon"',)),
        ("bool_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = true"),
         ("court_of_appeals.argument_after", "duration", "true")),
        ("list_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = [1, 2]"),
         ("court_of_appeals.argument_after", "duration")),
        ("date_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = 2015-09-09"),
         ("court_of_appeals.argument_after", "duration")),
        ("negative_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = -5"),
         ("court_of_appeals.argument_after", "number >= 0", "-5")),
        ("negative_float_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = -0.5"),
         ("court_of_appeals.argument_after", "number >= 0", "-0.5")),
        ("negative_days", in_table(TEXT, "court_of_appeals", argument, "argument_after = { days = -5 }"),
         ("court_of_appeals.argument_after.days", "number >= 0", "-5")),
        ("negative_empirical_value", in_table(TEXT, "court_of_appeals", argument,
                                              'argument_after = { dist = "empirical", values = [1, -2] }'),
         ("court_of_appeals.argument_after.values", "number >= 0", "-2")),
        ("nan_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = nan"),
         ("court_of_appeals.argument_after", "duration")),
        ("infinite_duration", in_table(TEXT, "court_of_appeals", argument, "argument_after = inf"),
         ("court_of_appeals.argument_after", "duration")),
        ("duration_beyond_the_calendar", in_table(TEXT, "provider", r"produce_after = ", "produce_after = 1e7"),
         ("provider.produce_after",)),
        ("line_break_in_value", in_table(TEXT, "scenario", r"start_date = ", 'start_date = "2013\\n12-04"'),
         ("scenario.start_date", "YYYY-MM-DD")),
        ("line_break_in_unknown_key", add_to_table(TEXT, "court_of_appeals", '"foo\\nbar" = 1'),
         ("court_of_appeals.foo", "unknown key")),
        ("probability_above_one", in_table(TEXT, "court_of_appeals", r"en_banc_grant = ", "en_banc_grant = 1.5"),
         ("court_of_appeals.en_banc_grant", "probability", "1.5")),
        ("probability_table_above_one", in_table(TEXT, "court_of_appeals", r"en_banc_grant = ",
                                                 "en_banc_grant = { p = 1.5 }"),
         ("court_of_appeals.en_banc_grant.p", "probability", "1.5")),
        ("negative_probability", in_table(TEXT, "provider", r"refuses = ", "refuses = -0.1"),
         ("provider.refuses", "probability", "-0.1")),
        ("string_probability", in_table(TEXT, "provider", r"refuses = ", 'refuses = "likely"'),
         ("provider.refuses", "probability", '"likely"')),
        ("bool_probability", in_table(TEXT, "provider", r"refuses = ", "refuses = true"),
         ("provider.refuses", "probability", "true")),
        ("bad_doctrine", in_table(TEXT, "court_of_appeals", r"doctrine = ", 'doctrine = "territorial"'),
         ("court_of_appeals.doctrine", "territorial")),
        ("bad_doctrine_probability", in_table(TEXT, "court_of_appeals", r"doctrine = ",
                                              "doctrine = { location = 2 }"),
         ("court_of_appeals.doctrine.location", "probability")),
        ("bad_route", in_table(TEXT, "government", r"route = ", 'route = "carrier pigeon"'),
         ("government.route", "carrier pigeon")),
        ("string_flag", in_table(TEXT, "parties", r"united_states_party = ", 'united_states_party = "yes"'),
         ("parties.united_states_party", "true or false", '"yes"')),
        ("empty_name", in_table(TEXT, "scenario", r'name = ', 'name = ""'), ("scenario.name", "expected a name")),
        ("number_as_name", in_table(TEXT, "courts.circuit", r"judge = ", "judge = 3"),
         ("courts.circuit.judge", "string", "3")),
        ("judge_titles_without_a_source",
         in_table(TEXT, "courts.circuit", r"judge = ",
                  'judge = [{ judge = "A" }, { from = 2016-06-01, judge = "B" }]'),
         ("courts.circuit.judge[1].source", "missing", "source of the change")),
        ("judge_titles_out_of_order",
         in_table(TEXT, "courts.circuit", r"judge = ",
                  'judge = [{ judge = "A" }, { from = 2016-06-01, judge = "B", source = "s" }, '
                  '{ from = 2015-01-01, judge = "C", source = "s" }]'),
         ("courts.circuit.judge[2].from", "after 2016-06-01", "2015-01-01")),
        ("judge_titles_as_numbers", in_table(TEXT, "courts.circuit", r"judge = ", "judge = [1, 2]"),
         ("courts.circuit.judge", "list of tables", "a list")),
        ("scalar_for_table", "cloud_act = 3\n" + drop_table(TEXT, "cloud_act"), ("cloud_act", "table", "3")),
        ("string_for_table", 'magistrate = "Francis"\n' + drop_table(TEXT, "magistrate"),
         ("magistrate", "table", '"Francis"')),
        ("date_wrong_format", in_table(TEXT, "scenario", r"start_date = ", 'start_date = "04/12/2013"'),
         ("scenario.start_date", "YYYY-MM-DD", "04/12/2013")),
        ("date_as_number", in_table(TEXT, "scenario", r"start_date = ", "start_date = 20131204"),
         ("scenario.start_date", "YYYY-MM-DD", "20131204")),
        ("datetime_for_date", in_table(TEXT, "scenario", r"start_date = ", "start_date = 2013-12-04T10:00:00"),
         ("scenario.start_date", "YYYY-MM-DD")),
        ("impossible_date_string", in_table(TEXT, "scenario", r"start_date = ", 'start_date = "2013-02-30"'),
         ("scenario.start_date", "YYYY-MM-DD", "2013-02-30")),
        ("enacted_wrong_format", in_table(TEXT, "cloud_act", r"enacted = ", 'enacted = "March 2018"'),
         ("cloud_act.enacted", "never", "March 2018")),
        ("pin_date_wrong_format", replace_line(TEXT, r"contempt = 2014-09-08", 'contempt = "09/08/2014"'),
         ("pins.contempt", "YYYY-MM-DD", "09/08/2014")),
        ("pin_table_date_wrong_format", replace_line(TEXT, r"motion_to_vacate = ",
                                                     'motion_to_vacate = { date = "Dec 18", entry = 6 }'),
         ("pins.motion_to_vacate.date", "YYYY-MM-DD", "Dec 18")),
        ("pin_entry_zero", replace_line(TEXT, r"motion_to_vacate = ",
                                        "motion_to_vacate = { date = 2013-12-18, entry = 0 }"),
         ("pins.motion_to_vacate.entry", "entry number", "0")),
        ("pin_unknown_key", replace_line(TEXT, r"objection = ",
                                         "objection = { date = 2014-06-06, extension_days = 28 }"),
         ("pins.objection.extension_days", "unknown key")),
        ("docket_number_malformed", replace_line(TEXT, r'docket_number = "14-2985"', 'docket_number = "2985"'),
         ("courts.circuit.docket_number", "14-2985")),
        ("caption_above_district", add_to_table(TEXT, "courts.supreme", 'caption = "A v. B"'),
         ("courts.supreme.caption", "follows who appeals")),
        ("unknown_pin_step", add_to_table(TEXT, "pins", "bogus_step = 2014-01-01"),
         ("pins.bogus_step", "unknown step")),
        ("pins_not_a_table", "pins = 3\n" + drop_table(TEXT, "pins"), ("pins", "3")),
        ("unknown_distribution", in_table(TEXT, "court_of_appeals", argument,
                                          'argument_after = { dist = "poisson", lam = 3 }'),
         ("court_of_appeals.argument_after.dist", "poisson")),
        ("distribution_named_by_a_list", in_table(TEXT, "court_of_appeals", argument,
                                                  'argument_after = { dist = [], days = 3 }'),
         ("court_of_appeals.argument_after.dist", "expected one of fixed")),  # found by hypothesis: a traceback
        ("uniform_low_above_high", in_table(TEXT, "court_of_appeals", argument,
                                            'argument_after = { dist = "uniform", low = 10, high = 5 }'),
         ("court_of_appeals.argument_after.low", "low <= high")),
        ("triangular_mode_outside", in_table(TEXT, "court_of_appeals", argument,
                                             'argument_after = { dist = "triangular", low = 1, mode = 9, high = 5 }'),
         ("court_of_appeals.argument_after.mode",)),
        ("lognormal_spread_below_one", in_table(TEXT, "court_of_appeals", argument,
                                                'argument_after = { dist = "lognormal", median = 9, spread = 0.5 }'),
         ("court_of_appeals.argument_after.spread", "0.5")),
        ("empirical_empty", in_table(TEXT, "court_of_appeals", argument,
                                     'argument_after = { dist = "empirical", values = [] }'),
         ("court_of_appeals.argument_after.values",)),
        ("uniform_missing_high", in_table(TEXT, "court_of_appeals", argument,
                                          'argument_after = { dist = "uniform", low = 10 }'),
         ("court_of_appeals.argument_after.high", "missing")),
        ("empty_source", in_table(TEXT, "court_of_appeals", argument, 'argument_after = { days = 3, source = "" }'),
         ("court_of_appeals.argument_after.source",)),
    ]


CONTENT_CASES = _cases()


# The brief's list (and a few more) through the real CLI; every case of the table in-process below.
CLI_CASES = ["unknown_top_level_table", "unknown_top_level_key", "unknown_nested_key", "missing_key",
             "string_duration", "negative_duration", "negative_days", "infinite_duration",
             "duration_beyond_the_calendar", "line_break_in_value", "line_break_in_unknown_key",
             "probability_above_one", "bad_doctrine", "scalar_for_table", "date_wrong_format",
             "pin_date_wrong_format", "unknown_pin_step", "unknown_distribution", "uniform_low_above_high"]


def _key_path_is_clean(line: str) -> None:
    """The key path is a path: no empty segment, no trailing dot."""
    key = line.split("x.toml: ", 1)[1].split(": ", 1)[0]
    assert ".:" not in line and ".." not in key and not key.endswith("."), line


@pytest.mark.parametrize("name", CLI_CASES)
def test_bad_scenario_content_run(tmp_path: Path, name: str) -> None:
    _, text, needles = next(case for case in CONTENT_CASES if case[0] == name)
    write(tmp_path, "x.toml", text)
    _key_path_is_clean(check_bad(tmp_path, ["run", "x.toml"], ("x.toml: ", *needles)))


@pytest.mark.parametrize(("text", "needles"), [(text, needles) for _, text, needles in CONTENT_CASES],
                         ids=[name for name, _, _ in CONTENT_CASES])
def test_bad_scenario_content_in_process(text: str, needles: tuple[str, ...]) -> None:
    """What `run` does, without the subprocess: load (and, if that passes, play) must raise a
    one-line UserError naming the file, the key path and what was expected."""
    try:
        simulate(scenarios.parse(text, "x.toml"), "run", 0, 0)
    except (UserError, OutOfOrder) as e:
        message = str(e)
    else:
        pytest.fail("the scenario was accepted and played")
    assert message.splitlines() == [message], f"not a single line: {message!r}"
    for needle in ("x.toml: ", *needles):
        assert needle in message, f"{needle!r} not in {message!r}"
    _key_path_is_clean(message)


@pytest.mark.parametrize("name", ["string_duration", "unknown_nested_key", "date_wrong_format",
                                  "unknown_pin_step", "uniform_low_above_high"])
def test_bad_scenario_content_validate(tmp_path: Path, name: str) -> None:
    _, text, needles = next(case for case in CONTENT_CASES if case[0] == name)
    write(tmp_path, "x.toml", text)
    check_bad(tmp_path, ["validate", "x.toml"], ("x.toml: ", *needles))


def test_wrong_type_message_is_exact(tmp_path: Path) -> None:
    """The documented example, word for word, in a scenario under a subfolder."""
    (tmp_path / "scenarios").mkdir()
    write(tmp_path, "scenarios/x.toml", in_table(TEXT, "court_of_appeals", r"argument_after = \{ days = 184",
                                                 'argument_after = "soon"'))
    line = check_bad(tmp_path, ["run", "scenarios/x.toml"])
    assert line.endswith('scenarios/x.toml: court_of_appeals.argument_after: expected a duration in days '
                         '(number >= 0), got "soon"'), line


def test_bad_scenario_does_not_touch_an_existing_store(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, _, _ = store_copy
    write(tmp_path, "x.toml", in_table(TEXT, "court_of_appeals", r"argument_after = \{ days = 184",
                                       "argument_after = -5"))
    check_bad(tmp_path, ["run", "x.toml", "--store", url], ("x.toml", "court_of_appeals.argument_after"))


# Scenarios that parse but cannot be played ------------------------------------------------------
EARLY_PIN = replace_once(TEXT, "magistrate_ruling = { date = 2014-04-25", "magistrate_ruling = { date = 2013-12-10")


def test_pin_before_the_step_became_possible(tmp_path: Path) -> None:
    scenarios.parse(EARLY_PIN, "early.toml")  # valid on its face: the fault shows only in play
    write(tmp_path, "early.toml", EARLY_PIN)
    check_bad(tmp_path, ["run", "early.toml"], ("early.toml", "pins.magistrate_ruling"))


def test_pin_before_the_step_became_possible_existing_store(tmp_path: Path,
                                                             store_copy: tuple[str, str, str]) -> None:
    url, _, _ = store_copy
    write(tmp_path, "early.toml", EARLY_PIN)
    check_bad(tmp_path, ["run", "early.toml", "--store", url], ("early.toml", "pins.magistrate_ruling"))


# Bundled scenario names ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["nope", "microsoft_ireland"])
def test_unknown_bundled_scenario(tmp_path: Path, name: str) -> None:
    check_bad(tmp_path, ["run", name], (name, "unknown scenario"))


# docket: matter ids ----------------------------------------------------------------------------------
def test_docket_unknown_matter_id(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, _, _ = store_copy
    unknown = "00000000-0000-0000-0000-000000000000"
    check_bad(tmp_path, ["docket", unknown, "--store", url], (unknown, "matter"))


def test_docket_run_id_is_not_a_matter_id(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, run_id, _ = store_copy
    check_bad(tmp_path, ["docket", run_id, "--store", url], (run_id, "matter"))


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "6e3048da-9667-51c0-bfa1", "'; DROP TABLE stored_events;--"])
def test_docket_malformed_matter_id(tmp_path: Path, store_copy: tuple[str, str, str], bad_id: str) -> None:
    url, _, _ = store_copy
    check_bad(tmp_path, ["docket", bad_id, "--store", url], (bad_id,))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_docket_known_matter_still_works(tmp_path: Path, store_copy: tuple[str, str, str], fmt: str) -> None:
    """Sanity check of the fixture: the store is real and readable, and reading it changes nothing."""
    url, _, matter_id = store_copy
    before = snapshot(tmp_path)
    result = cli(tmp_path, "docket", matter_id, "--store", url, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout
    assert snapshot(tmp_path) == before


def test_docket_both_matter_id_and_latest(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, _, matter_id = store_copy
    check_bad(tmp_path, ["docket", matter_id, "--latest", "--store", url], ("MATTER_ID", "--latest"))


def test_docket_neither_matter_id_nor_latest(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, _, _ = store_copy
    check_bad(tmp_path, ["docket", "--store", url], ("MATTER_ID", "--latest"))


def test_docket_neither_on_missing_store(tmp_path: Path) -> None:
    check_bad(tmp_path, ["docket"])


# docket and run: store files -----------------------------------------------------------------------
def test_docket_latest_on_missing_default_store(tmp_path: Path) -> None:
    check_bad(tmp_path, ["docket", "--latest"], (DEFAULT_STORE,))
    assert not (tmp_path / DEFAULT_STORE).exists()


@pytest.mark.parametrize("args", [["--latest"], ["00000000-0000-0000-0000-000000000000"]])
def test_docket_on_missing_named_store(tmp_path: Path, args: list[str]) -> None:
    check_bad(tmp_path, ["docket", *args, "--store", "sqlite:///missing.sqlite"], ("missing.sqlite",))
    assert not (tmp_path / "missing.sqlite").exists()


def test_docket_latest_on_missing_env_store(tmp_path: Path) -> None:
    check_bad(tmp_path, ["docket", "--latest"], ("env.sqlite",), env={"DOCKETSIM_STORE": "sqlite:///env.sqlite"})
    assert not (tmp_path / "env.sqlite").exists()


def _not_sqlite(path: Path) -> None:
    path.write_text("hello, this is not a database\n" * 50, encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes((i * 73 + 11) % 256 for i in range(5000)))


def _foreign_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo (x INTEGER)")
    con.execute("INSERT INTO foo VALUES (1)")
    con.commit()
    con.close()


def _foreign_event_store(path: Path) -> None:
    """An SQLite file with a stored_events table written by some other application."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                "state BLOB)")
    con.execute("INSERT INTO stored_events VALUES ('x', 1, 'otherapp.domain:Thing.Created', x'00')")
    con.commit()
    con.close()


def _corrupt_sqlite(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x00\x01garbage" * 300)


STORE_FAULTS = {
    "text": _not_sqlite,
    "random_bytes": _random_bytes,
    "foreign_sqlite": _foreign_sqlite,
    "foreign_event_store": _foreign_event_store,
    "corrupt_sqlite": _corrupt_sqlite,
}
STORE_COMMANDS = {
    "docket_latest": ["docket", "--latest"],
    "docket_id": ["docket", "00000000-0000-0000-0000-000000000000"],
    "run": ["run", NAME],
    "demo": ["demo"],
}


@pytest.mark.parametrize(("fault", "command"), [
    *((fault, command) for fault in ("text", "foreign_sqlite") for command in ("docket_latest", "run")),
    *((fault, "docket_latest") for fault in ("random_bytes", "foreign_event_store", "corrupt_sqlite")),
])
@pytest.mark.slow
def test_store_file_that_is_not_a_docketsim_store(tmp_path: Path, fault: str, command: str) -> None:
    STORE_FAULTS[fault](tmp_path / "bad.sqlite")
    check_bad(tmp_path, [*STORE_COMMANDS[command], "--store", "sqlite:///bad.sqlite"], ("bad.sqlite",))


@pytest.mark.parametrize(("fault", "command"), [("foreign_sqlite", "docket_id"), ("text", "demo")])
def test_store_file_that_is_not_a_docketsim_store_other_commands(tmp_path: Path, fault: str, command: str) -> None:
    STORE_FAULTS[fault](tmp_path / "bad.sqlite")
    check_bad(tmp_path, [*STORE_COMMANDS[command], "--store", "sqlite:///bad.sqlite"], ("bad.sqlite",))


@pytest.mark.parametrize("command", ["docket_latest", "run"])
def test_default_store_file_that_is_not_sqlite(tmp_path: Path, command: str) -> None:
    _not_sqlite(tmp_path / DEFAULT_STORE)
    check_bad(tmp_path, STORE_COMMANDS[command], (DEFAULT_STORE,))


@pytest.mark.parametrize("command", ["docket_latest", "run"])
def test_store_is_a_directory(tmp_path: Path, command: str) -> None:
    (tmp_path / "dir.sqlite").mkdir()
    check_bad(tmp_path, [*STORE_COMMANDS[command], "--store", "sqlite:///dir.sqlite"], ("dir.sqlite",))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("command", ["docket_latest", "run"])
def test_unreadable_store_file(tmp_path: Path, store_copy: tuple[str, str, str], command: str) -> None:
    url, _, _ = store_copy
    (tmp_path / "store.sqlite").chmod(0)
    try:
        check_bad(tmp_path, [*STORE_COMMANDS[command], "--store", url], ("store.sqlite",))
    finally:
        (tmp_path / "store.sqlite").chmod(0o644)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", ["docket_latest", "run"])
def test_store_file_that_fails_to_read(tmp_path: Path, command: str) -> None:
    check_bad(tmp_path, [*STORE_COMMANDS[command], "--store", "sqlite:////proc/self/mem"], ("/proc/self/mem",))


@pytest.mark.slow
def test_run_store_in_missing_folder(tmp_path: Path) -> None:
    check_bad(tmp_path, ["run", NAME, "--store", "sqlite:///nowhere/s.sqlite"], ("nowhere",))


# Store URLs --------------------------------------------------------------------------------------------
BAD_URLS = ["postgres://x", "foo", "sqlite:///", "sqlite://store.sqlite", "memory:/"]


@pytest.mark.slow
@pytest.mark.parametrize("url", BAD_URLS)
def test_unknown_store_scheme_run(tmp_path: Path, url: str) -> None:
    check_bad(tmp_path, ["run", NAME, "--store", url], (url,))


@pytest.mark.slow
@pytest.mark.parametrize("url", ["postgres://x", "foo"])
def test_unknown_store_scheme_docket(tmp_path: Path, url: str) -> None:
    check_bad(tmp_path, ["docket", "--latest", "--store", url], (url,))


@pytest.mark.parametrize("command", ["docket_latest", "run"])
@pytest.mark.parametrize("url", ["postgres://x", "foo"])
def test_unknown_store_scheme_from_environment(tmp_path: Path, url: str, command: str) -> None:
    check_bad(tmp_path, STORE_COMMANDS[command], (url,), env={"DOCKETSIM_STORE": url})


# Flags ---------------------------------------------------------------------------------------------------
BAD_FLAGS = {
    "negative_seed": (["run", NAME, "--seed", "-1"], ("--seed", "-1")),
    "text_seed": (["run", NAME, "--seed", "abc"], ("--seed", "abc")),
    "seed_without_value": (["run", NAME, "--seed"], ("--seed",)),
    "format_xml": (["docket", "--latest", "--format", "xml"], ("--format", "xml")),
    "unknown_subcommand": (["frobnicate"], ("frobnicate",)),
    "no_subcommand": ([], ()),
    "unknown_option": (["run", NAME, "--bogus"], ("--bogus",)),
    "run_without_scenario": (["run"], ()),
    "validate_without_file": (["validate"], ("FILE",)),
    "extra_argument": (["run", NAME, "extra"], ("extra",)),
}


@pytest.mark.parametrize("name", sorted(BAD_FLAGS))
def test_bad_flag(tmp_path: Path, name: str) -> None:
    args, needles = BAD_FLAGS[name]
    check_bad(tmp_path, args, needles)


@pytest.mark.slow
def test_bad_flag_does_not_touch_existing_store(tmp_path: Path, store_copy: tuple[str, str, str]) -> None:
    url, _, _ = store_copy
    check_bad(tmp_path, ["run", NAME, "--seed", "-1", "--store", url], ("--seed",))
    check_bad(tmp_path, ["docket", "--latest", "--format", "xml", "--store", url], ("--format",))


# Property: random mutations of the historical scenario ---------------------------------------------------
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(s: str) -> str:
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _toml_key(k: str) -> str:
    return k if _BARE_KEY.fullmatch(k) else _toml_string(k)


def toml_value(v: Any) -> str:
    """A TOML value: str, int, float, bool, date, datetime, list and dict (as an inline table)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def to_toml(data: dict[str, Any]) -> str:
    """A document: one `key = value` line per top-level key, tables written inline."""
    return "".join(f"{_toml_key(k)} = {toml_value(v)}\n" for k, v in data.items())


def test_serializer_round_trips_the_historical_scenario() -> None:
    text = to_toml(DATA)
    assert tomllib.loads(text) == DATA
    original, rewritten = scenarios.parse(TEXT, "x.toml"), scenarios.parse(text, "x.toml")
    assert attrs.evolve(rewritten, text_hash="") == attrs.evolve(original, text_hash="")


def key_paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path in nested tables, tables included."""
    out = []
    for k, v in data.items():
        out.append((*prefix, k))
        if isinstance(v, dict):
            out.extend(key_paths(v, (*prefix, k)))
    return out


def table_paths(data: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(), *(p for p in key_paths(data) if isinstance(get_path(data, p), dict))]


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for k in path:
        data = data[k]
    return data


KNOWN_NAMES = sorted({k for p in key_paths(DATA) for k in p} | {"dist", "low", "high", "mode", "median", "spread",
                                                                "values", "p", "location", "date", "entry"})
# Characters str.splitlines() breaks on: a message holding one of them is not one line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def value_strategies(text: st.SearchStrategy[str]) -> tuple[st.SearchStrategy[str], st.SearchStrategy[Any]]:
    """(keys, values) built on `text` for free-form strings."""
    keys = st.one_of(st.sampled_from(KNOWN_NAMES), text.filter(bool), st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
    scalars = st.one_of(
        st.integers(),
        st.integers(min_value=0, max_value=400),
        st.floats(max_value=-1e-300, allow_nan=False),
        st.floats(),
        st.floats(min_value=0, max_value=1),
        text,
        st.sampled_from(["soon", "location", "control", "never", "warrant", "mlat", "uniform", "triangular",
                         "lognormal", "empirical", "fixed", "2014-04-25", "04/12/2013", ""]),
        st.booleans(),
        st.dates(),
        st.datetimes(),
    )
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(keys, inner, max_size=4)),
                          max_leaves=8)
    return keys, values


ANY_KEYS, ANY_VALUES = value_strategies(st.text(max_size=12))
FLAT_KEYS, FLAT_VALUES = value_strategies(st.text(st.characters(exclude_characters=LINE_BREAKS), max_size=12))


@st.composite
def mutated(draw: st.DrawFn, keys: st.SearchStrategy[str], values: st.SearchStrategy[Any],
            max_mutations: int = 3) -> dict[str, Any]:
    """The historical scenario's data with 1 to `max_mutations` random mutations."""
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
        kind = draw(st.sampled_from(["delete", "replace", "replace", "add"]))
        paths = key_paths(data)
        if kind == "add" or not paths:
            table = get_path(data, draw(st.sampled_from(table_paths(data))))
            table[draw(keys)] = draw(values)
            continue
        path = draw(st.sampled_from(paths))
        parent = get_path(data, path[:-1])
        if kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
    return data


def check_parse(text: str) -> scenarios.Scenario | None:
    """parse returns a Scenario or raises a one-line ScenarioError naming x.toml; nothing else."""
    try:
        loaded = scenarios.parse(text, "x.toml")
    except ScenarioError as e:
        message = str(e)
        assert message.startswith("x.toml: "), message
        assert message.splitlines() == [message], f"not a single line: {message!r}"
        return None
    assert isinstance(loaded, scenarios.Scenario)
    return loaded


def check_mutated(data: dict[str, Any]) -> None:
    text = to_toml(data)
    assert to_toml(tomllib.loads(text)) == text  # the serializer writes what it was given
    check_parse(text)


@settings(max_examples=200, deadline=None, report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
@given(mutated(ANY_KEYS, ANY_VALUES))
def test_parse_mutated_scenario(data: dict[str, Any]) -> None:
    check_mutated(data)


@settings(max_examples=200, deadline=None, report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
@given(mutated(FLAT_KEYS, FLAT_VALUES))
def test_parse_mutated_scenario_without_line_breaks(data: dict[str, Any]) -> None:
    """The same, with no line breaks in generated strings and keys, so that a failure of the
    property above on echoed line breaks does not hide other failures."""
    check_mutated(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_parse_arbitrary_text(text: str) -> None:
    check_parse(text)


# For the engine: mutations that mostly keep the scenario valid, so that it gets played.
def _plausible_for(path: tuple[str, ...], old: Any) -> st.SearchStrategy[Any]:
    last = path[-1]
    if isinstance(old, bool):
        return st.booleans()
    if last in ("p", "location") or (isinstance(old, float) and 0 <= old <= 1 and last != "days"):
        return st.floats(min_value=0, max_value=1)
    if isinstance(old, int | float):
        return st.one_of(st.integers(min_value=0, max_value=800), st.floats(min_value=0, max_value=800),
                         st.sampled_from([0, 5000, 1e6, 1e12, math.inf]))
    if isinstance(old, dt.date):
        return st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2020, 12, 31))
    if last == "doctrine":
        return st.one_of(st.sampled_from(["location", "control"]),
                         st.builds(lambda p: {"location": p}, st.floats(min_value=0, max_value=1)))
    if last == "route":
        return st.sampled_from(["warrant", "mlat"])
    if last == "enacted":
        return st.one_of(st.just("never"), st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2020, 1, 1)))
    if isinstance(old, dict) and "days" in old:
        days = st.floats(min_value=0, max_value=600)
        return st.one_of(
            st.builds(lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b)}, days, days),
            st.builds(lambda a, b, c: dict(zip(("low", "mode", "high"), sorted((a, b, c)), strict=True),
                                           dist="triangular"), days, days, days),
            st.builds(lambda m, s: {"dist": "lognormal", "median": m, "spread": s},
                      st.floats(min_value=0.5, max_value=600), st.floats(min_value=1, max_value=4)),
            st.builds(lambda vs: {"dist": "empirical", "values": vs}, st.lists(days, min_size=1, max_size=5)),
            st.builds(lambda d: {"days": d}, st.integers(min_value=0, max_value=800)),
        )
    return st.just(old)


@st.composite
def playable(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete_pin", "replace", "replace", "replace"]))
        if kind == "delete_pin" and data["pins"]:
            del data["pins"][draw(st.sampled_from(sorted(data["pins"])))]
            continue
        candidates = [p for p in key_paths(data) if p[0] != "scenario" or p[-1] == "start_date"]
        path = draw(st.sampled_from(candidates))
        parent = get_path(data, path[:-1])
        parent[path[-1]] = draw(_plausible_for(path, parent[path[-1]]))
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(playable(), st.integers(min_value=0, max_value=2**32))
def test_engine_on_mutated_scenario(data: dict[str, Any], seed: int) -> None:
    loaded = check_parse(to_toml(data))
    assume(loaded is not None)
    try:
        matter = simulate(loaded, "run", 0, seed)
    except (UserError, OutOfOrder) as e:
        assert str(e).splitlines() == [str(e)], f"not a single line: {e!r}"
        return
    assert isinstance(matter, Matter)


def test_engine_on_the_early_pin_raises_a_user_error() -> None:
    """The CLI case above, in-process: the engine reports the pin as a ScenarioError."""
    with pytest.raises(ScenarioError, match=r"pins\.magistrate_ruling"):
        simulate(scenarios.parse(EARLY_PIN, "early.toml"), "run", 0, 0)


def _main(capsys, *args: str) -> tuple[int, str]:
    """run.py in this process: exit status and stderr."""
    import run

    code = run.main(list(args))
    return code, capsys.readouterr().err


def test_a_set_value_nested_2000_deep_is_one_line(capsys) -> None:
    deep = "{a=" * 2000 + "1" + "}" * 2000
    for command in ("run", "compare"):
        code, err = _main(capsys, command, "cloud_act", "--set", f"provider.refuses={deep}", "--store", "memory://")
        assert code == 2 and err.count("\n") == 1, err[-300:]
        assert "--set provider.refuses: the value nests more than 8 deep" in err


@pytest.mark.parametrize("day", ["9999-12-01", "0001-01-01", "2200-01-01", "1899-12-31"])
def test_a_date_outside_the_calendar_is_refused_by_validate_and_run_alike(tmp_path: Path, capsys, day: str) -> None:
    path = tmp_path / "late.toml"
    path.write_text(f'[scenario]\nextends = "cloud_act"\nname = "late"\nstart_date = {day}\n')
    range_ = "expected a date from 1900-01-01 to 2199-12-31"
    for args in (["validate", str(path)], ["run", str(path), "--store", "memory://"],
                 ["run", "cloud_act", "--set", f"scenario.start_date={day}", "--store", "memory://"]):
        code, err = _main(capsys, *args)
        assert code == 2 and err.count("\n") == 1, err[-300:]
        assert "scenario.start_date" in err and range_ in err, err


@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31"])
def test_the_calendar_s_first_and_last_days_play(capsys, day: str) -> None:
    code, err = _main(capsys, "run", "microsoft_ireland_stochastic", "-n", "5", "--set", f"scenario.start_date={day}",
                      "--store", "memory://")
    assert code == 0, err


def test_a_set_value_that_is_a_table_or_list_names_the_key_at_fault_within_it(capsys) -> None:
    """A table or list given by --set is checked as in a file: the message names the setting and, when the
    fault lies inside the value, where (a bare value stays named by its setting alone)."""
    titles = 'courts.district.judge=[{ judge = "A" }, { from = 2016-06-01, judge = "B" }]'
    code, err = _main(capsys, "run", "microsoft_ireland_2013", "--set", titles, "--store", "memory://")
    assert code == 2 and err.count("\n") == 1, err
    assert "--set courts.district.judge (at courts.district.judge[1].source): missing" in err
    code, err = _main(capsys, "run", "cloud_act", "--set", "provider.refuses={ p = 2 }", "--store", "memory://")
    assert code == 2 and "--set provider.refuses (at provider.refuses.p): expected a probability" in err
    code, err = _main(capsys, "run", "cloud_act", "--set", "provider.refuses=2", "--store", "memory://")
    assert code == 2 and "--set provider.refuses: expected a probability" in err and "(at" not in err
