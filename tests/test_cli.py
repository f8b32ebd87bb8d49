"""The command line's small promises: one prefix per message on every command, every file validated, hints
that work as printed, nothing claimed that was not written, example output folders kept out of git."""

from __future__ import annotations

import re

import pytest

import run
from sim.runs.runner import RunInterrupted
from sim.store import open_store
from tests.conftest import ROOT, cli

COMMANDS = ("scenarios", "validate", "keys", "new", "run", "runs", "docket", "replay", "fork", "compare", "report",
            "audit", "stages", "calibrate", "bench", "demo", "experiment")


def main(capsys, *args: str) -> tuple[int, str, str]:
    """run.py in this process: exit status, stdout, stderr (argparse's own errors included)."""
    try:
        code = run.main(list(args))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


BAD = [
    ("scenarios", ["scenarios", "extra"]),
    ("validate", ["validate", "nowhere.toml"]),
    ("keys", ["keys", "nowhere"]),
    ("new", ["new", "no-dashes"]),
    ("run", ["run"]),
    ("run", ["run", "location_rule", "--resume", "00000000-0000-0000-0000-000000000000"]),
    ("run", ["run", "--resume", "00000000-0000-0000-0000-000000000000", "--store", "memory://"]),
    ("runs", ["runs", "--delete", "00000000-0000-0000-0000-000000000000", "--store", "memory://"]),
    ("docket", ["docket", "--store", "memory://"]),
    ("replay", ["replay", "--store", "memory://"]),
    ("fork", ["fork", "--store", "memory://"]),
    ("fork", ["fork", "00000000-0000-0000-0000-000000000000", "--set", "novalue", "--store", "memory://"]),
    ("fork", ["fork", "--recipe", "r.toml", "--as-of", "2017-01-24"]),
    ("compare", ["compare", "00000000-0000-0000-0000-000000000000", "--sweep", "a=1,2"]),
    ("report", ["report", "--store", "memory://"]),
    ("report", ["report", "--latest", "--store", "memory://"]),
    ("audit", ["audit", "--store", "memory://"]),
    ("stages", ["stages", "--store", "memory://"]),
    ("calibrate", ["calibrate", "nowhere"]),
    ("bench", ["bench", "-n", "5"]),
    ("bench", ["bench", "--floor", "--caseload"]),
    ("experiment", ["experiment", "nowhere.toml", "--store", "memory://"]),
    ("demo", ["demo", "--store", "ftp://nowhere"]),
]


@pytest.mark.parametrize(("command", "args"), BAD, ids=[" ".join(a) for _, a in BAD])
def test_every_command_says_what_is_wrong_in_one_line_with_one_prefix(tmp_path, monkeypatch, capsys, command, args):
    monkeypatch.chdir(tmp_path)
    code, out, err = main(capsys, *args)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and err.startswith(f"run.py {command}: "), err
    rest = err.removeprefix(f"run.py {command}: ")
    assert not re.search(r"run\.py \w+: ", rest), err  # no doubled "run.py fork: fork: ..."
    said = re.match(r"(\w+): ", rest)
    assert not (said and said.group(1) in COMMANDS), err
    assert list(tmp_path.iterdir()) == []  # bad input writes nothing


def test_the_bad_inputs_above_cover_every_command():
    assert {command for command, _ in BAD} == set(COMMANDS)
    assert set(COMMANDS) == set(run.build_parser().commands)


def test_validate_checks_every_file_and_names_each_bad_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.toml").write_text("")
    (tmp_path / "typo.toml").write_text('[scenario]\nextends = "location_rule"\nname = "typo"\ntitle = "t"\n'
                                        'description = "d"\n[provider]\nrefuses = 2\n')
    code, out, err = main(capsys, "validate", "empty.toml", str(ROOT / "scenarios" / "cloud_act.toml"), "typo.toml",
                          "nowhere.toml")
    assert code == 2
    assert out.count(": ok (") == 1 and "cloud_act" in out
    assert err.splitlines() == [
        "run.py validate: empty.toml: is empty, expected a TOML scenario file",
        "run.py validate: typo.toml: provider.refuses: expected a probability (number in [0, 1]), got 2",
        "run.py validate: nowhere.toml: no such scenario file",
        "run.py validate: 3 of 4 files are not valid scenarios"]
    assert main(capsys, "validate", str(ROOT / "scenarios" / "cloud_act.toml"))[0] == 0


