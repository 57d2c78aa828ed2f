#!/usr/bin/env bash
# Chromium for the browser tests: Debian's package, because Playwright's own browser
# download cannot work on machines without general internet access.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests…"
  apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM (sudo apt-get install chromium)," >&2
echo "or set CHROMIUM_PATH to a Chromium binary." >&2
exit 1
