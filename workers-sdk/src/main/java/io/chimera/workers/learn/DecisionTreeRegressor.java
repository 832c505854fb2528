package io.chimera.workers.learn;

import static java.util.Objects.requireNonNull;

import io.chimera.workers.data.Dataset;

/**
 * Fits CART regression trees with exact splits that minimise squared error, as scikit-learn's
 * {@code DecisionTreeRegressor} does; each leaf holds the mean label of its training rows.
 */
public final class DecisionTreeRegressor implements Learner {

    private static final double[] NO_CLASSES = {};

    /** Returns a builder with every hyperparameter at its default. */
    public static DecisionTreeRegressorBuilder builder() {
        return new DecisionTreeRegressorBuilder();
    }

    private final TreeParameters parameters;

    DecisionTreeRegressor(TreeParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Fits a regression tree on {@code data}.
     *
     * @throws IllegalArgumentException if {@code data} has no rows, or a feature or label is not finite
     */
    @Override
    public DecisionTreeModel fit(Dataset data) {
        requireNonNull(data, "data");
        final FeatureCodes codes = FeatureCodes.of(data);
        final double[] labels = data.labels();
        for (int row = 0; row < labels.length; row++) {
            if (!Double.isFinite(labels[row])) {
                throw new IllegalArgumentException("labels: " + labels[row] + " at row " + row +
                                                   " (expected: finite)");
            }
        }
        final SplitFinder finder = new RegressionSplitFinder(labels, codes.maxBins());
        final NodeTable nodes = new TreeGrower(codes, data.rows(), parameters, finder, 1).grow();
        return new DecisionTreeModel(data.featureNames(), NO_CLASSES, nodes);
    }

    @Override
    public String toString() {
        return "DecisionTreeRegressor{" + parameters + '}';
    }
}
