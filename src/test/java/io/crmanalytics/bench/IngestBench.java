package io.crmanalytics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmanalytics.ingest.Column;
import io.crmanalytics.ingest.EventValidator;
import io.crmanalytics.ingest.ValidEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * The ingest benchmark behind {@code bench/ingest.sh} (run from there: it packages and starts the
 * service). Posts a file of event batches (one JSON array per line) to {@code POST /api/v1/events} with a
 * few concurrent clients, then loads the same events as the rows the service stores into the
 * {@code events} table of another workspace with {@code COPY}, and compares: events/s, rows/s, their
 * ratio, the service's CPU time per event, its peak heap (sampled from /q/metrics) and RSS
 * (/proc/PID/status). Each run uses two fresh workspaces; figures are medians over the runs.
 * Not a test: surefire does not pick up *Bench.
 */
public final class IngestBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROW_COLUMNS = "event_id, type, occurred_at, source, currency, extra, "
            + Arrays.stream(Column.values()).map(c -> c.sqlName).collect(Collectors.joining(", "));

    private final String url;
    private final String adminKey;
    private final Path events;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final long pid;
    private final int clients;
    private final int copyStreams;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong peakHeapUsed = new AtomicLong();
    private final AtomicLong peakHeapCommitted = new AtomicLong();

    private IngestBench(Map<String, String> o) {
        url = o.getOrDefault("url", "http://localhost:18080");
        adminKey = o.getOrDefault("admin-key", "bench-admin");
        events = Path.of(required(o, "events"));
        jdbcUrl = required(o, "jdbc");
        dbUser = o.getOrDefault("db-user", "postgres");
        dbPassword = o.getOrDefault("db-password", "postgres");
        pid = Long.parseLong(required(o, "pid"));
        clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        copyStreams = Integer.parseInt(o.getOrDefault("copy-streams", "1"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new IngestBench(options).run(Integer.parseInt(options.getOrDefault("runs", "3")));
    }

    private void run(int runs) throws Exception {
        Path rows = Files.createTempFile(events.getParent(), "copy-rows", ".tsv");
        long n = writeCopyRows(rows);
        System.out.printf("%,d events, %d HTTP client(s), %d COPY stream(s), %d run(s); load average %s%n", n, clients,
                copyStreams, runs, loadAverage());
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
        var httpRates = new ArrayList<Double>();
        var httpCpu = new ArrayList<Double>();
        var copyRates = new ArrayList<Double>();
        var ratios = new ArrayList<Double>();
        String[] last = new String[2];
        for (int run = 1; run <= runs; run++) {
            var target = createWorkspace("bench-http-" + run);
            double cpu = cpuSeconds();
            double seconds = postAll(target.get("ingestKey").asText(), n);
            cpu = cpuSeconds() - cpu;
            httpRates.add(n / seconds);
            httpCpu.add(cpu);
            System.out.printf("run %d  HTTP  %,d events in %6.2f s = %,9.0f events/s (service CPU %.1f s)%n", run, n,
                    seconds, n / seconds, cpu);

            var copyTarget = createWorkspace("bench-copy-" + run);
            seconds = copy(UUID.fromString(copyTarget.get("id").asText()), rows);
            copyRates.add(n / seconds);
            // HTTP and COPY of one run are back to back: their ratio is the least disturbed by other load
            ratios.add(httpRates.get(run - 1) / copyRates.get(run - 1));
            System.out.printf("run %d  COPY  %,d rows   in %6.2f s = %,9.0f rows/s (HTTP / COPY %.2f)%n", run, n,
                    seconds, n / seconds, ratios.get(run - 1));
            last[0] = target.get("id").asText();
            last[1] = copyTarget.get("id").asText();
        }
        sampler.shutdownNow();
        sample();
        Files.delete(rows);
        double httpRate = median(httpRates);
        double copyRate = median(copyRates);
        long[] rss = rss();
        System.out.printf("%nmedian of %d run(s), %,d events, %d HTTP client(s), %d COPY stream(s); load average %s%n",
                runs, n, clients, copyStreams, loadAverage());
        System.out.printf("  HTTP POST /api/v1/events : %,10.0f events/s%n", httpRate);
        System.out.printf("  COPY into events         : %,10.0f rows/s%n", copyRate);
        System.out.printf("  HTTP / COPY              : %10.2f (median of the runs' ratios)%n", median(ratios));
        System.out.printf("  service CPU per event    : %10.1f µs (JVM user+system time during HTTP runs)%n",
                median(httpCpu) * 1e6 / n);
        System.out.printf("  service heap, peak used  : %,10d MiB (peak committed %,d MiB; sampled every 250 ms)%n",
                peakHeapUsed.get() >> 20, peakHeapCommitted.get() >> 20);
        System.out.printf("  service RSS, peak (VmHWM): %,10d MiB (VmRSS now %,d MiB; JVM only, PostgreSQL apart)%n",
                rss[0] >> 10, rss[1] >> 10);
        System.out.printf("  rows differing between the HTTP and the COPY workspace (last run): %d%n",
                differingRows(UUID.fromString(last[0]), UUID.fromString(last[1])));
    }

    /** The rows the service would store for the events: validated by the service's own validator. */
    private long writeCopyRows(Path rows) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode batch = JSON.readTree(line);
                for (JsonNode node : batch.isArray() ? batch : List.of(batch)) {
                    var result = EventValidator.validate(node);
                    if (result.event() == null) {
                        throw new IllegalStateException("Invalid event " + node + ": " + result.errors());
                    }
                    out.write(copyRow(result.event()));
                    n++;
                }
            }
        }
        return n;
    }

    static String copyRow(ValidEvent e) {
        var row = new StringBuilder(256);
        field(row, e.eventId()).append('\t');
        field(row, e.type().wireName).append('\t');
        field(row, e.occurredAt().toString()).append('\t');
        field(row, e.source()).append('\t');
        field(row, e.currency()).append('\t');
        field(row, e.extraJson());
        for (var column : Column.values()) {
            Object value = e.column(column);
            row.append('\t');
            field(row, value instanceof BigDecimal d ? d.toPlainString() : value == null ? null : value.toString());
        }
        return row.append('\n').toString();
    }

    /** COPY text format: \N for null, backslash escapes for the delimiter, newlines and backslash. */
    private static StringBuilder field(StringBuilder row, String value) {
        if (value == null) {
            return row.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(ch);
            }
        }
        return row;
    }

    private JsonNode createWorkspace(String name) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url + "/api/v1/workspaces"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "-" + UUID.randomUUID() + "\"}"))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Creating a workspace: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Posts every line of the events file, {@code clients} requests at a time; returns the seconds taken. */
    private double postAll(String ingestKey, long expected) throws Exception {
        var accepted = new AtomicLong();
        var other = new AtomicLong();
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            var pool = Executors.newFixedThreadPool(clients);
            var workers = new ArrayList<Callable<Void>>();
            for (int i = 0; i < clients; i++) {
                workers.add(() -> {
                    for (String line; (line = nextLine(in)) != null; ) {
                        var request = HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
                                .header("Authorization", "Bearer " + ingestKey)
                                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
                        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("POST /api/v1/events: " + response.statusCode() + " "
                                    + response.body());
                        }
                        var body = JSON.readTree(response.body());
                        accepted.addAndGet(body.get("accepted").asLong());
                        other.addAndGet(body.get("duplicates").asLong() + body.get("rejected").size());
                    }
                    return null;
                });
            }
            long started = System.nanoTime();
            for (var result : pool.invokeAll(workers)) {
                result.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            if (accepted.get() != expected || other.get() != 0) {
                throw new IllegalStateException("Expected " + expected + " accepted events, got " + accepted
                        + " and " + other + " duplicates or rejections");
            }
            return seconds;
        }
    }

    private static String nextLine(BufferedReader in) throws IOException {
        synchronized (in) {
            return in.readLine();
        }
    }

    /**
     * COPY of the prepared rows into the workspace: {@code copyStreams} connections, each one COPY
     * statement (autocommit) fed chunks of the rows; returns the seconds taken.
     */
    private double copy(UUID workspace, Path rows) throws Exception {
        byte[] prefix = (workspace + "\t").getBytes(StandardCharsets.UTF_8);
        try (BufferedReader in = Files.newBufferedReader(rows, StandardCharsets.UTF_8)) {
            var pool = Executors.newFixedThreadPool(copyStreams);
            var workers = new ArrayList<Callable<Void>>();
            for (int i = 0; i < copyStreams; i++) {
                workers.add(() -> {
                    copyStream(in, prefix);
                    return null;
                });
            }
            long started = System.nanoTime();
            for (var result : pool.invokeAll(workers)) {
                result.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            return seconds;
        }
    }

    private void copyStream(BufferedReader in, byte[] prefix) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            var copyIn = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy events (workspace_id, " + ROW_COLUMNS + ") from stdin");
            var buffer = new ByteArrayOutputStream(1 << 18);
            for (List<String> chunk; !(chunk = nextLines(in, 1000)).isEmpty(); ) {
                for (var line : chunk) {
                    buffer.write(prefix);
                    buffer.write(line.getBytes(StandardCharsets.UTF_8));
                    buffer.write('\n');
                }
                copyIn.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                buffer.reset();
            }
            copyIn.endCopy();
        }
    }

    private static List<String> nextLines(BufferedReader in, int max) throws IOException {
        var lines = new ArrayList<String>(max);
        synchronized (in) {
            for (String line; lines.size() < max && (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Rows of one workspace not in the other (both ways, with multiplicity); 0 when COPY matched the service. */
    private long differingRows(UUID http, UUID copied) throws Exception {
        String select = "select " + ROW_COLUMNS + " from events where workspace_id = ?";
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             var st = c.prepareStatement("select count(*) from ((" + select + " except all " + select
                     + ") union all (" + select + " except all " + select + ")) d")) {
            st.setObject(1, http);
            st.setObject(2, copied);
            st.setObject(3, copied);
            st.setObject(4, http);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void sample() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            peakHeapUsed.accumulateAndGet(heap(metrics, "jvm_memory_used_bytes{"), Math::max);
            peakHeapCommitted.accumulateAndGet(heap(metrics, "jvm_memory_committed_bytes{"), Math::max);
        } catch (IOException e) {
            // a missed sample; the next one follows in 250 ms
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The sum over the heap's memory pools of a Prometheus gauge. */
    private static long heap(String metrics, String gauge) {
        return metrics.lines().filter(l -> l.startsWith(gauge) && l.contains("area=\"heap\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The machine's 1, 5 and 15 minute load averages: figures taken on a busy machine are low and noisy. */
    private static String loadAverage() throws IOException {
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return load[0] + " " + load[1] + " " + load[2] + " on " + Runtime.getRuntime().availableProcessors()
                + " cores";
    }

    /** User plus system CPU time of the service process so far (from /proc/PID/stat, in 1/100 s ticks). */
    private double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** {VmHWM, VmRSS} of the service process in KiB. */
    private long[] rss() throws IOException {
        long[] kib = new long[2];
        for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                kib[0] = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmRSS:")) {
                kib[1] = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kib;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
