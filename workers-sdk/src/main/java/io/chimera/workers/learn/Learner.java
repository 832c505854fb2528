package io.chimera.workers.learn;

import io.chimera.workers.data.Dataset;

/**
 * A trainer: fits a model on a dataset. A learner holds only its hyperparameters, so one instance may fit
 * many datasets, from several threads at once; fitting the same data with the same learner gives the same
 * model.
 */
public interface Learner {

    /**
     * Fits a model on {@code data}, using every row and the features in column order.
     *
     * @throws IllegalArgumentException if the data cannot be fitted, for example because it has no rows
     */
    FittedModel fit(Dataset data);
}
