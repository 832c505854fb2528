package io.chimera.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc.ParameterServerMasterServiceBlockingStub;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.StatusRequest;
import io.chimera.proto.v1.StatusServiceGrpc;
import io.chimera.proto.v1.StatusServiceGrpc.StatusServiceBlockingStub;
import io.chimera.proto.v1.StrategyMasterServiceGrpc;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * Calls a master through its generated gRPC stub over grpc-java's OkHttp transport; rows travel in the compact
 * matrix form.
 *
 * <p>OkHttp rather than Netty: grpc-okhttp and what it pulls (okio, the Kotlin runtime) weigh about 2.5 MB,
 * grpc-netty-shaded about 10 MB, which alone would take the SDK past its 15 MB budget (docs/client.md).
 */
final class GrpcMasterConnection implements MasterConnection {

    /**
     * The largest answer read, as the Armeria client this replaced allowed (its default
     * {@code maxResponseLength}, 10 MiB); grpc-java's own default, 4 MiB, would refuse large exported models.
     */
    static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

    private final String baseUrl;
    private final Duration timeout;
    private final ManagedChannel channel;
    private final Function<FitRequest, FitResponse> fit;
    private final Function<PredictRequest, PredictResponse> predict;
    private final Supplier<TrainingHistory> history;
    private final Supplier<ModelArtifact> exportModel;
    private final StatusServiceBlockingStub status;

    GrpcMasterConnection(String baseUrl, MasterKind master, String strategy, Duration timeout, String token) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.timeout = requireNonNull(timeout, "timeout");
        requireNonNull(master, "master");
        final URI uri = URI.create(baseUrl);
        final boolean tls = "https".equals(uri.getScheme());
        final OkHttpChannelBuilder builder =
                OkHttpChannelBuilder.forAddress(uri.getHost(), uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80)
                                    .maxInboundMessageSize(MAX_RESPONSE_BYTES);
        if (!tls) {
            builder.usePlaintext();
        }
        channel = builder.build();
        Channel calls = ClientInterceptors.intercept(channel, new PerCall(uri.getRawPath(), timeout));
        if (token != null) {
            final Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            calls = ClientInterceptors.intercept(calls, MetadataUtils.newAttachHeadersInterceptor(auth));
        }
        status = StatusServiceGrpc.newBlockingStub(calls);
        if (master == MasterKind.STRATEGY) {
            // One gRPC service for every strategy: the master serves only its own.
            final StrategyMasterServiceGrpc.StrategyMasterServiceBlockingStub stub =
                    StrategyMasterServiceGrpc.newBlockingStub(calls);
            fit = stub::fit;
            predict = stub::predict;
            history = () -> stub.history(TrainingHistoryRequest.getDefaultInstance());
            exportModel = () -> stub.export(ExportModelRequest.getDefaultInstance());
        } else if (master == MasterKind.PARAMETER_SERVER) {
            final ParameterServerMasterServiceBlockingStub stub = ParameterServerMasterServiceGrpc.newBlockingStub(calls);
            fit = stub::fit;
            predict = stub::predict;
            history = () -> stub.history(TrainingHistoryRequest.getDefaultInstance());
            exportModel = () -> stub.export(ExportModelRequest.getDefaultInstance());
        } else {
            final AggregationMasterServiceBlockingStub stub = AggregationMasterServiceGrpc.newBlockingStub(calls);
            fit = stub::fit;
            predict = stub::predict;
            history = () -> {
                throw new IllegalStateException("the aggregation master has no history");
            };
            exportModel = () -> stub.export(ExportModelRequest.getDefaultInstance());
        }
    }

    @Override
    public FitResponse fit() {
        return call(() -> fit.apply(FitRequest.getDefaultInstance()));
    }

    @Override
    public PredictResponse predict(Table table) {
        return call(() -> predict.apply(table.toPredictRequest()));
    }

    @Override
    public TrainingHistory history() {
        return call(history);
    }

    @Override
    public ModelArtifact exportModel() {
        return call(exportModel);
    }

    @Override
    public MasterStatus status() {
        return call(() -> status.status(StatusRequest.getDefaultInstance()));
    }

    @Override
    public void close() {
        // Calls in flight fail as unreachable (UNAVAILABLE), as they did when Armeria's factory was closed.
        channel.shutdownNow();
    }

    private <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw toChimera(e);
        }
    }

    private ChimeraException toChimera(StatusRuntimeException e) {
        final Metadata trailers = e.getTrailers();
        if (trailers != null && trailers.containsKey(ErrorBody.TYPE_KEY)) {
            return ErrorBody.fromGrpc(e.getStatus(), trailers);
        }
        // No chimera trailers: the error was made on this side (the transport's status for a refused
        // connection, a deadline, an answer too large).
        switch (e.getStatus().getCode()) {
            case UNAVAILABLE:
                return ChimeraClient.unreachable(baseUrl, e.getStatus().getCause() != null ? e.getStatus().getCause()
                                                                                          : e);
            case DEADLINE_EXCEEDED:
                return ChimeraClient.timedOut(baseUrl, timeout);
            default:
                return ErrorBody.fromGrpc(e.getStatus(), trailers);
        }
    }

    @Override
    public String toString() {
        return "gRPC";
    }

    /**
     * Gives every call the client's timeout as its deadline (connecting included, as {@link
     * ChimeraClientBuilder#timeout} says) and, when the base URL has a path, prefixes the method's path with
     * it, as Armeria's gRPC client did with a base URL's path.
     */
    private static final class PerCall implements ClientInterceptor {

        private final String prefix;
        private final long timeoutNanos;

        PerCall(String path, Duration timeout) {
            final String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
            prefix = trimmed.isEmpty() ? "" : trimmed + '/';
            timeoutNanos = timeout.toNanos();
        }

        @Override
        public <I, O> ClientCall<I, O> interceptCall(MethodDescriptor<I, O> method, CallOptions options,
                                                     Channel next) {
            final MethodDescriptor<I, O> target =
                    prefix.isEmpty() ? method
                                     : method.toBuilder().setFullMethodName(prefix + method.getFullMethodName())
                                             .build();
            return next.newCall(target, options.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
        }
    }
}
