package io.chimera.runtime.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import io.chimera.common.ChimeraPaths;
import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;

/**
 * Waits until started workers answer {@code GET http://127.0.0.1:<mapped port>/v1/chimera/health} with 200,
 * polling all of them in parallel; the same for every runtime.
 */
public final class HealthWaiter {

    private static final Logger logger = ChimeraLogs.status();
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final HttpClient httpClient = HttpClient.newBuilder()
                                                    .version(HttpClient.Version.HTTP_1_1)
                                                    .connectTimeout(PROBE_TIMEOUT)
                                                    .build();
    private final Duration startupTimeout;

    public HealthWaiter(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /**
     * Returns once every worker of {@code starting} is healthy. Otherwise (one ended, time is up, {@code closed}
     * turned true, the thread was interrupted) calls {@code stopAll} with {@code starting}, then throws.
     *
     * @throws WorkerStartException naming each failed worker, why, and its last lines of output
     */
    public <T extends StartingWorker> void await(List<T> starting, BooleanSupplier closed, Consumer<List<T>> stopAll) {
        final long start = System.nanoTime();
        // Workers that start at once share the CPUs, and a loaded machine starts them one after another: the
        // timeout grows with the workers per CPU, and each worker that answers restarts it for the others
        // (a fixed 60 s once failed 4 workers at load 18).
        final int cpus = Runtime.getRuntime().availableProcessors();
        final long window = startupTimeout.toNanos() * Math.max(1, (starting.size() + cpus - 1) / cpus);
        long deadline = start + window;
        final List<T> pending = new ArrayList<>(starting);
        while (true) {
            final List<CompletableFuture<Boolean>> probes =
                    pending.stream().map(w -> probe(w.baseUrl())).collect(Collectors.toList());
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (probes.get(i).join()) {
                    final T healthy = pending.remove(i);
                    deadline = System.nanoTime() + window;
                    logger.info("worker {} is healthy on {} after {} s", healthy.spec().name(),
                                healthy.baseUrl(), seconds(System.nanoTime() - start));
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (closed.getAsBoolean()) {
                throw failure(starting, pending, stopAll, w -> "was still starting when the runtime was closed");
            }
            final List<T> ended = pending.stream().filter(w -> w.ended().isPresent()).collect(Collectors.toList());
            if (!ended.isEmpty()) {
                throw failure(starting, ended, stopAll, w -> w.ended().orElse("ended") + " before answering GET " +
                                                            w.baseUrl() + ChimeraPaths.HEALTH + " with 200");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw failure(starting, pending, stopAll,
                              w -> "did not answer GET " + w.baseUrl() + ChimeraPaths.HEALTH + " with 200 within " +
                                   seconds(window) + " s (" + (pending.size() < starting.size()
                                                               ? "since the last worker that did; " : "") +
                                   "CHIMERA_WORKERS_STARTUP_TIMEOUT, " + seconds(startupTimeout.toNanos()) +
                                   " s, is given once for every " + cpus + (cpus == 1 ? " worker" : " workers") +
                                   " starting, one per CPU: raise it if they need longer)");
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(starting, pending, stopAll, w -> "was still starting when the thread was interrupted");
            }
        }
    }

    private CompletableFuture<Boolean> probe(String baseUrl) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + ChimeraPaths.HEALTH))
                                               .timeout(PROBE_TIMEOUT).GET().build();
        return httpClient.sendAsync(request, BodyHandlers.discarding())
                         .thenApply(response -> response.statusCode() == 200)
                         .exceptionally(e -> false)
                         .completeOnTimeout(false, PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** Stops every worker of {@code starting}, then describes each failed one with its last output lines. */
    private static <T extends StartingWorker> WorkerStartException failure(
            List<T> starting, List<T> failed, Consumer<List<T>> stopAll, Function<T, String> reason) {
        final List<String> reasons = failed.stream().map(reason).collect(Collectors.toList());
        stopAll.accept(starting);
        final StringBuilder message = new StringBuilder();
        for (int i = 0; i < failed.size(); i++) {
            final T worker = failed.get(i);
            if (i > 0) {
                message.append('\n');
            }
            message.append("worker ").append(worker.spec().name()).append(' ').append(reasons.get(i));
            appendTail(message, worker);
        }
        return new WorkerStartException(message.toString());
    }

    /** Appends {@code ; last N lines of <where>:} and the lines, or that it wrote nothing. */
    public static void appendTail(StringBuilder message, StartingWorker worker) {
        final List<String> tail = worker.tail();
        if (tail.isEmpty()) {
            message.append("; it wrote nothing to ").append(worker.outputLocation());
        } else {
            message.append("; last ").append(tail.size() == 1 ? "line" : tail.size() + " lines")
                   .append(" of ").append(worker.outputLocation()).append(':');
            tail.forEach(line -> message.append("\n    | ").append(line));
        }
    }

    public static String baseUrl(WorkerSpec spec) {
        return WorkerEndpoint.of(spec.name(), spec.mappedPort()).baseUrl();
    }

    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
