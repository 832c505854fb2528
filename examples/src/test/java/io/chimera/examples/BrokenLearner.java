package io.chimera.examples;

import io.chimera.core.data.Dataset;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.Learner;

/** A learner with a bug, for tests: its model answers one probability too few for every request. */
public final class BrokenLearner implements Learner {

    @Override
    public FittedModel fit(Dataset data) {
        final double[] classes = data.distinctLabels();
        return new FittedModel() {
            @Override
            public double[] classes() {
                return classes;
            }

            @Override
            public int featureCount() {
                return data.cols();
            }

            @Override
            public double[] predict(double[] features, int rows) {
                return new double[rows * classes.length - 1];
            }
        };
    }
}
