#!/usr/bin/env bash
# System packages the project needs, installed where missing (Debian/Ubuntu, as root),
# or a clear message saying what to install when that is impossible. Never a silent skip.
set -euo pipefail

need=()
command -v msgfmt >/dev/null || need+=(gettext)            # compiles the translations
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # Vietnamese glyphs

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}."
  echo "Install them with: sudo apt-get install ${need[*]}"
  exit 1
fi
