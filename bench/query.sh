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
BATCH=5000
ADMIN_KEY=bench-admin

NAME=query
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
start_service ${BENCH_JAVA_OPTS:--Xmx1g}

java -cp "$cp" io.crmanalytics.bench.QueryBench --url "http://localhost:$PORT" --admin-key "$ADMIN_KEY" \
    --events "$work/events.ndjson" --jdbc "$jdbc" --db-user "${CRM_DB_USER:-postgres}" \
    --db-password "${CRM_DB_PASSWORD:-postgres}" --repeats "$REPEATS" --end "$END_DATE" \
    --only "${BENCH_ONLY:-}" --load "${BENCH_LOAD:-api}" --reuse "$([[ -n ${BENCH_REUSE:-} ]] && echo true || echo false)" \
    | tee "$out/result.txt"
echo "(saved in $out)"
