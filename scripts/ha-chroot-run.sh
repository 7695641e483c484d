#!/usr/bin/env bash
# Run one command inside the Home Assistant chroot that ensure-ha-chroot.sh builds.
#
#   scripts/ha-chroot-run.sh ROOT [--config HOST_DIR] [--bind-ro HOST_DIR]... -- COMMAND...
#
# Why a private mount namespace (`unshare --mount`): /proc, /dev, /sys,
# /etc/resolv.conf and the test's config directory are mounted for this one
# process tree only. They vanish with the last process in it, even after a
# SIGKILL, and never show in the host's mount table, so the cache can always
# be removed with `rm -rf` and nothing reads through a leftover bind mount.
# The network namespace is the host's: HA inside listens on, and reaches the
# broker through, the host's loopback.
#
# --config binds HOST_DIR on /config inside (read-write); --bind-ro makes a
# host directory visible at the same path inside, read-only (the local
# package indexes pip is configured with). The command is exec'd, so the pid
# the caller sees is the command's own and a SIGTERM reaches it directly.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "ha-chroot-run.sh: needs root (a mount namespace and chroot)" >&2
  exit 2
fi
ROOT="$1"
shift
CONFIG=""
READ_ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG="$2"; shift 2 ;;
    --bind-ro) READ_ONLY+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "ha-chroot-run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "ha-chroot-run.sh: no command" >&2; exit 2; }
[ -d "$ROOT/usr" ] || { echo "ha-chroot-run.sh: no chroot at $ROOT" >&2; exit 2; }

# Everything after `unshare` runs in the new namespace; the inner shell reads
# its arguments as: root, config, read-only count, read-only dirs, command.
exec unshare --mount --propagation private -- /bin/sh -c '
  set -e
  root=$1; config=$2; count=$3; shift 3
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount --rbind /sys "$root/sys"
  [ -e "$root/etc/resolv.conf" ] || : >"$root/etc/resolv.conf"
  mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
  if [ -n "$config" ]; then
    mkdir -p "$root/config"
    mount --bind "$config" "$root/config"
  fi
  while [ "$count" -gt 0 ]; do
    mkdir -p "$root$1"
    mount --bind "$1" "$root$1"
    mount -o remount,bind,ro "$root$1"
    shift; count=$((count - 1))
  done
  exec chroot "$root" /usr/bin/env HOME=/root "$@"
' ha-chroot "$ROOT" "$CONFIG" "${#READ_ONLY[@]}" "${READ_ONLY[@]}" "$@"
