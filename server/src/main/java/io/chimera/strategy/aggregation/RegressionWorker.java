package io.chimera.strategy.aggregation;

import io.chimera.core.data.Dataset;
import io.chimera.core.learn.Learner;

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

    private static final double[] NO_CLASSES = {};

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
    protected void checkData(Dataset data) {
        // Any finite labels will do; the loader already refused the rest.
    }

    @Override
    protected double[] answerClasses() {
        return NO_CLASSES;
    }
}
