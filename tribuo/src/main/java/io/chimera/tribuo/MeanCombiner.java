package io.chimera.tribuo;

import java.util.Arrays;
import java.util.List;

import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;

import com.google.protobuf.Any;

/**
 * Tribuo's {@link AveragingCombiner} with its unweighted {@code combine} fixed. In Tribuo 4.3.2 that method
 * updates its running mean as {@code mean += x - mean}, without dividing by the count, so it answers the last
 * prediction instead of the mean: a k-NN regressor answered its k-th neighbour's target, and scored R² -0.44 on
 * wine-like. This one gives each prediction weight 1 to the weighted {@code combine}, which is right. It is what
 * chimera's k-NN regressors use, and it reads back as itself from a saved model.
 */
public final class MeanCombiner extends AveragingCombiner {

    private static final long serialVersionUID = 1L;

    @Override
    public Prediction<Regressor> combine(ImmutableOutputInfo<Regressor> outputInfo,
                                         List<Prediction<Regressor>> predictions) {
        final float[] weights = new float[predictions.size()];
        Arrays.fill(weights, 1f);
        return combine(outputInfo, predictions, weights);
    }

    /** Tribuo's protobuf reader for this class: a saved model's combiner reads back as a {@code MeanCombiner}. */
    public static MeanCombiner deserializeFromProto(int version, String className, Any message) {
        AveragingCombiner.deserializeFromProto(version, AveragingCombiner.class.getName(), message);
        return new MeanCombiner();
    }
}
