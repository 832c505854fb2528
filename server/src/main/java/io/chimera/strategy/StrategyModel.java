package io.chimera.strategy;

import java.util.List;

import io.chimera.common.Table;
import io.chimera.proto.v1.PredictResponse;

/**
 * The model a {@link StrategyMaster}'s fit returns: it answers predict on the master, is exported as a model
 * artifact ({@code GET /v1/chimera/<strategy>/model}), kept in {@code .chimera/models/} and served again by a
 * {@link io.chimera.models.ModelMaster} with no workers.
 *
 * <p>An implementation writes everything it needs into a {@link Payload} ({@link #toPayload()}) and has a public
 * constructor taking that {@link Payload}, which reads it back: the artifact names the class, and the master
 * that serves it calls that constructor.
 */
public interface StrategyModel {

    /** The feature columns predict expects (any order in a request, matched by name). */
    List<String> featureColumns();

    /** The class labels, sorted, for a classifier; empty for a regression. */
    double[] classes();

    /**
     * Predicts the rows of {@code rows}, in chimera's predict JSON: a regression's values, a binary classifier's
     * probability of the positive class, a multi-class classifier's labels (with {@code classes} and
     * {@code y_pred_proba}).
     *
     * @throws io.chimera.common.ChimeraException 400 when the rows lack a column of the model
     */
    PredictResponse predict(Table rows);

    /** Everything the model needs to predict again, for the constructor that takes a {@link Payload}. */
    Payload toPayload();
}
