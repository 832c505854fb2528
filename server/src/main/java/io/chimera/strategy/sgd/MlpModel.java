package io.chimera.strategy.sgd;

import java.util.Arrays;
import java.util.List;

import io.chimera.common.Table;
import io.chimera.core.linear.Loss;
import io.chimera.models.internal.Predictor;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyModel;

/**
 * A fitted multi-layer perceptron, as the parameter server fits it with hidden layers: the network over
 * standardised features, and for a regression the target's standardisation it learned in. It answers as the
 * linear models do (value, P(positive class), label, or label with class probabilities), computed in plain Java,
 * so that a master serving an exported network needs no native library. Immutable.
 */
public final class MlpModel implements Predictor, StrategyModel {

    private final List<String> features;
    private final double[] mean;
    private final double[] scale;
    private final Loss loss;
    private final double[] classes;
    private final MlpLayout layout;
    private final double[] parameters;
    private final double targetShift;
    private final double targetScale;

    /**
     * @param mean per-feature mean subtracted before the network, or null for none
     * @param scale per-feature scale divided by, or null for none
     * @param parameters laid out as {@link MlpLayout} says
     * @param targetShift a regression's target shift, 0 otherwise
     * @param targetScale a regression's target scale, 1 otherwise: the answer is {@code z * scale + shift}
     */
    public MlpModel(List<String> features, double[] mean, double[] scale, Loss loss, double[] classes,
                    MlpLayout layout, double[] parameters, double targetShift, double targetScale) {
        this.features = List.copyOf(features);
        this.mean = mean == null ? null : mean.clone();
        this.scale = scale == null ? null : scale.clone();
        this.loss = loss;
        this.classes = classes.clone();
        this.layout = layout;
        this.parameters = parameters.clone();
        this.targetShift = targetShift;
        this.targetScale = targetScale;
        final int d = features.size();
        if (layout.inputs() != d || layout.outputs() != loss.outputs(classes.length)
            || parameters.length != layout.parameterCount()
            || mean != null && (mean.length != d || scale == null || scale.length != d)) {
            throw new IllegalArgumentException(layout + " with " + parameters.length + " parameters for " + d
                                               + " features and " + classes.length + " classes");
        }
    }

    /**
     * Reads back what {@link #toPayload()} wrote.
     *
     * @throws IllegalArgumentException when the payload does not hold a consistent network
     */
    public MlpModel(Payload payload) {
        this(payload.texts("features"), payload.has("mean") ? payload.vector("mean") : null,
             payload.has("scale") ? payload.vector("scale") : null, Loss.parse(payload.text("loss")),
             payload.vector("classes"), layout(payload), flat(payload, layout(payload)),
             payload.scalar("target_shift", 0), payload.scalar("target_scale", 1));
    }

    private static MlpLayout layout(Payload payload) {
        final double[] sizes = payload.vector("layers");
        if (sizes.length < 3) {
            throw new IllegalArgumentException("layers: " + Arrays.toString(sizes)
                                               + " (expected: inputs, at least one hidden size, outputs)");
        }
        final int[] hidden = new int[sizes.length - 2];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (int) sizes[i + 1];
        }
        return new MlpLayout((int) sizes[0], hidden, (int) sizes[sizes.length - 1],
                             MlpLayout.Activation.parse(payload.text("activation")));
    }

    private static double[] flat(Payload payload, MlpLayout layout) {
        final double[] flat = new double[layout.parameterCount()];
        for (int l = 0; l < layout.layers(); l++) {
            place(payload.vector("w" + l), flat, layout.weightOffset(l), layout.sizes()[l] * layout.sizes()[l + 1],
                  "w" + l);
            place(payload.vector("b" + l), flat, layout.biasOffset(l), layout.sizes()[l + 1], "b" + l);
        }
        return flat;
    }

    private static void place(double[] values, double[] flat, int from, int expected, String name) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + ": " + values.length + " values (expected: " + expected + ')');
        }
        System.arraycopy(values, 0, flat, from, expected);
    }

    @Override
    public Payload toPayload() {
        final int[] sizes = layout.sizes();
        final double[] layers = Arrays.stream(sizes).asDoubleStream().toArray();
        final Payload.Builder p = Payload.builder().texts("features", features).text("loss", loss.lossName())
                                         .vector("classes", classes).vector("layers", layers)
                                         .text("activation", layout.activation().activationName());
        for (int l = 0; l < layout.layers(); l++) {
            final int w = layout.weightOffset(l);
            p.tensor("w" + l, Arrays.copyOfRange(parameters, w, w + sizes[l] * sizes[l + 1]), sizes[l + 1], sizes[l]);
            final int b = layout.biasOffset(l);
            p.vector("b" + l, Arrays.copyOfRange(parameters, b, b + sizes[l + 1]));
        }
        if (mean != null) {
            p.vector("mean", mean).vector("scale", scale);
        }
        if (!loss.isClassification()) {
            p.scalar("target_shift", targetShift).scalar("target_scale", targetScale);
        }
        return p.build();
    }

    @Override
    public List<String> featureColumns() {
        return features;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    public Loss loss() {
        return loss;
    }

    public MlpLayout layout() {
        return layout;
    }

    /** The parameters, laid out as {@link MlpLayout} says. */
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public PredictResponse predict(Table table) {
        final double[] x = table.valuesInOrder(features);
        final int rows = table.rows();
        final int d = features.size();
        final int k = layout.outputs();
        Table.checkPredictRows(rows, k > 1 ? 1 + k : 1);
        final double[] row = new double[d];
        final double[] z = new double[k];
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        final Matrix.Builder proba = k > 1 ? Matrix.newBuilder().setRows(rows).setCols(k) : null;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                final double v = x[r * d + c];
                row[c] = mean == null ? v : (v - mean[c]) / (scale[c] == 0 ? 1 : scale[c]);
            }
            layout.forward(parameters, row, z);
            if (!loss.isClassification()) {
                z[0] = z[0] * targetScale + targetShift;
            }
            ModelOutputs.answer(loss, classes, z, res, proba);
        }
        return ModelOutputs.finish(classes, res, proba);
    }

    @Override
    public String toString() {
        return "MlpModel{" + loss.lossName() + ", " + layout + '}';
    }
}
