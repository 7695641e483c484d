#!/usr/bin/env bash
# Build (once) the private Home Assistant Core venv that `make test-ha` runs.
#
# Why each step is here (facts from issue 7, checked on these machines):
# - homeassistant 2025.4.4 is the newest release that installs on Python
#   3.13.0 (2025.5+ needs >= 3.13.2); pyenv ships 3.13.0.
# - A plain `pip install homeassistant` leaves a dozen packages off HA's own
#   pins, so we install again with `-c homeassistant/package_constraints.txt`.
# - aiodns 3.2 breaks on pycares 5, hence `pycares<5`.
# - HA is started with `--skip-pip` (no network at test time, ~2 s to HTTP),
#   so the requirements of every integration the tests load must already be
#   here: frontend, mqtt, file_upload, http, api, onboarding (read from their
#   manifests) and TOTP (pyotp, PyQRCode) for the auth providers.
#
# Idempotent: a stamp file records the inputs; when it matches, nothing runs.
# First run takes about 85 s and ~840 MB. The venv lives outside the repo.
set -euo pipefail

HA_VERSION="${HA_VERSION:-2025.4.4}"
HA_VENV="${HA_VENV:-$HOME/.cache/anova-mqtt-bridge/ha-venv}"
PYTHON_VERSION="3.13.0"
COMPONENTS=(frontend mqtt file_upload http api onboarding)
EXTRA=("pycares<5" "pyotp" "PyQRCode")
STAMP_FILE="$HA_VENV/.anova-ha-stamp"
STAMP_TEXT="homeassistant==$HA_VERSION python=$PYTHON_VERSION components=${COMPONENTS[*]} extra=${EXTRA[*]} v1"

if [ -x "$HA_VENV/bin/hass" ] && [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP_TEXT" ]; then
  exit 0
fi

find_python() {
  local root=""
  if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
  else
    root="${PYENV_ROOT:-$HOME/.pyenv}"
  fi
  local candidate="$root/versions/$PYTHON_VERSION/bin/python"
  if [ -x "$candidate" ]; then
    echo "$candidate"
    return 0
  fi
  if command -v python3.13 >/dev/null 2>&1; then
    command -v python3.13
    return 0
  fi
  echo "Python $PYTHON_VERSION not found (looked in $candidate and PATH)" >&2
  return 1
}

PY="$(find_python)"
echo "building the Home Assistant $HA_VERSION venv in $HA_VENV with $PY (about 85 s)"
started=$(date +%s)
rm -rf "$HA_VENV"
mkdir -p "$(dirname "$HA_VENV")"
"$PY" -m venv "$HA_VENV"
PIP=("$HA_VENV/bin/python" -m pip install --quiet --quiet)
"${PIP[@]}" --upgrade pip wheel
"${PIP[@]}" "homeassistant==$HA_VERSION"

PKG_DIR="$("$HA_VENV/bin/python" -c 'import homeassistant, os; print(os.path.dirname(homeassistant.__file__))')"
CONSTRAINTS="$PKG_DIR/package_constraints.txt"

# Every requirement listed by the manifests of the integrations the tests load.
mapfile -t REQS < <("$HA_VENV/bin/python" - "$PKG_DIR" "${COMPONENTS[@]}" <<'PY'
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1]) / "components"
for name in sys.argv[2:]:
    manifest = json.loads((root / name / "manifest.json").read_text())
    for requirement in manifest.get("requirements", []):
        print(requirement)
PY
)

"${PIP[@]}" -c "$CONSTRAINTS" "homeassistant==$HA_VERSION" "${REQS[@]}" "${EXTRA[@]}"
"$HA_VENV/bin/hass" --version >/dev/null
echo "$STAMP_TEXT" >"$STAMP_FILE"
echo "Home Assistant venv ready in $(( $(date +%s) - started )) s"
