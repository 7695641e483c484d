"""render_effective_config never shows a secret."""

from __future__ import annotations

import yaml

from bridge.config_loader import load_settings, mask_url, render_effective_config


def test_every_secret_is_masked() -> None:
    env = {
        "ANOVA_BRIDGE_ANOVA__TOKEN": "anova-tok-SECRET1",
        "ANOVA_BRIDGE_ANOVA__EMAIL": "cook@example.com",
        "ANOVA_BRIDGE_ANOVA__PASSWORD": "SECRET2",
        "ANOVA_BRIDGE_MQTT__URL": "mqtts://user:SECRET3@broker.example:8883",
        "ANOVA_BRIDGE_MQTT__PASSWORD": "SECRET4",
    }
    rendered = render_effective_config(load_settings(None, env=env, search_paths=()))

    assert "SECRET" not in rendered
    data = yaml.safe_load(rendered)
    assert data["anova"]["token"] == "***"
    assert data["anova"]["password"] == "***"
    assert data["mqtt"]["password"] == "***"
    assert data["mqtt"]["url"] == "mqtts://user:***@broker.example:8883"
    assert data["anova"]["email"] == "cook@example.com"
    assert data["mqtt"]["base_topic"] == "anova"
    assert data["devices"] == {}


def test_unset_secrets_stay_null_and_plain_urls_unchanged() -> None:
    env = {"ANOVA_BRIDGE_ANOVA__TOKEN": "anova-x"}
    data = yaml.safe_load(render_effective_config(load_settings(None, env=env, search_paths=())))
    assert data["mqtt"]["password"] is None
    assert data["mqtt"]["url"] == "mqtt://127.0.0.1:1883"


def test_mask_url_without_username() -> None:
    assert mask_url("mqtt://:pw@h:1") == "mqtt://:***@h:1"
    assert mask_url("mqtt://u@h") == "mqtt://u@h"
