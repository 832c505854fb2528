package io.chimera.observe.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Timestamp;
import com.linecorp.armeria.client.WebClient;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.node.NodeMetrics;
import io.chimera.node.client.WorkerClient;
import io.chimera.proto.v1.WorkerStatus;
import io.chimera.runtime.WorkerEndpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Each worker's health as its master sees it: every call the master makes tells (a worker that answered, even
 * with an error, is reachable; one that could not be reached or did not answer in time is not), and a light
 * probe of {@code GET /v1/chimera/health} every interval tells when no call does. The latest of the two wins.
 * The probe runs on one daemon thread, sends at most one request per worker at a time with a short timeout,
 * and stops with {@link #close()}.
 */
public final class WorkerMonitor implements AutoCloseable {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");
    /** The longest a probe waits for an answer. */
    private static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, Watched> workers = new LinkedHashMap<>();
    private final MeterRegistry registry;
    private final Map<String, Timer> callTimers = new ConcurrentHashMap<>();
    private ScheduledExecutorService prober;
    /** Set by {@link #close()}: a probe answering after it (the workers are being stopped) is ignored. */
    private volatile boolean closed;

    /**
     * Watches {@code endpoints}, all healthy at first (a runtime returns them once they answer their health
     * route); meters go to {@code registry} (none when null).
     */
    public WorkerMonitor(List<WorkerEndpoint> endpoints, MeterRegistry registry) {
        this.registry = registry;
        for (WorkerEndpoint e : endpoints) {
            final Watched w = new Watched(e);
            workers.put(e.name(), w);
            if (registry != null) {
                Gauge.builder("chimera.worker.healthy", w, x -> x.healthy() ? 1 : 0).strongReference(true)
                     .tag("worker", e.name()).description("1 when the latest call or probe reached the worker")
                     .register(registry);
            }
        }
    }

    /** Records one call the master made to worker {@code worker}; {@code error} is null when it succeeded. */
    public void callCompleted(String worker, String path, double seconds, ChimeraException error) {
        final Watched w = workers.get(worker);
        if (w == null) {
            return;
        }
        w.call(path, seconds, error);
        if (registry != null) {
            final String result = error == null ? "success" : "failure";
            callTimers.computeIfAbsent(worker + ' ' + path + ' ' + result, k -> NodeMetrics.latencyTimer(
                    registry, "chimera.worker.call.duration", "Round trip of the master's calls to each worker",
                    "worker", worker, "path", path, "result", result))
                      .record(Duration.ofNanos((long) (seconds * 1e9)));
        }
    }

    /** Probes every worker's health route every {@code interval}; does nothing when it is zero. */
    public synchronized void startProbing(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.isZero() || workers.isEmpty() || prober != null) {
            return;
        }
        final Duration timeout = interval.compareTo(MAX_PROBE_TIMEOUT) < 0 ? interval : MAX_PROBE_TIMEOUT;
        prober = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "chimera-health-probe");
            t.setDaemon(true);
            return t;
        });
        for (Watched w : workers.values()) {
            w.client = WebClient.builder(w.endpoint.baseUrl()).responseTimeout(timeout).build();
        }
        prober.scheduleWithFixedDelay(this::probeAll, interval.toNanos(), interval.toNanos(),
                                      TimeUnit.NANOSECONDS);
    }

    private void probeAll() {
        for (Watched w : workers.values()) {
            w.probe(() -> closed);
        }
    }

    /** Each worker's status, in the order of the endpoints. */
    public List<WorkerStatus> snapshot() {
        final List<WorkerStatus> out = new ArrayList<>(workers.size());
        for (Watched w : workers.values()) {
            out.add(w.snapshot());
        }
        return out;
    }

    /** Stops probing; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
            prober = null;
        }
    }

    /** One worker. */
    private static final class Watched {
        final WorkerEndpoint endpoint;
        WebClient client;
        private boolean healthy = true;
        private Instant checked = Instant.now();
        private double lastLatency;
        private String lastEndpoint = "";
        private long calls;
        private long failures;
        private String lastError = "";
        private boolean probing;

        Watched(WorkerEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        synchronized boolean healthy() {
            return healthy;
        }

        synchronized void call(String path, double seconds, ChimeraException error) {
            calls++;
            lastLatency = seconds;
            lastEndpoint = path;
            if (error != null) {
                failures++;
                lastError = error.getMessage();
            }
            final boolean unreachable = error != null && (WorkerClient.UNREACHABLE.equals(error.errorType())
                                                          || WorkerClient.TIMEOUT.equals(error.errorType()));
            update(!unreachable);
        }

        void probe(BooleanSupplier closed) {
            synchronized (this) {
                if (probing) {
                    return;
                }
                probing = true;
            }
            client.get(ChimeraPaths.HEALTH).aggregate().handle((res, t) -> {
                synchronized (this) {
                    probing = false;
                    if (closed.getAsBoolean()) {
                        return null;
                    }
                    if (t == null && res.status().code() == 200) {
                        update(true);
                    } else {
                        lastError = "health probe: " + (t != null ? rootMessage(t)
                                                                 : "answered " + res.status());
                        update(false);
                    }
                }
                return null;
            });
        }

        private void update(boolean reachable) {
            if (healthy != reachable) {
                if (reachable) {
                    status.info("worker {} is healthy again", endpoint.name());
                } else {
                    status.warn("worker {} is unhealthy: {}", endpoint.name(), lastError);
                }
            }
            healthy = reachable;
            checked = Instant.now();
        }

        synchronized WorkerStatus snapshot() {
            return WorkerStatus.newBuilder().setName(endpoint.name()).setAddress(endpoint.baseUrl())
                               .setContainerId(endpoint.containerId().orElse(""))
                               .setHealth(healthy ? "healthy" : "unhealthy")
                               .setLastCheckedTime(Timestamp.newBuilder().setSeconds(checked.getEpochSecond())
                                                            .setNanos(checked.getNano()))
                               .setLastLatencySeconds(lastLatency).setLastEndpoint(lastEndpoint)
                               .setCalls(calls).setFailures(failures).setLastError(lastError).build();
        }

        private static String rootMessage(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        }
    }
}
