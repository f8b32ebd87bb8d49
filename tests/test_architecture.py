"""The layers as the README draws them, checked on the source: the domain is pure (no SimPy, randomness, I/O
libraries, store, engine, use cases or CLI) and simple (no function above cyclomatic complexity 15, measured with
radon as issue 21 asks); nothing in sim/ reaches up into the use cases or the reports it feeds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
MAX_COMPLEXITY = 15


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((SIM / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: p.name)
def test_the_domain_imports_no_simulation_randomness_storage_or_interface(path):
    forbidden = ("simpy", "random", "numpy", "sqlite3", "psycopg", "sim.engine", "sim.store", "sim.runs",
                 "sim.views", "reports", "run")
    bad = sorted(name for name in _imports(path) if any(name == f or name.startswith(f + ".") for f in forbidden))
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("layer, above", [("store", ("sim.runs", "sim.views", "sim.engine", "reports")),
                                          ("views", ("sim.runs", "sim.engine", "reports")),
                                          ("engine", ("sim.runs", "sim.views", "sim.store", "reports")),
                                          ("runs", ("reports",))])
def test_no_layer_reaches_up(layer, above):
    bad = {path.name: sorted(n for n in _imports(path) if any(n == a or n.startswith(a + ".") for a in above))
           for path in _modules(layer)}
    assert {name: names for name, names in bad.items() if names} == {}


def test_courts_and_the_proceeding_do_not_import_each_other():
    assert "sim.engine.proceeding" not in _imports(SIM / "engine" / "courts.py")
    assert "sim.engine.courts" in _imports(SIM / "engine" / "proceeding.py")


def test_no_function_in_the_domain_is_above_complexity_15():
    radon = pytest.importorskip("radon.complexity", reason="radon is in the test extra: pip install -e '.[test]'")
    over = [f"{path.name}:{block.fullname} ({block.complexity})" for path in _modules("domain")
            for block in radon.cc_visit(path.read_text(encoding="utf-8")) if block.complexity > MAX_COMPLEXITY]
    assert over == []
