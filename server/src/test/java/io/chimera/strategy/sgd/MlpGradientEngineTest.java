package io.chimera.strategy.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.chimera.core.linear.Loss;

/**
 * The network's gradient that workers sum equals the gradient DJL's own layers and losses give on all the rows at
 * once (issue 16's numerical check): the engine writes the forward pass by hand with NDArray operations, the
 * reference is DJL's {@link SequentialBlock} of {@link Linear} layers with DJL's {@link ai.djl.training.loss.Loss}.
 */
class MlpGradientEngineTest {

    /** float32 sums in a different order: relative to the largest entry of the reference. */
    private static final double TOLERANCE = 2e-5;
    private static final int WORKERS = 4;

    @Test
    void fourShardsSummed_equalDjlsGradientOnAllRows_binaryLogLoss() {
        checkShardsAgainstDjl("breast-cancer", Loss.LOG_LOSS, new double[] { 0, 1 }, MlpLayout.Activation.RELU,
                              new int[] { 32 });
    }

    @Test
    void fourShardsSummed_equalDjlsGradientOnAllRows_multinomialLogLoss_twoTanhLayers() {
        checkShardsAgainstDjl("iris", Loss.LOG_LOSS, new double[] { 0, 1, 2 }, MlpLayout.Activation.TANH,
                              new int[] { 16, 8 });
    }

    @Test
    void fourShardsSummed_equalDjlsGradientOnAllRows_squaredError_sigmoid() {
        checkShardsAgainstDjl("diabetes-sklearn", Loss.SQUARED_ERROR, new double[0], MlpLayout.Activation.SIGMOID,
                              new int[] { 32 });
    }

    private static void checkShardsAgainstDjl(String dataset, Loss loss, double[] classes,
                                              MlpLayout.Activation activation, int[] hidden) {
        final TestData raw = TestData.train(dataset);
        final double[][] meanAndScale = raw.meanAndScale();
        final int outputs = loss.outputs(classes.length);
        final MlpLayout layout = new MlpLayout(raw.cols, hidden, outputs, activation);
        // Away from the first parameters, so that every unit is active somewhere and no gradient is trivially 0.
        final double[] params = layout.initialParameters(7);
        final double[] noise = TestData.gaussians(params.length, 0.1, 8);
        for (int i = 0; i < params.length; i++) {
            params[i] += noise[i];
        }
        final double shift = loss.isClassification() ? 0 : mean(raw.labels);
        final double scale = loss.isClassification() ? 1 : 2 * shift;

        final double[] summed = new double[params.length];
        double summedLoss = 0;
        int rows = 0;
        for (int w = 0; w < WORKERS; w++) {
            final int from = raw.rows * w / WORKERS;
            final int to = raw.rows * (w + 1) / WORKERS;
            final TestData shard = new TestData(Arrays.copyOfRange(raw.features, from * raw.cols, to * raw.cols),
                                                to - from, raw.cols, Arrays.copyOfRange(raw.labels, from, to));
            try (MlpGradientEngine engine = engine(shard, loss, classes, layout, meanAndScale, shift, scale)) {
                final Gradient g = engine.compute(params, null);
                final double[] flat = flat(g);
                for (int i = 0; i < flat.length; i++) {
                    summed[i] += g.rows() * flat[i];
                }
                summedLoss += g.rows() * g.loss();
                rows += g.rows();
            }
        }
        for (int i = 0; i < summed.length; i++) {
            summed[i] /= rows;
        }
        final double[] expected = new double[params.length + 1];
        djlGradient(raw.standardized(meanAndScale[0], meanAndScale[1]), loss, classes, layout, params, shift, scale,
                    expected);
        assertThat(rows).isEqualTo(raw.rows);
        assertThat(summedLoss / rows).isCloseTo(expected[params.length], within(1e-5));
        assertClose(summed, Arrays.copyOf(expected, params.length));
    }

    private static MlpGradientEngine engine(TestData data, Loss loss, double[] classes, MlpLayout layout,
                                            double[][] meanAndScale, double shift, double scale) {
        final GradientEngineBuilder builder = GradientEngine.builder().features(data.features, data.rows, data.cols)
                                                            .labels(data.labels).loss(loss)
                                                            .standardization(meanAndScale[0], meanAndScale[1])
                                                            .network(layout.activation(), layout.hidden());
        if (loss.isClassification()) {
            builder.classes(classes);
        } else {
            builder.targetStandardization(shift, scale);
        }
        return builder.buildNetwork();
    }

