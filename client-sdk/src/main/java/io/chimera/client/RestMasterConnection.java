package io.chimera.client;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.TrainingHistory;

/**
 * Calls a master on chimera's REST paths with chimera's JSON, printed and parsed by protobuf's {@link JsonFormat}
 * from the generated messages, over the JDK's {@link HttpClient}; rows travel as {@code X_pred_rows}.
 */
final class RestMasterConnection implements MasterConnection {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    // A newer master may add fields; an older client should still read what it knows.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final String JSON_UTF_8 = "application/json; charset=utf-8";

    /**
     * The largest answer read, as the Armeria client this replaced allowed (its default
     * {@code maxResponseLength}, 10 MiB): a larger one fails the call rather than fill the caller's heap.
     */
    static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

    /** {@code HttpClient.shutdownNow()}, from JDK 21; null before, where a client's connections go with it. */
    private static final MethodHandle SHUTDOWN_NOW = shutdownNow();

    private static MethodHandle shutdownNow() {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, "shutdownNow",
                                                            MethodType.methodType(void.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private final String baseUrl;
    /** The master's API token; null for none. */
    private final String token;
    private final Duration timeout;
    private final HttpClient client;
    private final String fitPath;
    private final String predictPath;
    private final String modelPath;
    private final String historyPath;
    private volatile boolean closed;

    RestMasterConnection(String baseUrl, MasterKind master, String strategy, Duration timeout, String token) {
        this.token = token;
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.timeout = requireNonNull(timeout, "timeout");
        requireNonNull(master, "master");
        // HTTP/1.1: on http:// the JDK would first try an h2c upgrade, which buys nothing for one JSON answer.
        client = HttpClient.newBuilder()
                           .version(HttpClient.Version.HTTP_1_1)
                           .connectTimeout(timeout)
                           .followRedirects(HttpClient.Redirect.NEVER)
                           .build();
        if (master == MasterKind.STRATEGY) {
            fitPath = ChimeraPaths.strategyFit(strategy);
            predictPath = ChimeraPaths.strategyPredict(strategy);
            modelPath = ChimeraPaths.strategyModel(strategy);
            historyPath = ChimeraPaths.strategyHistory(strategy);
        } else {
            final boolean ps = master == MasterKind.PARAMETER_SERVER;
            fitPath = ps ? ChimeraPaths.PARAMETER_SERVER_FIT : ChimeraPaths.AGGREGATION_FIT;
            predictPath = ps ? ChimeraPaths.PARAMETER_SERVER_PREDICT : ChimeraPaths.AGGREGATION_PREDICT;
            modelPath = ps ? ChimeraPaths.PARAMETER_SERVER_MODEL : ChimeraPaths.AGGREGATION_MODEL;
            historyPath = ChimeraPaths.PARAMETER_SERVER_HISTORY;
        }
    }

    @Override
    public FitResponse fit() {
        return exchange(post(fitPath, FitRequest.getDefaultInstance()), FitResponse.getDefaultInstance());
    }

    @Override
    public PredictResponse predict(Table table) {
        return exchange(post(predictPath, table.toRowsPredictRequest()), PredictResponse.getDefaultInstance());
    }

    @Override
    public TrainingHistory history() {
        return exchange(get(historyPath), TrainingHistory.getDefaultInstance());
    }

    @Override
    public ModelArtifact exportModel() {
        return exchange(get(modelPath), ModelArtifact.getDefaultInstance());
    }

    @Override
    public MasterStatus status() {
        return exchange(get(ChimeraPaths.STATUS), MasterStatus.getDefaultInstance());
    }

    @Override
    public void close() {
        closed = true;
        if (SHUTDOWN_NOW != null) {
            // JDK 21+: close the connections now and fail the calls in flight, as closing Armeria's factory did.
            try {
                SHUTDOWN_NOW.invokeExact(client);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cannot shut the HTTP client down", t);
            }
        }
        // JDK 17: HttpClient has no close(); its idle connections and selector thread end when it is collected.
    }

    private HttpRequest.Builder request(String path) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, Message body) {
        final String json;
        try {
            json = PRINTER.print(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + body.getDescriptorForType().getName(), e);
        }
        return request(path).header("Content-Type", JSON_UTF_8)
                            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                            .build();
    }

    @SuppressWarnings("unchecked")
    private <M extends Message> M exchange(HttpRequest request, M prototype) {
        if (closed) {
            throw ChimeraClient.unreachable(baseUrl, new IllegalStateException("the client is closed"));
        }
        final HttpResponse<byte[]> res;
        try {
            // join(), not send(): like the Armeria client's join(), a call is not cut short by an interrupt.
            res = client.sendAsync(request, info -> new BoundedBody(MAX_RESPONSE_BYTES)).join();
        } catch (CompletionException e) {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            // A connect timeout is a timeout exception too, but it means nobody answered the connection.
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                throw ChimeraClient.timedOut(baseUrl, timeout);
            }
            // The JDK's ConnectException wraps a bare ClosedChannelException, which says less.
            throw ChimeraClient.unreachable(baseUrl, cause instanceof ConnectException
                                                     ? new ConnectException(cause.getMessage()) : cause);
        }
        final int status = res.statusCode();
        final String body = new String(res.body(), StandardCharsets.UTF_8);
        if (status < 200 || status > 299) {
            final ChimeraException error = ErrorBody.parse(status, body);
            throw error != null ? error : notChimera(status, body);
        }
        final Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(body, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new ChimeraException(502, ChimeraException.INTERNAL_ERROR,
                                       "master at " + baseUrl + " answered a body that is not a "
                                       + prototype.getDescriptorForType().getName() + ": " + e.getMessage());
        }
        return (M) builder.build();
    }

    /** A non-2xx answer without chimera's error body (a proxy's page, say). */
    private ChimeraException notChimera(int status, String body) {
        final boolean error = status >= 400 && status <= 599;
        final String excerpt = body.length() <= 200 ? body : body.substring(0, 200) + "...";
        return new ChimeraException(error ? status : 502,
                                    error && status < 500 ? ChimeraException.VALIDATION_ERROR
                                                          : ChimeraException.INTERNAL_ERROR,
                                    "master at " + baseUrl + " answered HTTP " + status + ": " + excerpt);
    }

    @Override
    public String toString() {
        return "REST";
    }

    /** Collects a body of at most {@code maxBytes}; a longer one fails the call with an {@link IOException}. */
    static final class BoundedBody implements BodySubscriber<byte[]> {

        private final int maxBytes;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (buffer.remaining() > maxBytes - out.size()) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + maxBytes + " bytes"));
                    return;
                }
                final byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(out.toByteArray());
        }
    }
}
