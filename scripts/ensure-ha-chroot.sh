#!/usr/bin/env bash
# Build (once) the Debian chroot that runs the newest Home Assistant Core for `make test-ha`.
#
# Why a chroot: HA 2026.3+ needs Python >= 3.14.2, which this machine's
# Debian (bookworm) and pyenv do not have. Debian forky (testing) ships
# python3.14, so a forky chroot built with debootstrap gives a real CPython
# 3.14 without compiling one. bookworm's debootstrap has no forky script;
# forky is bootstrapped exactly like sid, so sid's script is used.
#
# What goes in, and why:
# - The host's own Debian mirror (read from /etc/apt/sources.list*) and its
#   Acquire settings: the machine may reach only that mirror, and a snapshot
#   mirror serves Release files past their Valid-Until.
# - g++ and python3.14-dev: two of HA's dependencies ship no cp314 wheels
#   and are compiled on install.
# - pip configured like the host's: its config files and PIP_* variables,
#   local index directories they name (bind-mounted read-only while pip
#   runs), and the host's extra trusted CA certificates.
# - homeassistant==$HA_VERSION installed a second time against HA's own
#   package_constraints.txt, plus the requirements of every integration the
#   tests load and of their (after-)dependencies (HA runs with --skip-pip):
#   the recipe of ensure-ha-venv.sh, which 2026.x's MQTT flow outgrew.
#
# Nothing is ever mounted in the host's mount namespace (ha-chroot-run.sh
# runs each step in a private one), so `rm -rf` of the cache is always safe.
# Idempotent: stamps record the inputs; when they match, nothing runs. The
# base system is kept when only the HA version changes. First run: about
# 2.5 minutes and 1.7 GB. Needs root.
set -euo pipefail

HA_VERSION="${HA_NEWEST_VERSION:-2026.11.0}"
HA_CHROOT="${HA_CHROOT:-$HOME/.cache/anova-mqtt-bridge/ha-chroot}"
SUITE="forky"
MIN_PYTHON="3.14.2"
PACKAGES=(python3.14 python3.14-venv python3.14-dev g++ ca-certificates)
# What the tests' configuration loads, and what 2026.x sets up at start-up
# anyway (every entity domain, Assist's pipeline and satellites): without
# their requirements HA logs a setup error for each.
COMPONENTS=(frontend mqtt file_upload http api onboarding conversation intent automation
  camera ffmpeg tts infrared radio_frequency assist_pipeline assist_satellite ai_task
  image_processing)
EXTRA=("pyotp" "PyQRCode")
VENV=/opt/ha-venv
HERE="$(cd "$(dirname "$0")" && pwd)"
RUN="$HERE/ha-chroot-run.sh"
BASE_STAMP="$HA_CHROOT/.anova-base-stamp"
HA_STAMP="$HA_CHROOT/.anova-ha-stamp"
BASE_TEXT="suite=$SUITE packages=${PACKAGES[*]} v1"
HA_TEXT="homeassistant==$HA_VERSION components=${COMPONENTS[*]} extra=${EXTRA[*]} v3"

stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

