#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need (Debian's
# Chromium, Node packages, Python's aiosmtpd and icalendar, schemathesis from PyPI), then
# formatting, lints, the Rust tests on SQLite and PostgreSQL, the API against its OpenAPI
# document (schemathesis, both databases), and the browser tests in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# Python modules of Debian's python3 (not any other python3 on PATH): aiosmtpd is the SMTP
# server mail tests deliver to (kabinet-testkit's SmtpSink), icalendar reads our .ics files.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
/usr/bin/python3 -c 'import icalendar' 2>/dev/null || need+=(python3-icalendar)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL: every storage test runs on it too. CI must have it; elsewhere it is optional.
if [ -z "${KABINET_TEST_POSTGRES_URL:-}" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && [ -d /etc/postgresql ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS kabinet_test' -c 'CREATE DATABASE kabinet_test'
    export KABINET_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/kabinet_test
  elif [ -n "${CI:-}" ]; then
    echo "PostgreSQL is not reachable at 127.0.0.1:5432, and CI must test both backends" >&2
    exit 1
  else
    echo "== PostgreSQL not reachable: storage tests run on SQLite only" >&2
  fi
fi

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== layering: the web layer reaches the database only through kabinet-service"
cargo metadata --format-version 1 --no-deps | python3 scripts/check_layers.py
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test (SQLite${KABINET_TEST_POSTGRES_URL:+ and PostgreSQL})"
cargo test --workspace
cargo build -p kabinet
echo "== the API against its OpenAPI document (schemathesis, SQLite and PostgreSQL)"
bash scripts/schemathesis.sh
echo "== browser tests"
bash e2e/run.sh