def test_outcomes_csv_is_mentioned_only_when_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = main(capsys, "run", "provider_complies", "-n", "12", "--store", "memory://")
    assert code == 0 and "... and 2 more matters (--out DIR writes them all to DIR/outcomes.csv)" in out
    assert "lists them all" not in out and not (tmp_path / "outcomes.csv").exists()
    code, out, _ = main(capsys, "run", "provider_complies", "-n", "12", "--out", "res", "--store", "memory://")
    assert code == 0 and "... and 2 more matters (res/outcomes.csv lists them all)" in out
    assert (tmp_path / "res" / "outcomes.csv").read_text().count("\n") == 13


@pytest.mark.parametrize("store", [None, "sqlite:///elsewhere.sqlite"])
def test_the_resume_hint_keeps_the_store_it_was_given(tmp_path, monkeypatch, capsys, store):
    monkeypatch.chdir(tmp_path)

    def interrupted(*args, **kwargs):
        raise RunInterrupted("11111111-2222-3333-4444-555555555555", 64, 1000)

    monkeypatch.setattr(run, "run_scenarios", interrupted)
    code, _, err = main(capsys, "run", "location_rule", "-n", "1000", *(["--store", store] if store else []))
    hint = "finish with: python run.py run --resume 11111111-2222-3333-4444-555555555555"
    assert code == 130 and err.rstrip().endswith(hint + (f" --store {store}" if store else ""))


def test_the_demo_hint_shows_the_historical_docket(tmp_path, monkeypatch, capsys):
    """The hint printed after the historical docket brings that docket back (not the newest run's)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run, "_compare", lambda store, loaded, seed, n, jobs, out_dir, *rest: out_dir / "index.html")
    url = f"sqlite:///{tmp_path / 'd.sqlite'}"
    code, out, _ = main(capsys, "demo", "--store", url)
    assert code == 0
    hint = re.search(r"see this docket again with: python run\.py (docket \S+ --store \S+)$", out, re.MULTILINE)
    assert hint, out[-400:]
    code, again, _ = main(capsys, *hint.group(1).split())
    assert code == 0 and again.splitlines()[0].split()[2:4] == ["scenario", "microsoft_ireland_2013"]
    assert again in out  # the very docket the demo showed
    record = open_store(url)
    run.record_run(record, run.scenarios.load("provider_complies"))  # a newer run does not change the hint's docket
    assert main(capsys, *hint.group(1).split())[1] == again


def test_readme_example_output_folders_are_ignored_by_git():
    readme = (ROOT / "README.md").read_text()
    ignored = {line.strip().strip("/") for line in (ROOT / ".gitignore").read_text().splitlines()}
    folders = set(re.findall(r"--out (?:\./)?([\w-]+)/", readme)) | set(re.findall(r"\./([\w-]+)/", readme))
    assert {"report", "what-ifs", "results", "docketsim-report"} <= folders
    assert folders <= ignored, folders - ignored
    assert "/what-ifs/" in (ROOT / ".gitignore").read_text().splitlines()  # anchored: scenarios/what-ifs/ stays


@pytest.mark.slow
def test_replay_step_without_a_terminal_says_so_in_one_line(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert cli("run", "microsoft_ireland_2013", "--store", url, cwd=tmp_path).returncode == 0
    done = cli("replay", "--latest", "--step", "--store", url, cwd=tmp_path)  # stdin and stdout are pipes
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("run.py replay: --step waits for Enter and needs a terminal (stdin and stdout); without "
                           "--step the events print one after another (--delay S paces them)\n")


@pytest.mark.parametrize("command", [["keys"], ["validate"], ["run", "--store", "memory://"]])
def test_an_empty_scenario_name_is_named_as_such(capsys, command):
    code, _, err = main(capsys, command[0], "", *command[1:])
    assert code == 2 and err.count("\n") == 1 and "an empty scenario name" in err, err
    assert "is a directory" not in err


@pytest.mark.slow
def test_runs_labels_a_run_with_set_as_set_and_a_sweep_run_as_sweep(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert main(capsys, "run", "provider_complies", "--set", "provider.refuses=0.9", "--store", url)[0] == 0
    assert main(capsys, "compare", "provider_complies", "-n", "2", "--sweep", "provider.refuses=0.2",
                "--out", str(tmp_path / "r"), "--store", url)[0] == 0
    code, out, _ = main(capsys, "runs", "--store", url)
    assert code == 0
    lines = " ".join(out.split())
    assert "set: provider.refuses=0.9" in lines and "sweep: provider.refuses=0.9" not in lines, out
    assert "sweep: provider.refuses=0.2" in lines, out
