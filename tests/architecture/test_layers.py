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


def _decorated_routes(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
            for decorator in node.decorator_list
            if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in {"route", "get", "post", "put", "delete", "patch"}]


def test_each_feature_names_its_urls_in_its_blueprint_module(app):
    """URLs are listed in <feature>/blueprint.py, never on the view functions."""
    for module in PACKAGE.rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        where = module.relative_to(ROOT)
        assert _decorated_routes(ast.parse(source)) == [], f"{where}: route decorators"
        makes = [node.lineno for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                 and node.func.id in {"blueprint", "Blueprint"}]
        if module.name != "blueprint.py" and module.parent.name != "core":
            assert makes == [], f"{where} makes a blueprint: its blueprint.py does"
    blueprints = {rule.endpoint.partition(".")[0] for rule in app.url_map.iter_rules()
                  if "." in rule.endpoint}
    for name in blueprints:
        assert (PACKAGE / name / "blueprint.py").exists(), f"{name} has no blueprint.py"
