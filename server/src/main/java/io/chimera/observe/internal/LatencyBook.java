package io.chimera.observe.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chimera.observe.logging.LatencyStatistics;
import io.chimera.proto.v1.EndpointLatency;
import io.chimera.proto.v1.LatencyReport;

/**
 * The latencies of a master's {@code chimera_time.log} lines, kept in memory per endpoint for
 * {@code GET /v1/chimera/latencies}: count, mean, standard deviation, min and max over every call since the
 * start (Welford's online algorithm), percentiles and a histogram over the latest {@value #WINDOW}.
 */
public final class LatencyBook {

    /** How many of an endpoint's latest calls its percentiles and histogram cover. */
    public static final int WINDOW = 1000;
    /** Bins of each endpoint's histogram. */
    public static final int BINS = 20;

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    /** Records a call to {@code url} that took {@code seconds}; {@code role} is {@code master} or {@code worker}. */
    public void record(String url, String role, double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return;
        }
        endpoints.computeIfAbsent(role + ' ' + url, k -> new Endpoint(url, role)).add(seconds);
    }

    /** Every endpoint's figures, sorted by role ({@code master} first), then URL. */
    public LatencyReport report() {
        final List<Endpoint> sorted = new ArrayList<>(endpoints.values());
        sorted.sort(Comparator.comparing((Endpoint e) -> e.role).thenComparing(e -> e.url));
        final LatencyReport.Builder report = LatencyReport.newBuilder();
        for (Endpoint e : sorted) {
            report.addEndpoints(e.snapshot());
        }
        return report.build();
    }

    private static final class Endpoint {
        final String url;
        final String role;
        private final double[] recent = new double[WINDOW];
        private long count;
        private double mean;
        private double m2;
        private double min = Double.POSITIVE_INFINITY;
        private double max;

        Endpoint(String url, String role) {
            this.url = url;
            this.role = role;
        }

        synchronized void add(double seconds) {
            recent[(int) (count % WINDOW)] = seconds;
            count++;
            final double delta = seconds - mean;
            mean += delta / count;
            m2 += delta * (seconds - mean);
            min = Math.min(min, seconds);
            max = Math.max(max, seconds);
        }

        synchronized EndpointLatency snapshot() {
            final int n = (int) Math.min(count, WINDOW);
            final double[] window = new double[n];
            System.arraycopy(recent, 0, window, 0, n);
            final LatencyStatistics s = LatencyStatistics.of(window);
            final EndpointLatency.Builder b =
                    EndpointLatency.newBuilder().setUrl(url).setRole(role).setCount(count).setMeanSeconds(mean)
                                   .setStdSeconds(Math.sqrt(Math.max(0, m2) / count)).setMinSeconds(min)
                                   .setMaxSeconds(max).setWindow(n).setP50Seconds(s.percentile(50))
                                   .setP95Seconds(s.percentile(95)).setP99Seconds(s.percentile(99))
                                   .setAbove(s.aboveHistogram());
            for (double edge : s.binEdges(BINS)) {
                b.addBinEdges(edge);
            }
            for (long c : s.binCounts(BINS)) {
                b.addBinCounts(c);
            }
            return b.build();
        }
    }
}
