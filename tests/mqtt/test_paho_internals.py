"""The paho releases bridge/mqtt/paho_internals.py was checked against are the ones installed."""

from importlib.metadata import version

import paho.mqtt.client as mqtt

from bridge.mqtt.paho_internals import PAHO_VERSIONS_CHECKED


def test_installed_paho_is_a_release_the_internals_were_checked_against() -> None:
    installed = version("paho-mqtt")
    major, minor = (int(part) for part in installed.split(".")[:2])
    assert (major, minor) in PAHO_VERSIONS_CHECKED, (
        f"paho-mqtt {installed} is installed, but bridge/mqtt/paho_internals.py was checked "
        f"only against {', '.join(f'{a}.{b}' for a, b in PAHO_VERSIONS_CHECKED)}. Re-check "
        "in paho's client.py that Client._sock_recv(bufsize) is still the only recv on the "
        "socket and raises BlockingIOError when nothing is there, that loop_read still calls "
        "_packet_read() and _loop_rc_handle(rc) as paho_internals does, and that socket() "
        "returns the socket _sock_recv reads; then run tests/mqtt and tests/reliability and "
        "add the release to PAHO_VERSIONS_CHECKED."
    )


def test_the_private_methods_the_internals_call_exist_on_the_installed_paho() -> None:
    missing = [
        name
        for name in ("_sock_recv", "_packet_read", "_loop_rc_handle")
        if not callable(getattr(mqtt.Client, name, None))
    ]
    assert not missing, f"paho-mqtt {version('paho-mqtt')} no longer has {missing}"
