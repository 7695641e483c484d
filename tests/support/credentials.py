"""Broker credentials for tests: password files, a throwaway CA, and login attempts.

Certificates come from the ``openssl`` CLI (``cryptography`` is not a
dependency); password files from ``mosquitto_passwd``, shipped with mosquitto.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from tests.support.waiting import wait_until


def set_password(password_file: Path, user: str, password: str) -> None:
    """Create (or replace) ``password_file`` holding one user."""
    subprocess.run(
        ["mosquitto_passwd", "-b", "-c", str(password_file), user, password],
        check=True,
        capture_output=True,
        timeout=10,
    )


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory: Path, name: str) -> None:
    """A self-signed CA: ``<name>.pem`` and ``<name>.key`` in ``directory``."""
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN={name}", cwd=directory,
    )  # fmt: skip


def make_leaf(directory: Path, ca: str, name: str) -> None:
    """A certificate for 127.0.0.1/localhost signed by ``ca``."""
    (directory / f"{name}.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
        cwd=directory,
    )  # fmt: skip


def connack(port: int, username: str | None = None, password: str | None = None) -> ReasonCode:
    """The broker's CONNACK reason code for one MQTT 5 login attempt."""
    result: dict[str, Any] = {}
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.on_connect = lambda _c, _u, _f, reason, _p: result.setdefault("reason", reason)
    if username is not None:
        client.username_pw_set(username, password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        wait_until(lambda: "reason" in result, timeout=5, what="CONNACK")
    finally:
        client.disconnect()
        client.loop_stop()
    reason: ReasonCode = result["reason"]
    return reason
