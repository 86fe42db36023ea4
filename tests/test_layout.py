"""The package layout shows the flow: few top-level modules, stage sub-packages, shallow imports, no cycles."""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "service"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (annotations only, never imported at run time)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_runtime_nodes(child)))
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(name: str) -> set[str]:
    """The service modules a module imports at run time (at any level: lazy imports still count)."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("service"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
    return {m for m in found if m in MODULES and m != name}


@lru_cache(maxsize=None)
def _depth(name: str, path: tuple[str, ...] = ()) -> int:
    assert name not in path, "import cycle: " + " → ".join((*path, name))
    return 1 + max((_depth(m, (*path, name)) for m in _imports(name)), default=0)


def test_at_most_twelve_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_imports_have_no_cycles_and_are_at_most_ten_deep() -> None:
    depths = {name: _depth(name) for name in MODULES}
    deepest = max(depths, key=depths.get)
    assert depths[deepest] <= 10, (deepest, depths[deepest])


def test_the_test_can_see_a_cycle(tmp_path: Path) -> None:
    """Guard against a checker that cannot fail: two modules importing each other are a cycle."""
    a, b = "service.checks", "service.reader"
    original = _imports
    try:
        globals()["_imports"] = lambda n: {b} if n == a else ({a} if n == b else set())
        _depth.cache_clear()
        try:
            _depth(a)
        except AssertionError as exc:
            assert "cycle" in str(exc)
        else:
            raise AssertionError("a cycle was not detected")
    finally:
        globals()["_imports"] = original
        _depth.cache_clear()
