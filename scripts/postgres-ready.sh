#!/usr/bin/env bash
# Make a local PostgreSQL ready for the tests: installed, running, and with a role
# that may create the test database. Prints the DATABASE_URL to use.
set -euo pipefail
ROLE=${PGROLE:-ocop}
DB=${PGDATABASE_NAME:-ocop}

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres bash -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL…" >&2
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi

if ! pg_lsclusters --no-header | awk '{print $4}' | grep -q online; then
  version=$(pg_lsclusters --no-header | awk 'NR==1{print $1}')
  cluster=$(pg_lsclusters --no-header | awk 'NR==1{print $2}')
  echo "Starting PostgreSQL $version/$cluster…" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

as_postgres "psql -qtAX -c \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"" | grep -q 1 \
  || as_postgres "psql -q -c \"CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE'\""
as_postgres "psql -qtAX -c \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1 \
  || as_postgres "createdb -O $ROLE $DB"
echo "postgres://$ROLE:$ROLE@127.0.0.1:5432/$DB"
