package io.chimera.strategy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import io.chimera.common.ChimeraException;
import io.chimera.node.client.WorkerClient;
import io.chimera.node.client.WorkerTransport;

/**
 * The workers of a run as one {@link StrategyWorker} sees them: every worker, itself included, in the order of
 * {@code CHIMERA_WORKERS_NODES_NAMES}, and a client to call each one's steps directly over gRPC. The runtime
 * says where they are ({@code CHIMERA_WORKERS_PEERS}): loopback ports for processes, the names Docker resolves on
 * the project's network for containers and services.
 */
public final class Peers {

    /** How long a call to a peer may take: a peer waits for its own neighbour in a ring, so it is generous. */
    static final Duration TIMEOUT = Duration.ofSeconds(100);

    private final String strategy;
    private final List<String> names;
    private final int self;
    private final List<WorkerClient> clients = new ArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();

    Peers(String strategy, String self, Map<String, String> baseUrls, String secret) {
        this.strategy = strategy;
        names = List.copyOf(baseUrls.keySet());
        this.self = names.indexOf(self);
        if (this.self < 0) {
            throw ChimeraException.internal("worker " + self + " has no peers: its runtime did not give "
                                            + "CHIMERA_WORKERS_PEERS with its own name (peers: " + names + ')');
        }
        // The peers are workers of the same run: they take the run's secret.
        baseUrls.forEach((name, url) -> clients.add(new WorkerClient(name, url, TIMEOUT, 0, WorkerTransport.GRPC,
                                                                     (w, path, seconds, error) -> {}, secret)));
    }

    /** Every worker's name, this one's included, in order. */
    public List<String> names() {
        return names;
    }

    /** How many workers the run has. */
    public int size() {
        return names.size();
    }

    /** This worker's position in {@link #names()}. */
    public int self() {
        return self;
    }

    /** The position {@code offset} places after this worker's in the ring ({@code -1}: the previous worker). */
    public int ring(int offset) {
        return Math.floorMod(self + offset, names.size());
    }

    /** Calls {@code step} on the worker at {@code index}; completes with its answer or a {@link ChimeraException}. */
    public CompletableFuture<Payload> callAsync(int index, String step, Payload payload) {
        requireNonNull(payload, "payload");
        bytesSent.addAndGet(payload.bytes());
        final String peer = names.get(index);
        return clients.get(index).strategyStep(strategy, step, payload.toProto())
                      .thenApply(p -> Payload.fromWorker(p, peer));
    }

    /** Calls {@code step} on the worker at {@code index} and waits for its answer. */
    public Payload call(int index, String step, Payload payload) {
        try {
            return callAsync(index, step, payload).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    /** Bytes of the payloads this worker has sent its peers so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    @Override
    public String toString() {
        return "Peers" + names + " (self: " + names.get(self) + ')';
    }
}
