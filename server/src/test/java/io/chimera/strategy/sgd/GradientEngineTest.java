package io.chimera.strategy.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chimera.core.linear.Loss;

class GradientEngineTest {

    private static final double[] BINARY = { 0, 1 };
    private static final double[] NONE = {};
    /** float32 against double, relative to the largest entry of the reference (1e-6 passes here; BLAS vary). */
    private static final double TOLERANCE = 1e-5;

    static TestData randomData;
    static GradientEngine binaryLog;

    @BeforeAll
    static void setUp() {
        randomData = TestData.random(200, 7, BINARY, 1);
        binaryLog = engine(Loss.LOG_LOSS, randomData, BINARY);
    }

    @AfterAll
    static void tearDown() {
        binaryLog.close();
    }

    static GradientEngine engine(Loss loss, TestData data, double[] classes) {
        final GradientEngineBuilder builder = GradientEngine.builder().features(data.features, data.rows, data.cols)
                                                            .labels(data.labels).loss(loss);
        return (loss.isClassification() ? builder.classes(classes) : builder).build();
    }

    static void assertMatches(Gradient actual, double[][] expected, int rows) {
        assertClose(actual.weightsGradient(), expected[0]);
        assertClose(actual.biasGradient(), expected[1]);
        final double loss = expected[2][0];
        assertThat(actual.loss()).isCloseTo(loss, within(TOLERANCE * Math.max(1, Math.abs(loss))));
        assertThat(actual.rows()).isEqualTo(rows);
    }

