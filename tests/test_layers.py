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
    "errors": 0, "logs": 0, "scheduler": 0, "health": 0, "metrics": 0, "systemd": 0,
    "settings": 1, "config_loader": 1,
    "anova": 2, "mqtt": 2, "commands": 2,
    "safety": 3, "hass": 3,
    "service": 4,
    "embedded_broker": 5, "demo": 5, "status": 5,
    "cli": 6,
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
