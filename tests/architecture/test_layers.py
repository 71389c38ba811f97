"""The house rules of komoro_engage that a reader relies on (README, "Architecture").

- the import contract in pyproject.toml holds (layers; features meet through core);
- no module grows past 300 lines;
- templates get no data from query-running template globals.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "komoro_engage"
MAX_LINES = 300


def test_import_contract_holds(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True,
                        no_logo=True) == 0, "run `make lint` to see which import breaks a layer"


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(
    p.relative_to(PACKAGE)))
def test_module_is_short(module: Path):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.relative_to(ROOT)} has {lines} lines: split it by concern"


def test_no_template_global_runs_queries(app):
    """Pages get their data from their view or a registered section, not while rendering."""
    offenders = [name for name, value in app.jinja_env.globals.items()
                 if getattr(value, "__module__", "").endswith((".queries", ".services"))]
    assert offenders == []



def test_core_imports_no_feature():
    """core is the bottom layer; this also holds where the import contract is not installed."""
    lower = {"core"}
    for module in (PACKAGE / "core").rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "komoro_engage."):
                top = node.module.split(".")[1]
                assert top in lower | {"extensions", "sqlite_engine"}, (
                    f"{module.relative_to(ROOT)} imports {node.module}")
