#!/usr/bin/env bash
# Starts this machine's PostgreSQL 15 and creates the CI role and database (idempotent).
set -euo pipefail
pg_ctlcluster --skip-systemctl-redirect 15 main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect 15 main status >/dev/null
for _ in $(seq 1 30); do runuser -u postgres -- pg_isready -q && break; sleep 1; done
runuser -u postgres -- psql -qtc "select 1 from pg_roles where rolname = 'aegisx_ci'" | grep -q 1 \
  || runuser -u postgres -- psql -qc "create role aegisx_ci login superuser password 'aegisx_ci'"
runuser -u postgres -- psql -qtc "select 1 from pg_database where datname = 'aegisx_ci'" | grep -q 1 \
  || runuser -u postgres -- createdb -O aegisx_ci aegisx_ci
