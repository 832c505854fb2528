package io.chimera.node;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.linecorp.armeria.server.Server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One running chimera node: an Armeria server on one port with gRPC, REST (transcoded), {@code /docs},
 * {@code /v1/chimera/health} and its metrics at {@code /v1/chimera/metrics} ({@link NodeMetrics}).
 *
 * <pre>{@code
 * NodeServer server = NodeServer.builder().port(8080).service(new MyGrpcService()).build();
 * server.start();
 * }</pre>
 */
public final class NodeServer implements AutoCloseable {

    /** Returns a new builder. */
    public static NodeServerBuilder builder() {
        return new NodeServerBuilder();
    }

    private final Server server;
    private final String name;
    private final PrometheusMeterRegistry meterRegistry;

    NodeServer(Server server, String name, PrometheusMeterRegistry meterRegistry) {
        this.server = requireNonNull(server, "server");
        this.name = requireNonNull(name, "name");
        this.meterRegistry = requireNonNull(meterRegistry, "meterRegistry");
    }

    /** Starts serving; returns once the port is bound. */
    public NodeServer start() {
        server.start().join();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        try {
            return server.activeLocalPort();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(name + " is not serving", e);
        }
    }

    /** The node's name, for logs. */
    public String name() {
        return name;
    }

    /** The registry whose meters {@code GET /v1/chimera/metrics} exposes. */
    public PrometheusMeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Completes when the server has stopped. */
    public CompletableFuture<?> whenClosed() {
        return server.whenClosed();
    }

    /**
     * Stops the server after a graceful period in which in-flight requests may finish and then blocks until
     * it is stopped; idempotent.
     */
    @Override
    public void close() {
        server.stop().join();
    }

    /** Adds a JVM shutdown hook that stops this server gracefully within {@code deadline}. */
    public NodeServer closeOnJvmExit(Duration deadline) {
        final Thread hook = new Thread(() -> server.stop().orTimeout(deadline.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS).exceptionally(t -> null).join(),
                                       name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    @Override
    public String toString() {
        return name + '@' + server.activePorts().keySet();
    }
}
