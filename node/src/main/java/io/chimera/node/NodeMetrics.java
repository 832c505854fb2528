package io.chimera.node;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;

import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefix;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.common.metric.MoreMeters;
import com.linecorp.armeria.common.prometheus.PrometheusMeterRegistries;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.metric.MetricCollectingService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metrics every chimera node exposes at {@code GET /v1/chimera/metrics} in the Prometheus text format: one
 * request counter and one latency histogram per endpoint ({@code chimera_server_requests_total},
 * {@code chimera_server_total_duration_seconds}, tagged with the endpoint's {@code path}), the JVM's memory,
 * threads and CPU, and what a node adds itself (a master: its calls to each worker, the fit's iterations and
 * loss).
 *
 * <p>Every latency histogram has the same buckets, {@link #LATENCY_BUCKETS}, from half a millisecond (a
 * fit-step on loopback) to two minutes (a long fit).
 */
public final class NodeMetrics {

    /** Name prefix of the per-endpoint request meters. */
    public static final String REQUESTS = "chimera.server";

    /** The upper bounds of every latency histogram's buckets (and {@code +Inf}). */
    public static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120) };

    /** Armeria's request and response sizes and partial durations: left out to keep the exposition readable. */
    private static final Set<String> LEFT_OUT = Set.of(
            REQUESTS + ".request.length", REQUESTS + ".response.length",
            REQUESTS + ".request.duration", REQUESTS + ".response.duration");

    /**
     * A new registry for one node, with the JVM's meters bound. Pass it to
     * {@link NodeServerBuilder#meterRegistry(PrometheusMeterRegistry)} to add meters of one's own before the
     * server is built; a node builds its own otherwise.
     */
    public static PrometheusMeterRegistry newRegistry() {
        final PrometheusMeterRegistry registry = PrometheusMeterRegistries.newRegistry();
        registry.config().meterFilter(MeterFilter.deny(id -> LEFT_OUT.contains(id.getName())));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** A latency timer with the buckets of {@link #LATENCY_BUCKETS}, exposed as a Prometheus histogram. */
    public static Timer latencyTimer(MeterRegistry registry, String name, String description, String... tags) {
        requireNonNull(registry, "registry");
        return Timer.builder(requireNonNull(name, "name")).description(description).tags(tags)
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** The decorator that counts and times every call of a node's services, tagged with the route's path. */
    static Function<? super HttpService, ? extends HttpService> requestMetrics() {
        final double[] bucketNanos = Arrays.stream(LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray();
        final DistributionStatisticConfig histogram =
                DistributionStatisticConfig.builder()
                                           .percentiles()
                                           .percentilesHistogram(false)
                                           .serviceLevelObjectives(bucketNanos)
                                           .build()
                                           .merge(MoreMeters.distributionStatisticConfig());
        return MetricCollectingService.builder(new PathPrefix())
                                      .distributionStatisticConfig(histogram)
                                      .newDecorator();
    }

    /** Tags each meter with the matched route's path, e.g. {@code /v1/chimera/aggregation/predict}. */
    private static final class PathPrefix implements MeterIdPrefixFunction {
        @Override
        public MeterIdPrefix activeRequestPrefix(MeterRegistry registry, RequestOnlyLog log) {
            return new MeterIdPrefix(REQUESTS, "path", path(log));
        }

        @Override
        public MeterIdPrefix completeRequestPrefix(MeterRegistry registry, RequestLog log) {
            return new MeterIdPrefix(REQUESTS, "path", path(log),
                                     "http.status", Integer.toString(log.responseHeaders().status().code()));
        }

        private static String path(RequestOnlyLog log) {
            // The route's pattern rather than the request's path, so that the set of series is bounded.
            return log.context() instanceof ServiceRequestContext
                   ? ((ServiceRequestContext) log.context()).config().route().patternString()
                   : log.context().path();
        }
    }

    private NodeMetrics() {}
}
