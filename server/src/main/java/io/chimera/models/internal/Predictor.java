package io.chimera.models.internal;

import io.chimera.common.Table;
import io.chimera.proto.v1.PredictResponse;

/** A fitted model a master answers predict with on its own, with no workers. */
public interface Predictor {

    /**
     * Predicts the rows of {@code table}, matching its columns by name.
     *
     * @throws io.chimera.common.ChimeraException 400 when the columns are not the model's
     */
    PredictResponse predict(Table table);
}
