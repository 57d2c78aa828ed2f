#!/usr/bin/env bash
# Chromium for the browser tests: Debian's package, because Playwright's own browser
# download cannot work on machines without general internet access.
# Then axe-core, the accessibility checker the browser tests inject into every page
# (tests/system/browser/accessibility.py): the pinned npm package, installed with npm
# from tests/system/browser/axe/package-lock.json into that folder's node_modules.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
AXE_DIR=tests/system/browser/axe

install_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests…"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x "$CHROMIUM" ] && return 0
  fi
  echo "The browser tests need Chromium at $CHROMIUM (sudo apt-get install chromium)," >&2
  echo "or set CHROMIUM_PATH to a Chromium binary." >&2
  return 1
}

install_axe() {
  # Installed already, from this lock file: nothing to do (no network needed).
  if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] &&
     [ "$AXE_DIR/node_modules/.package-lock.json" -nt "$AXE_DIR/package-lock.json" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing npm for the browser tests' accessibility check (axe-core)…"
      apt-get update -qq >/dev/null || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null || true
    fi
  fi
  if ! command -v npm >/dev/null; then
    echo "The browser tests check every page with axe-core, an npm package: they need npm" >&2
    echo "(sudo apt-get install npm), then run make browsers again." >&2
    return 1
  fi
  echo "Installing axe-core for the browser tests (npm ci in $AXE_DIR)…"
  npm ci --prefix "$AXE_DIR" --no-audit --no-fund --loglevel=error >/dev/null
}

install_chromium
install_axe
