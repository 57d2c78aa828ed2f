#!/usr/bin/env bash
# `make test`'s pytest on SQLite and on PostgreSQL at the same time (`make test-both`, CI).
#
# Each run is one process, mostly on one core: side by side on two cores the pair takes as
# long as the longer run, where one after the other it took the sum (on a slow machine,
# more than CI's 90 minutes). The runs share nothing: each has its own database, its own
# cache (in memory: tests/conftest.py), media folders per test, and here its own Playwright
# output folder and public-change stamp folder. A line of progress every five minutes; when
# a run ends, its result (the whole log if it failed); either failing fails the whole.
set -uo pipefail
cd "$(dirname "$0")/.."

url=$(scripts/postgres-ready.sh) || { echo "PostgreSQL is not ready: see above." >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

run() {  # name, DATABASE_URL ("" for SQLite)
  local name=$1 database=$2
  mkdir -p "$work/$name"
  (
    if [ -n "$database" ]; then export DATABASE_URL="$database"; else unset DATABASE_URL; fi
    # As `make test`: no persistent connections (the live server's thread would keep the
    # test database open and PostgreSQL could not drop it).
    export CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true PUBLIC_CHANGE_STAMP_DIR="$work/$name"
    exec .venv/bin/pytest --output="test-results/$name" </dev/null
  ) >"$work/$name.log" 2>&1
}

progress() {
  while sleep 300; do
    for name in sqlite postgresql; do
      [ -f "$work/$name.log" ] || continue
      last=$(tr -d '.' <"$work/$name.log" | grep -o '\[ *[0-9]*%\]' | tail -1)
      echo "  $name: ${last:-starting}"
    done
  done
}

echo "=== pytest on SQLite and on PostgreSQL ($url), side by side"
run sqlite "" &
sqlite=$!
run postgresql "$url" &
postgresql=$!
progress &

status=0
for name in sqlite postgresql; do
  pid=${!name}
  if wait "$pid"; then
    echo "=== $name: passed"
    tail -n 5 "$work/$name.log"
  else
    status=1
    echo "=== $name: FAILED (its whole log follows)"
    cat "$work/$name.log"
  fi
done
exit $status
