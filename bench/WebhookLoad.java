import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-model load: posts amoCRM "lead status changed" webhooks at a fixed rate, each a new change (a new
 * event to store), whatever the server's pace. Latency runs from the moment a request was due, not when it
 * went out, so a stalled server shows in the figures instead of slowing the load (no coordinated omission).
 * Requests go over keep-alive HTTP/1.1 sockets, one per sender thread, to keep the generator's own CPU
 * small beside the service on the same machine.
 *
 * java bench/WebhookLoad.java URL RATE_PER_SECOND SECONDS WARMUP_SECONDS
 */
public class WebhookLoad {

    private static final int SENDERS = 64;

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int total = rate * (warmup + seconds);
        long periodNanos = 1_000_000_000L / rate;
        long[] latencies = new long[total];
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        var due = new LinkedBlockingQueue<Integer>();
        var done = new CountDownLatch(total);
        long start = System.nanoTime() + 100_000_000L;
        long epoch = System.currentTimeMillis() / 1000;
        for (int t = 0; t < SENDERS; t++) {
            var sender = new Thread(() -> {
                Socket socket = null;
                InputStream in = null;
                OutputStream out = null;
                while (true) {
                    int i;
                    try {
                        i = due.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    String outcome;
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
                            socket.setSoTimeout(30_000);
                            in = new BufferedInputStream(socket.getInputStream());
                            out = socket.getOutputStream();
                        }
                        out.write(request(url, i, epoch));
                        out.flush();
                        outcome = String.valueOf(readResponse(in));
                    } catch (IOException e) {
                        outcome = e.getClass().getSimpleName();
                        try {
                            if (socket != null) {
                                socket.close();
                            }
                        } catch (IOException ignored) {
                            // a fresh socket is opened for the next request
                        }
                        socket = null;
                    }
                    latencies[i] = System.nanoTime() - (start + i * periodNanos);
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    done.countDown();
                }
            });
            sender.setDaemon(true);
            sender.start();
        }
        var sent = new AtomicInteger();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            if (i < total) {
                due.add(i);
            }
        }, start - System.nanoTime(), periodNanos, TimeUnit.NANOSECONDS);
        if (!done.await(warmup + seconds + 60L, TimeUnit.SECONDS)) {
            System.out.println("some requests did not finish within 60 s after the run");
        }
        long elapsed = System.nanoTime() - start;
        scheduler.shutdownNow();
        long[] measured = Arrays.copyOfRange(latencies, rate * warmup, total);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "sent %d requests at %d/s for %d s (+%d s warm-up not measured), %.1f/s achieved%n",
                total, rate, seconds, warmup, total / (elapsed / 1e9));
        System.out.println("responses: " + new TreeMap<>(outcomes));
        System.out.printf(Locale.ROOT, "latency ms over %d measured requests: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                measured.length, ms(measured, 0.50), ms(measured, 0.95), ms(measured, 0.99),
                measured[measured.length - 1] / 1e6);
        System.exit(0);
    }

    /** A lead moving through four stages: every request is a distinct change. */
    private static byte[] request(URI url, int i, long epoch) {
        long lead = 100_000 + i / 4;
        String body = "leads%5Bstatus%5D%5B0%5D%5Bid%5D=" + lead
                + "&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=" + (20001 + i % 4)
                + "&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=" + (20000 + i % 4)
                + "&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3001"
                + "&leads%5Bstatus%5D%5B0%5D%5Bresponsible_user_id%5D=" + (1 + lead % 7)
                + "&leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=" + (epoch + i)
                + "&account%5Bsubdomain%5D=bench&account%5Bid%5D=1";
        return ("POST " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "User-Agent: amoCRM-WebHook-client/1.0\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response (Content-Length or chunked) and returns its status code. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status.length() < 12) {
            throw new IOException("no status line");
        }
        int length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else {
            skip(in, length);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        var sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static void skip(InputStream in, int n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                skipped = 1;
            }
            n -= (int) skipped;
        }
    }

    /** nearest rank, as the service's own percentiles */
    private static double ms(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
