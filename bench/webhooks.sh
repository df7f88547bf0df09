#!/usr/bin/env bash
# Steady webhook load against the packaged service with its embedded PostgreSQL in a temp dir:
# amoCRM "lead status changed" posts at RATE/s for DURATION seconds (after WARMUP unmeasured seconds), each one
# verified, stored raw, mapped and ingested. Prints p50/p95/p99 latency.
#   bench/webhooks.sh                 # builds the jar unless SKIP_BUILD=1
#   RATE=200 DURATION=60 WARMUP=15 PORT=18931 bench/webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-200}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-15}
PORT=${PORT:-18931}
ADMIN_KEY=bench-admin-key
BASE="http://127.0.0.1:${PORT}"

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f target/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -q package -DskipTests
fi

if curl -s -o /dev/null "$BASE/q/health"; then
  echo "something already listens on port $PORT; set PORT" >&2
  exit 1
fi

DATA=$(mktemp -d)
LOG="$DATA/service.log"
CRM_ANALYTICS_ADMIN_KEY=$ADMIN_KEY CRM_DATA_DIR="$DATA/postgres" CRM_HTTP_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE=$!
cleanup() {
  kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 180); do
  curl -sf "$BASE/q/health/ready" >/dev/null && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 1
done
curl -sf "$BASE/q/health/ready" >/dev/null || { echo "service not ready"; tail -50 "$LOG"; exit 1; }

json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
WS=$(curl -sf -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"bench"}' "$BASE/api/v1/workspaces")
WS_ID=$(echo "$WS" | json id)
WS_ADMIN=$(echo "$WS" | json adminKey)
SECRET=bench-webhook-secret-$RANDOM$RANDOM
curl -sf -X PUT -H "Authorization: Bearer $WS_ADMIN" -H 'Content-Type: application/json' \
  -d "{\"secret\":\"$SECRET\",\"pipelines\":{\"3001\":\"Sales\"}}" "$BASE/api/v1/webhooks/amocrm/config" >/dev/null

echo "crm-analytics webhooks bench: $(nproc) cores, $(java -version 2>&1 | head -1)"
java bench/WebhookLoad.java "$BASE/api/v1/webhooks/amocrm?workspace=$WS_ID&token=$SECRET" \
  "$RATE" "$DURATION" "$WARMUP"
# the service's own time per request (verify, store, map, ingest; warm-up included), from its histogram:
# the upper bound of the bucket holding each percentile
curl -sf "$BASE/q/metrics" >"$DATA/metrics.txt"
grep '^crm_webhooks_received_total' "$DATA/metrics.txt" || true
grep '^crm_webhooks_latency_seconds_bucket' "$DATA/metrics.txt" | sed 's/.*le="\([^"]*\)".* \([0-9.E+]*\)$/\1 \2/' |
  awk '{le[NR]=$1; n[NR]=$2} END {total=n[NR]; split("0.50 0.95 0.99", ps, " "); line="server-side ms incl. warm-up (bucket bound):";
       for (k=1; k<=3; k++) for (i=1; i<=NR; i++) if (n[i] >= ps[k]*total) { line=line sprintf("  p%d <= %s", ps[k]*100, le[i]=="+Inf" ? "inf" : le[i]*1000); break }
       print line}'
