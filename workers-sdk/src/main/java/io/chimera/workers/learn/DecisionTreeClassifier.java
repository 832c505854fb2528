package io.chimera.workers.learn;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

import io.chimera.workers.data.Dataset;

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
        final FeatureCodes codes = FeatureCodes.of(data);
        final double[] classes = data.distinctLabels();
        if (!Double.isFinite(classes[0]) || !Double.isFinite(classes[classes.length - 1])) {
            throw new IllegalArgumentException("labels: " + Arrays.toString(classes) + " (expected: finite)");
        }
        final double[] labels = data.labels();
        final int[] classOf = new int[labels.length];
        for (int row = 0; row < labels.length; row++) {
            classOf[row] = Arrays.binarySearch(classes, labels[row]);
        }
        final SplitFinder finder = new ClassificationSplitFinder(classOf, classes.length, criterion,
                                                                 codes.maxBins());
        final NodeTable nodes = new TreeGrower(codes, data.rows(), parameters, finder, classes.length).grow();
        return new DecisionTreeModel(data.featureNames(), classes, nodes);
    }

    @Override
    public String toString() {
        return "DecisionTreeClassifier{criterion=" + criterion + ", " + parameters + '}';
    }
}
