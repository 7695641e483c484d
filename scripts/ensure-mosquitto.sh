#!/usr/bin/env bash
# Make sure a mosquitto binary exists for the test suite's private brokers.
set -euo pipefail
if command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's mosquitto package for the tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
  exit 0
fi
echo "mosquitto is not installed: install it (Debian/Ubuntu: apt-get install mosquitto) and retry" >&2
exit 1
