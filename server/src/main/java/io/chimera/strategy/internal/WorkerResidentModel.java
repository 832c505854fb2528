package io.chimera.strategy.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.node.client.FanOut;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyModel;

/**
 * A model that lives on the workers, as bagging's ensemble does: predict asks them, the artifact is what they
 * export at the time, and nothing answers while a fit runs (the workers are being refitted, and no answer may mix
 * old and new members). A {@link io.chimera.strategy.StrategyMaster} whose strategy has one registers how to
 * build it ({@link StrategyAccess}); it answers predicts before the first fit too, passing the workers' answers
 * (and errors) on.
 */
public interface WorkerResidentModel extends StrategyModel {

    /** The workers' combined answer to {@code rows}; it fails with their error when every worker failed. */
    CompletableFuture<PredictResponse> predictAsync(Table rows);

    /** The artifact of what the workers hold now. */
    CompletableFuture<ModelArtifact> exportAsync();

    /** The artifact of what the workers hold now, waiting for it; a failure is its {@link ChimeraException}. */
    default ModelArtifact export() {
        return join(exportAsync());
    }

    @Override
    default PredictResponse predict(Table rows) {
        return join(predictAsync(rows));
    }

    /** Every worker checks the columns its own model needs. */
    @Override
    default List<String> featureColumns() {
        return List.of();
    }

    @Override
    default double[] classes() {
        return new double[0];
    }

    /** The model is its workers' models: its artifact is what they export ({@link #exportAsync()}). */
    @Override
    default Payload toPayload() {
        throw new UnsupportedOperationException("a model that lives on its workers has no payload of its own; "
                                                + "its artifact is what they export");
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            throw FanOut.unwrap(e);
        }
    }
}
