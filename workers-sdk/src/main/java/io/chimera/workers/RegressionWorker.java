package io.chimera.workers;

import io.chimera.common.ChimeraException;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.workers.data.Dataset;
import io.chimera.workers.learn.FittedModel;
import io.chimera.workers.learn.Learner;

/**
 * A bagging worker for regression: {@code y_pred_rows} holds its model's predicted values.
 *
 * <pre>{@code
 * // chimera_workers/tree1.java
 * public class tree1 {
 *     public static void main(String[] args) {
 *         new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(5).build(), true).serve();
 *     }
 * }
 * }</pre>
 */
public final class RegressionWorker extends ModelWorker {

    /** A worker that fits {@code regressor} on all of its data. */
    public RegressionWorker(Learner regressor) {
        this(regressor, false);
    }

    /** A worker that fits {@code regressor}, on a bootstrap sample of its data when {@code bootstrap}. */
    public RegressionWorker(Learner regressor, boolean bootstrap) {
        super(regressor, bootstrap);
    }

    @Override
    public RegressionWorker seed(long seed) {
        super.seed(seed);
        return this;
    }

    @Override
    void checkData(Dataset data) {
        // Any finite labels will do; the loader already refused the rest.
    }

    @Override
    void checkFitted(FittedModel fitted) {
        if (fitted.classes() != null && fitted.classes().length > 0) {
            throw ChimeraException.internal("learner " + learnerName()
                                            + " is a classifier; a RegressionWorker needs a regressor");
        }
    }

    @Override
    PredictResponse toResponse(FittedModel fitted, double[] output, int rows) {
        if (output == null || output.length != rows) {
            throw ChimeraException.internal(
                    "learner " + learnerName() + " returned " + (output == null ? "nothing"
                    : output.length + " values") + " for " + rows + " rows (expected: " + rows + ')');
        }
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        for (double v : output) {
            if (!Double.isFinite(v)) {
                throw ChimeraException.internal("learner " + learnerName() + " predicted " + v);
            }
            res.addYPredRows(v);
        }
        return res.build();
    }
}