    /**
     * DJL's gradient of its own loss, on its own layers holding {@code params}, over all the rows; the mean loss
     * goes into the last entry of {@code out}.
     */
    private static void djlGradient(TestData data, Loss loss, double[] classes, MlpLayout layout, double[] params,
                                    double shift, double scale, double[] out) {
        final int[] sizes = layout.sizes();
        final SequentialBlock block = new SequentialBlock();
        for (int l = 0; l < layout.layers(); l++) {
            block.add(Linear.builder().setUnits(sizes[l + 1]).build());
            if (l < layout.layers() - 1) {
                switch (layout.activation()) {
                    case RELU:
                        block.add(Activation::relu);
                        break;
                    case TANH:
                        block.add(Activation::tanh);
                        break;
                    default:
                        block.add(Activation::sigmoid);
                }
            }
        }
        // Each Linear holds a weight [outputs, inputs] and a bias [outputs], as the layout's w<l> and b<l>.
        final var parameters = block.getParameters();
        assertThat(parameters.size()).isEqualTo(2 * layout.layers());
        for (int p = 0; p < parameters.size(); p++) {
            final int l = p / 2;
            final boolean weight = p % 2 == 0;
            final int from = weight ? layout.weightOffset(l) : layout.biasOffset(l);
            final int n = weight ? sizes[l] * sizes[l + 1] : sizes[l + 1];
            final float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) params[from + i];
            }
            parameters.get(p).getValue().setInitializer((m, shape, type) -> m.create(values, shape));
        }
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, data.cols));
            final float[] x = new float[data.features.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) data.features[i];
            }
            final float[] y = new float[data.rows];
            for (int r = 0; r < data.rows; r++) {
                y[r] = (float) (loss.isClassification() ? Arrays.binarySearch(classes, data.labels[r])
                                                        : (data.labels[r] - shift) / scale);
            }
            final ai.djl.training.loss.Loss djlLoss;
            final NDArray labels;
            if (!loss.isClassification()) {
                djlLoss = ai.djl.training.loss.Loss.l2Loss();
                labels = manager.create(y, new Shape(data.rows, 1));
            } else if (classes.length == 2) {
                djlLoss = ai.djl.training.loss.Loss.sigmoidBinaryCrossEntropyLoss();
                labels = manager.create(y, new Shape(data.rows, 1));
            } else {
                djlLoss = ai.djl.training.loss.Loss.softmaxCrossEntropyLoss();
                labels = manager.create(y, new Shape(data.rows));
            }
            try (GradientCollector collector = PyTorchRuntime.engine().newGradientCollector()) {
                final NDArray input = manager.create(x, new Shape(data.rows, data.cols));
                final NDList prediction = block.forward(new ParameterStore(manager, false), new NDList(input), true);
                final NDArray value = djlLoss.evaluate(new NDList(labels), prediction);
                collector.backward(value);
                out[params.length] = value.getFloat();
            }
            for (int p = 0; p < parameters.size(); p++) {
                final Parameter parameter = parameters.get(p).getValue();
                final int l = p / 2;
                final int from = p % 2 == 0 ? layout.weightOffset(l) : layout.biasOffset(l);
                final float[] g = parameter.getArray().getGradient().toFloatArray();
                for (int i = 0; i < g.length; i++) {
                    out[from + i] = g[i];
                }
            }
        }
    }

    @Test
    void aMiniBatch_isTheGradientOverThoseRows() {
        final TestData data = TestData.random(60, 5, new double[] { 0, 1 }, 3);
        final MlpLayout layout = new MlpLayout(5, new int[] { 6 }, 1, MlpLayout.Activation.RELU);
        final double[] params = layout.initialParameters(4);
        final int[] batch = { 3, 17, 17, 42, 0 };
        final double[] x = new double[batch.length * 5];
        final double[] y = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
            System.arraycopy(data.features, batch[i] * 5, x, i * 5, 5);
            y[i] = data.labels[batch[i]];
        }
        try (MlpGradientEngine all = network(data, layout);
             MlpGradientEngine rows = network(new TestData(x, batch.length, 5, y), layout)) {
            final Gradient fromBatch = all.compute(params, batch);
            final Gradient fromRows = rows.compute(params, null);
            assertThat(fromBatch.rows()).isEqualTo(5);
            assertClose(flat(fromBatch), flat(fromRows));
            assertThat(fromBatch.loss()).isCloseTo(fromRows.loss(), within(1e-6));
        }
    }

    @Test
    void hingeGradient_matchesFiniteDifferencesOfItsLoss() {
        final TestData data = TestData.random(80, 4, new double[] { -1, 1 }, 5);
        final MlpLayout layout = new MlpLayout(4, new int[] { 8 }, 1, MlpLayout.Activation.TANH);
        final double[] params = layout.initialParameters(6);
        final double[] direction = TestData.gaussians(params.length, 1, 7);
        // Small enough that few rows cross the hinge's kink, large enough for float32 differences.
        final double h = 1e-3;
        try (MlpGradientEngine engine = GradientEngine.builder().features(data.features, 80, 4).labels(data.labels)
                                                      .loss(Loss.HINGE).classes(-1, 1)
                                                      .network(MlpLayout.Activation.TANH, 8).buildNetwork()) {
            final double[] g = flat(engine.compute(params, null));
            double directional = 0;
            for (int i = 0; i < g.length; i++) {
                directional += g[i] * direction[i];
            }
            final double central = (engine.compute(step(params, direction, h), null).loss()
                                    - engine.compute(step(params, direction, -h), null).loss()) / (2 * h);
            assertThat(central).isCloseTo(directional, within(2e-2 * Math.abs(directional)));
        }
    }

    @Test
    void thousandsOfCalls_leaveNoNativeArraysBehind() {
        final TestData data = TestData.random(50, 3, new double[] { 0, 1 }, 9);
        final MlpLayout layout = new MlpLayout(3, new int[] { 4 }, 1, MlpLayout.Activation.RELU);
        try (MlpGradientEngine engine = network(data, layout)) {
            final double[] params = layout.initialParameters(1);
            for (int i = 0; i < 2000; i++) {
                engine.compute(params, i % 2 == 0 ? null : new int[] { i % 50 });
            }
            assertThat(engine.attachedArrays()).isEqualTo(2);
        }
    }

    @Test
    void badParametersAndRows_failWithClearMessages_andClosedEnginesRefuse() {
        final TestData data = TestData.random(20, 3, new double[] { 0, 1 }, 10);
        final MlpLayout layout = new MlpLayout(3, new int[] { 4 }, 1, MlpLayout.Activation.RELU);
        final MlpGradientEngine engine = network(data, layout);
        assertThatThrownBy(() -> engine.compute(new double[3], null))
                .hasMessage("parameters: 3 values (expected: 21 for MlpLayout[3, 4, 1] relu)");
        final double[] nan = layout.initialParameters(1);
        nan[5] = Double.NaN;
        assertThatThrownBy(() -> engine.compute(nan, null))
                .hasMessage("parameters[5]: NaN (expected: finite, within float32 range)");
        assertThatThrownBy(() -> engine.compute(layout.initialParameters(1), new int[] { 20 }))
                .hasMessageContaining("rows[0]: 20");
        engine.close();
        assertThatThrownBy(() -> engine.compute(layout.initialParameters(1), null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> GradientEngine.builder().network(MlpLayout.Activation.RELU, 0))
                .hasMessageContaining("hiddenLayers: [0] (expected: each size between 1 and 4096)");
        assertThatThrownBy(() -> GradientEngine.builder().features(data.features, 20, 3).labels(data.labels)
                                               .loss(Loss.LOG_LOSS).classes(0, 1).buildNetwork())
                .hasMessageContaining("missing: network");
    }

    private static MlpGradientEngine network(TestData data, MlpLayout layout) {
        return GradientEngine.builder().features(data.features, data.rows, data.cols).labels(data.labels)
                             .loss(Loss.LOG_LOSS).classes(0, 1).network(layout.activation(), layout.hidden())
                             .buildNetwork();
    }

    private static double[] flat(Gradient g) {
        final double[] w = g.weightsGradient();
        final double[] b = g.biasGradient();
        final double[] out = Arrays.copyOf(w, w.length + b.length);
        System.arraycopy(b, 0, out, w.length, b.length);
        return out;
    }

    private static double[] step(double[] x, double[] direction, double h) {
        final double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += h * direction[i];
        }
        return out;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static void assertClose(double[] actual, double[] expected) {
        double largest = 1e-3;
        for (double v : expected) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("[%d]: %s vs %s", i, actual[i], expected[i])
                                                        .isLessThanOrEqualTo(TOLERANCE * largest);
        }
        // Not a trivial match: the gradient has weight.
        assertThat(largest).isGreaterThan(1e-3);
    }
}
