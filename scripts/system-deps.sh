#!/usr/bin/env bash
# System packages the project needs, installed where missing (Debian/Ubuntu, as root),
# or a clear message saying what to install when that is impossible. Never a silent skip.
set -euo pipefail

need=()
command -v msgfmt >/dev/null || need+=(gettext)            # compiles the translations
command -v pdftoppm >/dev/null || need+=(poppler-utils)    # tests render certificate PDFs to images
# The cluster test (tests/system/cluster, make cluster-check) starts a Redis of its own.
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # Vietnamese glyphs
# WeasyPrint (certificate PDFs) loads Pango and HarfBuzz from the system.
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)

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
