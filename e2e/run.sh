#!/usr/bin/env bash
# Browser tests of Kabinet: starts the server on a fresh SQLite database and a free port, runs
# the tests in e2e/tests/ against it with the system Chromium, and stops the server.
#
#   bash e2e/run.sh                      # from the repository root
#   KABINET_BIN=target/release/kabinet bash e2e/run.sh
#   CHROMIUM_PATH=/usr/bin/chromium bash e2e/run.sh
#   bash e2e/run.sh tests/cabinet.test.js  # only these files
#
# Exits with the tests' status. Prints the server's log when a test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"
cd "$ROOT"

# Never let a tool fetch a browser: the tests drive the Chromium that Debian installs.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "e2e: no Chromium at $CHROMIUM_PATH (apt-get install chromium)" >&2
  exit 2
fi

# The npm packages, installed exactly as locked when missing or older than the lock file.
if [ ! -f "$E2E/node_modules/.package-lock.json" ] \
  || [ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ] \
  || [ "$E2E/package.json" -nt "$E2E/node_modules/.package-lock.json" ] \
  || [ ! -d "$E2E/node_modules/playwright-core" ] || [ ! -d "$E2E/node_modules/axe-core" ]; then
  echo "e2e: npm ci"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi

BIN="${KABINET_BIN:-target/debug/kabinet}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  echo "e2e: no server binary at $BIN (build it: cargo build -p kabinet)" >&2
  exit 2
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/kabinet-e2e.XXXXXX")"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
LOG="$TMP/server.log"
DATABASE_URL="sqlite://$TMP/kabinet.db"
SERVER_PID=""
SMTP_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$SMTP_PID" ]; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

print_server_log() {
  echo "---- server log ($LOG) ----"
  cat "$LOG" 2>/dev/null || true
  echo "---- end of server log ----"
}

# A real SMTP server on loopback (Debian's python3-aiosmtpd) that keeps what arrives in a
# Maildir; the tests read the letters there, as a patient reads their mailbox.
SMTP_PORT="$(free_port)"
export KABINET_E2E_MAILDIR="$TMP/maildir"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
  -c aiosmtpd.handlers.Mailbox "$KABINET_E2E_MAILDIR" >"$TMP/smtp.log" 2>&1 &
SMTP_PID=$!

START=$(date +%s)
echo "e2e: starting $BIN on $URL (database in $TMP, mail to 127.0.0.1:$SMTP_PORT)"
# Every browser of the suite books from 127.0.0.1: no limit per address here (the limit has
# its own tests in crates/web/tests).
KABINET_DATABASE_URL="$DATABASE_URL" \
  KABINET_BOOKING_RATE_LIMIT=0 \
  KABINET_LISTEN="127.0.0.1:$PORT" \
  KABINET_PUBLIC_URL="$URL" \
  KABINET_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" \
  "$BIN" serve >"$LOG" 2>&1 &
SERVER_PID=$!

# A new database is migrated and loaded with the demo clinic on the first start.
ready=""
for _ in $(seq 1 240); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server exited before it was ready" >&2
    print_server_log >&2
    exit 1
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/health" || true)" = "200" ]; then
    ready=1
    break
  fi
  sleep 0.25
done
if [ -z "$ready" ]; then
  echo "e2e: GET /health did not answer 200 within 60 s" >&2
  print_server_log >&2
  exit 1
fi
echo "e2e: server ready after $(( $(date +%s) - START )) s"

export KABINET_URL="$URL"
# For tests that run the server binary's own subcommands (e.g. `kabinet staff`, which prints the
# first administrator's one-time link) against the same database while the server runs: SQLite
# in WAL mode lets a second process in.
export KABINET_E2E_BIN="$BIN"
export KABINET_E2E_DATABASE_URL="$DATABASE_URL"
# The spec reporter prints the same closing summary (ℹ pass N, ℹ fail N) on a pipe as on a
# terminal; --silent keeps npm's own lines out of the output.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--test-reporter=spec"
set +e
# Arguments name test files (e.g. tests/cabinet.test.js) to run only those.
if [ $# -gt 0 ]; then
  (cd "$E2E" && node --test --test-concurrency=1 "$@") 2>&1 | tee "$TMP/tests.log"
else
  (cd "$E2E" && npm test --silent) 2>&1 | tee "$TMP/tests.log"
fi
status=${PIPESTATUS[0]}
set -e

if [ "$status" -ne 0 ]; then
  echo "e2e: tests failed (status $status) after $(( $(date +%s) - START )) s"
  print_server_log
  # End with the test runner's summary again, so that it stays the last thing printed.
  echo "---- test summary ----"
  grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$TMP/tests.log" || true
fi
exit "$status"