    static void assertClose(double[] actual, double[] expected) {
        double scale = 1e-3;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("[%d]: %s vs %s", i, actual[i], expected[i])
                                                        .isLessThanOrEqualTo(TOLERANCE * scale);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void compute_onRandomBinaryOrRealData_matchesDoublePrecisionReference(Loss loss) {
        // Classes other than 0 and 1, to check which one is positive.
        final double[] classes = { -3, 5 };
        final TestData data = TestData.random(300, 9, loss.isClassification() ? classes : NONE, loss.ordinal());
        final double[] w = TestData.gaussians(9, 0.5, 10);
        final double[] b = { 0.3 };
        try (GradientEngine engine = engine(loss, data, classes)) {
            assertThat(engine.outputs()).isEqualTo(1);
            assertMatches(engine.compute(w, b, null), ReferenceGradient.of(loss, data, classes, w, b, null), 300);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void compute_onStandardizedBreastCancer_matchesReference(Loss loss) {
        final TestData raw = TestData.train("breast-cancer");
        final double[][] meanAndScale = raw.meanAndScale();
        final TestData data = raw.standardized(meanAndScale[0], meanAndScale[1]);
        final double[] w = TestData.gaussians(raw.cols, 0.3, 11);
        final double[] b = { -0.2 };
        final GradientEngineBuilder builder = GradientEngine.builder().features(raw.features, raw.rows, raw.cols)
                                                            .labels(raw.labels).loss(loss)
                                                            .standardization(meanAndScale[0], meanAndScale[1]);
        try (GradientEngine engine = (loss.isClassification() ? builder.classes(BINARY) : builder).build()) {
            assertMatches(engine.compute(w, b, null), ReferenceGradient.of(loss, data, BINARY, w, b, null), 455);
        }
    }

    @Test
    void compute_multinomialOnIris_matchesReference() {
        final TestData raw = TestData.train("iris");
        final double[][] meanAndScale = raw.meanAndScale();
        final TestData data = raw.standardized(meanAndScale[0], meanAndScale[1]);
        final double[] classes = { 0, 1, 2 };
        final double[] w = TestData.gaussians(3 * 4, 1, 12);
        final double[] b = { 0.1, -0.4, 0.2 };
        try (GradientEngine engine = engine(Loss.LOG_LOSS, data, classes)) {
            assertThat(engine.outputs()).isEqualTo(3);
            final Gradient gradient = engine.compute(w, b, null);
            assertThat(gradient.weightsGradient()).hasSize(12);
            assertMatches(gradient, ReferenceGradient.of(Loss.LOG_LOSS, data, classes, w, b, null), 120);
        }
    }

    @Test
    void compute_gradientMatchesFiniteDifferencesOfTheLoss() {
        final TestData raw = TestData.train("iris");
        final double[][] meanAndScale = raw.meanAndScale();
        final TestData data = raw.standardized(meanAndScale[0], meanAndScale[1]);
        final double[] w = TestData.gaussians(12, 1, 13);
        final double[] b = { 0.1, -0.4, 0.2 };
        final double[] dw = TestData.gaussians(12, 1, 14);
        final double[] db = TestData.gaussians(3, 1, 15);
        final double h = 1e-2;
        try (GradientEngine engine = engine(Loss.LOG_LOSS, data, new double[] { 0, 1, 2 })) {
            final Gradient g = engine.compute(w, b, null);
            double directional = 0;
            for (int i = 0; i < 12; i++) {
                directional += g.weightsGradient()[i] * dw[i];
            }
            for (int i = 0; i < 3; i++) {
                directional += g.biasGradient()[i] * db[i];
            }
            final double centralDifference =
                    (engine.compute(step(w, dw, h), step(b, db, h), null).loss()
                     - engine.compute(step(w, dw, -h), step(b, db, -h), null).loss()) / (2 * h);
            assertThat(centralDifference).isCloseTo(directional, within(1e-3 * Math.abs(directional)));
        }
    }

    private static double[] step(double[] x, double[] direction, double h) {
        final double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += h * direction[i];
        }
        return out;
    }

    @Test
    void compute_onMiniBatch_matchesReferenceOnThoseRows() {
        final double[] w = TestData.gaussians(7, 0.5, 16);
        final double[] b = { -0.1 };
        final int[] batch = new MiniBatchSampler(200, 32, 7).batch(3);
        assertMatches(binaryLog.compute(w, b, batch),
                      ReferenceGradient.of(Loss.LOG_LOSS, randomData, BINARY, w, b, batch), 32);
        final int[] repeated = { 5, 5, 199, 0, 5 };
        assertMatches(binaryLog.compute(w, b, repeated),
                      ReferenceGradient.of(Loss.LOG_LOSS, randomData, BINARY, w, b, repeated), 5);
    }

    @Test
    void compute_multinomialOnMiniBatch_matchesReferenceOnThoseRows() {
        final TestData data = TestData.random(150, 5, new double[] { 1, 2, 4, 8 }, 17);
        final double[] classes = { 1, 2, 4, 8 };
        final double[] w = TestData.gaussians(4 * 5, 0.5, 18);
        final double[] b = TestData.gaussians(4, 0.5, 19);
        final int[] batch = new MiniBatchSampler(150, 20, 7).batch(1);
        try (GradientEngine engine = engine(Loss.LOG_LOSS, data, classes)) {
            assertMatches(engine.compute(w, b, batch),
                          ReferenceGradient.of(Loss.LOG_LOSS, data, classes, w, b, batch), 20);
        }
    }

    @Test
    void compute_fromManyThreads_matchesSequentialResults() throws Exception {
        final List<double[]> weights = new ArrayList<>();
        final List<double[]> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            weights.add(TestData.gaussians(7, 1, 100 + i));
            expected.add(binaryLog.compute(weights.get(i), new double[] { i }, null).weightsGradient());
        }
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Future<double[]>> results = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 16; i++) {
                    final int k = i;
                    results.add(pool.submit(
                            () -> binaryLog.compute(weights.get(k), new double[] { k }, null).weightsGradient()));
                }
            }
            for (int j = 0; j < results.size(); j++) {
                assertThat(results.get(j).get()).containsExactly(expected.get(j % 16));
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Every tensor DJL creates is attached to a manager and freed with it, so a leak shows as arrays piling up
     * in the engine's manager (the shard is 2). Process RSS is no good here: the JVM heap grows for the first
     * ~20,000 calls whatever happens natively, then stays flat.
     */
    @Test
    void compute_thousandsOfCalls_leaveNoNativeArraysBehind() {
        final double[] w = TestData.gaussians(7, 0.5, 20);
        final double[] b = { 0 };
        final MiniBatchSampler sampler = new MiniBatchSampler(200, 16, 1);
        try (GradientEngine hinge = engine(Loss.HINGE, randomData, BINARY);
             GradientEngine multinomial = engine(Loss.LOG_LOSS, randomData, new double[] { 0, 1, 2 })) {
            for (int i = 0; i < 5_000; i++) {
                hinge.compute(w, b, i % 2 == 0 ? null : sampler.batch(i));
            }
            for (int i = 0; i < 500; i++) {
                multinomial.compute(new double[21], new double[3], i % 2 == 0 ? null : sampler.batch(i));
            }
            assertThat(hinge.attachedArrays()).isEqualTo(2);
            assertThat(multinomial.attachedArrays()).isEqualTo(2);
        }
    }

    @Test
    void compute_withWrongLengths_failsNamingTheArgument() {
        assertThatThrownBy(() -> binaryLog.compute(new double[6], new double[1], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weights.length: 6 (expected: 7");
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[2], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias.length: 2 (expected: 1, one per output)");
    }

    @Test
    void compute_withNonFiniteParameters_fails() {
        final double[] w = new double[7];
        w[3] = Double.NaN;
        assertThatThrownBy(() -> binaryLog.compute(w, new double[1], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("weights[3]: NaN");
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[] { 1e300 }, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bias[0]: 1.0E300");
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[] { Double.NEGATIVE_INFINITY }, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bias[0]: -Infinity");
    }

    @Test
    void compute_withBadRowIndices_fails() {
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[1], new int[] { 0, 200 }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rows[1]: 200 (expected: 0 <= row < 200)");
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[1], new int[] { -1 }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rows[0]: -1");
        assertThatThrownBy(() -> binaryLog.compute(new double[7], new double[1], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rows: []");
    }

    @Test
    void compute_afterClose_fails() {
        final GradientEngine engine = engine(Loss.SQUARED_ERROR, randomData, NONE);
        engine.close();
        engine.close();
        assertThatThrownBy(() -> engine.compute(new double[7], new double[1], null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void build_withLabelOutsideClasses_failsNamingTheRow() {
        final TestData data = new TestData(new double[] { 1, 2, 3 }, 3, 1, new double[] { 0, 1, 2 });
        assertThatThrownBy(() -> engine(Loss.LOG_LOSS, data, BINARY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels[2]: 2.0 (expected: one of [0.0, 1.0])");
    }

    @Test
    void build_withInvalidSettings_failsWithClearMessages() {
        final double[] x = { 1, 2, 3, 4 };
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 3, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rowMajor.length: 4 (expected: 3 = 3 rows x 1 columns)");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rows: 0 (expected: > 0)");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).loss(Loss.HINGE).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing: labels");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).labels(new double[3])
                                               .loss(Loss.SQUARED_ERROR).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels.length: 3 (expected: 4, one per row)");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).labels(new double[4])
                                               .loss(Loss.LOG_LOSS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("classes: not set");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).labels(new double[4])
                                               .loss(Loss.LOG_LOSS).classes(1, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).labels(new double[4])
                                               .loss(Loss.HINGE).classes(0, 1, 2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hinge is binary");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 4, 1).labels(new double[4])
                                               .loss(Loss.SQUARED_ERROR).classes(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: none");
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 2, 2).labels(new double[2])
                                               .loss(Loss.SQUARED_ERROR)
                                               .standardization(new double[1], new double[1]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one per column");
    }

    @Test
    void build_withNonFiniteData_failsNamingTheCell() {
        final double[] x = { 1, 2, Double.NaN, 4 };
        assertThatThrownBy(() -> GradientEngine.builder().features(x, 2, 2).labels(new double[2])
                                               .loss(Loss.SQUARED_ERROR).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features[row 1, column 0]: NaN (expected: finite)");
        assertThatThrownBy(() -> GradientEngine.builder().features(new double[2], 2, 1)
                                               .labels(new double[] { 0, Double.NaN })
                                               .loss(Loss.SQUARED_ERROR).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("labels[1]: NaN (expected: finite)");
    }

    @Test
    void build_withZeroScale_leavesTheFeatureUnscaled() {
        final TestData data = new TestData(new double[] { 3, 1, 3, 2, 3, 4 }, 3, 2, new double[] { 1, 2, 3 });
        final double[] w = { 0.5, -1 };
        final double[] b = { 0.25 };
        try (GradientEngine engine = GradientEngine.builder().features(data.features, 3, 2).labels(data.labels)
                                                   .loss(Loss.SQUARED_ERROR)
                                                   .standardization(new double[] { 3, 1 }, new double[] { 0, 2 })
                                                   .build()) {
            final TestData expected = data.standardized(new double[] { 3, 1 }, new double[] { 1, 2 });
            assertMatches(engine.compute(w, b, null),
                          ReferenceGradient.of(Loss.SQUARED_ERROR, expected, NONE, w, b, null), 3);
        }
    }
}
