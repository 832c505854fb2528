package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

import io.chimera.core.data.Dataset;

/**
 * Fits CART classification trees with exact splits, as scikit-learn's {@code DecisionTreeClassifier} does.
 * Labels may be any finite doubles; the sorted distinct labels become the model's
 * {@linkplain FittedModel#classes() classes}, and each leaf holds the class distribution of its training
 * rows.
 */
public final class DecisionTreeClassifier implements Learner {

    /** Returns a builder with every hyperparameter at its default. */
    public static DecisionTreeClassifierBuilder builder() {
        return new DecisionTreeClassifierBuilder();
    }

    private final TreeParameters parameters;
    private final Criterion criterion;

    DecisionTreeClassifier(TreeParameters parameters, Criterion criterion) {
        this.parameters = parameters;
        this.criterion = criterion;
    }

    /**
     * Fits a classification tree on {@code data}.
     *
     * @throws IllegalArgumentException if {@code data} has no rows, or a feature or label is not finite
     */
    @Override
    public DecisionTreeModel fit(Dataset data) {
        requireNonNull(data, "data");
        return grow(data, SampleWeights.all(data));
    }

    /**
     * Fits a classification tree on the rows of {@code data} listed in {@code rows}, without copying them: the
     * same tree as {@code fit(data.select(rows))}.
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
        final double[] classes = sampledClasses(data, weights);
        if (classes.length == 0) {
            throw new IllegalArgumentException("data: no rows (expected: > 0)");
        }
        if (!Double.isFinite(classes[0]) || !Double.isFinite(classes[classes.length - 1])) {
            throw new IllegalArgumentException("labels: " + Arrays.toString(classes) + " (expected: finite)");
        }
        final double[] labels = data.labels();
        final int[] classOf = new int[labels.length];
        long totalWeight = 0;
        for (int row = 0; row < labels.length; row++) {
            classOf[row] = weights[row] > 0 ? Arrays.binarySearch(classes, labels[row]) : 0;
            totalWeight += weights[row];
        }
        final SplitFinder finder = new ClassificationSplitFinder(classOf, classes.length, criterion,
                                                                 codes.maxBins(), weights,
                                                                 Math.toIntExact(totalWeight));
        final NodeTable nodes = new TreeGrower(codes, parameters, finder, classes.length).grow();
        return new DecisionTreeModel(data.featureNames(), classes, nodes);
    }

    /** The distinct labels of the rows in the sample, ascending: a bootstrap sample may miss a rare class. */
    private static double[] sampledClasses(Dataset data, int[] weights) {
        final double[] all = data.distinctLabels();
        final boolean[] present = new boolean[all.length];
        final double[] labels = data.labels();
        for (int row = 0; row < labels.length; row++) {
            if (weights[row] > 0) {
                present[Arrays.binarySearch(all, labels[row])] = true;
            }
        }
        int count = 0;
        for (int c = 0; c < all.length; c++) {
            if (present[c]) {
                all[count++] = all[c];
            }
        }
        return Arrays.copyOf(all, count);
    }

    @Override
    public String toString() {
        return "DecisionTreeClassifier{criterion=" + criterion + ", " + parameters + '}';
    }
}
