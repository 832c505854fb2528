package io.chimera.strategy.sgd;

import java.util.List;

import io.chimera.common.Table;
import io.chimera.core.linear.Loss;
import io.chimera.models.internal.Predictor;
import io.chimera.proto.v1.LinearModelParameters;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyModel;

/**
 * A fitted linear model: weights and bias over standardised features, as the parameter server, federated
 * averaging and all-reduce fit it. Immutable once built.
 */
public final class LinearModel implements Predictor, StrategyModel {

    private final List<String> features;
    private final double[] mean;
    private final double[] scale;
    private final Loss loss;
    private final double[] classes;
    private final double[] weights;
    private final double[] bias;

    /**
     * @param weights outputs x features, row-major
     * @param mean per-feature mean subtracted before the model, or null for none
     * @param scale per-feature scale divided by, or null for none
     */
    public LinearModel(List<String> features, double[] mean, double[] scale, Loss loss, double[] classes,
                       double[] weights, double[] bias) {
        this.features = List.copyOf(features);
        this.mean = mean;
        this.scale = scale;
        this.loss = loss;
        this.classes = classes.clone();
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    /**
     * Reads back what {@link #toPayload()} wrote.
     *
     * @throws IllegalArgumentException when the payload does not hold a consistent model
     */
    public LinearModel(Payload payload) {
        this(payload.texts("features"), payload.has("mean") ? payload.vector("mean") : null,
             payload.has("scale") ? payload.vector("scale") : null, Loss.parse(payload.text("loss")),
             payload.vector("classes"), payload.vector("weights"), payload.vector("bias"));
        final int d = features.size();
        if (bias.length != loss.outputs(classes.length) || weights.length != bias.length * d
            || mean != null && (mean.length != d || scale == null || scale.length != d)) {
            throw new IllegalArgumentException(weights.length + " weights and " + bias.length + " biases for "
                                               + d + " features and " + classes.length + " classes");
        }
    }

    public List<String> features() {
        return features;
    }

    @Override
    public List<String> featureColumns() {
        return features;
    }

    @Override
    public Payload toPayload() {
        final Payload.Builder p = Payload.builder().texts("features", features).text("loss", loss.lossName())
                                         .vector("classes", classes).vector("weights", weights).vector("bias", bias);
        if (mean != null) {
            p.vector("mean", mean).vector("scale", scale);
        }
        return p.build();
    }

    public Loss loss() {
        return loss;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    public double[] weights() {
        return weights.clone();
    }

    public double[] bias() {
        return bias.clone();
    }

    /** The parameters, for a model artifact: everything {@link #predict} uses but the features and classes. */
    public LinearModelParameters toParameters() {
        final LinearModelParameters.Builder p = LinearModelParameters.newBuilder().setLoss(loss.lossName());
        for (double w : weights) {
            p.addWeights(w);
        }
        for (double b : bias) {
            p.addBias(b);
        }
        if (mean != null) {
            for (int c = 0; c < mean.length; c++) {
                p.addFeatureMean(mean[c]).addFeatureScale(scale[c]);
            }
        }
        return p.build();
    }

    /**
     * Predicts: regression → value; binary log loss → P(positive class), as chimera; hinge → the label;
     * multinomial → the most probable label, with {@code classes} and {@code y_pred_proba}.
     */
    @Override
    public PredictResponse predict(Table table) {
        final double[] x = table.valuesInOrder(features);
        final int rows = table.rows();
        final int d = features.size();
        final int k = bias.length;
        Table.checkPredictRows(rows, k > 1 ? 1 + k : 1);
        final double[] z = new double[k];
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        final Matrix.Builder proba = k > 1 ? Matrix.newBuilder().setRows(rows).setCols(k) : null;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < k; o++) {
                double s = bias[o];
                for (int c = 0; c < d; c++) {
                    double v = x[r * d + c];
                    if (mean != null) {
                        v = (v - mean[c]) / scale[c];
                    }
                    s += weights[o * d + c] * v;
                }
                z[o] = s;
            }
            ModelOutputs.answer(loss, classes, z, res, proba);
        }
        return ModelOutputs.finish(classes, res, proba);
    }
}
