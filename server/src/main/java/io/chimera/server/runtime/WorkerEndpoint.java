package io.chimera.server.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/** Where the master reaches a started worker: always {@code http://127.0.0.1:<mapped port>}. */
public final class WorkerEndpoint {

    /** The host every worker is reached on. */
    public static final String HOST = "127.0.0.1";

    /** Returns the endpoint of a worker that is not a container, e.g. a child process. */
    public static WorkerEndpoint of(String name, int port) {
        return new WorkerEndpoint(name, port, null);
    }

    /** Returns the endpoint of a worker running in the container {@code containerId}. */
    public static WorkerEndpoint ofContainer(String name, int port, String containerId) {
        return new WorkerEndpoint(name, port, requireNonNull(containerId, "containerId"));
    }

    private final String name;
    private final int port;
    private final String containerId;

    private WorkerEndpoint(String name, int port, String containerId) {
        this.name = requireNonNull(name, "name");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        this.port = port;
        this.containerId = containerId;
    }

    /** Returns the worker's name. */
    public String name() {
        return name;
    }

    /** Returns {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** Returns the port on {@link #host()}. */
    public int port() {
        return port;
    }

    /** Returns {@code http://127.0.0.1:<port>}, with no trailing slash. */
    public String baseUrl() {
        return "http://" + HOST + ':' + port;
    }

    /** Returns the id of the worker's container; empty where the worker is not a container. */
    public Optional<String> containerId() {
        return Optional.ofNullable(containerId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WorkerEndpoint)) {
            return false;
        }
        final WorkerEndpoint that = (WorkerEndpoint) o;
        return port == that.port && name.equals(that.name) && Objects.equals(containerId, that.containerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, port, containerId);
    }

    @Override
    public String toString() {
        return name + '@' + baseUrl() + (containerId != null ? " (container " + containerId + ')' : "");
    }
}
