"""The package's import layers (docs/architecture.md): imports only point down.

Reads every module's imports with ``ast``; a violation names the file and the
import, so a shortcut across layers fails the build instead of rotting it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bridge"

# Higher number = higher layer. A module may import its own layer's package
# or anything in a lower layer, never a higher one.
LAYERS: dict[str, int] = {
    "errors": 0, "contract": 0, "logs": 0, "scheduler": 0, "health": 0, "metrics": 0, "systemd": 0,
    "settings": 1, "config_loader": 1,
    "anova": 2, "mqtt": 2, "commands": 2,
    "safety": 3, "hass": 3,
    "kinds": 4,
    "service": 5,
    "embedded_broker": 6, "demo": 6, "status": 6,
    "cli": 7,
}  # fmt: skip
# The fake cloud stands beside the layers: only cli, demo and tests use it, and
# it shares nothing with the real client so a protocol misreading cannot hide.
SIMULATOR_USERS = {"cli", "demo"}
NEVER = {("anova", "simulator"), ("simulator", "anova")}


def top_level(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "bridge" and len(parts) > 1 else None


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def owner(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    here = owner(path)
    for module in imports_of(path):
        target = top_level(module)
        if target is None or target in {here, "__init__"}:
            continue
        assert (here, target) not in NEVER, f"{path.name}: {here} must never import {target}"
        if target == "simulator":
            assert here in SIMULATOR_USERS, f"{path.name}: only the CLI and demo use the simulator"
            continue
        if here == "simulator":
            assert LAYERS.get(target, 99) <= 0, f"simulator may use only errors/logs, not {module}"
            continue
        assert target in LAYERS, f"{module} is in no layer: add it to LAYERS and the docs"
        assert LAYERS[target] <= LAYERS[here], f"{path.name}: {here} imports higher {module}"


def test_every_package_member_has_a_layer() -> None:
    members = {owner(p) for p in PACKAGE.rglob("*.py")} - {"__init__", "simulator"}
    assert members <= set(LAYERS), members - set(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(path: Path, known: set[str], name: str) -> set[str]:
    """The package's modules this one imports, ``TYPE_CHECKING`` imports included.

    ``from bridge.anova import fields`` names the module ``fields``, not the
    package: only real module-to-module edges count.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                target = submodule if submodule in known else node.module
                if target in known:
                    found.add(target)
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: module_imports(path, set(paths), name) for name, path in paths.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of module imports, as the modules on it (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(part) > 1:
                cycles.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_module_imports_itself_through_others() -> None:
    assert import_cycles(import_graph()) == []


def test_the_cycle_finder_sees_a_cycle_hidden_behind_type_checking(tmp_path: Path) -> None:
    """Python runs such a cycle happily; it is still two modules that cannot stand alone."""
    app = tmp_path / "app.py"
    app.write_text("from bridge.reports import Reports\n")
    reports = tmp_path / "reports.py"
    reports.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bridge.app import Service\n"
        "from bridge.anova import fields\n"
    )
    known = {"bridge.app", "bridge.reports", "bridge.anova", "bridge.anova.fields"}
    graph = {
        "bridge.app": module_imports(app, known, "bridge.app"),
        "bridge.reports": module_imports(reports, known, "bridge.reports"),
        "bridge.anova": {"bridge.anova.fields"},
        "bridge.anova.fields": set(),
    }
    assert graph["bridge.reports"] == {"bridge.app", "bridge.anova.fields"}
    assert import_cycles(graph) == [["bridge.app", "bridge.reports"]]
