"""The cooker record changes only through its named intents, each doing what it says."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState
from bridge.service.cooker import CookerRecord
from bridge.service.lane import CommandLane
from bridge.service.ratelimit import TokenBucket

PACKAGE = Path(__file__).resolve().parents[2] / "bridge"
FIELDS = {f.name for f in dataclasses.fields(CookerRecord)}


def record() -> CookerRecord:
    return CookerRecord(
        info=CookerInfo(cooker_id="c1", name="Sous Vide", type="a7"),
        topic_id="sous_vide",
        lane=CommandLane("c1"),
        bucket=TokenBucket(5, 10),
    )


def field_writes(path: Path) -> list[str]:
    """``x.<record field> = …`` on anything but ``self``: a write that skips the intents."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.stmt):
            continue  # only statements assign
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                if (
                    isinstance(part, ast.Attribute)
                    and part.attr in FIELDS
                    and not (isinstance(part.value, ast.Name) and part.value.id == "self")
                ):
                    found.append(f"{path.name}:{node.lineno} .{part.attr}")
    return found


SERVICE = sorted(
    p for p in PACKAGE.rglob("*.py") if "simulator" not in p.parts and p.name != "cooker.py"
)


@pytest.mark.parametrize("path", SERVICE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_writes_the_record_behind_its_intents(path: Path) -> None:
    assert field_writes(path) == []


def test_the_write_finder_sees_a_direct_write(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text("def f(cooker):\n    cooker.stored_target_c, cooker.watched = 1.0, True\n")
    assert field_writes(module) == ["sneaky.py:2 .stored_target_c", "sneaky.py:2 .watched"]


async def test_a_start_uses_up_what_was_kept_for_it() -> None:
    cooker = record()
    cooker.keep_target(60.0)
    cooker.keep_timer(3600)
    cooker.keep_next_food("chicken", 25.0, ("food_type", "thickness_mm"))
    cooker.start_sent()
    assert (cooker.stored_target_c, cooker.stored_timer_s) == (None, None)
    assert cooker.shown_food == (None, None)


async def test_a_food_shortcut_changes_only_its_own_field() -> None:
    cooker = record()
    cooker.keep_next_food("salmon", 20.0, ("food_type", "thickness_mm"))
    cooker.keep_next_food(None, 30.0, ("thickness_mm",))
    assert cooker.shown_food == ("salmon", 30.0)


async def test_a_new_state_replaces_the_last_and_the_same_document_is_not_sent_twice() -> None:
    cooker = record()
    first = CookerState(cooker_id="c1", type="a7", phase=CookerPhase.IDLE)
    assert cooker.observe(first) is None
    assert cooker.observe(first.model_copy(update={"phase": CookerPhase.COOKING})) is first
    assert cooker.published({"state": "idle"})
    assert not cooker.published({"state": "idle"})


async def test_starting_is_true_only_while_the_start_is_on_its_way() -> None:
    cooker = record()
    seen: list[bool] = []

    def refused_start() -> None:
        with cooker.starting_cook():
            seen.append(cooker.starting)
            raise RuntimeError("the cloud refused")

    with pytest.raises(RuntimeError):
        refused_start()
    assert seen == [True]
    assert not cooker.starting
