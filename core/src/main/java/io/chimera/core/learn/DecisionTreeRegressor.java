package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import io.chimera.core.data.Dataset;

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
        return grow(data, SampleWeights.all(data));
    }

    /**
     * Fits a regression tree on the rows of {@code data} listed in {@code rows}, without copying them: the same
     * tree as {@code fit(data.select(rows))}, but for the rounding of sums over repeated rows.
     *
     * @throws IllegalArgumentException if {@code rows} is empty, or a feature or label is not finite
     */
    @Override
    public DecisionTreeModel fit(Dataset data, int[] rows) {
        requireNonNull(data, "data");
        return grow(data, SampleWeights.of(data, rows));
    }

    private DecisionTreeModel grow(Dataset data, int[] weights) {
        final FeatureCodes codes = FeatureCodes.cached(data);
        final double[] labels = data.labels();
        boolean any = false;
        for (int row = 0; row < labels.length; row++) {
            any |= weights[row] > 0;
            if (weights[row] > 0 && !Double.isFinite(labels[row])) {
                throw new IllegalArgumentException("labels: " + labels[row] + " at row " + row +
                                                   " (expected: finite)");
            }
        }
        if (!any) {
            throw new IllegalArgumentException("data: no rows (expected: > 0)");
        }
        final SplitFinder finder = new RegressionSplitFinder(labels, codes.maxBins(), weights);
        final NodeTable nodes = new TreeGrower(codes, parameters, finder, 1).grow();
        return new DecisionTreeModel(data.featureNames(), NO_CLASSES, nodes);
    }

    @Override
    public String toString() {
        return "DecisionTreeRegressor{" + parameters + '}';
    }
}
