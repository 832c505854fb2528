package io.chimera.strategy.sgd;

import java.util.Arrays;
import java.util.List;

import ai.djl.pytorch.jni.JniUtils;

import io.chimera.core.linear.Loss;

/**
 * Times {@link GradientEngine#compute} on the diabetes-like data (202,944 x 21, binary log loss): full-batch
 * gradients over a quarter of the rows and over all of them, a 256-row mini-batch, and a 64-row shard whose
 * time is DJL's fixed cost per call. Not a test. Run from {@code server} after {@code test-compile}:
 *
 * <pre>{@code
 * mvn -o -q exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.chimera.strategy.sgd.GradientBenchmark -Dai.djl.pytorch.num_threads=1
 * }</pre>
 *
 * <p>The data is found as the tests find it ({@code $CHIMERA_DATASETS/diabetes-like} or
 * {@code shared/datasets/diabetes-like} beside the repository).
 */
public final class GradientBenchmark {

    private static final int WARM_UP_CALLS = 200;
    /** Calls timed per case; {@code -Dcalls=N} to change, e.g. to overlap two benchmark processes. */
    private static final int MEASURED_CALLS = Integer.getInteger("calls", 500);

    public static void main(String[] args) {
        final TestData data = TestData.train("diabetes-like");
        final double[][] meanAndScale = data.meanAndScale();
        final int quarter = data.rows / 4;
        final TestData firstQuarter = new TestData(Arrays.copyOf(data.features, quarter * data.cols), quarter,
                                                   data.cols, Arrays.copyOf(data.labels, quarter));
        final TestData tiny = new TestData(Arrays.copyOf(data.features, 64 * data.cols), 64, data.cols,
                                           Arrays.copyOf(data.labels, 64));
        try (GradientEngine all = engine(data, meanAndScale);
             GradientEngine part = engine(firstQuarter, meanAndScale);
             GradientEngine small = engine(tiny, meanAndScale)) {
            System.out.printf("PyTorch intra-op threads: %d, inter-op threads: %d, cores: %d%n",
                              JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(),
                              Runtime.getRuntime().availableProcessors());
            time("full batch, " + quarter + " x " + data.cols, part, null);
            time("full batch, " + data.rows + " x " + data.cols, all, null);
            time("mini-batch 256 of " + data.rows, all, new MiniBatchSampler(data.rows, 256, 1));
            time("full batch, 64 x " + data.cols + " (fixed cost)", small, null);
        }
    }

    private static GradientEngine engine(TestData data, double[][] meanAndScale) {
        return GradientEngine.builder().features(data.features, data.rows, data.cols).labels(data.labels)
                             .loss(Loss.LOG_LOSS).classes(0, 1).standardization(meanAndScale[0], meanAndScale[1])
                             .build();
    }

    private static void time(String name, GradientEngine engine, MiniBatchSampler sampler) {
        final double[] w = TestData.gaussians(engine.columns(), 0.1, 1);
        final double[] b = { 0.1 };
        final long[] nanos = new long[MEASURED_CALLS];
        for (int i = 0; i < WARM_UP_CALLS + MEASURED_CALLS; i++) {
            final int[] batch = sampler == null ? null : sampler.batch(i);
            final long start = System.nanoTime();
            engine.compute(w, b, batch);
            if (i >= WARM_UP_CALLS) {
                nanos[i - WARM_UP_CALLS] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("%-40s median %7.3f ms   p90 %7.3f ms   min %7.3f ms%n", name,
                          nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 9 / 10] / 1e6, nanos[0] / 1e6);
    }


    private GradientBenchmark() {}
}
