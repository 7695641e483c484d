"""Early commands wait for the device list, in order, and are refused at the deadline."""

from __future__ import annotations

from bridge.errors import CommandError, ErrorCode
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import DeviceCommandTopic
from bridge.service.holding import MAX_HELD, HoldingArea
from tests.support.waiting import async_wait_until

ROUTE = DeviceCommandTopic(topic_id="sous_vide", kind="set")


def message(n: int) -> InboundMessage:
    return InboundMessage(topic="anova/sous_vide/set", payload=str(n).encode(), retain=False, qos=1)


class Recorder:
    def __init__(self) -> None:
        self.released: list[bytes] = []
        self.refused: list[tuple[bytes, ErrorCode]] = []

    def release(self, _route: DeviceCommandTopic, msg: InboundMessage) -> None:
        self.released.append(msg.payload)

    def refuse(self, _route: DeviceCommandTopic, msg: InboundMessage, err: CommandError) -> None:
        self.refused.append((msg.payload, err.code))


async def test_held_commands_are_released_in_arrival_order_once_cookers_are_known() -> None:
    seen = Recorder()
    area = HoldingArea(30, seen)
    for n in range(3):
        area.offer(ROUTE, message(n))
    assert seen.released == []
    area.open()
    area.offer(ROUTE, message(3))
    assert seen.released == [b"0", b"1", b"2", b"3"]
    assert seen.refused == []


async def test_without_a_device_list_they_are_refused_as_unavailable_at_the_deadline() -> None:
    seen = Recorder()
    area = HoldingArea(0.05, seen)
    area.offer(ROUTE, message(1))
    await async_wait_until(lambda: seen.refused, timeout=5, what="the deadline")
    assert seen.refused == [(b"1", ErrorCode.ANOVA_UNAVAILABLE)]
    area.open()
    assert seen.released == []


async def test_the_waiting_area_is_bounded() -> None:
    seen = Recorder()
    area = HoldingArea(30, seen)
    for n in range(MAX_HELD + 2):
        area.offer(ROUTE, message(n))
    assert len(seen.refused) == 2
    area.open()
    assert len(seen.released) == MAX_HELD
