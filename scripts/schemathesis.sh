#!/usr/bin/env bash
# Tests the JSON API against its own OpenAPI document with schemathesis (from PyPI): starts
# `kabinet serve` on a fresh database with the demo clinic and a free port, signs a new
# patient in (registration, the link from the letter, sign-in) so that the `/me` routes are
# reached too, and lets schemathesis generate requests from /api/v1/openapi.json. Every answer
# must be no 5xx, have a documented status, content type and headers, and match its schema.
# Runs on SQLite, then on PostgreSQL (a fresh database, dropped afterwards).
#
#   bash scripts/schemathesis.sh                 # both databases
#   bash scripts/schemathesis.sh sqlite          # one of them
#   SCHEMATHESIS_MAX_EXAMPLES=200 SCHEMATHESIS_SEED=1 bash scripts/schemathesis.sh
#   SCHEMATHESIS_ARGS="--report har --report-dir /tmp/st" bash scripts/schemathesis.sh sqlite
#
# PostgreSQL: the server of KABINET_TEST_POSTGRES_URL if set, else 127.0.0.1:5432 as user
# postgres. Without one reachable the PostgreSQL run is skipped, except under CI=true.
# Needs the server binary: cargo build -p kabinet (or KABINET_BIN=...).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${KABINET_BIN:-$TARGET/debug/kabinet}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
# Pinned, so that a new release of schemathesis cannot fail a build that changed nothing.
SCHEMATHESIS_VERSION="4.32.5"
VENV="$TARGET/schemathesis-$SCHEMATHESIS_VERSION"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-50}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
BACKENDS=("$@")
[ ${#BACKENDS[@]} -gt 0 ] || BACKENDS=(sqlite postgres)

if [ ! -x "$BIN" ]; then
  echo "schemathesis: no server binary at $BIN (build it: cargo build -p kabinet)" >&2
  exit 2
fi

# schemathesis in its own virtualenv under the target folder, installed once per version.
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python=""
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "schemathesis: no python3 with venv and ensurepip (apt-get install python3-venv)" >&2
    exit 2
  fi
  echo "== schemathesis: installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/kabinet-schemathesis.XXXXXX")"
SERVER_PID=""
PG_ADMIN_URL=""
PG_DATABASE=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

drop_database() {
  if [ -n "$PG_DATABASE" ]; then
    psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
    PG_DATABASE=""
  fi
}

cleanup() {
  stop_server
  drop_database
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts the server on $1 (a database URL) and waits for /health; a new database is migrated
# and gets the demo clinic on the first start.
start_server() {
  local database_url="$1" name="$2"
  PORT="$(free_port)"
  URL="http://127.0.0.1:$PORT"
  LOG="$TMP/$name-server.log"
  MAIL_DIR="$TMP/$name-mail"
  KABINET_DATABASE_URL="$database_url" \
    KABINET_LISTEN="127.0.0.1:$PORT" \
    KABINET_PUBLIC_URL="$URL" \
    KABINET_MAIL_DIR="$MAIL_DIR" \
    KABINET_LOG=warn \
    "$BIN" serve >"$LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "schemathesis: the server exited before it was ready" >&2
      cat "$LOG" >&2
      return 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/health" || true)" = "200" ]; then
      return 0
    fi
    sleep 0.25
  done
  echo "schemathesis: GET /health did not answer 200 within 60 s" >&2
  cat "$LOG" >&2
  return 1
}

# Registers a patient, follows the link of the confirmation letter, signs in, books a visit
# and cancels it (so that the list of visits has one to answer); prints the session's token.
# Writes $CONFIG: dictionaries of real values (a bookable specialist, their free slots, the
# visit, valid patients' fields) that schemathesis puts in three requests of four, so that
# bookings succeed too rather than only being refused.
prepare_patient() {
  "$VENV/bin/python" - "$URL" "$MAIL_DIR" "$CONFIG" <<'PY'
import email, email.policy, json, pathlib, re, sys, time, urllib.error, urllib.parse, urllib.request

url, mail_dir, config = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
login, password = "schemathesis@example.ru", "Kw8-vq3-Lm7-zx2"

def call(method, path, body=None, token=None, form=None):
    headers = {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()

status, body = call("POST", "/api/v1/registrations", {
    "login": login, "password": password,
    "patient": {"last_name": "Проверкина", "first_name": "Анна", "middle_name": None,
                "birth_date": "1990-05-17", "phone": "+7 900 555-12-34", "email": login},
    "consents": {"personal_data": True, "rules": True, "calls": False},
})
assert status == 202, (status, body)

# The outbox worker writes the letter within a few seconds.
link = None
for _ in range(120):
    for path in sorted(mail_dir.glob("*.eml")) if mail_dir.is_dir() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()
        found = re.search(r"/account/confirm\?token=([A-Za-z0-9_-]+)", text)
        if found:
            link = found.group(1)
    if link:
        break
    time.sleep(0.25)
assert link, f"no confirmation letter in {mail_dir}"
status, body = call("POST", "/account/confirm", form={"token": link})
assert status == 200, (status, body)

status, body = call("POST", "/api/v1/session", {"login": login, "password": password})
assert status == 200, (status, body)
session = json.loads(body)["token"]

status, body = call("GET", "/api/v1/specialists")
assert status == 200, (status, body)
specialist, starts = None, []
for candidate in json.loads(body)["items"]:
    if candidate["online_booking"]:
        status, body = call("GET", f"/api/v1/specialists/{candidate['id']}/slots")
        starts = [slot["start"] for slot in json.loads(body)["items"]] if status == 200 else []
        if len(starts) > 1:
            specialist = candidate["id"]
            break
assert specialist, "no specialist with free slots"
status, body = call("POST", "/api/v1/me/visits", {"specialist_id": specialist, "start": starts[0]},
                    token=session)
assert status == 201, (status, body)
visit = json.loads(body)["id"]
# Self-registered access holds one planned visit: cancelled, this one leaves room for those
# that schemathesis books.
status, body = call("POST", f"/api/v1/me/visits/{visit}/cancel", token=session)
assert status == 200, (status, body)

def values(items):
    return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"

often = "probability = 0.75"
config.write_text(f"""
[dictionaries.ids]
values = {values([specialist, visit])}
[dictionaries.specialists]
values = {values([specialist])}
[dictionaries.starts]
values = {values(starts[1:21])}
[dictionaries.last_names]
values = {values(["Смирнов", "Кузнецова", "Иванов-Петров"])}
[dictionaries.first_names]
values = {values(["Алексей", "Ольга", "Анна-Мария"])}
[dictionaries.birth_dates]
values = {values(["1979-03-02", "1990-05-17", "2001-12-31"])}
[dictionaries.middle_names]
values = {values(["Павлович", "Игоревна"])}
[dictionaries.emails]
values = {values(["smirnov@example.ru", "olga.k@example.com"])}
[dictionaries.phones]
values = {values([f"+7 900 555-{n // 100:02}-{n % 100:02}" for n in range(7000, 7040)])}

[parameters]
"path.id" = {{ dictionary = "ids", {often} }}
"body.specialist_id" = {{ dictionary = "specialists", {often} }}
"body.start" = {{ dictionary = "starts", {often} }}
"body.patient.last_name" = {{ dictionary = "last_names", {often} }}
"body.patient.first_name" = {{ dictionary = "first_names", {often} }}
"body.patient.birth_date" = {{ dictionary = "birth_dates", {often} }}
"body.patient.middle_name" = {{ dictionary = "middle_names", {often} }}
"body.patient.email" = {{ dictionary = "emails", {often} }}
"body.patient.phone" = {{ dictionary = "phones", {often} }}
""")
print(session)
PY
}

# One run of schemathesis against the server at $URL; extra arguments pass through.
run_schemathesis() {
  local seed=()
  [ -z "${SCHEMATHESIS_SEED:-}" ] || seed=(--seed "$SCHEMATHESIS_SEED")
  # schemathesis keeps the failures it found (replayed first next time) in .schemathesis/
  # of its working folder: that is under the target folder, not in the sources.
  mkdir -p "$TARGET/schemathesis-runs"
  (cd "$TARGET/schemathesis-runs" && "$VENV/bin/schemathesis" --config-file "$CONFIG" run "$URL/api/v1/openapi.json" \
    --checks "$CHECKS" \
    --max-examples "$MAX_EXAMPLES" \
    --request-timeout 30 \
    --no-color \
    "${seed[@]}" \
    ${SCHEMATHESIS_ARGS:-} \
    "$@")
}

# Everything but signing out runs with the patient's bearer token; signing out (which ends
# that session) runs last.
test_backend() {
  local name="$1" database_url="$2" started token
  started=$(date +%s)
  echo "== schemathesis on $name: $MAX_EXAMPLES examples per operation"
  start_server "$database_url" "$name"
  CONFIG="$TMP/$name-schemathesis.toml"
  token="$(prepare_patient)"
  local status=0
  run_schemathesis -H "Authorization: Bearer $token" \
    --exclude-operation-id delete_session || status=$?
  if [ "$status" -eq 0 ]; then
    run_schemathesis -H "Authorization: Bearer $token" \
      --include-operation-id delete_session --phases examples,coverage,fuzzing || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    echo "---- server log ($name) ----"
    tail -n 100 "$LOG"
    echo "---- end of server log ----"
  fi
  stop_server
  echo "== schemathesis on $name: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
  return "$status"
}

failed=0
for backend in "${BACKENDS[@]}"; do
  case "$backend" in
    sqlite)
      test_backend sqlite "sqlite://$TMP/kabinet.db" || failed=1
      ;;
    postgres)
      base="${KABINET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
      base="${base%%\?*}"
      PG_ADMIN_URL="${base%/*}/postgres"
      if ! psql "$PG_ADMIN_URL" -q -c 'SELECT 1' >/dev/null 2>&1; then
        if [ -n "${CI:-}" ]; then
          echo "schemathesis: PostgreSQL is not reachable at $PG_ADMIN_URL, and CI must test both backends" >&2
          failed=1
        else
          echo "== schemathesis: PostgreSQL not reachable at $PG_ADMIN_URL: skipped" >&2
        fi
        continue
      fi
      PG_DATABASE="kabinet_schemathesis_$$"
      PGOPTIONS=--client-min-messages=warning psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $PG_DATABASE" -c "CREATE DATABASE $PG_DATABASE" >/dev/null
      test_backend postgres "${base%/*}/$PG_DATABASE" || failed=1
      drop_database
      ;;
    *)
      echo "schemathesis: unknown backend $backend (sqlite or postgres)" >&2
      exit 2
      ;;
  esac
done
exit "$failed"
