"""The container image as far as it can be checked without a Docker engine.

What a user relies on: a slim multi-stage build that runs as a non-root
user, logs JSON, reads /config/bridge.yaml, and a HEALTHCHECK that really
tells a healthy bridge from a broken one (the command is executed here
against a live health server).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.config_loader import DEFAULT_CONFIG_PATHS, load_settings
from bridge.health import HealthServer
from bridge.settings import HealthSettings
from tests.packaging.dockerfile import (
    REPO,
    Stage,
    copy_sources,
    dockerignore_excludes,
    dockerignore_rules,
    parse_dockerfile,
)
from tests.support.broker import free_port


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile()


@pytest.fixture(scope="module")
def runtime(stages: list[Stage]) -> Stage:
    return stages[-1]


def _env(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for ins in stage.all("ENV"):
        for pair in ins.args.split():
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def test_every_stage_uses_a_slim_python_base(stages: list[Stage]) -> None:
    assert len(stages) >= 2, "builder and runtime stages"
    for stage in stages:
        assert stage.image.startswith("python:3.1"), stage.image
        assert stage.image.endswith("-slim"), f"{stage.image} is not a slim image"


def test_the_builder_makes_wheels_and_the_runtime_installs_them_offline(
    stages: list[Stage], runtime: Stage
) -> None:
    builder = stages[0]
    assert any("pip wheel" in ins.args for ins in builder.all("RUN"))
    install = " ".join(ins.args for ins in runtime.all("RUN"))
    assert "--no-index" in install, "the runtime must not reach PyPI"
    assert f"from={builder.name}" in install, "wheels come from the builder stage"
    assert not runtime.all("COPY"), "the runtime copies nothing from the build context"


def test_runs_as_a_non_root_user_set_before_the_entrypoint(runtime: Stage) -> None:
    users = runtime.all("USER")
    assert users, "no USER: the bridge would run as root"
    user = users[-1].args.split(":")[0]
    assert user not in {"root", "0"}
    start = min(ins.line for ins in runtime.instructions if ins.keyword in {"CMD", "ENTRYPOINT"})
    assert users[-1].line < start


def test_entrypoint_is_the_console_script_running_the_daemon(runtime: Stage) -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert json.loads(runtime.all("ENTRYPOINT")[-1].args) == ["anova-mqtt-bridge"]
    assert "anova-mqtt-bridge" in scripts
    assert json.loads(runtime.all("CMD")[-1].args) == ["run"]


def test_logs_are_json_and_the_variable_is_a_real_config_key(runtime: Stage) -> None:
    env = _env(runtime)
    settings = load_settings(env={**env, "ANOVA_BRIDGE_ANOVA__TOKEN": "anova-x"}, search_paths=())
    assert settings.log.format == "json"


def test_config_lives_where_the_loader_looks(runtime: Stage) -> None:
    assert Path("/config/bridge.yaml") in DEFAULT_CONFIG_PATHS
    assert runtime.all("WORKDIR")[-1].args == "/config"


def test_exposes_the_default_health_port(runtime: Stage) -> None:
    assert [ins.args for ins in runtime.all("EXPOSE")] == [str(HealthSettings().port)]


def test_every_copied_file_exists_and_survives_dockerignore(stages: list[Stage]) -> None:
    rules = dockerignore_rules()
    sources = [src for stage in stages for ins in stage.all("COPY") for src in copy_sources(ins)]
    assert sources, "the builder copies the project in"
    for source in sources:
        assert (REPO / source).exists(), f"COPY {source}: no such file in the repository"
        assert not dockerignore_excludes(source, rules), f"COPY {source} is in .dockerignore"
    for packaged in (
        "bridge/safety/tables.json",
        "bridge/safety/foods.json",
        "bridge/safety/core_temperatures.json",
        "README.md",
    ):
        assert not dockerignore_excludes(packaged, rules), packaged


def test_dockerignore_keeps_the_context_small() -> None:
    rules = dockerignore_rules()
    for heavy in (".venv", ".git", "tests", "bench", "bridge/__pycache__"):
        assert dockerignore_excludes(heavy, rules), f"{heavy} would be sent to the builder"


# ------------------------------------------------------------------ HEALTHCHECK
def _healthcheck_command(runtime: Stage) -> list[str]:
    (check,) = runtime.all("HEALTHCHECK")
    exec_form = check.args[check.args.index("CMD") + len("CMD") :].strip()
    command = json.loads(exec_form)
    assert command[0] == "python", "slim images have python, not curl"
    return [sys.executable, *command[1:]]


@pytest.fixture
def health_server() -> Iterator[tuple[HealthServer, dict[str, bool]]]:
    flag = {"healthy": True}
    server = HealthServer(
        "127.0.0.1", 0, lambda: (flag["healthy"], {"status": "test"}), lambda: b""
    )
    server.start()
    yield server, flag
    server.stop()


def _run_check(runtime: Stage, port: int) -> int:
    env = {"ANOVA_BRIDGE_HEALTH__PORT": str(port), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        _healthcheck_command(runtime), env=env, capture_output=True, timeout=20, check=False
    ).returncode


def test_healthcheck_asks_healthz_and_fails_on_503_or_silence(
    runtime: Stage, health_server: tuple[HealthServer, dict[str, bool]]
) -> None:
    server, flag = health_server
    assert "/healthz" in runtime.all("HEALTHCHECK")[0].args
    assert _run_check(runtime, server.port) == 0
    flag["healthy"] = False
    assert _run_check(runtime, server.port) != 0, "503 must mark the container unhealthy"
    assert _run_check(runtime, free_port()) != 0, "a dead bridge must be unhealthy"


def test_running_cooks_context_lives_on_a_volume_the_bridge_user_owns(runtime: Stage) -> None:
    assert _env(runtime)["ANOVA_BRIDGE_DATA_DIR"] == "/data"
    assert [json.loads(ins.args) for ins in runtime.all("VOLUME")] == [["/data"]]
    setup = " ".join(ins.args for ins in runtime.all("RUN"))
    assert "chown bridge:bridge /data" in setup
