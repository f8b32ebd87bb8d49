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


# Modules that read the registry of steps rather than branch on an event's name (issue 21): what a kind of
# entry needs, checks, opens, closes, and its part in the stages and the calendar checks are its registry
# entry's, and how it came out its `outcome`. (The engine chooses which event to record.)
REGISTRY_READERS = [*(p for p in _modules("domain") if p.name != "registry.py"), SIM / "runs" / "audit.py",
                    SIM / "runs" / "calibration.py", SIM / "views" / "stages.py", SIM / "views" / "projections.py",
                    SIM / "views" / "caseload.py"]


def _entry_names() -> set[str]:
    tree = ast.parse((SIM / "domain" / "matter.py").read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id in ("Entry", "Filing", "Outside") for b in node.bases)
            and node.name not in ("Filing", "Outside")}  # the kinds of entry, not the events


def _branches_on_a_name(path: Path, names: set[str]) -> list[str]:
    """Comparisons of a value with an event class or its name: `x == "Name"`, `x in ("Name", ...)`,
    `cls is Matter.Name`, or a dict keyed by event names (reading the matter's state, `"Name" in m.seen`,
    is no branch on the entry)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=True):
                sides = [node.left, right] if isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) else \
                    list(getattr(right, "elts", [])) if isinstance(op, (ast.In, ast.NotIn)) else []
                found += [f"line {node.lineno}: {s.value}" for s in sides
                          if isinstance(s, ast.Constant) and s.value in names]
                found += [f"line {node.lineno}: {s.attr}" for s in sides
                          if isinstance(s, ast.Attribute) and s.attr in names]
        elif isinstance(node, ast.Dict):
            found += [f"line {node.lineno}: {k.value} (a key)" for k in node.keys
                      if isinstance(k, ast.Constant) and k.value in names]
    return sorted(found)


@pytest.mark.parametrize("path", REGISTRY_READERS, ids=lambda p: p.name)
def test_no_branch_on_an_events_name_outside_the_registry(path):
    assert _branches_on_a_name(path, _entry_names()) == [], path.name


def test_the_name_branch_finder_finds_one(tmp_path):
    """Guard: the finder sees a branch on a name, and not a read of the state."""
    path = tmp_path / "probe.py"
    path.write_text('if name == "HearingHeld" or "CertPetitioned" in m.seen: pass\nX = {"MandateIssued": 1}\n'
                    'y = None if cls is Matter.BriefFiled else Matter.CertDecided\n', encoding="utf-8")
    found = _branches_on_a_name(path, {"HearingHeld", "CertPetitioned", "MandateIssued", "BriefFiled", "CertDecided"})
    assert sorted(found) == ["line 1: HearingHeld", "line 2: MandateIssued (a key)", "line 3: BriefFiled"]
