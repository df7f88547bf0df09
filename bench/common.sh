# Shared steps of bench/ingest.sh and bench/query.sh (sourced, not run): a results directory, a temporary
# work directory removed on exit (unless BENCH_KEEP; BENCH_REUSE names one kept earlier, whose events file
# and database are used again), packaging, the demo events file, and the service.
# Needs NAME, EVENTS, SEED, END_DATE, BATCH, PORT, ADMIN_KEY; sets out, work, cp, pid, jdbc.

cd "$(dirname "$0")/.."
out="bench/out/$NAME-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
if [[ -n ${BENCH_REUSE:-} ]]; then
    work=$BENCH_REUSE
    BENCH_KEEP=1
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX")
fi
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

if [[ ! -s $work/events.ndjson ]]; then
    echo "== generating $EVENTS events (seed $SEED, history up to $END_DATE) in batches of $BATCH"
    java -cp "$cp" io.crmanalytics.demo.DemoGenerator --seed "$SEED" --events "$EVENTS" --end "$END_DATE" \
        --batch "$BATCH" --out "$work/events.ndjson"
fi

# start_service [JAVA_OPTS...]: the packaged jar on PORT with the embedded PostgreSQL in the work
# directory (or CRM_DB_URL); returns once it is ready, with pid and jdbc set.
start_service() {
    echo "== starting the service on port $PORT (log: $out/service.log)"
    [[ -n ${CRM_DB_URL:-} ]] || export CRM_DATA_DIR="$work/postgres"
    CRM_ANALYTICS_ADMIN_KEY=$ADMIN_KEY CRM_HTTP_PORT=$PORT \
        java "$@" -jar target/quarkus-app/quarkus-run.jar >"$out/service.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 240); do
        curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null && break
        kill -0 "$pid" 2>/dev/null || { echo "the service exited:"; tail -20 "$out/service.log"; exit 1; }
        sleep 0.5
    done
    curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null || { echo "the service did not get ready"; exit 1; }
    if [[ -n ${CRM_DB_URL:-} ]]; then
        jdbc=$CRM_DB_URL
        [[ $jdbc == jdbc:* ]] || jdbc="jdbc:$jdbc"
    else
        local db_port
        db_port=$(sed -n 's/.*embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$out/service.log" | head -1)
        jdbc="jdbc:postgresql://localhost:$db_port/postgres"
    fi
}
