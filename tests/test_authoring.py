"""Scenarios of one's own: `keys` lists what --set, --sweep and extends accept; `new` writes a file that
validates as written and plays as its base until the analyst changes it."""

from __future__ import annotations

import re
import tomllib

import pytest

import run
from sim import scenario as scenarios
from sim.runs import authoring
from sim.runs.comparison import run_scenarios
from sim.store import open_store
from tests.conftest import ROOT, cli, no_progress


@pytest.mark.parametrize("name", [p.stem for p in scenarios.bundled_paths()])
def test_every_listed_key_is_accepted_by_set_at_its_current_value(name):
    """The list is the schema: each key, set to the value it has, is taken by --set and changes nothing."""
    loaded = scenarios.load(name)
    listed = authoring.keys(loaded)
    assert len({k.path for k in listed}) == len(listed)
    for key in listed:
        if not key.value:
            assert key.shown.startswith("(")  # not set here (a default), or the placeholder of no pins
            continue
        again = scenarios.with_settings(loaded, [(key.path, key.value)])
        assert scenarios.plays_alike(again, loaded), key.path
        assert again.scenario == loaded.scenario or key.path.startswith("scenario."), key.path


def test_keys_cover_every_field_and_figure_with_its_type_value_and_basis():
    loaded = scenarios.load("location_rule")
    by_path = {k.path: k for k in authoring.keys(loaded)}
    figures = dict(loaded.figures())
    assert set(figures) <= set(by_path)  # every duration and probability
    for path, figure in figures.items():
        assert by_path[path].shown == figure.describe()
        said = [f"{what}: {text}" for what, text in (("source", figure.source), ("assumption", figure.assumption))
                if text]
        assert by_path[path].basis == ("; ".join(said) or "undocumented")
    route = by_path["government.route"]
    assert (route.kind, route.value, route.set_in) == ("choice of warrant | mlat", '"mlat"', "location_rule.toml")
    median = by_path["foreign_authority.mlat_response_after.median"]
    assert (median.kind, median.value, median.set_in) == ("days", "270", "microsoft_ireland_stochastic.toml")
    assert by_path["cloud_act.enacted"].kind == "date or word" and by_path["cloud_act.enacted"].value == '"never"'
    assert by_path["parties.united_states_party"].kind == "flag"
    assert by_path["scenario.start_date"].kind == "date"


def test_a_key_that_is_not_listed_is_refused_by_set():
    loaded = scenarios.load("location_rule")
    listed = {k.path for k in authoring.keys(loaded)}
    assert "provider.refusal" not in listed
    with pytest.raises(scenarios.ScenarioError, match=r"--set provider\.refusal: .*unknown key"):
        scenarios.with_settings(loaded, [("provider.refusal", "0.5")])


