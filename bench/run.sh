#!/usr/bin/env bash
# Kabinet benchmark: one run measures every case and prints a markdown table.
#
#   bash bench/run.sh [--large] [--duration 10s] [--no-build]
#
# Cases (see bench/README.md):
#   (a) GET /api/v1/specialists/{id}/slots?from=<tomorrow>&to=<tomorrow+6>
#   (b) GET /specialists/{id}                       (the specialist page, HTML)
#   (c) POST /api/v1/bookings, every request a distinct free slot and phone
#   (d) the baseline: a bare axum server returning (a)'s exact body
#   (e) GET /specialists                            (the directory page, HTML)
#   (f) GET /api/v1/specialists                     (the directory's first page, JSON)
#   with --large, also (a), (e) and (f) against the large clinic (500 specialists, 1 M visits)
#
# Results go to bench/results/ (gitignored; wiped at the start of each run):
# wrk-*.txt (raw wrk output), *.log (server logs), slots.json, summary.md.
# Only 127.0.0.1 is used; every wrk run is bounded by --duration; every server
# started here is stopped on exit.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash bench/run.sh [--large] [--duration 10s] [--no-build]

  --large        also run case (a) against the large demo clinic and report
                 the large/demo ratio (the large clinic is always generated
                 when case (c) needs more free slots than the demo clinic has)
  --duration D   duration of each wrk run: N, Ns, Nm or Nh (default 10s,
                 or $DURATION)
  --no-build     skip `cargo build --release` and use the binaries as found

environment:
  KABINET_BIN            server binary (default target/release/kabinet)
  BASELINE_BIN           baseline binary (default target/release/kabinet-bench-baseline)
  BENCH_HEALTH_TIMEOUT   seconds to wait for a server's /health (default 120)
  BENCH_BOOKING_DAYS     booking horizon scanned for free slots (default 28)
  BENCH_POSTGRES_URL     run on PostgreSQL instead of SQLite: a server URL without a
                         database (postgres://postgres@127.0.0.1:5432); its databases
                         kabinet_bench_* are dropped and created
EOF
}

# ---------------------------------------------------------------- settings --

LARGE=0
BUILD=1
DURATION=${DURATION:-10s}
while (($# > 0)); do
    case $1 in
        --large) LARGE=1 ;;
        --no-build) BUILD=0 ;;
        --duration)
            (($# >= 2)) || { echo "run.sh: --duration needs a value" >&2; exit 2; }
            DURATION=$2
            shift
            ;;
        --duration=*) DURATION=${1#--duration=} ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [[ ! $DURATION =~ ^([0-9]+)(s|m|h)?$ ]] || ((BASH_REMATCH[1] == 0)); then
    echo "run.sh: bad --duration '$DURATION' (want N, Ns, Nm or Nh, N > 0)" >&2
    exit 2
fi
case ${BASH_REMATCH[2]} in
    m) DURATION_S=$((BASH_REMATCH[1] * 60)) ;;
    h) DURATION_S=$((BASH_REMATCH[1] * 3600)) ;;
    *) DURATION_S=${BASH_REMATCH[1]} ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RESULTS=bench/results
KABINET_BIN=${KABINET_BIN:-target/release/kabinet}
BASELINE_BIN=${BASELINE_BIN:-target/release/kabinet-bench-baseline}
HEALTH_TIMEOUT=${BENCH_HEALTH_TIMEOUT:-120}
BOOKING_DAYS=${BENCH_BOOKING_DAYS:-28}

THREADS=2
CONNECTIONS=64
DEMO_PORT=18080
LARGE_PORT=18081
BASELINE_PORT=18090

# Targets (bench/README.md).
TARGET_SLOTS_PCT=25      # (a) >= 25 % of the baseline's requests/s
TARGET_BOOKINGS=2000     # (c) >= 2,000 successful bookings/s
TARGET_LARGE_RATIO=1.5   # (a) large clinic <= 1.5x slower than demo
TARGET_DIRECTORY_SHARE=67  # (e), (f) large clinic >= 2/3 of the demo clinic's requests/s
TARGET_DIRECTORY_P99=20    # (e), (f) large clinic p99 < 20 ms
# (c) runs on the demo clinic only if it has this many times the slots the
# target rate needs for the run; otherwise on the large clinic.
SLOT_HEADROOM=2

