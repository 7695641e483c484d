"""Load :class:`~bridge.settings.Settings` from a YAML file, the environment and CLI flags.

Layers, later wins (CONTRACT §7):

1. the YAML file (``--config``, else ``./bridge.yaml``, else ``/config/bridge.yaml``);
2. environment variables ``ANOVA_BRIDGE_<SECTION>__<KEY>`` (``ANOVA_BRIDGE_UNITS``
   for top-level keys);
3. CLI overrides as dotted keys (``{"mqtt.url": …}``).

Secrets (``anova.token``, ``anova.password``, ``mqtt.password``) may instead
name a file with ``<key>_file`` in any layer (``ANOVA_BRIDGE_ANOVA__TOKEN_FILE``
for Docker/Kubernetes secrets); its content, minus the trailing newline, is
the value. Every failure becomes one :class:`ConfigError` naming the dotted
key, the reason and where the value came from (file and line, or variable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import SecretStr, ValidationError

from bridge.errors import ConfigError
from bridge.settings import Settings, expects_text

ENV_PREFIX = "ANOVA_BRIDGE_"
ENV_SEPARATOR = "__"
DEFAULT_CONFIG_PATHS: tuple[Path, ...] = (Path("bridge.yaml"), Path("/config/bridge.yaml"))
FILE_SECRETS: frozenset[tuple[str, ...]] = frozenset(
    {("anova", "token"), ("anova", "password"), ("mqtt", "password")}
)
SECRET_PATHS: frozenset[tuple[str, ...]] = FILE_SECRETS | {("mqtt", "url")}
MASK = "***"

Path_ = tuple[str, ...]


# ----------------------------------------------------------------- loading
def load_settings(
    config_file: Path | str | None = None,
    *,
    env: Mapping[str, str] = os.environ,
    overrides: Mapping[str, Any] | None = None,
    search_paths: Sequence[Path] = DEFAULT_CONFIG_PATHS,
) -> Settings:
    """Build the validated settings from file < environment < CLI overrides.

    Args:
        config_file: an explicit config file; it must exist. None searches
            ``search_paths`` and falls back to environment-only configuration.
        env: the environment to read ``ANOVA_BRIDGE_*`` variables from.
        overrides: dotted keys from the command line, e.g. ``{"mqtt.url": "…"}``.
        search_paths: where to look when ``config_file`` is None.

    Raises:
        ConfigError: unreadable file, bad YAML, unknown key, invalid value.
    """
    path = resolve_config_path(config_file, search_paths)
    merged: dict[str, Any] = {}
    origins: dict[Path_, str] = {}
    if path is not None:
        data, lines = _read_yaml(path)
        _apply_layer(merged, origins, _flatten(data), lambda p: _file_origin(path, lines, p))
    _apply_layer(merged, origins, _env_values(env), lambda p: f"environment {env_name(p)}")
    cli = {tuple(key.split(".")): _scalar(tuple(key.split(".")), value)
           for key, value in (overrides or {}).items() if value is not None}  # fmt: skip
    _apply_layer(merged, origins, cli, lambda p: f"command line ({'.'.join(p)})")
    try:
        return Settings.model_validate(merged)
    except ValidationError as err:
        raise _config_error(err, origins, path) from err


def resolve_config_path(
    config_file: Path | str | None, search_paths: Sequence[Path] = DEFAULT_CONFIG_PATHS
) -> Path | None:
    """The file to read: the explicit one (which must exist) or the first found."""
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist or is not a file")
        return path
    return next((candidate for candidate in search_paths if candidate.is_file()), None)


def env_name(path: Path_) -> str:
    """The environment variable for a dotted key: ``mqtt.url`` → ``ANOVA_BRIDGE_MQTT__URL``."""
    return ENV_PREFIX + ENV_SEPARATOR.join(part.upper() for part in path)


# ------------------------------------------------------------------ layers
def _apply_layer(
    merged: dict[str, Any], origins: dict[Path_, str], values: dict[Path_, Any], origin: Any
) -> None:
    """Merge one layer's leaf values, resolving ``<secret>_file`` keys first."""
    for path, value in _resolve_secret_files(values, origin).items():
        _set(merged, path, value)
        origins[path] = origin(path)


def _resolve_secret_files(values: dict[Path_, Any], origin: Any) -> dict[Path_, Any]:
    resolved = dict(values)
    for path, value in values.items():
        secret = (*path[:-1], path[-1].removesuffix("_file"))
        if not path[-1].endswith("_file") or secret not in FILE_SECRETS:
            continue
        if secret in values:
            raise ConfigError(
                f"{'.'.join(secret)}: set either it or {'.'.join(path)}, not both ({origin(path)})",
                field=".".join(secret),
            )
        del resolved[path]
        resolved[secret] = _read_secret_file(path, value, origin(path))
    return resolved


def _read_secret_file(path: Path_, value: Any, where: str) -> str:
    try:
        return Path(str(value)).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(
            f"{'.'.join(path)}: cannot read secret file {value}: {err} ({where})",
            field=".".join(path),
        ) from err


