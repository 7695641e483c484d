"""docs/operations.md stays true: metrics, exit codes, variables, files and unit settings."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, SecretStr

from bridge.cli import EXIT_CONFIG, EXIT_FAILURE, EXIT_OK
from bridge.config_loader import FILE_SECRETS
from bridge.errors import ErrorCode
from bridge.metrics import BridgeMetrics
from bridge.service.app import BridgeService
from bridge.settings import AnovaSettings, Settings
from tests.packaging.dockerfile import REPO
from tests.packaging.test_systemd import UNIT, unit_entries

SYSTEMD_VARIABLES = {"NOTIFY_SOCKET", "WATCHDOG_USEC"}
DOC = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"no '## {title}' section"
    return match.group(1)


def exposed_metric_names() -> set[str]:
    names = set()
    for family in BridgeMetrics().registry.collect():
        names.add(f"{family.name}_total" if family.type == "counter" else family.name)
    return names


def test_metrics_table_lists_exactly_what_metrics_exposes() -> None:
    rows = re.findall(r"^\| `(anova_bridge_[a-z_]+)(?:\{[a-z,]+\})?` \|", DOC, re.MULTILINE)
    assert set(rows) == exposed_metric_names()


def test_refused_counter_label_is_named() -> None:
    refused = BridgeMetrics().commands_refused
    assert refused._labelnames == ("code",)
    assert "`anova_bridge_commands_refused_total{code}`" in DOC


def test_exit_codes_match_the_cli() -> None:
    rows = dict(re.findall(r"^\| (\d) \| (.+?) \|", section("Exit codes"), re.MULTILINE))
    assert set(rows) == {str(EXIT_OK), str(EXIT_FAILURE), str(EXIT_CONFIG)}
    assert "configuration" in rows[str(EXIT_CONFIG)]
    assert "clean stop" in rows[str(EXIT_OK)]


def _key_exists(path: tuple[str, ...]) -> bool:
    model: type[BaseModel] = Settings
    for depth, part in enumerate(path):
        field = model.model_fields.get(part)
        if field is None:
            return False
        annotation = field.annotation
        if depth == len(path) - 1:
            return True
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return False
        model = annotation
    return False


def test_every_environment_variable_named_is_a_real_setting() -> None:
    names = set(re.findall(r"ANOVA_BRIDGE_[A-Z_]+[A-Z]", DOC))
    assert len(names) >= 5
    for name in names:
        path = tuple(name.removeprefix("ANOVA_BRIDGE_").lower().split("__"))
        if path[-1].endswith("_file"):
            path = (*path[:-1], path[-1].removesuffix("_file"))
            assert path in FILE_SECRETS, f"{name}: only secrets can come from files"
        assert _key_exists(path), f"{name} is not a configuration key"


def test_every_error_code_named_exists() -> None:
    mentioned = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`", DOC))
    mentioned |= set(re.findall(r"\(`([A-Z]+_[A-Z_]+)`", DOC))
    mentioned = {name for name in mentioned if not name.startswith("ANOVA_BRIDGE_")}
    mentioned -= SYSTEMD_VARIABLES
    assert mentioned <= {code.value for code in ErrorCode}, mentioned


def test_every_repository_file_named_exists() -> None:
    for path in set(re.findall(r"`((?:config|docs)/[\w./-]+)`", DOC)):
        assert (REPO / path).exists(), path


def test_unit_settings_quoted_in_the_doc_match_the_unit_file() -> None:
    service = unit_entries(UNIT.read_text())["Service"]
    watchdog = int(service["WatchdogSec"][0])
    assert f"`WatchdogSec={watchdog}`" in DOC
    assert f"`WATCHDOG=1` every {watchdog // 2} s" in DOC
    assert f"`TimeoutStartSec={service['TimeoutStartSec'][0]}`" in DOC
    assert f"after {service['RestartSec'][0]} s" in DOC
    assert f"`EnvironmentFile={service['EnvironmentFile'][0]}`" in DOC


def test_healthz_example_has_the_keys_the_bridge_sends() -> None:
    settings = Settings(anova=AnovaSettings(token=SecretStr("anova-x")))
    _healthy, body = BridgeService(settings).reports.healthz()
    block = section("Health checks")
    example = json.loads(re.search(r"```json\n(.*?)```", block, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert set(example) == set(body)
    assert set(example["mqtt"]) == set(body["mqtt"])
