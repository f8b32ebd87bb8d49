"""Text is text: scenario names are identifiers; titles, captions, judges and --set values reach the terminal
literally (no rich markup, control characters and escape sequences made visible); outcomes.csv cells that a
spreadsheet would run are neutralised."""

from __future__ import annotations

import csv
import json

import pytest

from sim.views.projections import OUTCOME_KEYS
from sim.views.results import OutcomeWriter
from tests.conftest import ROOT, cli

HISTORICAL = (ROOT / "scenarios" / "microsoft_ireland_2013.toml").read_text()
RAW = ("\x1b", "\r", "\x07", "\u202e")


def hostile_historical(folder):
    """The historical scenario with markup, escape sequences and a carriage return in its text."""
    text = HISTORICAL.replace('magistrate_judge = "Magistrate Judge James C. Francis IV"',
                              'magistrate_judge = "[bold]Judge[/bold] \\u001b[31mRed\\r"')
    text = text.replace('judge = "Chief Judge Loretta A. Preska"',
                        'judge = "Chief Judge \\u001b]0;pwned\\u0007 [/y] \\u202eeksreP"')
    text = text.replace('title = "Microsoft Ireland as it happened', 'title = "[red]Pwned[/red] \\u001b[2J\\r')
    (folder / "hostile.toml").write_text(text)
    return "hostile.toml"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["x[/y]", "[bold]x[/bold]", "a\u001b[31mb", "=HYPERLINK(1)", "name with spaces"])
def test_a_scenario_name_must_be_an_identifier(tmp_path, name):
    (tmp_path / "bad.toml").write_text(HISTORICAL.replace('name = "microsoft_ireland_2013"',
                                                          f"name = {json.dumps(name)}"))
    for command in ("run", "validate"):
        done = cli(command, "bad.toml", cwd=tmp_path)
        assert done.returncode == 2 and "scenario.name" in done.stderr and "expected a name" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
        assert not any(c in done.stderr for c in RAW)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    name = hostile_historical(folder)
    done = cli("run", name, "--store", "sqlite:///s.sqlite", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, done.stdout.split("matter ")[1].split()[0]


@pytest.mark.parametrize("command", [["docket", "MATTER"], ["replay", "MATTER"], ["docket", "--latest", "--as-of",
                                                                                   "2016-07-20"]])
@pytest.mark.slow
def test_scenario_text_reaches_the_terminal_literally(hostile_store, command):
    folder, matter_id = hostile_store
    done = cli(*[matter_id if a == "MATTER" else a for a in command], "--store", "sqlite:///s.sqlite", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert not any(c in done.stdout for c in RAW), "a control character reached the terminal"
    assert "[bold]Judge[/bold] \\x1b[31mRed\\r" in done.stdout
    if command[0] == "docket":
        assert "Chief Judge \\x1b]0;pwned\\x07 [/y] \\u202eeksreP" in done.stdout


@pytest.mark.slow
def test_fork_labels_with_markup_print_and_list_literally(hostile_store):
    """A --set value becomes part of the fork's name: markup in it neither crashes nor styles `run` or `runs`
    (a name like x[/y] used to break `runs` for that store for good)."""
    folder, matter_id = hostile_store
    value = '{ p = 0.2, assumption = "[/y] [bold]b[/bold] \\u001b[2J" }'
    forked = cli("fork", matter_id, "--after-entry", "4", "--set", f"provider.complies_after_loss={value}",
                 "--store", "sqlite:///s.sqlite", cwd=folder)
    assert forked.returncode == 0, forked.stderr
    runs = cli("runs", "--store", "sqlite:///s.sqlite", cwd=folder)
    assert runs.returncode == 0, runs.stderr
    for shown in (forked.stdout, runs.stdout):
        assert "[/y]" in shown and "[bold]b[/bold]" in shown and "\x1b" not in shown


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path, cell):
    row = {key: "ok" for key in OUTCOME_KEYS}
    row.update(scenario=cell, final_disposition=cell, replication=0, days_to_disclosure=None, disclosed=True)
    writer = OutcomeWriter(tmp_path)
    writer.write(row)
    writer.close()
    with (tmp_path / "outcomes.csv").open(newline="") as f:
        (read,) = list(csv.DictReader(f))
    assert read["scenario"] == read["final_disposition"] == "'" + cell
    assert read["replication"] == "0" and read["days_to_disclosure"] == "" and read["disclosed"] == "true"


OSC8 = "\\u001b]8;;http://evil.example\\u001b\\\\click\\u001b]8;;\\u001b\\\\"


def _with_a_linked_source(folder):
    """The hostile historical scenario, with an OSC-8 hyperlink and colours in a figure's source."""
    name = hostile_historical(folder)
    text = (folder / name).read_text()
    first = text.index('source = "', text.index("[government]"))  # a figure's
    text = text[:first] + f'source = "\\u001b[35m{OSC8}' + text[first + len('source = "'):]
    (folder / name).write_text(text)
    return name


def test_keys_shows_every_cell_and_the_header_as_text(tmp_path, capsys):
    import run

    name = _with_a_linked_source(tmp_path)
    assert run.main(["keys", str(tmp_path / name)]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in RAW), "a control character reached the terminal"
    assert "\\x1b]8;;http://evil.example" in out and "\\x1b[35m" in out


@pytest.mark.slow
def test_charts_drop_control_characters_and_draw_no_missing_glyph(tmp_path, capsys, recwarn):
    import run

    name = _with_a_linked_source(tmp_path)
    code = run.main(["compare", str(tmp_path / name), "provider_complies", "-n", "3", "--out", str(tmp_path / "r"),
                     "--store", "memory://"])
    out, err = capsys.readouterr()
    assert code == 0, err
    warned = [str(w.message) for w in recwarn]
    assert not [w for w in warned if "Glyph" in w or "missing from" in w], warned
    assert not any(c in out + err for c in RAW)
    svg = "".join(p.read_text() for p in (tmp_path / "r").glob("*.svg"))
    assert "Pwned" in svg and not any(c in svg for c in RAW)
