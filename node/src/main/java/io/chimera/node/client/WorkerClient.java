package io.chimera.node.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.DataSampleRequest;
import io.chimera.proto.v1.DataSampleResponse;
import io.chimera.proto.v1.DataStatisticsRequest;
import io.chimera.proto.v1.DataStatisticsResponse;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.Payload;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.SgdWorkerServiceGrpc;
import io.chimera.proto.v1.StrategyStepRequest;
import io.chimera.proto.v1.StrategyWorkerServiceGrpc;
import io.chimera.proto.v1.WorkerModel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * The master's one client for a worker: every call is asynchronous, bounded by the configured timeout,
 * retried on transport failures up to the configured count (never on an error the worker answered), and
 * reported, each attempt, to a {@link CallObserver} (chimera's {@code chimera_time.log}, the worker's health,
 * the master's metrics).
 *
 * <p>Failures complete the future with a {@link ChimeraException}: the worker's own error body when it
 * answered one, a 503 {@value #UNREACHABLE} when it could not be reached, a 504 {@value #TIMEOUT} when it did
 * not answer in time.
 */
public final class WorkerClient {

    /** Error type of a worker that could not be reached. */
    public static final String UNREACHABLE = "WorkerUnreachableError";
    /** Error type of a worker that did not answer in time. */
    public static final String TIMEOUT = "WorkerTimeoutError";

    private static final long MAX_RESPONSE_BYTES = 512L * 1024 * 1024;
    /**
     * Headers and trailers up to 1 MiB (Armeria's default: 8 KiB): a worker's error message travels in the gRPC
     * trailers, and a long one must reach the caller as the worker's 400, not as a broken stream. The worker pool
     * is Armeria's shared one: the factory has no threads of its own to close.
     */
    private static final ClientFactory FACTORY = ClientFactory.builder().http2MaxHeaderListSize(1024 * 1024)
                                                              .build();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final String name;
    private final String baseUrl;
    private final Duration timeout;
    private final int maxRetries;
    private final WorkerTransport transport;
    private final CallObserver observer;
    private final ModelWorkerServiceGrpc.ModelWorkerServiceStub modelStub;
    private final SgdWorkerServiceGrpc.SgdWorkerServiceStub sgdStub;
    /** For {@code FitSteps} streams: no deadline on the whole stream (each step has its own), messages bounded. */
    private final SgdWorkerServiceGrpc.SgdWorkerServiceStub sgdStreamStub;
    private final StrategyWorkerServiceGrpc.StrategyWorkerServiceStub strategyStub;
    private final WebClient web;

    /**
     * Creates a client for the worker {@code name} at {@code baseUrl} ({@code http://127.0.0.1:8081}) that tells
     * {@code observer} of every call attempt; for a worker that takes any call.
     */
    public WorkerClient(String name, String baseUrl, Duration timeout, int maxRetries,
                        WorkerTransport transport, CallObserver observer) {
        this(name, baseUrl, timeout, maxRetries, transport, observer, null);
    }

    /**
     * As {@link #WorkerClient(String, String, Duration, int, WorkerTransport, CallObserver)}, sending the run's
     * secret with every call ({@code Authorization: Bearer <secret>}), which the worker requires when it was
     * started with {@code CHIMERA_RUN_SECRET}; null sends none.
     */
    public WorkerClient(String name, String baseUrl, Duration timeout, int maxRetries,
                        WorkerTransport transport, CallObserver observer, String secret) {
        this.name = requireNonNull(name, "name");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.timeout = requireNonNull(timeout, "timeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries: " + maxRetries + " (expected: >= 0)");
        }
        this.maxRetries = maxRetries;
        this.transport = requireNonNull(transport, "transport");
        this.observer = requireNonNull(observer, "observer");
        final HttpHeaders auth = secret == null ? HttpHeaders.of()
                : HttpHeaders.of(HttpHeaderNames.AUTHORIZATION, "Bearer " + secret);
        modelStub = GrpcClients.builder(baseUrl).factory(FACTORY).responseTimeout(timeout).maxResponseLength(MAX_RESPONSE_BYTES)
                               .setHeaders(auth).build(ModelWorkerServiceGrpc.ModelWorkerServiceStub.class);
        sgdStub = GrpcClients.builder(baseUrl).factory(FACTORY).responseTimeout(timeout).maxResponseLength(MAX_RESPONSE_BYTES)
                             .setHeaders(auth).build(SgdWorkerServiceGrpc.SgdWorkerServiceStub.class);
        sgdStreamStub = GrpcClients.builder(baseUrl).factory(FACTORY).responseTimeout(Duration.ZERO).writeTimeout(Duration.ZERO)
                                   .maxResponseLength(0).maxResponseMessageLength((int) MAX_RESPONSE_BYTES)
                                   .setHeaders(auth).build(SgdWorkerServiceGrpc.SgdWorkerServiceStub.class);
        strategyStub = GrpcClients.builder(baseUrl).factory(FACTORY).responseTimeout(timeout).maxResponseLength(MAX_RESPONSE_BYTES)
                                  .setHeaders(auth).build(StrategyWorkerServiceGrpc.StrategyWorkerServiceStub.class);
        web = WebClient.builder(baseUrl).factory(FACTORY).responseTimeout(timeout).maxResponseLength(MAX_RESPONSE_BYTES)
                       .setHeaders(auth).build();
    }

    /** The worker's name. */
    public String name() {
        return name;
    }

    /** The worker's base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code POST /v1/chimera/model/fit}. */
    public CompletableFuture<FitResponse> modelFit() {
        final FitRequest req = FitRequest.getDefaultInstance();
        return call(ChimeraPaths.MODEL_FIT, HttpMethod.POST, req, FitResponse.newBuilder(),
                    obs -> modelStub.fit(req, obs));
    }

    /**
     * {@code POST /v1/chimera/model/predict}. Over REST the rows go in chimera's {@code X_pred_rows} form, so
     * that any worker speaking chimera's API understands them; over gRPC in the compact matrix form.
     */
    public CompletableFuture<PredictResponse> modelPredict(PredictRequest request) {
        final PredictRequest req = transport == WorkerTransport.REST && request.hasXPredMatrix()
                                   ? Table.fromPredictRequest(request).toRowsPredictRequest() : request;
        return call(ChimeraPaths.MODEL_PREDICT, HttpMethod.POST, req, PredictResponse.newBuilder(),
                    obs -> modelStub.predict(req, obs));
    }

    /** {@code GET /v1/chimera/model/export}. */
    public CompletableFuture<WorkerModel> modelExport() {
        final ExportModelRequest req = ExportModelRequest.getDefaultInstance();
        return call(ChimeraPaths.MODEL_EXPORT, HttpMethod.GET, req, WorkerModel.newBuilder(),
                    obs -> modelStub.export(req, obs));
    }

    /** {@code POST /v1/chimera/sgd/fit-step}. */
    public CompletableFuture<FitStepResponse> fitStep(FitStepRequest req) {
        return call(ChimeraPaths.SGD_FIT_STEP, HttpMethod.POST, req, FitStepResponse.newBuilder(),
                    obs -> sgdStub.fitStep(req, obs));
    }

    /**
     * A channel for one fit's steps: one {@code FitSteps} stream over gRPC, {@link #fitStep} calls over REST.
     * Close it when the fit ends.
     */
    public FitStepStream fitSteps() {
        return new FitStepStream(this, sgdStreamStub, timeout, maxRetries, observer,
                                 transport != WorkerTransport.GRPC);
    }

    /** {@code GET /v1/chimera/sgd/request-data-sample}. */
    public CompletableFuture<DataSampleResponse> requestDataSample() {
        final DataSampleRequest req = DataSampleRequest.getDefaultInstance();
        return call(ChimeraPaths.SGD_REQUEST_DATA_SAMPLE, HttpMethod.GET, req, DataSampleResponse.newBuilder(),
                    obs -> sgdStub.requestDataSample(req, obs));
    }

    /** {@code GET /v1/chimera/sgd/data-statistics}. */
    public CompletableFuture<DataStatisticsResponse> dataStatistics() {
        final DataStatisticsRequest req = DataStatisticsRequest.getDefaultInstance();
        return call(ChimeraPaths.SGD_DATA_STATISTICS, HttpMethod.GET, req,
                    DataStatisticsResponse.newBuilder(), obs -> sgdStub.dataStatistics(req, obs));
    }

    /**
     * {@code POST /v1/chimera/<strategy>/steps/<step>}: one step of a strategy written with the strategy API;
     * over REST the payload is the body, over gRPC {@code StrategyWorkerService/Step}.
     */
    public CompletableFuture<Payload> strategyStep(String strategy, String step, Payload payload) {
        final StrategyStepRequest req = StrategyStepRequest.newBuilder().setStep(step).setPayload(payload).build();
        return call(ChimeraPaths.strategyStep(strategy, step), HttpMethod.POST, payload, Payload.newBuilder(),
                    obs -> strategyStub.step(req, obs));
    }

    private <T extends Message> CompletableFuture<T> call(String path, HttpMethod method, Message request,
                                                          Message.Builder responseBuilder,
                                                          Consumer<StreamObserver<T>> grpcCall) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        attempt(0, path, method, request, responseBuilder, grpcCall, result);
        return result;
    }

    private <T extends Message> void attempt(int attempt, String path, HttpMethod method, Message request,
                                             Message.Builder responseBuilder,
                                             Consumer<StreamObserver<T>> grpcCall, CompletableFuture<T> result) {
        final long start = System.nanoTime();
        final CompletableFuture<T> once = transport == WorkerTransport.GRPC
                                          ? grpc(grpcCall)
                                          : rest(path, method, request, responseBuilder);
        once.whenComplete((value, error) -> {
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (error == null) {
                observer.called(this, path, seconds, null);
                result.complete(value);
                return;
            }
            // A REST answer is turned into an error inside a CompletableFuture stage, which wraps it.
            final Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause() : error;
            final ChimeraException e = cause instanceof ChimeraException ? (ChimeraException) cause
                    : ChimeraException.internal("worker " + name + ": " + cause);
            observer.called(this, path, seconds, e);
            if (retryable(e) && attempt < maxRetries) {
                attempt(attempt + 1, path, method, request, responseBuilder, grpcCall, result);
            } else {
                result.completeExceptionally(e);
            }
        });
    }

    private <T> CompletableFuture<T> grpc(Consumer<StreamObserver<T>> call) {
        final CompletableFuture<T> f = new CompletableFuture<>();
        try {
            call.accept(new StreamObserver<T>() {
                @Override
                public void onNext(T value) {
                    f.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    f.completeExceptionally(fromGrpc(t));
                }

                @Override
                public void onCompleted() {
                    if (!f.isDone()) {
                        f.completeExceptionally(ChimeraException.internal("worker " + name + " sent no answer"));
                    }
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(fromGrpc(e));
        }
        return f;
    }

    ChimeraException fromGrpc(Throwable t) {
        if (t instanceof StatusRuntimeException) {
            final StatusRuntimeException sre = (StatusRuntimeException) t;
            if (sre.getTrailers() != null && sre.getTrailers().get(ErrorBody.STATUS_KEY) != null) {
                return ErrorBody.fromGrpc(sre.getStatus(), sre.getTrailers());
            }
            final Status.Code code = sre.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED
                && String.valueOf(sre.getStatus().getDescription()).contains("timeout")) {
                return timedOut();
            }
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.UNKNOWN || code == Status.Code.CANCELLED) {
                return unreachable(sre.getStatus().getCause() != null ? sre.getStatus().getCause() : sre);
            }
            return ErrorBody.fromGrpc(sre.getStatus(), sre.getTrailers());
        }
        return unreachable(t);
    }

    private <T extends Message> CompletableFuture<T> rest(String path, HttpMethod method, Message request,
                                                          Message.Builder builder) {
        final HttpRequest req;
        try {
            req = method == HttpMethod.GET
                  ? HttpRequest.of(RequestHeaders.of(HttpMethod.GET, path))
                  : HttpRequest.of(HttpMethod.POST, path, MediaType.JSON_UTF_8, PRINTER.print(request));
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(ChimeraException.internal("cannot encode request: " + e));
        }
        return web.execute(req).aggregate().handle((AggregatedHttpResponse res, Throwable t) -> {
            if (t != null) {
                throw isTimeout(t) ? timedOut() : unreachable(t);
            }
            final String body = res.contentUtf8();
            if (res.status().code() != 200) {
                final ChimeraException e = ErrorBody.parse(res.status().code(), body);
                throw e != null ? e : new ChimeraException(
                        res.status().code() >= 400 ? res.status().code() : 502, "WorkerError",
                        "worker " + name + " answered " + res.status() + ": " + abbreviate(body));
            }
            final Message.Builder b = builder.clone();
            try {
                PARSER.merge(body, b);
            } catch (InvalidProtocolBufferException e) {
                throw ChimeraException.internal("worker " + name + " answered JSON we cannot read: "
                                                + e.getMessage());
            }
            @SuppressWarnings("unchecked")
            final T built = (T) b.build();
            return built;
        });
    }

    /** Whether a call that failed with {@code e} is tried again: the worker was unreachable or too slow. */
    static boolean retryable(ChimeraException e) {
        return UNREACHABLE.equals(e.errorType()) || TIMEOUT.equals(e.errorType());
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof com.linecorp.armeria.client.ResponseTimeoutException) {
                return true;
            }
        }
        return false;
    }

    ChimeraException timedOut() {
        return new ChimeraException(504, TIMEOUT, "worker " + name + " did not answer within "
                                                   + timeout.toMillis() / 1000.0 + " s");
    }

    ChimeraException unreachable(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new ChimeraException(503, UNREACHABLE, "worker " + name + " at " + baseUrl + " is unreachable: "
                                                       + (root.getMessage() != null ? root.getMessage()
                                                                                    : root.getClass().getSimpleName()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return "WorkerClient{" + name + ", " + baseUrl + ", " + transport + '}';
    }

    /** Told of every call attempt a {@link WorkerClient} makes, once it has ended. */
    @FunctionalInterface
    public interface CallObserver {
        /**
         * {@code worker} called {@code path} (e.g. {@code /v1/chimera/model/fit}) and it took {@code seconds};
         * {@code error} is what failed, or null when the worker answered a value.
         */
        void called(WorkerClient worker, String path, double seconds, ChimeraException error);
    }
}
