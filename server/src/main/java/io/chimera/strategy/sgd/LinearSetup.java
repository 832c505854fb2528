package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import io.chimera.common.ChimeraException;
import io.chimera.core.data.Dataset;
import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Loss;
import io.chimera.core.linear.Optimizer;
import io.chimera.core.linear.Penalty;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyFit;

/**
 * What a data-parallel strategy that fits a linear model by SGD needs on both sides: the training options (loss,
 * penalty, learning rate, mini-batch size, seed), and the problem its workers' shards make together (columns,
 * global standardisation, classes), gathered from each worker's {@link #statistics(Dataset)}. The master sends
 * it to the workers as a {@link Payload}; a worker builds its {@link GradientEngine} from it.
 *
 * <p>The parameter server prepares its fit with it too ({@link #prepareShards} on the SGD workers' typed
 * statistics): the same checks and messages, the same global standardisation ({@link ShardStatistics#meanAndScale})
 * and the same first parameters, so that every strategy built on it starts from the same point.
 */
public final class LinearSetup {

    /** Distinct labels are reported only up to this many (a regression target has more). */
    public static final int MAX_REPORTED_CLASSES = 1000;

    /** A worker's statistics of its shard: what the master merges into the problem. */
    public static Payload statistics(Dataset data) {
        final ShardStatistics s = ShardStatistics.of(data.features(), data.rows(), data.cols(), data.labels());
        final Payload.Builder p = Payload.builder().texts("columns", data.featureNames()).scalar("count", s.count())
                                         .vector("sum", s.sum()).vector("sum_of_squares", s.sumOfSquares())
                                         .scalar("label_sum", s.labelSum())
                                         .scalar("label_sum_of_squares", s.labelSumOfSquares());
        if (s.classes().length <= MAX_REPORTED_CLASSES) {
            p.vector("classes", s.classes());
        }
        return p.build();
    }

    /** The training options; the problem comes from {@link #prepare}. */
    public static LinearSetup of(Loss loss, Penalty penalty, double alpha, double l1Ratio, LearningRate learningRate,
                                 int batchSize, long seed, boolean standardize) {
        return new LinearSetup(requireNonNull(loss, "loss"), requireNonNull(penalty, "penalty"), alpha, l1Ratio,
                               requireNonNull(learningRate, "learningRate"), batchSize, seed, standardize,
                               null, null, null, null, 0, 0);
    }

    final Loss loss;
    final Penalty penalty;
    final double alpha;
    final double l1Ratio;
    final LearningRate learningRate;
    final int batchSize;
    final long seed;
    final boolean standardize;
    private final List<String> features;
    private final double[] mean;
    private final double[] scale;
    private final double[] classes;
    private final double labelMean;
    private final long rows;

    private LinearSetup(Loss loss, Penalty penalty, double alpha, double l1Ratio, LearningRate learningRate,
                        int batchSize, long seed, boolean standardize, List<String> features, double[] mean,
                        double[] scale, double[] classes, double labelMean, long rows) {
        this.loss = loss;
        this.penalty = penalty;
        this.alpha = alpha;
        this.l1Ratio = l1Ratio;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.seed = seed;
        this.standardize = standardize;
        this.features = features;
        this.mean = mean;
        this.scale = scale;
        this.classes = classes;
        this.labelMean = labelMean;
        this.rows = rows;
    }

    /** This setup with the mini-batches' base seed {@code seed}. */
    public LinearSetup withSeed(long seed) {
        return new LinearSetup(loss, penalty, alpha, l1Ratio, learningRate, batchSize, seed, standardize, features,
                               mean, scale, classes, labelMean, rows);
    }

    /** The base seed of the workers' mini-batches; 0 for each worker's own. */
    public long seed() {
        return seed;
    }

    /**
     * The problem the workers' statistics make: the same columns on every worker, the labels' classes for a
     * classification loss, the global mean and scale of each feature when standardising.
     *
     * @throws ChimeraException 409 {@code DataMismatchError} when the workers' columns differ, or the labels do
     *         not suit the loss
     */
    public LinearSetup prepare(List<StrategyFit.Reply> statistics) {
        final List<Shard> shards = new ArrayList<>();
        for (StrategyFit.Reply r : statistics) {
            final Payload p = r.payload();
            final boolean reported = p.has("classes");
            shards.add(new Shard(r.worker(), p.texts("columns"), ShardStatistics.ofSums(
                    (long) p.scalar("count"), p.vector("sum"), p.vector("sum_of_squares"),
                    reported ? p.vector("classes") : new double[0], p.scalar("label_sum"),
                    p.scalar("label_sum_of_squares")), reported));
        }
        return prepareShards(shards);
    }

