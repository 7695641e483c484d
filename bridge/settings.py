"""The configuration schema: every key the bridge reads, with its default.

Validated once into frozen models. Loading (YAML file, then environment
``ANOVA_BRIDGE_<SECTION>__<KEY>``, then CLI flags; ``<NAME>_FILE`` secrets)
lives in :mod:`bridge.config_loader`; this module only says what is valid.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

DEFAULT_ANOVA_URL = "wss://devices.anovaculinary.io"
DEFAULT_AUTH_URL = "https://identitytoolkit.googleapis.com"
DEFAULT_TOKEN_URL = "https://securetoken.googleapis.com"  # noqa: S105 - a URL, not a secret
DEFAULT_API_KEY = "AIzaSyDQiOP2fTR9zvFcag2kSbcmG9zPh6gZhHw"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MqttSettings(_Section):
    """How to reach the MQTT broker."""

    url: str = "mqtt://127.0.0.1:1883"
    base_topic: str = "anova"
    client_id: str = "anova-mqtt-bridge"
    protocol: Literal["3.1.1", "5"] = "5"
    keepalive: int = Field(default=30, ge=5, le=3600)
    username: str | None = None
    password: SecretStr | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure: bool = False
    session_expiry: int = Field(default=86_400, ge=0)

    @field_validator("protocol", mode="before")
    @classmethod
    def _protocol_as_text(cls, value: object) -> object:
        # YAML reads `protocol: 5` as the integer 5; the Literal wants "5".
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"mqtt", "mqtts"}:
            raise ValueError("must start with mqtt:// or mqtts://")
        if not parts.hostname:
            raise ValueError("must name a host, as in mqtt://127.0.0.1:1883")
        return value

    @field_validator("base_topic")
    @classmethod
    def _check_base_topic(cls, value: str) -> str:
        return plain_topic(value)

    @property
    def tls(self) -> bool:
        """True for mqtts:// URLs."""
        return urlsplit(self.url).scheme == "mqtts"

    @property
    def host(self) -> str:
        """The broker host from the URL."""
        return urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        """The broker port from the URL, with the scheme's default."""
        return urlsplit(self.url).port or (8883 if self.tls else 1883)

    def credentials(self) -> tuple[str | None, str | None]:
        """Username and password: explicit keys win over ones in the URL."""
        parts = urlsplit(self.url)
        user = self.username if self.username is not None else parts.username
        secret = self.password.get_secret_value() if self.password else parts.password
        return user, secret


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class AnovaSettings(_Section):
    """How to reach the Anova cloud: a personal access token or email/password."""

    token: SecretStr | None = None
    email: str | None = None
    password: SecretStr | None = None
    api_key: str = DEFAULT_API_KEY
    url: str = DEFAULT_ANOVA_URL
    auth_url: str = DEFAULT_AUTH_URL
    token_url: str | None = None
    offline_after: float = Field(default=300.0, gt=0)
    command_timeout: float = Field(default=10.0, gt=0)
    confirm_timeout: float = Field(default=15.0, gt=0)

    @model_validator(mode="after")
    def _one_credential(self) -> AnovaSettings:
        if self.token is None and not (self.email and self.password):
            raise ValueError("set anova.token, or both anova.email and anova.password")
        if self.token is not None and not self.token.get_secret_value().startswith("anova-"):
            raise ValueError("anova.token must be a personal access token starting with 'anova-'")
        return self

    def unencrypted_urls(self) -> list[tuple[str, bool]]:
        """Keys whose URL would carry a credential in clear text, each with "is it loopback".

        ``ws://`` sends the token (or the ID token) in the WebSocket request
        and ``http://`` sends the password or refresh token in the login
        request: readable by anyone on the path. On loopback that is the
        simulator on the same machine; anywhere else it is a mistake the
        daemon warns about at start (``docs/configuration.md``).
        """
        urls = {"anova.url": self.url}
        if self.token is None:
            urls["anova.auth_url"] = self.auth_url
            urls["anova.token_url"] = self.effective_token_url
        return [
            (key, _is_loopback(urlsplit(url).hostname))
            for key, url in urls.items()
            if urlsplit(url).scheme in {"ws", "http"}
        ]

    @property
    def effective_token_url(self) -> str:
        """Where ID tokens are refreshed: ``token_url``, else the default or ``auth_url``."""
        if self.token_url:
            return self.token_url
        return DEFAULT_TOKEN_URL if self.auth_url == DEFAULT_AUTH_URL else self.auth_url