# ----------------------------------------------------------------- helpers --

log() { printf '[%4ds] %s\n' "$SECONDS" "$*" >&2; }
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }

for tool in wrk python3 curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

declare -A SERVER_PID=()

cleanup() {
    local name pid
    for name in "${!SERVER_PID[@]}"; do
        pid=${SERVER_PID[$name]}
        kill "$pid" 2>/dev/null || true
    done
    for name in "${!SERVER_PID[@]}"; do
        pid=${SERVER_PID[$name]}
        {
            for _ in {1..100}; do
                kill -0 "$pid" || break
                sleep 0.1
            done
            kill -KILL "$pid" || true
            wait "$pid" || true
        } 2>/dev/null
    done
    SERVER_PID=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# port_busy PORT: true if something already accepts connections on it.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_health NAME PORT: wait until GET /health answers 200.
wait_health() {
    local name=$1 port=$2 pid=${SERVER_PID[$1]} code
    local deadline=$((SECONDS + HEALTH_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$RESULTS/$name.log" >&2 || true
            die "$name exited before /health answered (log: $RESULTS/$name.log)"
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
            "http://127.0.0.1:$port/health" || true)
        [[ $code == 200 ]] && return 0
        sleep 0.2
    done
    die "$name: GET /health did not answer 200 within ${HEALTH_TIMEOUT}s (log: $RESULTS/$name.log)"
}

# db_url DBDIR: the database of DBDIR — a SQLite file in it, or with BENCH_POSTGRES_URL a
# PostgreSQL database named after it, made empty by fresh_db.
db_name() { printf 'kabinet_bench_%s' "$(basename "$1" | tr -c 'a-z0-9\n' _)"; }
db_url() {
    if [[ -n ${BENCH_POSTGRES_URL:-} ]]; then
        printf '%s/%s' "${BENCH_POSTGRES_URL%/}" "$(db_name "$1")"
    else
        printf 'sqlite://%s/%s/kabinet.db' "$ROOT" "$1"
    fi
}
fresh_db() {
    mkdir -p "$1"
    [[ -n ${BENCH_POSTGRES_URL:-} ]] || return 0
    psql "${BENCH_POSTGRES_URL%/}/postgres" -q -c "DROP DATABASE IF EXISTS $(db_name "$1")" \
        -c "CREATE DATABASE $(db_name "$1")" || die "cannot create $(db_name "$1")"
}

# start_kabinet NAME PORT DBDIR: serve the database of DBDIR on PORT.
start_kabinet() {
    local name=$1 port=$2 dbdir=$3
    if port_busy "$port"; then die "127.0.0.1:$port is already in use"; fi
    log "starting $name: kabinet serve on 127.0.0.1:$port ($(db_url "$dbdir"))"
    # Every booking of case (c) comes from 127.0.0.1, as a call centre's would: no limit per
    # address (the per-phone limit stays; each booking has its own phone).
    KABINET_DATABASE_URL="$(db_url "$dbdir")" \
        KABINET_LISTEN="127.0.0.1:$port" \
        KABINET_BOOKING_RATE_LIMIT=0 \
        "$KABINET_BIN" serve >>"$RESULTS/$name.log" 2>&1 &
    SERVER_PID[$name]=$!
    wait_health "$name" "$port"
}

# stop_server NAME [SIGNAL]: stop a server started here and wait for it.
stop_server() {
    local name=$1 sig=${2:-TERM} pid
    pid=${SERVER_PID[$name]:-}
    [[ -n $pid ]] || return 0
    # stderr of the whole group is silenced: bash reports a job killed by a
    # signal ("Killed") when it reaps it, which may happen during the loop.
    {
        kill "-$sig" "$pid" || true
        for _ in {1..100}; do
            kill -0 "$pid" || break
            sleep 0.1
        done
        kill -KILL "$pid" || true
        wait "$pid" || true
    } 2>/dev/null
    unset "SERVER_PID[$name]"
}

# get PORT PATH [CURL ARGS...]: GET a URL, fail unless 2xx.
get() {
    local port=$1 path=$2
    shift 2
    curl -fsS --max-time 60 "$@" "http://127.0.0.1:$port$path"
}

# first_online_specialist PORT: id of the first specialist with online booking.
first_online_specialist() {
    get "$1" /api/v1/specialists | python3 -c '
import json, sys
doc = json.load(sys.stdin)
ids = [s["id"] for s in doc["items"] if s.get("online_booking") is True]
if not ids:
    sys.exit("no specialist with online_booking = true")
print(ids[0])
'
}

# save_week_slots PORT ID FILE: save the exact body of case (a)'s response.
save_week_slots() {
    local port=$1 id=$2 file=$3 items
    get "$port" "/api/v1/specialists/$id/slots?from=$TOMORROW&to=$WEEK_END" -o "$file"
    items=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$file")
    log "  $file: $(wc -c <"$file") bytes, $items free slots"
    ((items > 0)) || log "  WARNING: specialist $id has no free slots this week; case (a) measures an empty list"
}

# run_wrk NAME [WRK ARGS...] URL [-- SCRIPT ARGS]: run wrk, keep its output in
# $RESULTS/wrk-NAME.txt and set WRK_RPS WRK_P50 WRK_P99 (ms) WRK_NON2XX
# WRK_SOCKERR WRK_REQUESTS from it.
run_wrk() {
    local name=$1 out
    shift
    out="$RESULTS/wrk-$name.txt"
    log "  wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $*"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed for case $name"; }
    local parsed
    parsed=$(parse_wrk "$out")
    read -r WRK_RPS WRK_P50 WRK_P99 WRK_NON2XX WRK_SOCKERR WRK_REQUESTS <<<"$parsed"
    [[ -n $WRK_RPS && $WRK_RPS != "-" ]] || { cat "$out" >&2; die "no Requests/sec in $out"; }
    log "  -> $WRK_RPS req/s, p50 $WRK_P50 ms, p99 $WRK_P99 ms, $WRK_REQUESTS requests, $WRK_NON2XX non-2xx/3xx, $WRK_SOCKERR socket errors"
}

# parse_wrk FILE: "rps p50_ms p99_ms non2xx socket_errors requests".
parse_wrk() {
    awk '
        function ms(v,   n, u) {
            n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n
            if (u == "s")  return n * 1000
            if (u == "m")  return n * 60000
            if (u == "h")  return n * 3600000
            return -1
        }
        BEGIN { rps = "-"; p50 = -1; p99 = -1; non2xx = 0; sock = 0; requests = 0 }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
        / requests in / { requests = $1 }
        END { printf "%s %.3f %.3f %d %d %d\n", rps, p50, p99, non2xx, sock, requests }
    ' "$1"
}

# record KEY LABEL RPS P50 P99 NOTE: one row of results.tsv.
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS/results.tsv"
}

# wrk_note: a warning for a GET case whose run saw errors.
wrk_note() {
    local note=""
    ((WRK_NON2XX == 0)) || note+="WARNING: $WRK_NON2XX non-2xx/3xx responses. "
    ((WRK_SOCKERR == 0)) || note+="$WRK_SOCKERR socket errors. "
    printf '%s' "$note"
}

# collect_slots PORT OUT_JSON [OUT_LUA]: free slots of every specialist with
# online booking from tomorrow over BOOKING_DAYS days (in 7-day requests).
# Writes {"slots": [[id, start], ...]} to OUT_JSON and, if given, the slot
# data file for bench/bookings.lua (shuffled with a fixed seed, so bookings
# spread over specialists and days like real traffic). Prints
# "<slots> <specialists>".
collect_slots() {
    python3 - "$1" "$TOMORROW" "$BOOKING_DAYS" "$2" "${3:-}" <<'PY'
import datetime, http.client, json, random, sys

port, first, days, out_json, out_lua = sys.argv[1:6]
days = int(days)
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)

def get(path):
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()

# The list comes a page at a time: follow next_cursor to its end.
ids, cursor = [], None
while True:
    path = "/api/v1/specialists?limit=100" + (f"&cursor={cursor}" if cursor else "")
    status, body = get(path)
    if status != 200:
        sys.exit(f"GET {path}: HTTP {status}")
    doc = json.loads(body)
    ids += [s["id"] for s in doc["items"] if s.get("online_booking") is True]
    cursor = doc.get("next_cursor")
    if not cursor:
        break

start = datetime.date.fromisoformat(first)
seen, slots, refused = set(), [], {}
for sid in ids:
    for offset in range(0, days, 7):
        a = start + datetime.timedelta(days=offset)
        b = start + datetime.timedelta(days=min(offset + 6, days - 1))
        status, body = get(f"/api/v1/specialists/{sid}/slots?from={a}&to={b}")
        if status != 200:
            # Beyond the booking horizon (or another refusal): stop here for
            # this specialist; the same windows are queried on every call.
            refused[status] = refused.get(status, 0) + 1
            break
        for item in json.loads(body)["items"]:
            key = (sid, item["start"])
            if key not in seen:
                seen.add(key)
                slots.append(key)
if refused:
    print(f"  note: slot queries refused (HTTP status: count) {refused}", file=sys.stderr)

with open(out_json, "w") as f:
    json.dump({"port": int(port), "from": first, "days": days,
               "specialists": len(ids), "slots": slots}, f)
if out_lua:
    shuffled = list(slots)
    random.Random(20261124).shuffle(shuffled)
    # bookings.lua derives phones +7 900 5XX-XX-XX from the slot index.
    shuffled = shuffled[:4_000_000]
    with open(out_lua, "w") as f:
        f.write("-- generated by bench/run.sh: free slots for case (c),\n")
        f.write("-- one \"<specialist_id> <start>\" per line (see bench/bookings.lua)\n")
        f.write("return [==[\n")
        f.writelines(f"{sid} {st}\n" for sid, st in shuffled)
        f.write("]==]\n")
print(len(slots), len(ids))
PY
}

