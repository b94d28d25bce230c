"""The layers, enforced from the code: every import of every module of repair/, function-level ones too.

core <- edge <- review, tools <- cli, tui: no import climbs back up. Only the TUI imports
Textual; the CLI reaches the TUI only inside a function (`repair review`), and the package's
own `__init__` (the public API) only the core and the edge (its file helpers). Nothing imports
wordfreq (build and test time only). No module is over MAX_LINES lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "repair"
MAX_LINES = 500
# What each layer may not import (by top-level subpackage of repair).
FORBIDDEN = {
    "core": {"edge", "review", "tools", "cli", "tui"},
    "edge": {"review", "tools", "cli", "tui"},
    "review": {"tools", "cli", "tui"},
    "tools": {"review", "cli", "tui"},
    "tui": {"cli", "tools"},
    "cli": set(),  # the TUI, but only inside a function: see test_the_cli_opens_the_tui_only_when_asked
}
# Not run-time dependencies: wordfreq (and what only it brings) is for scripts/ and the tests; the run time
# reads wordlists/wordfreq-en.txt.gz (repair.core.frequencies).
BUILD_ONLY = {"wordfreq", "langcodes", "ftfy", "msgpack"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    """`repair.core.engine` -> "core"; the package's own modules (`repair`, `repair.__main__`) -> ""."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else ""


def _imports(path: Path) -> Iterator[tuple[str, bool]]:
    """(imported module, whether the import is inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> Iterator[tuple[str, bool]]:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                yield from ((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # a relative import: resolve it against this package
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                yield base, inner
                # `from repair import cli` imports the module repair.cli
                yield from ((f"{base}.{alias.name}", inner) for alias in child.names)
            yield from visit(child, inner)

    yield from visit(tree, False)


def _repair_layer(imported: str) -> str | None:
    if imported != "repair" and not imported.startswith("repair."):
        return None
    parts = imported.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else ""


def test_the_modules_are_found() -> None:
    layers = {_layer(_name(p)) for p in _modules()}
    assert layers >= {"core", "edge", "review", "tools", "cli", "tui"}
    assert len(_modules()) > 30


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _name(p))
def test_no_import_climbs_back_up_a_layer(path: Path) -> None:
    module = _name(path)
    layer = _layer(module)
    wrong = []
    for imported, in_function in _imports(path):
        target = _repair_layer(imported)
        if target is None:
            if imported.split(".")[0] == "textual" and layer != "tui":
                wrong.append(f"{imported} (only the TUI imports Textual)")
            if imported.split(".")[0] in BUILD_ONLY:
                wrong.append(f"{imported} (not a run-time dependency)")
            continue
        if layer == "" and module == "repair" and target not in ("", "core", "edge"):
            wrong.append(f"{imported} (the public API imports only the core and the edge)")
        if target in FORBIDDEN.get(layer, set()):
            wrong.append(f"{imported} (which {layer} may not import)")
        if layer == "cli" and target == "tui" and not in_function:
            wrong.append(f"{imported} (the CLI opens the TUI only inside `repair review`)")
    assert not wrong, f"{module} imports " + "; ".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _name(p))
def test_no_module_is_over_the_limit(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines (at most {MAX_LINES}: split it)"


def test_the_check_sees_function_level_imports(tmp_path: Path) -> None:
    sample = PACKAGE / "cli" / "review.py"
    found = list(_imports(sample))
    assert ("repair.tui.app", True) in found  # `repair review` opens the app inside run()
    assert all(not name.startswith("repair.tui") or inner for name, inner in found)