def test_keys_prints_one_line_per_key(capsys):
    assert run.main(["keys", "cloud_act"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("cloud_act (") and "--set KEY=VALUE" in lines[0] and "--sweep" in lines[0]
    assert lines[1].split() == ["KEY", "TYPE", "VALUE", "SET", "IN", "SOURCE", "OR", "ASSUMPTION"]
    assert len(lines) == 2 + len(authoring.keys(scenarios.load("cloud_act")))
    refuses = next(line for line in lines if line.startswith("provider.refuses "))
    assert re.search(r"^provider\.refuses\s+probability\s+p = 0\.3\s+cloud_act\.toml\s+.*"
                     r"assumption: with 2713 in force", refuses)
    courts = next(line for line in lines if line.startswith("courts.circuit.short "))
    assert re.search(r"text\s+2d Cir\.\s+microsoft_ireland_stochastic\.toml$", courts)


def test_new_writes_a_scenario_that_validates_and_plays_as_its_base(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run.main(["new", "my_regime", "--from", "location_rule"]) == 0
    out = capsys.readouterr().out
    assert "wrote my_regime.toml" in out and "python run.py compare location_rule my_regime.toml" in out
    text = (tmp_path / "my_regime.toml").read_text()
    data = tomllib.loads(text)
    assert data["scenario"] | {"description": ""} == {"extends": "location_rule", "name": "my_regime",
                                                      "title": "my_regime: a variant of location_rule",
                                                      "kind": "regime", "description": ""}
    for path in authoring.COMMON:  # the keys most often changed, commented out at their current values
        assert f"# {path.rpartition('.')[2]} = " in text
    mine, base = scenarios.load("my_regime.toml"), scenarios.load("location_rule")
    assert scenarios.plays_alike(mine, base)
    uncommented = re.sub(r"^# (\w+ = )", r"\1", text, flags=re.MULTILINE)
    (tmp_path / "all.toml").write_text(uncommented.replace('name = "my_regime"', 'name = "all_set"'))
    assert scenarios.plays_alike(scenarios.load("all.toml"), base)  # every listed line, uncommented, still valid
    store = open_store("memory://")
    rows = run_scenarios(store, [base, mine], seed=4, n=30, jobs=1, out_dir=None, progress=no_progress).summary
    pair = rows["paired_differences"][0]
    assert pair["p_disclosed"]["estimate"] == 0 and pair["restricted_mean_days"]["estimate"] == 0


def test_new_from_a_file_extends_it_by_a_path_relative_to_the_new_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run.main(["new", "first"]) == 0
    (tmp_path / "sub").mkdir()
    assert run.main(["new", "second", "--from", "first.toml", "--out", "sub/second.toml"]) == 0
    assert tomllib.loads((tmp_path / "sub" / "second.toml").read_text())["scenario"]["extends"] == "../first.toml"
    second = scenarios.load("sub/second.toml")
    assert second.bases[-1].endswith("first.toml")
    assert scenarios.plays_alike(second, scenarios.load(authoring.DEFAULT_BASE))


@pytest.mark.parametrize(("args", "message"), [
    (["new", "my-regime"], "'my-regime': expected a scenario name of letters, digits and underscores"),
    (["new", "9lives"], "'9lives': expected a scenario name"),
    (["new", "cloud_act"], "'cloud_act' is a bundled scenario's name"),
    (["new", "mine", "--from", "nowhere"], "nowhere: unknown scenario"),
    (["new", "mine", "--out", "no/such/folder.toml"], "folder no/such does not exist"),
    (["new", "taken"], "taken.toml: already exists"),
    (["keys", "nowhere.toml"], "nowhere.toml: no such scenario file"),
])
def test_bad_authoring_requests(tmp_path, args, message):
    (tmp_path / "taken.toml").write_text("keep me")
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert done.stderr.startswith(f"run.py {args[0]}: ")
    assert (tmp_path / "taken.toml").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.toml"]


def test_the_readme_walks_an_analyst_through_new_keys_run_and_compare():
    readme = (ROOT / "README.md").read_text()
    for command in ("python run.py new ", "python run.py keys ", "python run.py validate ", "python run.py compare "):
        assert command in readme


@pytest.mark.parametrize("title", ["Back\\slash", 'Three """ quotes', "Escape \x1b[31mred\x1b[0m", "Delete \x7f",
                                   "Line\nbreak", 'Quote " and \\" both'])
def test_new_from_a_file_with_any_title_writes_valid_toml(tmp_path, monkeypatch, title):
    """The base's title goes into the new file's description: escaped, so the file is valid TOML and loads."""
    monkeypatch.chdir(tmp_path)
    base = tmp_path / "odd.toml"
    base.write_text(f'[scenario]\nextends = "cloud_act"\nname = "odd"\ntitle = {authoring.toml_value(title)}\n',
                    encoding="utf-8")
    assert scenarios.load(str(base)).scenario.title == title
    assert run.main(["new", "mine", "--from", str(base)]) == 0
    written = (tmp_path / "mine.toml").read_text(encoding="utf-8")
    data = tomllib.loads(written)
    assert title in data["scenario"]["description"]
    assert scenarios.plays_alike(scenarios.load("mine.toml"), scenarios.load(str(base)))


def test_a_new_scenario_name_over_64_characters_is_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run.main(["new", "a" * 300]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at most 64" in err
    assert list(tmp_path.iterdir()) == []
    assert run.main(["new", "a" * 64]) == 0 and (tmp_path / f"{'a' * 64}.toml").is_file()
