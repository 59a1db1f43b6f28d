"""The folder layout is the architecture diagram; this test keeps it so.

Reads every module's imports (top-level and late ones inside functions) with
``ast`` and checks the rules of docs/DESIGN.md:

* ``core`` imports nothing else of pmflib and, like ``rules``, does no I/O
  (the shared file helpers live in ``inputs.files``);
* ``rules`` imports only ``core`` and never does I/O (no file, workbook,
  database, notebook or network library);
* ``inputs`` and ``store`` never import ``report`` or ``cycle``;
* nothing imports ``demo`` except the demo command (``cycle.pipeline``) and
  the demo package itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pmflib"

#: What each layer may import from pmflib (its own layer always allowed).
ALLOWED = {
    "core": set(),
    "rules": {"core"},
    "inputs": {"core", "rules"},
    "store": {"core", "rules", "inputs"},
    "cycle": {"core", "rules", "inputs", "store", "report"},
    "report": {"core", "rules", "inputs", "store", "cycle"},
    "demo": {"core", "rules", "inputs"},
}
#: Libraries that read or write files, workbooks, databases, notebooks or the network.
IO_LIBRARIES = {
    "openpyxl", "python_calamine", "sqlite3", "papermill", "nbconvert", "nbformat", "weasyprint",
    "matplotlib", "shutil", "tempfile", "zipfile", "subprocess", "urllib", "http", "socket", "yaml", "csv",
}
#: The one place allowed to import the demo council: the `pmf demo` command.
DEMO_IMPORTERS = {"pmflib/cycle/pipeline.py"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every absolute module name imported anywhere in the file, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pytest.fail(f"{path}:{node.lineno}: relative import; write pmflib.<layer>.<module> so the layer shows")
            found += [(node.lineno, node.module or "")]
            if node.module == "pmflib":
                found += [(node.lineno, f"pmflib.{alias.name}") for alias in node.names]
    return found


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def test_every_module_is_in_a_layer():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert flat == [], f"modules outside a layer: {flat}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ALLOWED)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_imports(path):
    layer = _layer(path)
    where = str(path.relative_to(PACKAGE.parent))
    for line, name in _imports(path):
        parts = name.split(".")
        if parts[0] == "pmflib" and len(parts) > 1:
            target = parts[1]
            if target == "demo" and layer != "demo":
                assert where in DEMO_IMPORTERS, f"{where}:{line} imports the demo council ({name})"
                continue
            assert target in ALLOWED, f"{where}:{line} imports {name}, which is not a layer (old flat name?)"
            assert target == layer or target in ALLOWED[layer], (
                f"{where}:{line}: the {layer} layer may not import {name}")
        elif layer in ("core", "rules"):
            assert parts[0] not in IO_LIBRARIES, f"{where}:{line}: {layer} must stay pure but imports {name}"


def test_the_layering_test_catches_a_violation(tmp_path):
    """The checker itself can fail: a rules module importing the ledger is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from pmflib.store.ledger import Ledger\n    import sqlite3\n")
    assert ("pmflib.store.ledger" in [n for _, n in _imports(bad)]) and ("sqlite3" in [n for _, n in _imports(bad)])
