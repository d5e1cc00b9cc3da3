#!/usr/bin/env bash
# Sourced by tests/run-all.sh: makes sure what the suites need is there on a Debian machine
# (Chromium for the browser e2e; a PostgreSQL server for the integration run against real
# PostgreSQL), installing or starting it when we are root, and saying what is missing otherwise.

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian chromium and xvfb for the browser e2e tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium xvfb fonts-wqy-zenhei >/dev/null
  else
    echo "Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH"
  fi
fi

if [ -z "${TEST_DATABASE_URL:-}" ] && [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
  if pg_ctlcluster 15 main start 2>/dev/null || pg_ctlcluster 15 main status >/dev/null 2>&1; then
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='clm'\"" 2>/dev/null | grep -q 1 ||
      su postgres -c "psql -qc \"CREATE ROLE clm LOGIN SUPERUSER PASSWORD 'clm'\""
    export TEST_DATABASE_URL=postgres://clm:clm@127.0.0.1:5432/postgres
  fi
fi
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "TEST_DATABASE_URL not set and no local PostgreSQL 15 to start: the PostgreSQL runs are skipped"
fi
