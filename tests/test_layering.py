"""The architecture's import rules, checked on the source (ARCHITECTURE.md)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "factcheck"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def modules(sub: str) -> list[Path]:
    base = PKG / sub
    return sorted(base.rglob("*.py")) if base.is_dir() else [base]


def test_model_imports_nothing_of_ours():
    assert not {m for m in imports_of(PKG / "model.py") if m.startswith("factcheck")}


def test_only_extract_imports_spacy():
    for path in PKG.rglob("*.py"):
        if "extract" in path.parts:
            continue
        assert not {m for m in imports_of(path) if m.split(".")[0] in ("spacy", "thinc")}, path


def test_only_dsl_imports_lark():
    for path in PKG.rglob("*.py"):
        if "dsl" in path.parts:
            continue
        assert not {m for m in imports_of(path) if m.split(".")[0] == "lark"}, path


def test_dsl_and_extract_never_import_each_other():
    for path in modules("dsl"):
        assert not {m for m in imports_of(path) if m.startswith("factcheck.extract")}, path
    for path in modules("extract"):
        assert not {m for m in imports_of(path) if m.startswith("factcheck.dsl")}, path


def test_engine_touches_no_files_and_no_heavy_libraries():
    bad = {m for m in imports_of(PKG / "engine.py") if m.split(".")[0] in ("spacy", "lark", "os", "pathlib", "io", "sqlite3")}
    assert not bad
    code = "import sys, factcheck.engine; print(sorted(m for m in ('spacy', 'lark') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_cli_and_pytest_plugin_never_import_each_other():
    cli, plugin = PKG / "cli.py", PKG / "pytest_plugin.py"
    if cli.exists():
        assert "factcheck.pytest_plugin" not in imports_of(cli)
    if plugin.exists():
        assert "factcheck.cli" not in imports_of(plugin)


def test_cli_holds_no_evaluation_logic():
    cli = PKG / "cli.py"
    if cli.exists():
        assert not {m for m in imports_of(cli) if m in ("factcheck.engine", "factcheck.extract", "spacy")}
