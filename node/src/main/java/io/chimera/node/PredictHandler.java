package io.chimera.node;

import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.grpc.stub.StreamObserver;

/**
 * A gRPC service's predict method, {@code service::predict}, as {@link NodeServerBuilder#restPredict} calls it:
 * it answers through {@code out} or throws a {@link io.chimera.common.ChimeraException}.
 */
@FunctionalInterface
public interface PredictHandler {

    /** Predicts the rows of {@code request}; answers or fails through {@code out}, or throws. */
    void predict(PredictRequest request, StreamObserver<PredictResponse> out);
}
