#!/usr/bin/env bash
# Query benchmark: every query endpoint for a one-year window (p50/p95) against a plain SQL aggregate
# over the raw events table, after loading N demo events through the API.
# Usage: bench/query.sh [EVENTS]   (default 10,000,000; see bench/README.md)
set -euo pipefail

EVENTS=${1:-${BENCH_EVENTS:-10000000}}
REPEATS=${BENCH_REPEATS:-20}
SEED=${BENCH_SEED:-42}
PORT=${BENCH_PORT:-18081}
END_DATE=${BENCH_END_DATE:-2026-03-01}
ADMIN_KEY=bench-admin

cd "$(dirname "$0")/.."
out="bench/out/query-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX")
pid=
cleanup() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    fi
    [[ -n ${BENCH_KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

echo "== packaging"
./mvnw -B -q package -DskipTests
cp="target/classes:target/test-classes:target/quarkus-app/lib/main/*"

echo "== generating $EVENTS events (seed $SEED, history up to $END_DATE)"
java -cp "$cp" io.crmanalytics.demo.DemoGenerator --seed "$SEED" --events "$EVENTS" --end "$END_DATE" \
    --batch 5000 --out "$work/events.ndjson"

echo "== starting the service on port $PORT (log: $out/service.log)"
[[ -n ${CRM_DB_URL:-} ]] || export CRM_DATA_DIR="$work/postgres"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
CRM_ANALYTICS_ADMIN_KEY=$ADMIN_KEY CRM_HTTP_PORT=$PORT \
    java ${BENCH_JAVA_OPTS:--Xmx1g} -jar target/quarkus-app/quarkus-run.jar >"$out/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
    curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "the service exited:"; tail -20 "$out/service.log"; exit 1; }
    sleep 0.5
done
if [[ -n ${CRM_DB_URL:-} ]]; then
    jdbc=$CRM_DB_URL
    [[ $jdbc == jdbc:* ]] || jdbc="jdbc:$jdbc"
else
    db_port=$(sed -n 's/.*embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$out/service.log" | head -1)
    jdbc="jdbc:postgresql://localhost:$db_port/postgres"
fi

java -cp "$cp" io.crmanalytics.bench.QueryBench --url "http://localhost:$PORT" --admin-key "$ADMIN_KEY" \
    --events "$work/events.ndjson" --jdbc "$jdbc" --db-user "${CRM_DB_USER:-postgres}" \
    --db-password "${CRM_DB_PASSWORD:-postgres}" --repeats "$REPEATS" --end "$END_DATE" \
    --only "${BENCH_ONLY:-}" \
    | tee "$out/result.txt"
echo "(saved in $out)"
