package io.chimera.cli;

import java.net.URI;
import java.time.Duration;

import picocli.CommandLine.Option;

import io.chimera.client.ChimeraClient;
import io.chimera.client.MasterKind;
import io.chimera.client.Transport;
import io.chimera.proto.v1.MasterStatus;

/**
 * The {@code --master} and {@code --timeout} options of the client subcommands, and the client they make. The
 * master's kind (aggregation or parameter server) is asked from its status, so that the user never names it.
 */
final class MasterOptions {

    static final String DEFAULT_MASTER = "http://127.0.0.1:8080";

    @Option(names = "--master", paramLabel = "URL", defaultValue = DEFAULT_MASTER,
            description = "The master's base URL (default: ${DEFAULT-VALUE}).")
    private String master;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the master's answer, in seconds (default: ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    /** Returns the master's base URL, checked. */
    String baseUrl() {
        final URI uri;
        try {
            uri = URI.create(master);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("--master: " + master + " (expected: a URL such as " + DEFAULT_MASTER + ')');
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new CommandFailure("--master: " + master + " (expected: a URL such as " + DEFAULT_MASTER + ')');
        }
        return master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
    }

    private Duration timeout() {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new CommandFailure("--timeout: " + timeoutSeconds + " (expected: 0 < seconds <= 86400)");
        }
        return Duration.ofMillis(Math.round(timeoutSeconds * 1000));
    }

    /** Asks the master for its status. */
    MasterStatus status() {
        try (ChimeraClient client = client(MasterKind.AGGREGATION)) {
            return client.status();
        }
    }

    /** A client for the master's own kind, found from its status. */
    ChimeraClient client() {
        final String strategy = status().getModel().getStrategy();
        switch (strategy) {
            case "parameter-server":
                return client(MasterKind.PARAMETER_SERVER);
            case "aggregation":
                return client(MasterKind.AGGREGATION);
            default:
                // A master written with the strategy API: federated-averaging, all-reduce, a user's own.
                return ChimeraClient.builder(baseUrl()).transport(Transport.REST).strategy(strategy)
                                    .timeout(timeout()).build();
        }
    }

    private ChimeraClient client(MasterKind kind) {
        return ChimeraClient.builder(baseUrl()).transport(Transport.REST).master(kind).timeout(timeout()).build();
    }
}
