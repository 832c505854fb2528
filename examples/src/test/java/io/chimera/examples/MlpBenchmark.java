package io.chimera.examples;

import java.nio.file.Path;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import io.chimera.common.Table;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.linear.LearningRate;
import io.chimera.core.metrics.Metrics;
import io.chimera.strategy.parameterserver.SyncMode;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.MlpGradientEngine;
import io.chimera.strategy.sgd.MlpLayout;
import io.chimera.strategy.sgd.MlpModel;

/**
 * The network through the parameter server, timed against the same network trained in one JVM (issue 16): one
 * hidden layer of 32 ReLU units, log loss, full-batch AdaGrad(0.5), {@value SgdBenchmark#ITERATIONS} synchronous
 * iterations on {@code diabetes-like}, three ways, side by side in one run:
 *
 * <ol>
 *   <li>chimera: a parameter server and 4 {@code SGDWorker} processes, the fit timed over REST;</li>
 *   <li>chimera's own code in one JVM, no network: one {@link MlpGradientEngine} over all the rows and the same
 *       optimiser (the lower bound for the cost of distribution);</li>
 *   <li>DJL's own training loop in one JVM: a {@link SequentialBlock} of {@link Linear} layers, DJL's
 *       {@link Trainer}, its sigmoid cross-entropy and Adam ({@link #DJL_ADAM_RATE}): what a DJL user would
 *       write.</li>
 * </ol>
 *
 * <p>The JVM-local runs use as many PyTorch threads as the machine has cores, as the 4 worker processes share them.
 */
final class MlpBenchmark {

    static final String DATASET = "diabetes-like";
    static final int HIDDEN = 32;
    static final int WORKERS = 4;
    static final float RATE = 0.5f;
    /**
     * DJL's {@code Adagrad} fails on the PyTorch engine ("Only COO sparse type supported for PyTorch", DJL 0.36), so
     * DJL's loop runs Adam; the update is a negligible part of an iteration beside the two passes over the rows.
     */
    static final float DJL_ADAM_RATE = 0.01f;
    /** The parameter server's default L2 strength, applied alike in the JVM-local runs. */
    static final double ALPHA = 0.0001;

    /** One system's fit times and holdout ROC AUC. */
    record Line(String system, Samples fit, double auc) {}

