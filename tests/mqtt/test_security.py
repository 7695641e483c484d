"""Credentials and TLS against a real mosquitto with a password file / TLS listener.

The test CA and certificates are made with the ``openssl`` CLI (the
``cryptography`` package is not a dependency). mosquitto drops privileges
when started as root and then cannot read files in pytest's 0700 temp dir,
hence ``user root`` in these brokers' configs.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.mqtt import MqttConnection
from tests.mqtt.conftest import ClosingBroker, MakeConnection, mqtt_settings, start_broker
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.integration

needs_passwd = pytest.mark.skipif(
    shutil.which("mosquitto_passwd") is None, reason="mosquitto_passwd not installed"
)
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def set_password(password_file: Path, user: str, password: str) -> None:
    subprocess.run(
        ["mosquitto_passwd", "-b", "-c", str(password_file), user, password],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def auth_broker(tmp_path: Path) -> Iterator[ClosingBroker]:
    password_file = tmp_path / "passwords"
    set_password(password_file, "bridge", "right")
    instance = start_broker(
        tmp_path, f"user root\nallow_anonymous false\npassword_file {password_file}"
    )
    yield instance
    instance.stop()


@needs_passwd
@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
async def test_refused_credentials_are_reported_and_retried_until_they_work(
    auth_broker: ClosingBroker, make_connection: MakeConnection, protocol: str
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
def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory: Path, name: str) -> None:
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN={name}", cwd=directory,
    )  # fmt: skip


def make_leaf(directory: Path, ca: str, name: str) -> None:
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


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[ClosingBroker]:
    """A TLS-only broker that also requires a client certificate from our CA."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs, "ca")
    make_ca(certs, "other-ca")
    make_leaf(certs, "ca", "server")
    make_leaf(certs, "ca", "client")
    instance = start_broker(
        tmp_path,
        f"user root\ncafile {certs}/ca.pem\ncertfile {certs}/server.pem\n"
        f"keyfile {certs}/server.key\nrequire_certificate true",
    )
    yield instance
    instance.stop()


def tls_connection(
    make: MakeConnection, broker: ClosingBroker, ca: str, **kw: object
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
    tls_broker: ClosingBroker, make_connection: MakeConnection
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
    tls_broker: ClosingBroker, make_connection: MakeConnection
) -> None:
    conn = tls_connection(make_connection, tls_broker, "other-ca")
    await conn.start()
    await async_wait_until(lambda: conn.stats.connect_failures >= 2, what="TLS refusals")
    assert not conn.connected
    assert "CERTIFICATE_VERIFY_FAILED" in (conn.last_error or "")


@needs_openssl
async def test_tls_insecure_skips_verification(
    tls_broker: ClosingBroker, make_connection: MakeConnection
) -> None:
    conn = tls_connection(make_connection, tls_broker, "other-ca", insecure=True)
    await conn.start()
    await conn.wait_connected(timeout=10)


def test_missing_ca_file_is_a_config_error(tmp_path: Path) -> None:
    settings = mqtt_settings("mqtts://127.0.0.1:8883", ca_file=str(tmp_path / "nope.pem"))
    with pytest.raises(ConfigError, match=r"mqtt\.ca_file"):
        MqttConnection(settings)
