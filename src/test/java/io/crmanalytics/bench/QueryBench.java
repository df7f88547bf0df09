package io.crmanalytics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.demo.DemoGenerator;
import io.crmanalytics.ingest.EventValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * The query benchmark behind {@code bench/query.sh}: loads a file of demo event batches through
 * {@code POST /api/v1/events}, then times every query endpoint for a one-year window (p50/p95 over
 * repeated calls) and, in the same run, a plain SQL aggregate over the raw events table answering
 * roughly the same question (without the contract's as-of semantics), and prints both and the ratio.
 * Last, how long an ingested event takes to show in /api/v1/kpis. Not a test: surefire skips *Bench.
 */
public final class QueryBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Endpoint path and query → the raw-SQL baseline over the same window (:ws, :from, :to bound). */
    private static final Map<String, String> CASES = new LinkedHashMap<>();

    static {
        CASES.put("/api/v1/kpis", """
                select count(*) filter (where type = 'lead.created'),
                       sum(amount) filter (where type = 'marketing.spend'),
                       count(*) filter (where type = 'deal.won'), count(*) filter (where type = 'deal.lost'),
                       sum(amount) filter (where type = 'payment.received'), count(*) filter (where type = 'site.visit'),
                       count(*) filter (where type = 'ticket.opened')
                from events where workspace_id = ? and occurred_at >= ? and occurred_at < ?""");
        CASES.put("/api/v1/funnel", """
                select pipeline, stage, count(distinct deal_id) from events
                where workspace_id = ? and type in ('deal.created', 'deal.stage_changed')
                  and occurred_at >= ? and occurred_at < ? group by 1, 2""");
        CASES.put("/api/v1/channels", """
                select channel, count(*) filter (where type = 'lead.created'),
                       sum(amount) filter (where type = 'marketing.spend')
                from events where workspace_id = ? and type in ('lead.created', 'marketing.spend')
                  and occurred_at >= ? and occurred_at < ? group by 1""");
        CASES.put("/api/v1/channels?groupBy=campaign", """
                select channel, coalesce(campaign, utm_campaign), count(*) filter (where type = 'lead.created'),
                       sum(amount) filter (where type = 'marketing.spend')
                from events where workspace_id = ? and type in ('lead.created', 'marketing.spend')
                  and occurred_at >= ? and occurred_at < ? group by 1, 2""");
        CASES.put("/api/v1/managers", """
                select manager_id, count(*) filter (where type = 'call.logged'), count(*) filter (where type = 'meeting.logged'),
                       count(*) filter (where type = 'message.sent'), count(*) filter (where type = 'task.created')
                from events where workspace_id = ? and manager_id is not null
                  and occurred_at >= ? and occurred_at < ? group by 1""");
        CASES.put("/api/v1/service", """
                select category, count(*) from events
                where workspace_id = ? and type = 'ticket.opened' and occurred_at >= ? and occurred_at < ? group by 1""");
        CASES.put("/api/v1/lost-reasons", """
                select reason, count(*) from events
                where workspace_id = ? and type = 'deal.lost' and occurred_at >= ? and occurred_at < ? group by 1""");
        CASES.put("/api/v1/timeseries?metric=leads&granularity=month", """
                select date_trunc('month', occurred_at at time zone 'UTC'), count(*) from events
                where workspace_id = ? and type = 'lead.created' and occurred_at >= ? and occurred_at < ? group by 1""");
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;
    private final String adminKey;

    private QueryBench(String url, String adminKey) {
        this.url = url;
        this.adminKey = adminKey;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        var bench = new QueryBench(o.get("url"), o.get("admin-key"));
        int repeats = Integer.parseInt(o.getOrDefault("repeats", "20"));
        String only = o.getOrDefault("only", "");
        CASES.keySet().removeIf(path -> !only.isEmpty() && !path.matches(only));
        LocalDate end = LocalDate.parse(o.get("end"));
        try (Connection db = DriverManager.getConnection(o.get("jdbc"), o.get("db-user"), o.get("db-password"))) {
            bench.run(Path.of(o.get("events")), Integer.parseInt(o.getOrDefault("clients", "4")), repeats, end, db,
                    Boolean.parseBoolean(o.getOrDefault("reuse", "false")), "copy".equals(o.get("load")));
        }
    }

    private void run(Path events, int clients, int repeats, LocalDate end, Connection db, boolean reuse,
                     boolean copy) throws Exception {
        UUID workspace;
        String ingestKey;
        String readKey;
        if (reuse) {
            // the database of an earlier run (BENCH_REUSE): its workspace, with new keys
            try (var st = db.createStatement(); var rs = st.executeQuery(
                    "select id from workspaces where name = 'query-bench' order by created_at desc limit 1")) {
                rs.next();
                workspace = rs.getObject(1, UUID.class);
            }
            ingestKey = "bench-ingest-" + UUID.randomUUID();
            readKey = "bench-read-" + UUID.randomUUID();
            try (var st = db.prepareStatement("insert into api_keys (key_hash, workspace_id, scope) "
                    + "values (encode(sha256(convert_to(?, 'UTF8')), 'hex'), ?, 'ingest'), "
                    + "(encode(sha256(convert_to(?, 'UTF8')), 'hex'), ?, 'read')")) {
                st.setString(1, ingestKey);
                st.setObject(2, workspace);
                st.setString(3, readKey);
                st.setObject(4, workspace);
                st.executeUpdate();
            }
            System.out.printf("reusing workspace %s of an earlier run%n", workspace);
        } else {
            JsonNode ws = JSON.readTree(post("/api/v1/workspaces", adminKey, "{\"name\":\"query-bench\"}"));
            workspace = UUID.fromString(ws.get("id").asText());
            ingestKey = ws.get("ingestKey").asText();
            readKey = ws.get("readKey").asText();
            put("/api/v1/channel-mappings", ws.get("adminKey").asText(), JSON.writeValueAsString(
                    Map.of("utmSources", DemoGenerator.UTM_SOURCES, "trackingNumbers", DemoGenerator.TRACKING_NUMBERS)));

            long loadStart = System.nanoTime();
            if (copy) {
                long copied = copy(events, db, workspace);
                System.out.printf("copied %,d events into the events table in %.0f s%n", copied,
                        (System.nanoTime() - loadStart) / 1e9);
                long rebuildStart = System.nanoTime();
                post("/api/v1/admin/rebuild", ws.get("adminKey").asText(), "");
                System.out.printf("derived state rebuilt from them in %.0f s%n", (System.nanoTime() - rebuildStart) / 1e9);
            } else {
                long loaded = load(events, clients, ingestKey);
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                System.out.printf("loaded %,d events through the API in %.0f s (%,.0f events/s)%n", loaded,
                        loadSeconds, loaded / loadSeconds);
            }
        }
        // the timings are of the summed rollups: wait until the service has summed every dirty day (after a
        // load, or a migration that adds a rollup)
        long waitStart = System.nanoTime();
        try (var st = db.prepareStatement("select count(*) from rollup_dirty where workspace_id = ?")) {
            st.setObject(1, workspace);
            while (true) {
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(1000);
            }
        }
        System.out.printf("the daily rollups were summed %.0f s after the load%n", (System.nanoTime() - waitStart) / 1e9);
        try (var st = db.createStatement()) {
            st.execute("vacuum analyze");
        }

        Instant to = end.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = end.minusYears(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        String window = "from=" + from + "&to=" + to;
        System.out.printf("%nwindow [%s, %s), %d calls each after 2 warm-up calls%n", from, to, repeats);
        System.out.printf("%-52s %9s %9s %9s %9s %8s%n", "endpoint", "api p50", "api p95", "sql p50", "sql p95",
                "p50 x");
        for (var c : CASES.entrySet()) {
            String path = c.getKey() + (c.getKey().contains("?") ? "&" : "?") + window;
            List<Double> api = time(repeats, () -> get(path, readKey));
            List<Double> sql = time(repeats, () -> {
                try (var st = db.prepareStatement(c.getValue())) {
                    st.setObject(1, workspace);
                    st.setObject(2, from.atOffset(ZoneOffset.UTC));
                    st.setObject(3, to.atOffset(ZoneOffset.UTC));
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
            });
            System.out.printf("%-52s %7.1f ms %6.1f ms %6.1f ms %6.1f ms %7.2f%n", c.getKey(), pct(api, 0.5),
                    pct(api, 0.95), pct(sql, 0.5), pct(sql, 0.95), pct(api, 0.5) / pct(sql, 0.5));
        }

        // freshness: a lead created just before 'to' is counted by the first kpis call after its ingest
        String leads = "/api/v1/kpis?from=" + from + "&to=" + to;
        long before = JSON.readTree(get(leads, readKey)).get("leads").asLong();
        String lead = "{\"eventId\":\"fresh-" + UUID.randomUUID() + "\",\"type\":\"lead.created\",\"occurredAt\":\""
                + to.minusSeconds(1) + "\",\"leadId\":\"fresh-" + UUID.randomUUID() + "\"}";
        long start = System.nanoTime();
        post("/api/v1/events", ingestKey, lead);
        while (JSON.readTree(get(leads, readKey)).get("leads").asLong() == before) {
            Thread.sleep(5);
        }
        System.out.printf("%nan ingested event is in /api/v1/kpis %.0f ms after it was posted%n",
                (System.nanoTime() - start) / 1e6);
    }

    private long load(Path events, int clients, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        var count = new AtomicLong();
        var futures = new ArrayList<Future<?>>();
        try (var lines = Files.lines(events)) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String batch = it.next();
                futures.add(pool.submit(() -> {
                    JsonNode result = JSON.readTree(post("/api/v1/events", key, batch));
                    count.addAndGet(result.get("accepted").asLong());
                    return null;
                }));
                if (futures.size() >= clients * 4) {
                    futures.remove(0).get();
                }
            }
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        return count.get();
    }

    /**
     * BENCH_LOAD=copy: the events straight into the events table with COPY (the rows the service's
     * validator makes, as IngestBench's baseline), for a rebuild to derive the rest: a 10M database in
     * about half an hour where the API takes one to one and a half hours on the development machine.
     */
    private static long copy(Path events, Connection db, UUID workspace) throws Exception {
        long n = 0;
        var copyIn = db.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy events (workspace_id, " + IngestBench.ROW_COLUMNS + ") from stdin");
        var rows = new StringBuilder(1 << 20);
        try (var lines = Files.lines(events)) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                JsonNode batch = JSON.readTree(it.next());
                for (JsonNode node : batch.isArray() ? batch : List.of(batch)) {
                    rows.append(workspace).append('\t').append(IngestBench.copyRow(EventValidator.validate(node).event()));
                    n++;
                }
                if (rows.length() > 1 << 20 || !it.hasNext()) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copyIn.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
        }
        copyIn.endCopy();
        return n;
    }

    private interface Call {
        void run() throws Exception;
    }

    private static List<Double> time(int repeats, Call call) throws Exception {
        call.run();
        call.run();
        var millis = new ArrayList<Double>();
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            call.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        return millis;
    }

    /** Nearest rank. */
    private static double pct(List<Double> sorted, double p) {
        return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    private String get(String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key).GET());
    }

    private String post(String path, String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String put(String path, String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String send(HttpRequest.Builder request) throws Exception {
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
