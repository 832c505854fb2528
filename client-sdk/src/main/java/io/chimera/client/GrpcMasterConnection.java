package io.chimera.client;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc.ParameterServerMasterServiceBlockingStub;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.StatusRequest;
import io.chimera.proto.v1.StatusServiceGrpc.StatusServiceBlockingStub;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;

/** Calls a master through its generated gRPC stub; rows travel in the compact matrix form. */
final class GrpcMasterConnection implements MasterConnection {

    private final String baseUrl;
    private final Duration timeout;
    private final Function<FitRequest, FitResponse> fit;
    private final Function<PredictRequest, PredictResponse> predict;
    private final Supplier<TrainingHistory> history;
    private final Supplier<ModelArtifact> exportModel;
    private final StatusServiceBlockingStub status;

    GrpcMasterConnection(String baseUrl, MasterKind master, ClientFactory factory, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        final GrpcClientBuilder builder = GrpcClients.builder(baseUrl).factory(factory).responseTimeout(timeout);
        status = builder.build(StatusServiceBlockingStub.class);
        if (master == MasterKind.PARAMETER_SERVER) {
            final ParameterServerMasterServiceBlockingStub stub =
                    builder.build(ParameterServerMasterServiceBlockingStub.class);
            fit = stub::fit;
            predict = stub::predict;
            history = () -> stub.history(TrainingHistoryRequest.getDefaultInstance());
            exportModel = () -> stub.export(ExportModelRequest.getDefaultInstance());
        } else {
            final AggregationMasterServiceBlockingStub stub = builder.build(AggregationMasterServiceBlockingStub.class);
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
        // No chimera trailers: the error was made on this side (Armeria maps its exceptions to a status).
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
}