class DeviceSettings(_Section):
    """Per-cooker overrides, keyed by cooker id in ``devices``."""

    topic_id: str | None = Field(default=None, pattern=r"^[a-z0-9_-]{1,64}$")
    name: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("topic_id")
    @classmethod
    def _not_reserved(cls, value: str | None) -> str | None:
        if value == "bridge":
            raise ValueError("'bridge' is reserved for <base>/bridge/… topics")
        return value


def plain_topic(value: str) -> str:
    """A topic the bridge publishes under or subscribes to: no wildcards, NUL or leading ``/``.

    Raises:
        ValueError: for pydantic to report with the key's name.
    """
    if not value or any(ch in value for ch in "+#\x00") or value.startswith("/"):
        raise ValueError("must be a non-empty topic without +, #, NUL or a leading /")
    return value.rstrip("/")


class HomeAssistantSettings(_Section):
    """Home Assistant MQTT discovery."""

    enabled: bool = True
    discovery_prefix: str = "homeassistant"
    discovery_mode: Literal["device", "component"] = "device"
    status_topic: str | None = None

    @field_validator("discovery_prefix", "status_topic")
    @classmethod
    def _check_topic(cls, value: str | None) -> str | None:
        # The bridge publishes under the prefix and subscribes to the status
        # topic: a wildcard would subscribe it to other clients' topics, and
        # paho refuses to publish to one.
        return None if value is None else plain_topic(value)

    @property
    def effective_status_topic(self) -> str:
        """Where HA announces itself: ``<prefix>/status`` unless overridden."""
        return self.status_topic or f"{self.discovery_prefix}/status"


class SafetySettings(_Section):
    """Food-safety policy (docs/food-safety.md)."""

    policy: Literal["strict", "warn", "off"] = "strict"
    min_temperature_c: float = Field(default=40.0, ge=0, le=60)
    default_thickness_mm: float = Field(default=25.0, gt=0, le=200)


class RateLimitSettings(_Section):
    """Per-cooker command token bucket."""

    per_second: float = Field(default=5.0, gt=0)
    burst: int = Field(default=10, ge=1)


class HealthSettings(_Section):
    """The /healthz and /metrics HTTP endpoint and the bridge/health topic."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=9780, ge=0, le=65535)
    interval: float = Field(default=60.0, gt=0)


class LogSettings(_Section):
    """Log level and format (auto: console on a TTY, JSON otherwise)."""

    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class Settings(_Section):
    """The whole configuration."""

    mqtt: MqttSettings = MqttSettings()
    anova: AnovaSettings
    devices: dict[str, DeviceSettings] = Field(default_factory=dict)
    homeassistant: HomeAssistantSettings = HomeAssistantSettings()
    safety: SafetySettings = SafetySettings()
    units: Literal["C", "F"] = "C"
    state_interval: float = Field(default=60.0, gt=0)
    dedupe_window: float = Field(default=600.0, ge=0)
    # Where running cooks' safety contexts are kept (cooks.json); None: systemd's
    # $STATE_DIRECTORY, else $XDG_STATE_HOME/anova-mqtt-bridge (~/.local/state/…).
    data_dir: str | None = None
    rate_limit: RateLimitSettings = RateLimitSettings()
    health: HealthSettings = HealthSettings()
    log: LogSettings = LogSettings()


def expects_text(path: Sequence[str]) -> bool:
    """True when the field at a dotted ``path`` holds text.

    The config loader reads environment values as YAML scalars so ``true``
    and ``5`` work, but must not turn a password ``123456`` or protocol
    ``5`` into a number: it asks this first. ``devices.<id>.<key>`` paths
    skip the cooker id level.
    """
    annotation = _annotation_at(path)
    options = get_args(annotation) if _is_union(annotation) else (annotation,)
    return any(_is_text(option) for option in options)


def _annotation_at(path: Sequence[str]) -> Any:
    model: Any = Settings
    annotation: Any = None
    index = 0
    while index < len(path):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(path[index])
        if field is None:
            return None
        annotation = field.annotation
        if get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
            index += 1  # the next level is a free-form key (a cooker id)
        model = annotation
        index += 1
    return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, UnionType)


def _is_text(annotation: Any) -> bool:
    if annotation in (str, SecretStr):
        return True
    args = get_args(annotation)
    return get_origin(annotation) is Literal and all(isinstance(arg, str) for arg in args)
