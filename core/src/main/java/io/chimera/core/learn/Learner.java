package io.chimera.core.learn;

import io.chimera.core.data.Dataset;

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

    /**
     * Fits a model on the rows of {@code data} listed in {@code rows}, in that order; indices may repeat, as in
     * a {@link io.chimera.core.data.BootstrapSampler} sample. The result is that of
     * {@code fit(data.select(rows))}, which is what this default does; a learner may override it to fit
     * without copying the rows, as the built-in trees do.
     *
     * @throws IndexOutOfBoundsException if an index is not a row of {@code data}
     * @throws IllegalArgumentException if the data cannot be fitted, for example because {@code rows} is empty
     */
    default FittedModel fit(Dataset data, int[] rows) {
        return fit(data.select(rows));
    }

    /**
     * Returns this learner with its own randomness (a random forest's feature draws, say) seeded from
     * {@code seed}. A bagging worker calls it with its per-worker seed (from {@code CHIMERA_SEED} and its name),
     * so that workers with the same learner still differ, and a run with the same seed repeats. The default
     * returns this learner unchanged: the built-in trees take their seed as a parameter.
     */
    default Learner withSeed(long seed) {
        return this;
    }
}
