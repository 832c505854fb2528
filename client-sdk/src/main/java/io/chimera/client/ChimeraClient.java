package io.chimera.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.TrainingHistory;

/**
 * A client for one chimera master, over gRPC or REST/JSON:
 * <pre>{@code
 * try (ChimeraClient client = ChimeraClient.builder("http://127.0.0.1:8080").build()) {
 *     client.fit();
 *     double[] p = client.predict(Table.readCsv(Path.of("X_test.csv"))).values();
 * }
 * }</pre>
 *
 * <p>Every failure is a {@link ChimeraException}: the master's own error (its HTTP status, error type and
 * message, whichever the transport), a 503 {@value #MASTER_UNREACHABLE_ERROR} when the master cannot be
 * reached, or a 504 {@value #MASTER_TIMEOUT_ERROR} when it does not answer in time. A client is thread-safe;
 * close it to release its connections.
 */
public final class ChimeraClient implements AutoCloseable {

    /** The error type of a master that cannot be reached (nothing listens, the connection broke). */
    public static final String MASTER_UNREACHABLE_ERROR = "MasterUnreachableError";
    /** The error type of a call that did not complete within the client's timeout. */
    public static final String MASTER_TIMEOUT_ERROR = "MasterTimeoutError";

    /** Starts building a client for the master at {@code baseUrl}, e.g. {@code http://127.0.0.1:8080}. */
    public static ChimeraClientBuilder builder(String baseUrl) {
        return new ChimeraClientBuilder(baseUrl);
    }

    static ChimeraException unreachable(String baseUrl, Throwable cause) {
        return new ChimeraException(503, MASTER_UNREACHABLE_ERROR,
                                    "master at " + baseUrl + " is unreachable: " + describe(cause));
    }

    static ChimeraException timedOut(String baseUrl, Duration timeout) {
        return new ChimeraException(504, MASTER_TIMEOUT_ERROR, "master at " + baseUrl + " did not answer within "
                                                               + timeout.toMillis() + " ms");
    }

    private static String describe(Throwable cause) {
        // The transports wrap the socket error (a gRPC status's cause, the JDK's IOException -> ConnectException):
        // name the innermost.
        Throwable t = cause;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t == null) {
            return "no connection";
        }
        return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage()
                                      : t.getClass().getSimpleName();
    }

    private final String baseUrl;
    private final MasterKind master;
    private final MasterConnection connection;

    ChimeraClient(String baseUrl, Duration timeout, Transport transport, MasterKind master, String strategy,
                  String token) {
        this.baseUrl = baseUrl;
        this.master = master;
        connection = transport == Transport.GRPC ? new GrpcMasterConnection(baseUrl, master, strategy, timeout, token)
                                                 : new RestMasterConnection(baseUrl, master, strategy, timeout, token);
    }

    /** Fits the model on the workers' data. */
    public FitResult fit() {
        return FitResult.of(connection.fit());
    }

    /** Predicts one value per row of {@code table}; columns are matched by name, in any order. */
    public Predictions predict(Table table) {
        return Predictions.of(connection.predict(requireNonNull(table, "table")));
    }

    /**
     * The training history of the last or the running fit: the parameter server's iterations, or a strategy's
     * rounds (with the bytes on the wire).
     *
     * @throws IllegalStateException when this client is for the {@link MasterKind#AGGREGATION aggregation
     *         master}, which keeps no history
     */
    public TrainingHistory history() {
        if (master == MasterKind.AGGREGATION) {
            throw new IllegalStateException("history() is served by the parameter server and the strategy API's "
                                            + "masters, not the aggregation master (this client is for " + master
                                            + "; build it with .master(MasterKind.PARAMETER_SERVER) or "
                                            + ".strategy(\"<name>\"))");
        }
        return connection.history();
    }

    /**
     * The fitted model as a self-contained artifact ({@code GET /v1/chimera/<master>/model}): write it with
     * {@code artifact.toByteArray()} or protobuf's {@code JsonFormat}, and serve it with
     * {@code Chimera.serveModel}. Fails with 409 {@code NotFittedError} before the first fit.
     */
    public ModelArtifact exportModel() {
        return connection.exportModel();
    }

    /**
     * The master's status ({@code GET /v1/chimera/status}): its class, runtime, workers and their health, and
     * the model's state and strategy. Served by every master, whichever {@link MasterKind} this client is for.
     */
    public MasterStatus status() {
        return connection.status();
    }

    /** Releases this client's connections. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "ChimeraClient{" + baseUrl + ", " + master + ", " + connection + '}';
    }
}