    /**
     * One worker's statistics, however they travelled: its columns, its sums, and whether it reported its distinct
     * labels (a worker leaves them out past {@link #MAX_REPORTED_CLASSES}).
     */
    public static final class Shard {
        final String worker;
        final List<String> columns;
        final ShardStatistics statistics;
        final boolean classesReported;

        public Shard(String worker, List<String> columns, ShardStatistics statistics, boolean classesReported) {
            this.worker = requireNonNull(worker, "worker");
            this.columns = List.copyOf(columns);
            this.statistics = requireNonNull(statistics, "statistics");
            this.classesReported = classesReported;
        }
    }

    /**
     * {@link #prepare(List)} on statistics that travelled another way (the parameter server's typed
     * {@code DataStatisticsResponse}): the same checks and messages.
     *
     * @throws ChimeraException 409 {@code DataMismatchError} when the workers' columns differ, or the labels do
     *         not suit the loss
     */
    public LinearSetup prepareShards(List<Shard> statistics) {
        List<String> columns = null;
        String first = null;
        final List<ShardStatistics> shards = new ArrayList<>();
        final TreeSet<Double> union = new TreeSet<>();
        double labelSum = 0;
        long count = 0;
        for (Shard shard : statistics) {
            if (columns == null) {
                columns = shard.columns;
                first = shard.worker;
            } else if (!columns.equals(shard.columns)) {
                throw new ChimeraException(409, "DataMismatchError", "worker " + shard.worker + " has columns "
                        + shard.columns + " but worker " + first + " has " + columns
                        + " (expected: the same columns on every worker)");
            }
            final ShardStatistics st = shard.statistics;
            if (loss.isClassification() && !shard.classesReported && st.count() > 0) {
                throw new ChimeraException(409, "DataMismatchError", "worker " + shard.worker
                        + " has more distinct labels than a classification can use; is the loss right?");
            }
            for (double c : st.classes()) {
                union.add(c);
            }
            shards.add(st);
            labelSum += st.labelSum();
            count += st.count();
        }
        if (columns == null) {
            throw ChimeraException.internal("no statistics to prepare the fit with");
        }
        double[] labels = new double[0];
        if (loss.isClassification()) {
            labels = union.stream().mapToDouble(Double::doubleValue).toArray();
            if (labels.length < 2) {
                throw new ChimeraException(409, "DataMismatchError", "the labels hold a single class " + union
                                                                     + "; a classification loss needs at least two");
            }
            if (loss == Loss.HINGE && labels.length > 2) {
                throw new ChimeraException(409, "DataMismatchError", "loss hinge is binary but the labels hold "
                        + labels.length + " classes " + union + " (expected: log_loss for more than two)");
            }
        }
        double[] m = null;
        double[] sc = null;
        if (standardize) {
            final double[][] ms = ShardStatistics.meanAndScale(shards);
            m = ms[0];
            sc = ms[1];
        }
        return new LinearSetup(loss, penalty, alpha, l1Ratio, learningRate, batchSize, seed, standardize,
                               List.copyOf(columns), m, sc, labels, count > 0 ? labelSum / count : 0, count);
    }

    /** The feature columns every worker has, in their order. */
    public List<String> features() {
        requirePrepared();
        return features;
    }

    /** The global mean of each feature; null when not standardising. */
    public double[] mean() {
        requirePrepared();
        return mean == null ? null : mean.clone();
    }

    /** The global scale of each feature; null when not standardising. */
    public double[] scale() {
        requirePrepared();
        return scale == null ? null : scale.clone();
    }

    /** The labels' classes, sorted, for a classification loss; empty for a regression. */
    public double[] classes() {
        requirePrepared();
        return classes.clone();
    }

    /** The setup as the master sends it to its workers. */
    public Payload toPayload() {
        requirePrepared();
        final Payload.Builder p = Payload.builder().text("loss", loss.lossName()).text("penalty", penalty.name())
                                         .scalar("alpha", alpha).scalar("l1_ratio", l1Ratio)
                                         .text("learning_rate", learningRate.kind().name())
                                         .scalar("learning_rate_value", learningRate.rate())
                                         .scalar("learning_rate_power_t", learningRate.powerT())
                                         .scalar("batch_size", batchSize)
                                         // A text: a double holds a long exactly only up to 2^53.
                                         .text("seed", Long.toString(seed))
                                         .scalar("standardize", standardize ? 1 : 0).texts("features", features)
                                         .vector("classes", classes).scalar("label_mean", labelMean)
                                         .scalar("rows", rows);
        if (mean != null) {
            p.vector("mean", mean).vector("scale", scale);
        }
        return p.build();
    }

