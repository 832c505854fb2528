package io.chimera.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the master reaches a started worker: {@code http://127.0.0.1:<mapped port>} for the process and
 * docker runtimes, {@code http://<node address>:<published port>} for a swarm service.
 */
public final class WorkerEndpoint {

    /** The host every local worker is reached on. */
    public static final String HOST = "127.0.0.1";

    /** Returns the endpoint of a worker that is not a container, e.g. a child process. */
    public static WorkerEndpoint of(String name, int port) {
        return new WorkerEndpoint(name, HOST, port, null);
    }

    /** Returns the endpoint of a worker running in the container {@code containerId}. */
    public static WorkerEndpoint ofContainer(String name, int port, String containerId) {
        return new WorkerEndpoint(name, HOST, port, requireNonNull(containerId, "containerId"));
    }

    /** Returns the endpoint of a worker on {@code host}, e.g. a swarm service {@code serviceId} on a node. */
    public static WorkerEndpoint ofRemote(String name, String host, int port, String serviceId) {
        return new WorkerEndpoint(name, requireNonNull(host, "host"), port, requireNonNull(serviceId, "serviceId"));
    }

    private final String name;
    private final String host;
    private final int port;
    private final String containerId;

    private WorkerEndpoint(String name, String host, int port, String containerId) {
        this.name = requireNonNull(name, "name");
        this.host = host;
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

    /** Returns the host the worker is reached on: {@value #HOST} but for remote workers. */
    public String host() {
        return host;
    }

    /** Returns the port on {@link #host()}. */
    public int port() {
        return port;
    }

    /** Returns {@code http://<host>:<port>}, with no trailing slash. */
    public String baseUrl() {
        return "http://" + (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + port;
    }

    /** Returns the id of the worker's container (or swarm service); empty where the worker is not a container. */
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
        return port == that.port && name.equals(that.name) && host.equals(that.host) &&
               Objects.equals(containerId, that.containerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, host, port, containerId);
    }

    @Override
    public String toString() {
        return name + '@' + baseUrl() + (containerId != null ? " (container " + containerId + ')' : "");
    }
}
