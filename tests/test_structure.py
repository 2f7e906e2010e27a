"""The shape of the package (issue 14): no module reaches into another's underscore names,
no import cycle between corridor modules, no module over 500 lines.

The walk is over the source (AST), so imports inside functions count like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "corridor"
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def resolve(name: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` in module ``name`` names."""
    if not node.level:
        return node.module or ""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def imports(name: str) -> list[tuple[str, str | None]]:
    """``(module, imported name or None)`` for every import in module ``name``."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Import):
            out.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.extend((resolve(name, node), alias.name) for alias in node.names)
    return out


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(name: str) -> list[str]:
    """Underscore names of other corridor modules that module ``name`` uses."""
    found = []
    aliases: dict[str, str] = {}
    for module, item in imports(name):
        if not module.startswith("corridor"):
            continue
        if item is None:
            aliases[module.split(".")[0]] = module.split(".")[0]
        elif f"{module}.{item}" in MODULES:
            aliases[item] = f"{module}.{item}"
        elif module != name and private(item):
            found.append(f"from {module} import {item}")
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("corridor") and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Attribute) and private(node.attr):
            target = ast.unparse(node.value)
            module = aliases.get(target.split(".")[0])
            if module is not None:
                dotted = module + target[len(target.split(".")[0]):]
                if dotted in MODULES and dotted != name:
                    found.append(f"{dotted}.{node.attr}")
    return found


def import_graph() -> nx.DiGraph:
    """Module -> corridor module it imports (a ``from pkg import sub`` counts as ``sub``)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name in MODULES:
        for module, item in imports(name):
            target = f"{module}.{item}" if f"{module}.{item}" in MODULES else module
            if target in MODULES and target != name:
                graph.add_edge(name, target)
    return graph


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_uses_another_modules_underscore_names(name):
    assert private_uses(name) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_at_most_500_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_in_no_import_cycle(name):
    cycle = next((sorted(c) for c in nx.strongly_connected_components(import_graph())
                  if name in c and len(c) > 1), [])
    assert cycle == []


def test_the_checks_see_a_known_breach(tmp_path):
    """The walk finds an underscore import, an attribute reach and a cycle when there is one."""
    tree = ast.parse("from corridor.data import _rows\nimport corridor.network as n\nn._orient\n")
    TREES["corridor._probe"], MODULES["corridor._probe"] = tree, tmp_path / "probe.py"
    TREES["corridor.network"].body.append(ast.parse("import corridor._probe").body[0])
    try:
        assert private_uses("corridor._probe") == ["from corridor.data import _rows",
                                                   "corridor.network._orient"]
        cyclic = [c for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
        assert any({"corridor._probe", "corridor.network"} <= c for c in cyclic)
    finally:
        del TREES["corridor._probe"], MODULES["corridor._probe"]
        TREES["corridor.network"].body.pop()
