"""Credentials and TLS against a real mosquitto with a password file / TLS listener.

The test CA and certificates are made with the ``openssl`` CLI (the
``cryptography`` package is not a dependency). The shared test broker stays
root so it can read them from pytest's private temp dirs.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.mqtt import MqttConnection
from tests.mqtt.conftest import MakeConnection, mqtt_settings, start_broker
from tests.support.broker import MosquittoBroker
from tests.support.credentials import make_ca, make_leaf, set_password
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

needs_passwd = pytest.mark.skipif(
    shutil.which("mosquitto_passwd") is None, reason="mosquitto_passwd not installed"
)
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


@pytest.fixture
def auth_broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    password_file = tmp_path / "passwords"
    set_password(password_file, "bridge", "right")
    instance = start_broker(tmp_path, f"allow_anonymous false\npassword_file {password_file}")
    yield instance
    instance.stop()


@needs_passwd
@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
async def test_refused_credentials_are_reported_and_retried_until_they_work(
    auth_broker: MosquittoBroker, make_connection: MakeConnection, protocol: str
) -> None:
    url = f"mqtt://bridge:wrong@127.0.0.1:{auth_broker.port}"
    conn = make_connection(mqtt_settings(url, protocol=protocol))
    await conn.start()

    await async_wait_until(lambda: conn.stats.connect_failures >= 2, what="two refusals")
    assert not conn.connected
    error = conn.last_error or ""
    assert "refused" in error
    assert "reason code" in error
    assert ("authori" in error.lower()) or ("password" in error.lower())
    assert "wrong" not in error  # never the secret

    set_password(auth_broker.workdir / "passwords", "bridge", "wrong")
    assert auth_broker.process is not None
    auth_broker.process.send_signal(signal.SIGHUP)  # mosquitto reloads the password file
    await conn.wait_connected(timeout=5)
    assert conn.last_error is None


# --------------------------------------------------------------------- TLS
@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    """A TLS-only broker that also requires a client certificate from our CA."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs, "ca")
    make_ca(certs, "other-ca")
    make_leaf(certs, "ca", "server")
    make_leaf(certs, "ca", "client")
    instance = start_broker(
        tmp_path,
        f"cafile {certs}/ca.pem\ncertfile {certs}/server.pem\n"
        f"keyfile {certs}/server.key\nrequire_certificate true",
    )
    yield instance
    instance.stop()


def tls_connection(
    make: MakeConnection, broker: MosquittoBroker, ca: str, **kw: object
) -> MqttConnection:
    certs = broker.workdir / "certs"
    settings = mqtt_settings(
        f"mqtts://127.0.0.1:{broker.port}",
        ca_file=str(certs / f"{ca}.pem"),
        cert_file=str(certs / "client.pem"),
        key_file=str(certs / "client.key"),
        **kw,
    )
    return make(settings)


@needs_openssl
async def test_tls_with_the_right_ca_and_client_cert_connects(
    tls_broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    conn = tls_connection(make_connection, tls_broker, "ca")
    await conn.start()
    await conn.wait_connected(timeout=10)
    assert conn.publish("anova/tls/state", b"{}", retain=False)


@needs_openssl
# paho's Client._ssl_wrap_socket does not close the SSLSocket when
# do_handshake() raises (paho-mqtt 2.2.0, client.py); CPython frees it at
# once by refcount, but not before it emits ResourceWarning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_tls_with_the_wrong_ca_is_refused_and_says_why(
    tls_broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    conn = tls_connection(make_connection, tls_broker, "other-ca")
    await conn.start()
    await async_wait_until(lambda: conn.stats.connect_failures >= 2, what="TLS refusals")
    assert not conn.connected
    assert "CERTIFICATE_VERIFY_FAILED" in (conn.last_error or "")


@needs_openssl
async def test_tls_insecure_skips_verification(
    tls_broker: MosquittoBroker, make_connection: MakeConnection
) -> None:
    conn = tls_connection(make_connection, tls_broker, "other-ca", insecure=True)
    await conn.start()
    await conn.wait_connected(timeout=10)


def test_missing_ca_file_is_a_config_error(tmp_path: Path) -> None:
    settings = mqtt_settings("mqtts://127.0.0.1:8883", ca_file=str(tmp_path / "nope.pem"))
    with pytest.raises(ConfigError, match=r"mqtt\.ca_file"):
        MqttConnection(settings)
