package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.StringJoiner;

import io.chimera.core.linear.Loss;

/**
 * Builds a {@link GradientEngine} from primitive arrays. The arrays are read, not kept: {@link #build()}
 * standardises the features, converts them to float32 and copies them into native memory, so they may be
 * reused or dropped once it returns.
 */
public final class GradientEngineBuilder {

    private double[] features;
    private int rows;
    private int columns;
    private double[] labels;
    private Loss loss;
    private double[] classes;
    private double[] mean;
    private double[] scale;
    private int[] hidden;
    private MlpLayout.Activation activation;
    private double targetShift;
    private double targetScale = 1;

    GradientEngineBuilder() {}

    /**
     * Sets the shard's features.
     *
     * @param rowMajor {@code rows x columns} values, row after row, all finite
     */
    public GradientEngineBuilder features(double[] rowMajor, int rows, int columns) {
        requireNonNull(rowMajor, "rowMajor");
        if (rows <= 0) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: > 0)");
        }
        if (columns <= 0) {
            throw new IllegalArgumentException("columns: " + columns + " (expected: > 0)");
        }
        if (rowMajor.length != (long) rows * columns) {
            throw new IllegalArgumentException("rowMajor.length: " + rowMajor.length + " (expected: "
                                               + (long) rows * columns + " = " + rows + " rows x " + columns
                                               + " columns)");
        }
        features = rowMajor;
        this.rows = rows;
        this.columns = columns;
        return this;
    }

    /** Sets one label per row: a class label for classification losses, a real target for squared error. */
    public GradientEngineBuilder labels(double[] labels) {
        this.labels = requireNonNull(labels, "labels");
        return this;
    }

    /** Sets the loss to differentiate. */
    public GradientEngineBuilder loss(Loss loss) {
        this.loss = requireNonNull(loss, "loss");
        return this;
    }

    /**
     * Sets the class labels, sorted ascending, for a classification loss (required for it, not allowed for
     * squared error). With two classes the second is the positive one. Every label must be one of them; the
     * shard need not contain all of them.
     */
    public GradientEngineBuilder classes(double... sortedClasses) {
        classes = requireNonNull(sortedClasses, "sortedClasses");
        return this;
    }

    /**
     * Standardises the features once, here, as {@code x' = (x - mean) / scale}; a scale of 0 counts as 1
     * (a constant feature). Optional; the master computes both for all shards with
     * {@link ShardStatistics#meanAndScale(java.util.List)} so every worker standardises alike.
     */
    public GradientEngineBuilder standardization(double[] mean, double[] scale) {
        this.mean = requireNonNull(mean, "mean");
        this.scale = requireNonNull(scale, "scale");
        return this;
    }

    /**
     * Makes the model a multi-layer perceptron with these hidden layers, for {@link #buildNetwork()}.
     *
     * @throws IllegalArgumentException when a size is not between 1 and {@link MlpLayout#MAX_UNITS}
     */
    public GradientEngineBuilder network(MlpLayout.Activation activation, int... hidden) {
        MlpLayout.checkHidden(requireNonNull(hidden, "hidden"));
        this.activation = requireNonNull(activation, "activation");
        this.hidden = hidden.clone();
        return this;
    }

    /**
     * Standardises a regression's target as {@code (y - shift) / scale}, for {@link #buildNetwork()}: the network
     * learns the standardised target. By default none.
     *
     * @throws IllegalArgumentException when a value is not finite or the scale is not positive
     */
    public GradientEngineBuilder targetStandardization(double shift, double scale) {
        if (!Double.isFinite(shift) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("target standardization: shift " + shift + ", scale " + scale
                                               + " (expected: finite, scale > 0)");
        }
        targetShift = shift;
        targetScale = scale;
        return this;
    }

    /**
     * Validates the settings and loads the shard into a new network engine, which the caller must close.
     *
     * @throws IllegalStateException if features, labels, loss or {@link #network} were not set
     * @throws IllegalArgumentException if a value is invalid; the message names it
     */
    public MlpGradientEngine buildNetwork() {
        if (hidden == null) {
            throw new IllegalStateException("missing: network (expected: network(activation, hidden...) is set)");
        }
        checkSet();
        if (targetShift != 0 || targetScale != 1) {
            if (loss.isClassification()) {
                throw new IllegalArgumentException("target standardization: not for " + loss
                                                   + " (expected: a regression loss)");
            }
        }
        final double[] sortedClasses = checkClasses();
        final int outputs = loss.outputs(sortedClasses.length);
        final MlpLayout layout = new MlpLayout(columns, hidden, outputs, activation);
        final double[] center = new double[columns];
        final double[] divisor = new double[columns];
        checkStandardization(center, divisor);
        final float[] y = targets(sortedClasses, outputs);
        if (!loss.isClassification()) {
            for (int r = 0; r < rows; r++) {
                y[r] = (float) ((labels[r] - targetShift) / targetScale);
            }
        }
        return new MlpGradientEngine(loss, layout, rows, standardizedFeatures(center, divisor, false), y);
    }

    /**
     * Validates the settings and loads the shard into a new engine, which the caller must close.
     *
     * @throws IllegalStateException if features, labels or loss were not set
     * @throws IllegalArgumentException if a value is invalid; the message names it
     * @throws IllegalStateException if DJL's PyTorch engine cannot be loaded
     */
    public GradientEngine build() {
        checkSet();
        final double[] sortedClasses = checkClasses();
        final int outputs = loss.outputs(sortedClasses.length);
        final double[] center = new double[columns];
        final double[] divisor = new double[columns];
        checkStandardization(center, divisor);
        return new GradientEngine(loss, rows, columns, outputs, standardizedFeatures(center, divisor, true),
                                  targets(sortedClasses, outputs));
    }

    private void checkSet() {
        if (features == null || labels == null || loss == null) {
            final StringJoiner missing = new StringJoiner(", ", "missing: ", " (expected: features, labels "
                                                                          + "and loss are set)");
            if (features == null) {
                missing.add("features");
            }
            if (labels == null) {
                missing.add("labels");
            }
            if (loss == null) {
                missing.add("loss");
            }
            throw new IllegalStateException(missing.toString());
        }
        if ((long) rows * (columns + 1) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("features: " + rows + " rows x " + columns
                                               + " columns (expected: rows x (columns + 1) < 2^31)");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(
                    "labels.length: " + labels.length + " (expected: " + rows + ", one per row)");
        }
    }

    private double[] checkClasses() {
        if (!loss.isClassification()) {
            if (classes != null && classes.length > 0) {
                throw new IllegalArgumentException("classes: " + Arrays.toString(classes)
                                                   + " (expected: none for " + loss + ')');
            }
            return new double[0];
        }
        if (classes == null) {
            throw new IllegalArgumentException("classes: not set (expected: the sorted class labels for "
                                               + loss + ')');
        }
        final double[] sorted = classes.clone();
        for (int i = 0; i < sorted.length; i++) {
            if (!Double.isFinite(sorted[i]) || i > 0 && sorted[i] <= sorted[i - 1]) {
                throw new IllegalArgumentException("classes: " + Arrays.toString(sorted)
                                                   + " (expected: finite, strictly increasing)");
            }
        }
        return sorted;
    }

    private void checkStandardization(double[] center, double[] divisor) {
        Arrays.fill(divisor, 1);
        if (mean == null) {
            return;
        }
        if (mean.length != columns || scale.length != columns) {
            throw new IllegalArgumentException("standardization: mean.length " + mean.length + ", scale.length "
                                               + scale.length + " (expected: " + columns + ", one per column)");
        }
        for (int c = 0; c < columns; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("mean[" + c + "]: " + mean[c] + " (expected: finite)");
            }
            if (!Double.isFinite(scale[c]) || scale[c] < 0) {
                throw new IllegalArgumentException("scale[" + c + "]: " + scale[c] + " (expected: finite, >= 0)");
            }
            center[c] = mean[c];
            divisor[c] = scale[c] == 0 ? 1 : scale[c];
        }
    }

    /** Standardised features as float32, with a last column of ones for the linear model's bias when asked. */
    private float[] standardizedFeatures(double[] center, double[] divisor, boolean ones) {
        final int width = ones ? columns + 1 : columns;
        final float[] augmented = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                final double value = features[r * columns + c];
                final float standardized = (float) ((value - center[c]) / divisor[c]);
                if (!Float.isFinite(standardized)) {
                    throw new IllegalArgumentException(
                            "features[row " + r + ", column " + c + "]: " + value
                            + (Double.isFinite(value) ? " (expected: within float32 range once standardised)"
                                                      : " (expected: finite)"));
                }
                augmented[r * width + c] = standardized;
            }
            if (ones) {
                augmented[r * width + columns] = 1f;
            }
        }
        return augmented;
    }

    /** The float32 targets {@link GradientEngine} expects for the loss; see its {@code targets} field. */
    private float[] targets(double[] sortedClasses, int outputs) {
        final float[] targets = new float[rows * outputs];
        for (int r = 0; r < rows; r++) {
            final double label = labels[r];
            if (!Double.isFinite(label)) {
                throw new IllegalArgumentException("labels[" + r + "]: " + label + " (expected: finite)");
            }
            if (!loss.isClassification()) {
                targets[r] = (float) label;
                continue;
            }
            final int k = Arrays.binarySearch(sortedClasses, label);
            if (k < 0) {
                throw new IllegalArgumentException("labels[" + r + "]: " + label + " (expected: one of "
                                                   + Arrays.toString(sortedClasses) + ')');
            }
            if (outputs > 1) {
                targets[r * outputs + k] = 1f;
            } else if (loss == Loss.HINGE) {
                targets[r] = k == 1 ? 1f : -1f;
            } else {
                targets[r] = k;
            }
        }
        return targets;
    }

    @Override
    public String toString() {
        return "GradientEngineBuilder{loss=" + loss + ", rows=" + rows + ", columns=" + columns + ", classes="
               + Arrays.toString(classes) + ", standardized=" + (mean != null) + '}';
    }
}