def _env_values(env: Mapping[str, str]) -> dict[Path_, Any]:
    values: dict[Path_, Any] = {}
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or len(name) == len(ENV_PREFIX):
            continue
        path = tuple(part.lower() for part in name[len(ENV_PREFIX) :].split(ENV_SEPARATOR))
        values[path] = _scalar(path, raw)
    return values


def _scalar(path: Path_, raw: Any) -> Any:
    """Read an env/CLI string as a YAML scalar (``true``, ``5``, ``null``)…

    …except where the schema wants text, so a password of ``123456`` or a
    protocol of ``5`` stays a string instead of becoming a number.
    """
    if not isinstance(raw, str) or expects_text(path):
        return raw
    try:
        return yaml.safe_load(raw) if raw.strip() else raw
    except yaml.YAMLError:
        return raw


def _flatten(data: Mapping[str, Any], prefix: Path_ = ()) -> dict[Path_, Any]:
    """Leaf values by path; ``devices`` keys are kept whole under their cooker id."""
    flat: dict[Path_, Any] = {}
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, path))
        else:
            flat[path] = value
    return flat


def _set(target: dict[str, Any], path: Path_, value: Any) -> None:
    node = target
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


# -------------------------------------------------------------------- YAML
def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[Path_, int]]:
    """The document and the line of every key in it (for error messages)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = _key_lines(yaml.compose(text))
    except OSError as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text: {err}") from err
    except yaml.MarkedYAMLError as err:
        raise ConfigError(_yaml_syntax_message(path, err)) from err
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: invalid YAML: {err}") from err
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections, like 'mqtt:'")
    return data, lines


def _yaml_syntax_message(path: Path, err: yaml.MarkedYAMLError) -> str:
    mark = err.problem_mark or err.context_mark
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    reason = err.problem or str(err)
    if err.context and err.context_mark and err.context_mark is not mark:
        opened = err.context_mark
        reason = (
            f"{err.context} started at line {opened.line + 1}, column {opened.column + 1}: {reason}"
        )
    return f"{where}: invalid YAML: {reason}"


def _key_lines(node: yaml.Node | None, prefix: Path_ = ()) -> dict[Path_, int]:
    """Map each dotted key path to its 1-based line using compose() marks."""
    lines: dict[Path_, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        path = (*prefix, str(key_node.value))
        lines[path] = key_node.start_mark.line + 1
        lines.update(_key_lines(value_node, path))
    return lines


def _file_origin(path: Path, lines: dict[Path_, int], key: Path_) -> str:
    line = lines.get(key)
    return f"{path}:{line}" if line else str(path)


# ------------------------------------------------------------------ errors
def _config_error(
    err: ValidationError, origins: dict[Path_, str], path: Path | None
) -> ConfigError:
    messages: list[str] = []
    first: str | None = None
    for detail in err.errors(include_url=False):
        loc = tuple(str(part) for part in detail["loc"])
        dotted = ".".join(loc) or "(top level)"
        first = first or dotted
        messages.append(f"{dotted}: {_reason(detail, loc)} ({_where(loc, origins, path)})")
    return ConfigError("invalid configuration:\n  " + "\n  ".join(messages), field=first)


def _reason(detail: Any, loc: Path_) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling against config/bridge.example.yaml)"
    if kind == "missing":
        return "required but not set"
    reason = str(detail["msg"]).removeprefix("Value error, ")
    if kind == "string_type":
        reason += "; quote the value in YAML"
    value = detail.get("input")
    scalar = isinstance(value, str | int | float | bool) or value is None
    if scalar and not _is_secret(loc):
        reason += f" (got {value!r})"
    return reason


def _is_secret(loc: Path_) -> bool:
    """Never echo these back in an error: they may be (part of) a credential."""
    return loc in SECRET_PATHS or loc[-1:] in {("token",), ("password",)}


def _where(loc: Path_, origins: dict[Path_, str], path: Path | None) -> str:
    for size in range(len(loc), 0, -1):
        found = origins.get(loc[:size])
        if found:
            return found
    # An error on a section (e.g. anova's token-or-password check): name the
    # first of its keys we know the origin of.
    nested = sorted(where for key, where in origins.items() if key[: len(loc)] == loc)
    if loc and nested:
        return nested[0]
    return str(path) if path else "no config file; environment and defaults"


# --------------------------------------------------------------- rendering
def render_effective_config(settings: Settings) -> str:
    """The effective configuration as YAML, every secret replaced by ``***``.

    Used by ``check-config``; masks SecretStr values and the password part of
    ``mqtt.url``, so the output is safe to paste into a bug report.
    """
    data = _masked(settings.model_dump(mode="python"))
    data["mqtt"]["url"] = mask_url(settings.mqtt.url)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def mask_url(url: str) -> str:
    """``mqtt://user:pass@host`` → ``mqtt://user:***@host``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{MASK}@{netloc}"))


def _masked(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value
