"""A scenario's colour comes from its name: the same in every report, whatever else is compared."""

from __future__ import annotations

import json
import random

import pytest

from sim import colours
from sim import scenario as scenarios
from tests.conftest import cli


def test_every_bundled_scenario_has_its_own_fixed_colour():
    bundled = [p.stem for p in scenarios.bundled_paths()]
    assert sorted(bundled) == sorted(colours.BUNDLED)
    assert len(set(colours.BUNDLED.values())) == len(bundled)
    assert not set(colours.BUNDLED.values()) & set(colours.OTHERS)


def test_a_colour_does_not_depend_on_the_company_or_the_order():
    bundled = list(colours.BUNDLED)
    for _ in range(20):
        chosen = random.Random(_).sample(bundled, random.Random(_ + 100).randint(1, len(bundled)))
        assert colours.palette(chosen) == {name: colours.BUNDLED[name] for name in chosen}
    assert colours.palette(["my_regime", "location_rule"])["my_regime"] == colours.colour("my_regime")


def test_other_names_take_a_hashed_colour_never_a_bundled_one_and_differ_within_a_report():
    names = [f"variant_{i}" for i in range(len(colours.OTHERS))]
    own = {name: colours.colour(name) for name in names}
    assert set(own.values()) <= set(colours.OTHERS)
    assert own == {name: colours.colour(name) for name in reversed(names)}  # a pure function of the name
    shared = colours.palette(["location_rule", *names])
    assert len(set(shared.values())) == len(names) + 1  # eight other names, eight other colours
    assert shared["variant_0"] == own["variant_0"]  # the first keeps its own; a later one may move on


def test_a_scenarios_variants_take_distinct_stable_shades_in_the_order_of_the_swept_value():
    """Issue 19.2: location_rule and location_rule [refuses_mlat=0.3] were both #e69f00."""
    runs = ["my_regime", "my_regime [provider.refuses=0.9]", "my_regime [provider.refuses=0.5]"]
    shades = colours.palette(runs)
    assert len(set(shades.values())) == 3 and shades["my_regime"] == colours.colour("my_regime")
    assert shades == colours.palette(reversed(runs))  # the order given does not matter
    sweep = ["location_rule [d=270]", "location_rule [d=120]", "location_rule [d=400]"]
    assert colours.ordered(sweep) == ["location_rule [d=120]", "location_rule [d=270]", "location_rule [d=400]"]
    tones = [colours.palette(sweep)[name] for name in colours.ordered(sweep)]
    assert len(set(tones)) == 3 and colours.BUNDLED["location_rule"] not in tones
    assert [sum(int(t[i:i + 2], 16) for i in (1, 3, 5)) for t in tones] == \
        sorted(sum(int(t[i:i + 2], 16) for i in (1, 3, 5)) for t in tones)  # darker to lighter
    assert colours.family("location_rule [cloud_act.enacted=never]") == "location_rule"
    assert colours.family("microsoft_ireland_2013@27 cloud_act.enacted=never") == \
        "microsoft_ireland_2013@27 cloud_act.enacted=never"


def test_scenario_colours_and_outcome_colours_are_disjoint():
    """Issue 19.3: a fork's #ddcc77 was also the bar of "new warrant after legislation"."""
    from reports import charts

    scenario_tones = {*colours.BUNDLED.values(), *colours.OTHERS}
    assert not scenario_tones & set(colours.OUTCOMES)
    assert set(charts.ENDING_COLOURS.values()) == set(colours.OUTCOMES)
    names = [f"fork_{i}" for i in range(40)] + ["location_rule", "location_rule [a=1]", "location_rule [a=2]"]
    assert not set(colours.palette(names).values()) & set(colours.OUTCOMES)


@pytest.mark.slow
def test_summary_json_records_the_same_colour_in_any_comparison(tmp_path):
    """location_rule first of two, then last of four: the same colour in both summaries."""
    runs = []
    for names in (["location_rule", "cloud_act"], ["control_rule", "cloud_act", "provider_complies", "location_rule"]):
        out = tmp_path / f"out{len(names)}"
        done = cli("run", *names, "-n", "3", "--out", str(out), "--store", "memory://", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        runs.append({r["scenario"]: r["colour"] for r in json.loads((out / "summary.json").read_text())["runs"]})
    assert runs[0]["location_rule"] == runs[1]["location_rule"] == colours.BUNDLED["location_rule"]
    assert runs[0]["cloud_act"] == runs[1]["cloud_act"]