    static List<Line> measure(int warmups, int repeats) throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads",
                           System.getProperty("ai.djl.pytorch.num_threads",
                                              Integer.toString(Runtime.getRuntime().availableProcessors())));
        final SgdBenchmark.Result ours = SgdBenchmark.measure(DATASET, "log_loss", SyncMode.synchronous(), WORKERS,
                                                              warmups, repeats, Benchmarks.workerJvm(),
                                                              b -> b.hiddenLayers(HIDDEN).activation("relu"));
        final Path dir = ExampleData.dataset(DATASET);
        final Dataset train = CsvDatasetLoader.load(dir.resolve("chimera_train_data/w1/X_train.csv"),
                                                    dir.resolve("chimera_train_data/w1/y_train.csv"));
        final Dataset test = CsvDatasetLoader.load(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"));
        final double[][] meanAndScale = meanAndScale(train);
        return List.of(new Line("chimera, " + WORKERS + " workers (REST, parameter server)",
                                Samples.of(ours.fitSeconds()), ours.score()),
                       oneJvm(train, test, meanAndScale, warmups, repeats),
                       djl(train, test, meanAndScale, warmups, repeats));
    }

    /** chimera's gradient engine and optimiser on all the rows in this JVM. */
    private static Line oneJvm(Dataset train, Dataset test, double[][] meanAndScale, int warmups, int repeats) {
        final double[] classes = { 0, 1 };
        try (MlpGradientEngine engine = GradientEngine.builder().features(train.features(), train.rows(), train.cols())
                                                      .labels(train.labels()).loss(io.chimera.core.linear.Loss.LOG_LOSS)
                                                      .classes(classes)
                                                      .standardization(meanAndScale[0], meanAndScale[1])
                                                      .network(MlpLayout.Activation.RELU, HIDDEN).buildNetwork()) {
            final MlpLayout layout = engine.layout();
            double[] params = null;
            final double[] times = new double[repeats];
            for (int run = 0; run < warmups + repeats; run++) {
                final long t0 = System.nanoTime();
                params = layout.initialParameters(0);
                final io.chimera.core.linear.Optimizer optimizer =
                        io.chimera.core.linear.Optimizer.create(LearningRate.adaGrad(RATE), params.length);
                final double[] grad = new double[params.length];
                for (int it = 1; it <= SgdBenchmark.ITERATIONS; it++) {
                    final Gradient g = engine.compute(params, null);
                    final double[] w = g.weightsGradient();
                    final double[] b = g.biasGradient();
                    for (int i = 0; i < w.length; i++) {
                        grad[i] = w[i] + ALPHA * params[i];
                    }
                    System.arraycopy(b, 0, grad, w.length, b.length);
                    optimizer.step(params, grad, it, 1);
                }
                if (run >= warmups) {
                    times[run - warmups] = (System.nanoTime() - t0) / 1e9;
                }
            }
            final MlpModel model = new MlpModel(train.featureNames(), meanAndScale[0], meanAndScale[1],
                                                io.chimera.core.linear.Loss.LOG_LOSS, classes, layout, params, 0, 1);
            final double[] p = model.predict(Table.of(test.featureNames(), test.features(), test.rows()))
                                    .getYPredRowsList().stream().mapToDouble(Double::doubleValue).toArray();
            return new Line("chimera's code, one JVM (no network)", Samples.of(times), Metrics.rocAuc(p, test.labels()));
        }
    }

    /** DJL's own layers, loss, optimiser and training loop on all the rows in this JVM. */
    private static Line djl(Dataset train, Dataset test, double[][] meanAndScale, int warmups, int repeats) {
        final double[] times = new double[repeats];
        double auc = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager()) {
            final NDArray x = manager.create(standardized(train, meanAndScale), new Shape(train.rows(), train.cols()));
            final NDArray y = manager.create(toFloats(train.labels()), new Shape(train.rows(), 1));
            final NDArray xTest = manager.create(standardized(test, meanAndScale), new Shape(test.rows(), test.cols()));
            for (int run = 0; run < warmups + repeats; run++) {
                final long t0 = System.nanoTime();
                final SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(HIDDEN).build())
                                                                   .add(Activation::relu)
                                                                   .add(Linear.builder().setUnits(1).build());
                try (Model model = Model.newInstance("mlp")) {
                    model.setBlock(block);
                    final DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                            .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(DJL_ADAM_RATE))
                                                   .optWeightDecays((float) ALPHA).build());
                    try (Trainer trainer = model.newTrainer(config)) {
                        trainer.initialize(new Shape(1, train.cols()));
                        for (int it = 0; it < SgdBenchmark.ITERATIONS; it++) {
                            // An iteration's arrays go to the inputs' manager: free them with the iteration, as
                            // DJL's own EasyTrain does with each batch (kept, 200 iterations ran out of memory).
                            try (NDManager step = manager.newSubManager()) {
                                x.tempAttach(step);
                                y.tempAttach(step);
                                try (GradientCollector collector = trainer.newGradientCollector()) {
                                    final NDList prediction = trainer.forward(new NDList(x));
                                    collector.backward(trainer.getLoss().evaluate(new NDList(y), prediction));
                                }
                                trainer.step();
                            }
                        }
                        if (run >= warmups) {
                            times[run - warmups] = (System.nanoTime() - t0) / 1e9;
                        }
                        if (run == warmups + repeats - 1) {
                            final float[] z = trainer.evaluate(new NDList(xTest)).singletonOrThrow().toFloatArray();
                            // (once: its arrays go when the manager closes)
                            final double[] p = new double[z.length];
                            for (int i = 0; i < z.length; i++) {
                                p[i] = 1 / (1 + Math.exp(-z[i]));
                            }
                            auc = Metrics.rocAuc(p, test.labels());
                        }
                    }
                }
            }
        }
        return new Line("DJL's Trainer, one JVM (Adam " + DJL_ADAM_RATE + ")", Samples.of(times), auc);
    }

    /** Each feature's mean and population standard deviation (1 for a constant one), as the workers' sums give. */
    private static double[][] meanAndScale(Dataset data) {
        final int d = data.cols();
        final double[] mean = new double[d];
        final double[] scale = new double[d];
        for (int c = 0; c < d; c++) {
            double sum = 0;
            double squares = 0;
            for (int r = 0; r < data.rows(); r++) {
                final double v = data.feature(r, c);
                sum += v;
                squares += v * v;
            }
            mean[c] = sum / data.rows();
            final double variance = squares / data.rows() - mean[c] * mean[c];
            scale[c] = variance > 0 ? Math.sqrt(variance) : 1;
        }
        return new double[][] { mean, scale };
    }

    private static float[] standardized(Dataset data, double[][] meanAndScale) {
        final float[] out = new float[data.rows() * data.cols()];
        for (int r = 0; r < data.rows(); r++) {
            for (int c = 0; c < data.cols(); c++) {
                out[r * data.cols() + c] = (float) ((data.feature(r, c) - meanAndScale[0][c]) / meanAndScale[1][c]);
            }
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        final float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private MlpBenchmark() {}
}
