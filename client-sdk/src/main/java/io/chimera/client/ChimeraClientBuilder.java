package io.chimera.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/** Builds a {@link ChimeraClient}; created by {@link ChimeraClient#builder(String)}. */
public final class ChimeraClientBuilder {

    /** A parameter-server fit runs every iteration inside one call, so the default is generous. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final Transport DEFAULT_TRANSPORT = Transport.GRPC;
    private static final MasterKind DEFAULT_MASTER = MasterKind.AGGREGATION;

    private final String baseUrl;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Transport transport = DEFAULT_TRANSPORT;
    private MasterKind master = DEFAULT_MASTER;
    private String strategy;
    private String token = blankToNull(System.getenv("CHIMERA_API_TOKEN"));

    ChimeraClientBuilder(String baseUrl) {
        requireNonNull(baseUrl, "baseUrl");
        final URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl: " + baseUrl + " (expected: http://<host>:<port>)", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl: " + baseUrl + " (expected: http://<host>:<port>)");
        }
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** How long one call (fit, predict or history) may take, connecting included. Default: 120 s. */
    public ChimeraClientBuilder timeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
        return this;
    }

    /** gRPC or REST/JSON. Default: {@link Transport#GRPC}. */
    public ChimeraClientBuilder transport(Transport transport) {
        this.transport = requireNonNull(transport, "transport");
        return this;
    }

    /**
     * Which master runs at the base URL. Default: {@link MasterKind#AGGREGATION}. For
     * {@link MasterKind#STRATEGY}, use {@link #strategy(String)}, which names it.
     */
    public ChimeraClientBuilder master(MasterKind master) {
        this.master = requireNonNull(master, "master");
        return this;
    }

    /**
     * The master runs the strategy {@code name}, written with the strategy API: e.g. {@code federated-averaging}
     * or {@code all-reduce}; its routes are {@code /v1/chimera/<name>/*}.
     */
    public ChimeraClientBuilder strategy(String name) {
        requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("strategy: \"" + name + "\" (expected: lower-case words joined "
                                               + "by hyphens, e.g. federated-averaging)");
        }
        master = MasterKind.STRATEGY;
        strategy = name;
        return this;
    }

    /**
     * The master's API token, sent as {@code Authorization: Bearer <token>} with every call; null sends none.
     * Default: the environment's {@code CHIMERA_API_TOKEN}, the variable the master takes it from.
     */
    public ChimeraClientBuilder token(String token) {
        this.token = blankToNull(token);
        return this;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * Creates the client; it connects on its first call.
     *
     * @throws IllegalStateException when the master is {@link MasterKind#STRATEGY} with no name
     */
    public ChimeraClient build() {
        if (master == MasterKind.STRATEGY && strategy == null) {
            throw new IllegalStateException("a STRATEGY master needs its name: use strategy(\"<name>\")");
        }
        return new ChimeraClient(baseUrl, timeout, transport, master, strategy, token);
    }
}
