import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-model load: posts amoCRM "lead status changed" webhooks at a fixed rate, each a new change (a new
 * event to store), whatever the server's pace. Latency runs from the moment a request was due, not when it
 * went out, so a stalled server shows in the figures instead of slowing the load (no coordinated omission).
 *
 * java bench/WebhookLoad.java URL RATE_PER_SECOND SECONDS WARMUP_SECONDS
 */
public class WebhookLoad {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int total = rate * (warmup + seconds);
        long periodNanos = 1_000_000_000L / rate;
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        long[] latencies = new long[total];
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        var done = new CountDownLatch(total);
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        var sent = new AtomicInteger();
        long start = System.nanoTime() + 100_000_000L;
        long epoch = System.currentTimeMillis() / 1000;
        scheduler.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            if (i >= total) {
                return;
            }
            long due = start + i * periodNanos;
            // a lead moving through four stages: every request is a distinct change
            long lead = 100_000 + i / 4;
            String body = "leads%5Bstatus%5D%5B0%5D%5Bid%5D=" + lead
                    + "&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=" + (20001 + i % 4)
                    + "&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=" + (20000 + i % 4)
                    + "&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3001"
                    + "&leads%5Bstatus%5D%5B0%5D%5Bresponsible_user_id%5D=" + (1 + lead % 7)
                    + "&leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=" + (epoch + i)
                    + "&account%5Bsubdomain%5D=bench&account%5Bid%5D=1";
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencies[i] = System.nanoTime() - due;
                String outcome = error != null ? (error.getCause() == null ? error : error.getCause()).getClass().getSimpleName()
                        : String.valueOf(response.statusCode());
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                done.countDown();
            });
        }, start - System.nanoTime(), periodNanos, TimeUnit.NANOSECONDS);
        if (!done.await(warmup + seconds + 60L, TimeUnit.SECONDS)) {
            System.out.println("some requests did not finish within 60 s after the run");
        }
        long elapsed = System.nanoTime() - start;
        scheduler.shutdownNow();
        long[] measured = Arrays.copyOfRange(latencies, rate * warmup, total);
        Arrays.sort(measured);
        System.out.printf("sent %d requests at %d/s for %d s (+%d s warm-up not measured), %.1f/s achieved%n",
                total, rate, seconds, warmup, total / (elapsed / 1e9));
        System.out.println("responses: " + new TreeMap<>(outcomes));
        System.out.printf("latency ms over %d measured requests: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                measured.length, ms(measured, 0.50), ms(measured, 0.95), ms(measured, 0.99),
                measured[measured.length - 1] / 1e6);
        System.exit(0);
    }

    /** nearest rank, as the service's own percentiles */
    private static double ms(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
