package io.chimera.node.client;

import java.util.Locale;

/** How the master talks to its workers. */
public enum WorkerTransport {
    /** gRPC over HTTP/2 with protobuf binary: the fastest; our workers speak it. */
    GRPC,
    /** chimera's REST API with JSON: works with any worker that speaks it, chimera's own included. */
    REST;

    /** Parses {@code grpc} or {@code rest}, case-insensitively. */
    public static WorkerTransport parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "grpc":
                return GRPC;
            case "rest":
                return REST;
            default:
                throw new IllegalArgumentException(value + " (expected: grpc or rest)");
        }
    }
}
