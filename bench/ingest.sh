#!/usr/bin/env bash
# Ingest benchmark: HTTP POST /api/v1/events against a raw COPY into the same events table.
# Usage: bench/ingest.sh [EVENTS]   (default 1,000,000; see bench/README.md for the settings)
set -euo pipefail

EVENTS=${1:-${BENCH_EVENTS:-1000000}}
CLIENTS=${BENCH_CLIENTS:-4}
COPY_STREAMS=${BENCH_COPY_STREAMS:-1}
RUNS=${BENCH_RUNS:-3}
SEED=${BENCH_SEED:-42}
BATCH=${BENCH_BATCH:-5000}
PORT=${BENCH_PORT:-18080}
END_DATE=${BENCH_END_DATE:-2026-03-01}
ADMIN_KEY=bench-admin

NAME=ingest
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
start_service ${BENCH_JAVA_OPTS:-}

echo "== benchmark (service pid $pid, database $jdbc)"
java -cp "$cp" io.crmanalytics.bench.IngestBench --url "http://localhost:$PORT" --admin-key "$ADMIN_KEY" \
    --events "$work/events.ndjson" --jdbc "$jdbc" --db-user "${CRM_DB_USER:-postgres}" \
    --db-password "${CRM_DB_PASSWORD:-postgres}" --pid "$pid" --clients "$CLIENTS" \
    --copy-streams "$COPY_STREAMS" --runs "$RUNS" \
    | tee "$out/result.txt"
echo "(saved in $out)"
