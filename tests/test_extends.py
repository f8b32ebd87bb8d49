"""`extends` replaces a figure whole (its distribution, source and assumption); tables still merge key by key;
a figure changed by extends, --set or --sweep never shows the base's source; `validate` lists changed figures
that give neither."""

from __future__ import annotations

import pytest

from sim import scenario as scenarios
from tests.conftest import cli

HEADER = '[scenario]\nextends = "microsoft_ireland_stochastic"\nname = "variant"\ntitle = "t"\ndescription = "d"\n'


def variant(folder, body: str) -> str:
    (folder / "variant.toml").write_text(HEADER + body)
    return str(folder / "variant.toml")


def test_an_extending_file_changes_a_figure_s_distribution(tmp_path):
    """Merged key by key, a lognormal over the base's uniform used to fail: "median: unknown key"."""
    loaded = scenarios.load(variant(tmp_path, '[provider]\nobjection_after = { dist = "lognormal", median = 20, '
                                              'spread = 1.5, assumption = "slower objections" }\n'))
    figure = loaded.provider.objection_after
    assert (type(figure).__name__, figure.median, figure.source, figure.assumption) == \
        ("LogNormal", 20.0, None, "slower objections")


@pytest.mark.slow
def test_a_replaced_figure_never_keeps_the_base_s_source(tmp_path):
    base = scenarios.load("microsoft_ireland_stochastic").foreign_authority.mlat_response_after
    assert base.source
    loaded = scenarios.load(variant(tmp_path, "[foreign_authority]\nmlat_response_after = { dist = \"lognormal\", "
                                              "median = 120, spread = 1.6 }\n"))
    assert loaded.foreign_authority.mlat_response_after.source is None
    assert "foreign_authority.mlat_response_after" in loaded.undocumented()
    done = cli("validate", "variant.toml", cwd=tmp_path)
    assert done.returncode == 0
    assert "variant.toml: foreign_authority.mlat_response_after: no source or assumption given" in done.stderr


def test_the_bundled_cloud_act_shows_its_own_assumption():
    refuses = scenarios.load("cloud_act").provider.refuses
    assert refuses.p == 0.3 and refuses.source is None and refuses.assumption.startswith("with 2713 in force")


def test_tables_still_merge_key_by_key(tmp_path):
    loaded = scenarios.load(variant(tmp_path, '[courts.circuit]\njudge = "A panel"\n\n[supreme_court.cert_grant]\n'
                                              'government = { p = 0.5, assumption = "a weaker SG" }\n'))
    base = scenarios.load("microsoft_ireland_stochastic")
    assert loaded.courts.circuit.judge == "A panel"
    assert loaded.courts.circuit.docket_number == base.courts.circuit.docket_number
    assert loaded.supreme_court.cert_grant.government.p == 0.5
    assert loaded.supreme_court.cert_grant.provider == base.supreme_court.cert_grant.provider
    assert loaded.provider == base.provider


def test_set_and_sweep_mark_the_figures_they_change():
    base = scenarios.load("microsoft_ireland_stochastic")
    changed = scenarios.with_settings(base, [("foreign_authority.mlat_response_after.median", "120"),
                                             ("provider.refuses", "0.2"),
                                             ("supreme_court.cert_grant.government", "{ p = 0.4, source = \"mine\" }")])
    mlat = changed.foreign_authority.mlat_response_after
    assert (mlat.median, mlat.spread, mlat.source) == (120.0, 1.6, None)
    assert mlat.assumption == "--set foreign_authority.mlat_response_after.median=120"
    assert changed.provider.refuses.assumption == "--set provider.refuses=0.2" and not changed.provider.refuses.source
    assert changed.supreme_court.cert_grant.government.source == "mine"
    swept = scenarios.with_settings(base, [("provider.refuses.p", "0.9")], "--sweep")
    assert swept.provider.refuses.assumption == "--sweep provider.refuses.p=0.9" and not swept.provider.refuses.source
    assert changed.text_hash != base.text_hash and base.foreign_authority.mlat_response_after.source
