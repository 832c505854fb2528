package io.chimera.client;

/** How a {@link ChimeraClient} talks to the master. */
public enum Transport {
    /** gRPC with the generated stubs; rows travel as the compact {@code X_pred_matrix}. */
    GRPC,
    /** REST/JSON on chimera's paths and field names; rows travel as chimera's {@code X_pred_rows}. */
    REST
}
