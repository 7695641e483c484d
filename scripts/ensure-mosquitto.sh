#!/usr/bin/env bash
# Make sure the tests' Mosquitto programs exist: the broker for their private
# brokers, and the mosquitto_pub / mosquitto_sub clients that the docs tests
# and the flood suite run for real.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
missing=()
have mosquitto || missing+=(mosquitto)
{ have mosquitto_pub && have mosquitto_sub; } || missing+=(mosquitto-clients)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's ${missing[*]} for the tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing: ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]}); install and retry" >&2
exit 1
