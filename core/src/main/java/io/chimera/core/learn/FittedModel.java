package io.chimera.core.learn;

/**
 * A fitted model: predicts from row-major feature matrices whose columns are in the training column order.
 * Implementations are immutable and safe to use from several threads.
 */
public interface FittedModel {

    /** Returns the sorted class labels for a classifier, or an empty array for a regressor. */
    double[] classes();

    /** Returns the number of features the model expects, in training column order. */
    int featureCount();

    /**
     * Predicts {@code rows} rows of {@code features}, a row-major {@code rows x featureCount()} matrix.
     *
     * @return for a regressor, {@code rows} values; for a classifier, a row-major
     *         {@code rows x classes().length} matrix of class probabilities, each row summing to 1
     * @throws IllegalArgumentException if {@code features.length != rows * featureCount()}
     */
    double[] predict(double[] features, int rows);
}
