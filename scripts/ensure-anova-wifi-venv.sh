#!/usr/bin/env bash
# Build (once) the test-only venv in which Home Assistant's Anova library,
# anova-wifi, drives the simulator (tests/anovawifi/).
#
# Why each step is here:
# - anova-wifi 2.0.0's metadata asks for Python >= 3.14.2 only to match Home
#   Assistant's own floor; its code runs on 3.11 (the project's Python), so
#   it is installed with --ignore-requires-python. Its one dependency,
#   aiohttp (>= 3.11, < 4), installs normally.
# - It lives outside the repo and outside the project's venv: the bridge
#   never imports it, and the tests run it as a separate process.
#
# Idempotent: a stamp file records the inputs; when it matches, nothing runs.
# First run takes a few seconds (two wheels and aiohttp's small dependencies).
set -euo pipefail

AW_VERSION="${ANOVA_WIFI_VERSION:-2.0.0}"
AW_VENV="${ANOVA_WIFI_VENV:-$HOME/.cache/anova-mqtt-bridge/anova-wifi-venv}"
PY="${PYTHON:-python3}"
PY_VERSION="$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
STAMP_FILE="$AW_VENV/.anova-wifi-stamp"
STAMP_TEXT="anova-wifi==$AW_VERSION python=$PY_VERSION v1"

if [ -x "$AW_VENV/bin/python" ] && [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP_TEXT" ]; then
  exit 0
fi

echo "building the anova-wifi $AW_VERSION test venv in $AW_VENV with Python $PY_VERSION"
rm -rf "$AW_VENV"
mkdir -p "$(dirname "$AW_VENV")"
"$PY" -m venv "$AW_VENV"
"$AW_VENV/bin/python" -m pip install --quiet --quiet --ignore-requires-python "anova-wifi==$AW_VERSION"
"$AW_VENV/bin/python" -c "import anova_wifi; assert anova_wifi.__version__ == '$AW_VERSION'"
echo "$STAMP_TEXT" >"$STAMP_FILE"
echo "anova-wifi venv ready"