if stamp_matches "$BASE_STAMP" "$BASE_TEXT" && stamp_matches "$HA_STAMP" "$HA_TEXT" \
  && [ -x "$HA_CHROOT$VENV/bin/hass" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-ha-chroot.sh: building the HA $HA_VERSION chroot needs root (debootstrap, chroot)" >&2
  exit 2
fi

# One build at a time; a second caller waits, then finds the stamps matching.
mkdir -p "$(dirname "$HA_CHROOT")"
exec 9>"$HA_CHROOT.lock"
flock 9
if stamp_matches "$BASE_STAMP" "$BASE_TEXT" && stamp_matches "$HA_STAMP" "$HA_TEXT" \
  && [ -x "$HA_CHROOT$VENV/bin/hass" ]; then
  exit 0
fi

# -- helpers --------------------------------------------------------------------

# Mounts at or below the chroot in the host's namespace (none, unless made by hand).
mounts_below() {
  findmnt -rn -o TARGET | awk -v root="$HA_CHROOT" 'index($0, root) == 1'
}

# Nothing is mounted below the chroot in this namespace (ha-chroot-run.sh
# mounts in private ones); should anything be, unmount it or stop. `rm -rf
# --one-file-system` alone would still walk into a bind mount of the same disk.
unmount_below() {
  local target
  while read -r target; do
    [ -n "$target" ] && umount -R "$target" 2>/dev/null || true
  done < <(mounts_below | sort -r)
  if [ -n "$(mounts_below)" ]; then
    echo "ensure-ha-chroot.sh: still mounted below $HA_CHROOT, not removing anything:" >&2
    mounts_below >&2
    exit 1
  fi
}

remove_chroot() {
  unmount_below
  rm -rf --one-file-system "$HA_CHROOT"
}

# The host's Debian mirror: the first deb URI whose suites include this release.
host_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  {
    # deb822 (.sources): one paragraph per entry.
    awk -v want="$codename" 'BEGIN { RS = "" } {
      uri = ""; found = 0; n = split($0, lines, "\n")
      for (i = 1; i <= n; i++) {
        m = split(lines[i], f, /[ \t]+/)
        if (f[1] == "URIs:") uri = f[2]
        if (f[1] == "Suites:") for (j = 2; j <= m; j++) if (f[j] == want) found = 1
      }
      if (found && uri != "") print uri
    }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
    # One-line (.list): "deb [options] URI suite components".
    grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/\[[^]]*\]//' | awk -v want="$codename" '$3 == want { print $2 }' || true
  } | head -n 1
}