# ------------------------------------------------------------------- build --

if ((BUILD)); then
    log "== cargo build --release -p kabinet -p kabinet-bench-baseline"
    cargo build --release -p kabinet -p kabinet-bench-baseline
fi
[[ -x $KABINET_BIN ]] || die "$KABINET_BIN not found (build it, or set KABINET_BIN)"
[[ -x $BASELINE_BIN ]] || die "$BASELINE_BIN not found (build it, or set BASELINE_BIN)"

# Wipe this script's own output directory (gitignored) so that every file in
# it comes from this run.
[[ $RESULTS == bench/results ]] || die "unexpected results dir $RESULTS"
rm -rf "$RESULTS"
fresh_db "$RESULTS/db"
: >"$RESULTS/results.tsv"

for port in "$DEMO_PORT" "$LARGE_PORT" "$BASELINE_PORT"; do
    if port_busy "$port"; then
        die "127.0.0.1:$port is already in use; stop whatever listens there"
    fi
done

# Dates are in the clinic's time zone.
dates=$(python3 -c '
import datetime, zoneinfo
today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Moscow")).date()
t = today + datetime.timedelta(days=1)
print(t, t + datetime.timedelta(days=6))
')
read -r TOMORROW WEEK_END <<<"$dates"
log "== dates (Europe/Moscow): tomorrow $TOMORROW, week $TOMORROW..$WEEK_END; wrk $DURATION, -t$THREADS -c$CONNECTIONS"

# ------------------------------------------------------- demo clinic: a, b --

start_kabinet demo "$DEMO_PORT" "$RESULTS/db"
DEMO_ID=$(first_online_specialist "$DEMO_PORT")
SLOTS_PATH="/api/v1/specialists/$DEMO_ID/slots?from=$TOMORROW&to=$WEEK_END"
log "== demo clinic: specialist $DEMO_ID"
save_week_slots "$DEMO_PORT" "$DEMO_ID" "$RESULTS/slots.json"
SLOTS_BYTES=$(wc -c <"$RESULTS/slots.json")

log "== (a) slots for a week: GET $SLOTS_PATH"
run_wrk a "http://127.0.0.1:$DEMO_PORT$SLOTS_PATH"
A_RPS=$WRK_RPS
record a "(a) slots, week — demo clinic (specialist $DEMO_ID)" "$WRK_RPS" "$WRK_P50" "$WRK_P99" \
    "$(wrk_note)${SLOTS_BYTES} B body"

log "== (b) specialist page: GET /specialists/$DEMO_ID"
get "$DEMO_PORT" "/specialists/$DEMO_ID" -o "$RESULTS/specialist.html"
PAGE_BYTES=$(wc -c <"$RESULTS/specialist.html")
run_wrk b "http://127.0.0.1:$DEMO_PORT/specialists/$DEMO_ID"
record b "(b) specialist page, HTML — demo clinic" "$WRK_RPS" "$WRK_P50" "$WRK_P99" \
    "$(wrk_note)${PAGE_BYTES} B body"

# directory_cases PORT CLINIC SUFFIX: cases (e) and (f) against one clinic.
directory_cases() {
    local port=$1 clinic=$2 suffix=$3 bytes
    log "== (e) directory page — $clinic clinic: GET /specialists"
    bytes=$(curl -s --max-time 30 "http://127.0.0.1:$port/specialists" | wc -c)
    run_wrk "e$suffix" "http://127.0.0.1:$port/specialists"
    record "e$suffix" "(e) directory page, HTML — $clinic clinic" "$WRK_RPS" "$WRK_P50" \
        "$WRK_P99" "$(wrk_note)${bytes} B body"
    log "== (f) directory API — $clinic clinic: GET /api/v1/specialists"
    bytes=$(curl -s --max-time 30 "http://127.0.0.1:$port/api/v1/specialists" | wc -c)
    run_wrk "f$suffix" "http://127.0.0.1:$port/api/v1/specialists"
    record "f$suffix" "(f) directory API, first page — $clinic clinic" "$WRK_RPS" "$WRK_P50" \
        "$WRK_P99" "$(wrk_note)${bytes} B body"
}
directory_cases "$DEMO_PORT" demo ""

# ----------------------------------------------------------- baseline: d --

log "== (d) baseline: $BASELINE_BIN --body $RESULTS/slots.json"
"$BASELINE_BIN" --listen "127.0.0.1:$BASELINE_PORT" --body "$RESULTS/slots.json" \
    >"$RESULTS/baseline.log" 2>&1 &
SERVER_PID[baseline]=$!
for _ in {1..100}; do
    port_busy "$BASELINE_PORT" && break
    kill -0 "${SERVER_PID[baseline]}" 2>/dev/null || { cat "$RESULTS/baseline.log" >&2; die "baseline exited"; }
    sleep 0.1
done
get "$BASELINE_PORT" / -o "$RESULTS/baseline-body.json"
BASELINE_BYTES=$(wc -c <"$RESULTS/baseline-body.json")
log "  body sizes: kabinet (a) $SLOTS_BYTES bytes, baseline $BASELINE_BYTES bytes"
cmp -s "$RESULTS/slots.json" "$RESULTS/baseline-body.json" ||
    die "the baseline's body differs from (a)'s ($SLOTS_BYTES vs $BASELINE_BYTES bytes)"
run_wrk d "http://127.0.0.1:$BASELINE_PORT/"
BASE_RPS=$WRK_RPS
record d "(d) baseline: bare axum, same body" "$WRK_RPS" "$WRK_P50" "$WRK_P99" \
    "$(wrk_note)${BASELINE_BYTES} B body (same bytes as (a))"
stop_server baseline

# ------------------------------------------- which clinic for bookings (c) --

log "== free slots in the demo clinic ($BOOKING_DAYS days from $TOMORROW)"
counts=$(collect_slots "$DEMO_PORT" "$RESULTS/slots-demo-before.json" \
    "$RESULTS/booking-slots-demo.lua")
read -r DEMO_SLOTS DEMO_SPECS <<<"$counts"
NEED_SLOTS=$((TARGET_BOOKINGS * DURATION_S * SLOT_HEADROOM))
if ((DEMO_SLOTS >= NEED_SLOTS)); then
    C_CLINIC=demo
else
    C_CLINIC=large
fi
C_REASON="demo clinic: $DEMO_SLOTS free slots of $DEMO_SPECS specialists with online booking; a ${DURATION_S}s run at the target needs $NEED_SLOTS (${SLOT_HEADROOM}x $TARGET_BOOKINGS/s × ${DURATION_S}s) → case (c) runs on the $C_CLINIC clinic"
log "  $C_REASON"

# ---------------------------------------------------------- large clinic --

if ((LARGE)) || [[ $C_CLINIC == large ]]; then
    # The demo clinic is done unless (c) runs on it.
    if [[ $C_CLINIC == large ]]; then stop_server demo; fi

    fresh_db "$RESULTS/db-large"
    log "== generating the large clinic: kabinet demo --large ($(db_url "$RESULTS/db-large"))"
    gen_start=$SECONDS
    KABINET_DATABASE_URL="$(db_url "$RESULTS/db-large")" \
        "$KABINET_BIN" demo --large >"$RESULTS/large-demo.log" 2>&1 ||
        { tail -n 30 "$RESULTS/large-demo.log" >&2; die "kabinet demo --large failed"; }
    LARGE_GEN_S=$((SECONDS - gen_start))
    log "  generated in ${LARGE_GEN_S}s"
    start_kabinet large "$LARGE_PORT" "$RESULTS/db-large"
fi

if ((LARGE)); then
    LARGE_ID=$(first_online_specialist "$LARGE_PORT")
    LARGE_SLOTS_PATH="/api/v1/specialists/$LARGE_ID/slots?from=$TOMORROW&to=$WEEK_END"
    log "== (a) slots for a week — large clinic: GET $LARGE_SLOTS_PATH"
    save_week_slots "$LARGE_PORT" "$LARGE_ID" "$RESULTS/slots-large.json"
    LARGE_BYTES=$(wc -c <"$RESULTS/slots-large.json")
    run_wrk a-large "http://127.0.0.1:$LARGE_PORT$LARGE_SLOTS_PATH"
    A_LARGE_RPS=$WRK_RPS
    record a-large "(a) slots, week — large clinic (specialist $LARGE_ID)" "$WRK_RPS" "$WRK_P50" \
        "$WRK_P99" "$(wrk_note)${LARGE_BYTES} B body"
    directory_cases "$LARGE_PORT" large "-large"
fi

# -------------------------------------------------------------- bookings --

if [[ $C_CLINIC == large ]]; then
    C_PORT=$LARGE_PORT
    C_DB="$RESULTS/db-large"
    log "== free slots in the large clinic ($BOOKING_DAYS days from $TOMORROW)"
    counts=$(collect_slots "$C_PORT" "$RESULTS/slots-large-before.json" \
        "$RESULTS/booking-slots-large.lua")
    read -r C_SLOTS C_SPECS <<<"$counts"
    log "  $C_SLOTS free slots of $C_SPECS specialists with online booking"
else
    C_PORT=$DEMO_PORT
    C_DB="$RESULTS/db"
    C_SLOTS=$DEMO_SLOTS
    C_SPECS=$DEMO_SPECS
fi
((C_SLOTS > 0)) || die "no free slots to book in the $C_CLINIC clinic"

log "== (c) bookings on the $C_CLINIC clinic: POST /api/v1/bookings, $C_SLOTS distinct slots"
run_wrk c -s bench/bookings.lua "http://127.0.0.1:$C_PORT" -- \
    "$RESULTS/booking-slots-$C_CLINIC.lua" "$THREADS"
C_WRK_RPS=$WRK_RPS
BOOKINGS_LINE=$(grep -m1 '^bookings: ok=' "$RESULTS/wrk-c.txt") || die "no bookings: line in $RESULTS/wrk-c.txt"
bk() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${BOOKINGS_LINE#bookings: }"; }
C_OK=$(bk ok)
C_FAILED=$(bk failed)
C_EXHAUSTED=$(bk exhausted_threads)
C_OK_PER_S=$(bk ok_per_s)
C_FIRST_FAILURE=$(sed -n 's/^bookings: first_failure=//p' "$RESULTS/wrk-c.txt" | head -n1)
log "  -> $C_OK bookings created (201), $C_FAILED failed, $C_OK_PER_S successful bookings/s (wrk: $C_WRK_RPS req/s)"
[[ -z $C_FIRST_FAILURE ]] || log "  first failure: $C_FIRST_FAILURE"
C_NOTE="$C_OK × 201, $C_FAILED failed; $C_CLINIC clinic, $C_SLOTS slots"
((C_EXHAUSTED == 0)) ||
    C_NOTE+="; WARNING: $C_EXHAUSTED of $THREADS wrk threads ran out of slots, the rate is a lower bound"
((C_FAILED == 0)) || C_NOTE+="; first failure: ${C_FIRST_FAILURE:0:120}"
record c "(c) bookings, successful/s — $C_CLINIC clinic" "$C_OK_PER_S" "$WRK_P50" "$WRK_P99" "$C_NOTE"

# Acknowledged means committed: kill the server hard, restart it on the same
# database and check that at least as many slots are gone as bookings were
# acknowledged (201). This catches acknowledging before commit; it cannot
# simulate a power loss (see bench/README.md).
log "== durability check: kill -9 the $C_CLINIC server, restart, recount free slots"
stop_server "$C_CLINIC" KILL
start_kabinet "$C_CLINIC" "$C_PORT" "$C_DB"
collect_slots "$C_PORT" "$RESULTS/slots-$C_CLINIC-after.json" >/dev/null
DURABILITY=$(python3 - "$RESULTS/slots-$C_CLINIC-before.json" "$RESULTS/slots-$C_CLINIC-after.json" "$C_OK" <<'PY'
import json, sys
before = {tuple(s) for s in json.load(open(sys.argv[1]))["slots"]}
after = {tuple(s) for s in json.load(open(sys.argv[2]))["slots"]}
ok = int(sys.argv[3])
gone, new = len(before - after), len(after - before)
verdict = "OK" if gone >= ok and new == 0 else "FAILED"
print(f"{verdict}: {ok} bookings acknowledged, {gone} slots no longer free after "
      f"kill -9 and restart ({new} slots appeared)")
PY
)
log "  $DURABILITY"
cleanup

# ---------------------------------------------------------------- summary --

commit_info() {
    local c
    if c=$(git rev-parse --short HEAD 2>/dev/null); then
        git diff --quiet HEAD 2>/dev/null || c+=" (with uncommitted changes)"
        printf '%s' "$c"
    else
        printf 'none (no commits yet)'
    fi
}

{
    printf '# Kabinet benchmark\n\n'
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    printf -- '- commit: %s\n' "$(commit_info)"
    printf -- '- machine: %s, %s cores\n' "$(uname -srm)" "$(nproc)"
    printf -- '- database: %s\n' "$(db_url "$RESULTS/db" | sed 's/:\/\/[^@]*@/:\/\//')"
    printf -- '- wrk: -t%s -c%s -d%s --latency; dates from %s (Europe/Moscow tomorrow)\n' \
        "$THREADS" "$CONNECTIONS" "$DURATION" "$TOMORROW"
    printf -- '- body of (a): %s bytes; baseline body: %s bytes (identical)\n' "$SLOTS_BYTES" "$BASELINE_BYTES"
    printf -- '- %s\n' "$C_REASON"
    [[ -z ${LARGE_GEN_S:-} ]] || printf -- '- large clinic generated in %ss\n' "$LARGE_GEN_S"
    printf -- '- durability check: %s\n\n' "$DURABILITY"
} >"$RESULTS/summary.md"

python3 - "$RESULTS/results.tsv" "$BASE_RPS" "$A_RPS" "${A_LARGE_RPS:-}" "$C_OK_PER_S" \
    "$TARGET_SLOTS_PCT" "$TARGET_BOOKINGS" "$TARGET_LARGE_RATIO" "$DURABILITY" \
    "$TARGET_DIRECTORY_SHARE" "$TARGET_DIRECTORY_P99" >>"$RESULTS/summary.md" <<'PY'
import sys

tsv, base, a, a_large, c, t_pct, t_book, t_ratio, durability = sys.argv[1:10]
base, a, c = float(base), float(a), float(c)
t_pct, t_book, t_ratio = float(t_pct), float(t_book), float(t_ratio)

def ms(v):
    v = float(v)
    return "n/a" if v < 0 else (f"{v:.3f} ms" if v < 1 else f"{v:.2f} ms")

order = ["a", "a-large", "b", "c", "d", "e", "e-large", "f", "f-large"]
rows = [line.rstrip("\n").split("\t") for line in open(tsv, encoding="utf-8")]
rows.sort(key=lambda row: order.index(row[0]))
print("| case | requests/s | p50 | p99 | vs baseline | notes |")
print("|---|---:|---:|---:|---:|---|")
for key, label, rps, p50, p99, note in rows:
    rps = float(rps)
    ratio = "100 %" if key == "d" else f"{100 * rps / base:.1f} %"
    note = note.replace("|", "\\|")
    print(f"| {label} | {rps:,.0f} | {ms(p50)} | {ms(p99)} | {ratio} | {note} |")

def verdict(ok):
    return "PASS" if ok else "FAIL"

print()
print("Targets:")
print(f"- (a) ≥ {t_pct:.0f} % of the baseline's requests/s: {100 * a / base:.1f} % — "
      f"{verdict(100 * a / base >= t_pct)}")
durable = durability.startswith("OK")
print(f"- (c) ≥ {t_book:,.0f} successful bookings/s, durable when acknowledged: {c:,.0f}/s — "
      f"{verdict(c >= t_book and durable)}"
      + ("" if durable else " (durability check failed)"))
if a_large:
    slowdown = a / float(a_large)
    print(f"- (a) large clinic ≤ {t_ratio}× slower than demo: large/demo time ratio "
          f"{slowdown:.2f}× (demo {a:,.0f} req/s, large {float(a_large):,.0f} req/s) — "
          f"{verdict(slowdown <= t_ratio)}")
else:
    print("- (a) large clinic vs demo: not measured (run with --large)")
by_key = {row[0]: (float(row[2]), float(row[4])) for row in rows}
for case, what in (("e", "directory page"), ("f", "directory API")):
    if case + "-large" not in by_key:
        print(f"- ({case}) {what}, large clinic vs demo: not measured (run with --large)")
        continue
    (demo_rps, _), (large_rps, large_p99) = by_key[case], by_key[case + "-large"]
    share = 100 * large_rps / demo_rps
    t_share, t_p99 = float(sys.argv[10]), float(sys.argv[11])
    print(f"- ({case}) {what}: large clinic ≥ {t_share:.0f} % of the demo's requests/s with "
          f"p99 < {t_p99:.0f} ms: {share:.0f} % ({large_rps:,.0f} vs {demo_rps:,.0f} req/s), "
          f"p99 {ms(large_p99)} — {verdict(share >= t_share and large_p99 < t_p99)}")
PY

echo >&2
cat "$RESULTS/summary.md"
