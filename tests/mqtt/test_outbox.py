"""The order in which publishes held back by the broker's send window leave."""

from __future__ import annotations

from bridge.mqtt.outbox import Outbox, Outgoing


def out(topic: str, payload: str, *, retain: bool = False) -> Outgoing:
    return Outgoing(topic, payload, retain, 1)


def drain(box: Outbox) -> list[tuple[str, str | bytes]]:
    taken = []
    while (message := box.take()) is not None:
        taken.append((message.topic, message.payload))
    return taken


def test_availability_leaves_first_and_only_its_latest_value() -> None:
    box = Outbox()
    box.put(out("anova/a/response", "r1"))
    box.put(out("anova/a/availability", "online", retain=True), urgent=True)
    box.put(out("anova/a/availability", "offline", retain=True), urgent=True)
    assert drain(box) == [("anova/a/availability", "offline"), ("anova/a/response", "r1")]


def test_topics_take_turns_and_each_keeps_its_order() -> None:
    box = Outbox()
    for n in range(3):
        box.put(out("anova/flooded/response", f"f{n}"))
    box.put(out("anova/quiet/response", "q0"))
    assert drain(box) == [
        ("anova/flooded/response", "f0"),
        ("anova/quiet/response", "q0"),
        ("anova/flooded/response", "f1"),
        ("anova/flooded/response", "f2"),
    ]


def test_retained_publishes_keep_the_latest_per_topic_and_take_one_turn() -> None:
    box = Outbox()
    box.put(out("anova/a/state", "old", retain=True))
    box.put(out("anova/flooded/response", "f0"))
    box.put(out("anova/flooded/response", "f1"))
    box.put(out("anova/b/state", "b", retain=True))
    box.put(out("anova/a/state", "new", retain=True))
    assert len(box) == 4
    assert box.queued == 2
    assert box.waiting_on("anova/flooded/response") == 2
    assert drain(box) == [
        ("anova/a/state", "new"),
        ("anova/flooded/response", "f0"),
        ("anova/b/state", "b"),
        ("anova/flooded/response", "f1"),
    ]
    assert len(box) == 0


def test_a_topic_at_its_share_of_the_window_waits_and_others_go() -> None:
    box = Outbox()
    box.put(out("anova/flooded/response", "f0"))
    box.put(out("anova/quiet/response", "q0"))
    busy = {"anova/flooded/response"}
    taken = box.take(ready=lambda topic: topic not in busy)
    assert taken is not None
    assert taken.payload == "q0"
    assert box.take(ready=lambda topic: topic not in busy) is None, "nothing else may go"
    assert drain(box) == [("anova/flooded/response", "f0")]