# Host directories named in pip's configuration (find-links, file:// indexes).
pip_local_dirs() {
  local files=(/etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf")
  [ -n "${PIP_CONFIG_FILE:-}" ] && files+=("$PIP_CONFIG_FILE")
  {
    cat "${files[@]}" 2>/dev/null || true
    env | grep '^PIP_' || true
  } | grep -oE '(file://)?/[^ ,;"'"'"']+' | sed 's#^file://##' | sort -u | while read -r path; do
    # A PEP 503 index ".../simple" links to files beside it: share its parent.
    [ "$(basename "$path")" = simple ] && path="$(dirname "$path")"
    [ -d "$path" ] && echo "$path"
  done | sort -u
}

copy_into() {  # copy_into HOST_FILE CHROOT_PATH, when the host file exists
  [ -f "$1" ] || return 0
  mkdir -p "$HA_CHROOT$(dirname "$2")"
  cp "$1" "$HA_CHROOT$2"
}

in_chroot() { "$RUN" "$HA_CHROOT" -- "$@"; }

# -- the base system ------------------------------------------------------------

build_base() {
  local mirror
  mirror="${DEBIAN_MIRROR:-$(host_mirror)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  local free_kb
  mkdir -p "$(dirname "$HA_CHROOT")"
  free_kb="$(df -Pk "$(dirname "$HA_CHROOT")" | awk 'NR == 2 { print $4 }')"
  if [ "$free_kb" -lt 3000000 ]; then
    echo "ensure-ha-chroot.sh: need ~3 GB free under $(dirname "$HA_CHROOT"), have $((free_kb / 1024)) MB" >&2
    exit 1
  fi
  command -v debootstrap >/dev/null || { apt-get update -q && apt-get install -y -q debootstrap; }
  command -v unshare >/dev/null || apt-get install -y -q util-linux
  local script=/usr/share/debootstrap/scripts/sid
  [ -f "/usr/share/debootstrap/scripts/$SUITE" ] && script="/usr/share/debootstrap/scripts/$SUITE"

  remove_chroot
  echo "debootstrap $SUITE from $mirror into $HA_CHROOT"
  # In a private mount namespace: the /proc and /sys debootstrap mounts in the
  # target disappear with it, even when it fails half-way.
  unshare --mount --propagation private -- \
    debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$HA_CHROOT" "$mirror" "$script"

  # apt: the host's mirror and its Acquire settings (snapshot mirrors need them).
  rm -f "$HA_CHROOT/etc/apt/sources.list"
  cat >"$HA_CHROOT/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local conf
  for conf in /etc/apt/apt.conf.d/*; do
    grep -qs '^[[:space:]]*Acquire' "$conf" && cp "$conf" "$HA_CHROOT/etc/apt/apt.conf.d/"
  done
  in_chroot apt-get update -q
  in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
  in_chroot apt-get clean
  in_chroot python3.14 -c "import sys; assert sys.version_info >= tuple(map(int, '$MIN_PYTHON'.split('.'))), sys.version"
  echo "$BASE_TEXT" >"$BASE_STAMP"
}

# -- pip, configured like the host's ---------------------------------------------

configure_pip() {
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    mkdir -p "$HA_CHROOT/usr/local/share/ca-certificates"
    cp -r /usr/local/share/ca-certificates/. "$HA_CHROOT/usr/local/share/ca-certificates/"
    in_chroot update-ca-certificates >/dev/null
  fi
  copy_into /etc/pip.conf /etc/pip.conf
  if [ -d /etc/xdg/pip ]; then
    mkdir -p "$HA_CHROOT/etc/xdg"
    cp -r /etc/xdg/pip "$HA_CHROOT/etc/xdg/"
  fi
  copy_into "$HOME/.config/pip/pip.conf" /root/.config/pip/pip.conf
  copy_into "$HOME/.pip/pip.conf" /root/.pip/pip.conf
  [ -n "${PIP_CONFIG_FILE:-}" ] && copy_into "$PIP_CONFIG_FILE" "$PIP_CONFIG_FILE"
  return 0
}

# -- Home Assistant ----------------------------------------------------------------

build_ha() {
  configure_pip
  local binds=() dir
  while read -r dir; do binds+=(--bind-ro "$dir"); done < <(pip_local_dirs)
  pip_in() { "$RUN" "$HA_CHROOT" "${binds[@]}" -- "$VENV/bin/python" -m pip install --quiet --quiet "$@"; }

  unmount_below
  rm -rf --one-file-system "$HA_CHROOT$VENV" "$HA_STAMP"
  in_chroot python3.14 -m venv "$VENV"
  pip_in --upgrade pip wheel
  pip_in "homeassistant==$HA_VERSION"
  local pkg_dir
  pkg_dir="$(in_chroot "$VENV/bin/python" -c 'import homeassistant, os; print(os.path.dirname(homeassistant.__file__))')"
  # Requirements of the integrations the tests load and of everything they
  # (after-)depend on: 2026.x's MQTT config flow imports hassio's client.
  mapfile -t reqs < <(in_chroot "$VENV/bin/python" -c '
import json, pathlib, sys
root = pathlib.Path(sys.argv[1]) / "components"
todo, seen = sys.argv[2:], set()
while todo:
    name = todo.pop()
    if name in seen or not (root / name / "manifest.json").exists():
        continue
    seen.add(name)
    manifest = json.loads((root / name / "manifest.json").read_text())
    print(*manifest.get("requirements", []), sep="\n")
    todo += manifest.get("dependencies", []) + manifest.get("after_dependencies", [])
' "$pkg_dir" "${COMPONENTS[@]}" | sed '/^$/d')
  pip_in -c "$pkg_dir/package_constraints.txt" "homeassistant==$HA_VERSION" "${reqs[@]}" "${EXTRA[@]}"
  in_chroot "$VENV/bin/hass" --version >/dev/null
  mkdir -p "$HA_CHROOT/config"
  echo "$HA_TEXT" >"$HA_STAMP"
}

started=$(date +%s)
echo "building the Home Assistant $HA_VERSION chroot in $HA_CHROOT (about 2.5 minutes the first time)"
stamp_matches "$BASE_STAMP" "$BASE_TEXT" || build_base
build_ha
echo "Home Assistant $HA_VERSION chroot ready in $(( $(date +%s) - started )) s"
