#!/usr/bin/env bash
# Printed by `make run` just before the server starts.
cat <<'TXT'

  OCOP registry demo — http://127.0.0.1:8000  (English: http://127.0.0.1:8000/en/)
  ------------------------------------------------------------------------------
  Administrator   admin / ocop-demo-2026     http://127.0.0.1:8000/admin/
  (demo passwords: never use this database in production)

TXT