    /**
     * Reads what {@link #toPayload()} wrote.
     *
     * @throws ChimeraException 400 when something is missing or wrong
     */
    public static LinearSetup fromPayload(Payload p) {
        try {
            final LearningRate.Kind kind = LearningRate.Kind.valueOf(p.text("learning_rate"));
            final double rate = p.scalar("learning_rate_value");
            final LearningRate lr;
            switch (kind) {
                case CONSTANT:
                    lr = LearningRate.constant(rate);
                    break;
                case INVERSE_SCALING:
                    lr = LearningRate.inverseScaling(rate, p.scalar("learning_rate_power_t"));
                    break;
                case ADAM:
                    lr = LearningRate.adam(rate);
                    break;
                default:
                    lr = LearningRate.adaGrad(rate);
            }
            final double batch = p.scalar("batch_size");
            if (batch < 0 || batch != Math.rint(batch)) {
                throw new IllegalArgumentException("batch_size: " + batch + " (expected: an integer >= 0)");
            }
            return new LinearSetup(Loss.parse(p.text("loss")), Penalty.valueOf(p.text("penalty")), p.scalar("alpha"),
                                   p.scalar("l1_ratio"), lr, (int) batch, Long.parseLong(p.text("seed")),
                                   p.scalar("standardize") != 0, p.texts("features"),
                                   p.has("mean") ? p.vector("mean") : null, p.has("scale") ? p.vector("scale") : null,
                                   p.vector("classes"), p.scalar("label_mean"), (long) p.scalar("rows"));
        } catch (IllegalArgumentException e) {
            throw ChimeraException.badRequest("the linear setup: " + e.getMessage());
        }
    }

    /** Outputs of the model: the class count for multinomial log loss, else 1. */
    public int outputs() {
        requirePrepared();
        return loss.outputs(classes.length);
    }

    /** Weights (outputs x features, row-major), then one bias per output. */
    public int parameters() {
        return outputs() * (features.size() + 1);
    }

    /** How many of the parameters are weights (the rest are biases). */
    public int weightCount() {
        return outputs() * features.size();
    }

    /** The parameters a fit starts from: zero weights, and the labels' mean as the bias of a regression. */
    public double[] initialParameters() {
        final double[] params = new double[parameters()];
        if (!loss.isClassification()) {
            params[weightCount()] = labelMean;
        }
        return params;
    }

    /** The rows of every shard together. */
    public long rows() {
        requirePrepared();
        return rows;
    }

    /** The loss function. */
    public Loss loss() {
        return loss;
    }

    /** The learning rate of the optimiser. */
    public LearningRate learningRate() {
        return learningRate;
    }

    /** A fresh optimiser for the parameters. */
    public Optimizer newOptimizer() {
        return Optimizer.create(learningRate, parameters());
    }

    /** Rows per mini-batch; 0 for the full shard. */
    public int batchSize() {
        return batchSize;
    }

    /** The regularisation term {@code alpha * R(w)} at {@code params}. */
    public double penaltyLoss(double[] params) {
        return penalty.loss(params, weightCount(), alpha, l1Ratio);
    }

    /** Adds the regularisation term's gradient at {@code params} to {@code grad}. */
    public void addPenaltyGradient(double[] params, double[] grad) {
        penalty.addGradient(params, grad, weightCount(), alpha, l1Ratio);
    }

    /**
     * The gradient engine of a worker's shard for this setup (close it when done).
     *
     * @throws ChimeraException 409 when the shard's columns are not the setup's
     */
    public GradientEngine engine(Dataset data) {
        requirePrepared();
        if (!data.featureNames().equals(features)) {
            throw new ChimeraException(409, "DataMismatchError", "this worker has columns " + data.featureNames()
                                                                 + " (expected: " + features + ')');
        }
        final GradientEngineBuilder b = GradientEngine.builder().features(data.features(), data.rows(), data.cols())
                                                      .labels(data.labels()).loss(loss);
        if (loss.isClassification()) {
            b.classes(classes);
        }
        if (mean != null) {
            b.standardization(mean, scale);
        }
        return b.build();
    }

    /** The model of {@code params} (weights, then biases). */
    public LinearModel model(double[] params) {
        final int w = weightCount();
        return new LinearModel(features, mean, scale, loss, classes, Arrays.copyOf(params, w),
                               Arrays.copyOfRange(params, w, params.length));
    }

    private void requirePrepared() {
        if (features == null) {
            throw new IllegalStateException("not prepared: call prepare with the workers' statistics");
        }
    }

    @Override
    public String toString() {
        return "loss=" + loss + ", penalty=" + penalty + ", alpha=" + alpha + ", learningRate=" + learningRate
               + ", batchSize=" + (batchSize == 0 ? "full" : batchSize) + ", standardize=" + standardize;
    }
}
