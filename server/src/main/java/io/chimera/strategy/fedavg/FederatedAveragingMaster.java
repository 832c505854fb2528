package io.chimera.strategy.fedavg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chimera.common.ChimeraException;
import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Loss;
import io.chimera.core.linear.Penalty;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyFit;
import io.chimera.strategy.StrategyMaster;
import io.chimera.strategy.StrategyModel;
import io.chimera.strategy.sgd.LinearSetup;

/**
 * Federated averaging (McMahan et al., 2017), also called local SGD: each round, every worker starts from the
 * global model and runs {@code localEpochs} epochs of mini-batch SGD on its own shard; the master averages the
 * workers' models, weighted by their rows. Far fewer rounds, so far fewer bytes, than a parameter server that
 * exchanges a gradient at every step.
 *
 * <p>Written only against the strategy API: this class and {@link FederatedAveragingWorker} are the whole
 * algorithm (docs/extending.md walks through them). Routes: {@code POST /v1/chimera/federated-averaging/fit},
 * {@code .../predict}, {@code GET .../model}, {@code GET .../history}.
 *
 * <pre>{@code
 * Chimera.run(FederatedAveragingMaster.builder().loss("log_loss").rounds(20).localEpochs(1).build(), 8080);
 * }</pre>
 */
public final class FederatedAveragingMaster extends StrategyMaster {

    /** The strategy's name: its routes are {@code /v1/chimera/federated-averaging/...}. */
    public static final String NAME = "federated-averaging";

    /** A builder with the defaults: squared error, 20 rounds of 1 local epoch, mini-batches of 256, step 0.05. */
    public static Builder builder() {
        return new Builder();
    }

    private final LinearSetup options;
    private final int rounds;
    private final int localEpochs;
    private final double tol;
    private final int nRoundsNoChange;

    private FederatedAveragingMaster(Builder b) {
        super(NAME);
        options = LinearSetup.of(b.loss, b.penalty, b.alpha, b.l1Ratio, b.learningRate, b.batchSize, b.seed,
                                 b.standardize);
        rounds = b.rounds;
        localEpochs = b.localEpochs;
        tol = b.tol;
        nRoundsNoChange = b.nRoundsNoChange;
    }

    @Override
    protected StrategyModel fit(StrategyFit fit) {
        // 1. The problem: the columns, the classes and the global standardisation, from every shard's statistics.
        final LinearSetup setup = options.withSeed(options.seed() != 0 ? options.seed() : fit.seed())
                                         .prepare(fit.callAll("statistics", Payload.empty()));
        fit.callAll("prepare", setup.toPayload());
        fit.log("{} rounds of {} local epoch(s) over {} rows ({})", rounds, localEpochs, setup.rows(), setup);
        double[] global = setup.initialParameters();
        double best = Double.POSITIVE_INFINITY;
        int noChange = 0;
        for (int round = 1; round <= rounds; round++) {
            // 2. Every worker trains from the global model on its own shard.
            final Payload request = Payload.builder().vector("parameters", global).scalar("round", round)
                                           .scalar("epochs", localEpochs).build();
            final List<StrategyFit.Reply> replies = fit.callAll("local-train", request);
            // 3. The new global model: the workers' models averaged, weighted by their rows.
            final double[] next = new double[global.length];
            double rows = 0;
            double loss = 0;
            for (StrategyFit.Reply r : replies) {
                final double n = r.payload().scalar("rows");
                final double[] local = r.payload().vector("parameters");
                for (int i = 0; i < next.length; i++) {
                    next[i] += n * local[i];
                }
                rows += n;
                loss += n * r.payload().scalar("loss");
            }
            for (int i = 0; i < next.length; i++) {
                next[i] /= rows;
            }
            // The training loss of the global model this round started from (each worker measured it on its shard).
            final double trainingLoss = loss / rows + setup.penaltyLoss(global);
            for (double p : next) {
                if (!Double.isFinite(p) || !Double.isFinite(trainingLoss)) {
                    throw new ChimeraException(409, "DivergenceError", "the model diverged in round " + round
                                                                       + "; lower the learning rate");
                }
            }
            global = next;
            fit.round(round, rounds, trainingLoss);
            // 4. When to stop: after `rounds`, or once the loss stops improving by tol.
            if (!Double.isNaN(tol)) {
                noChange = trainingLoss > best - tol ? noChange + 1 : 0;
                best = Math.min(best, trainingLoss);
                if (noChange >= nRoundsNoChange) {
                    fit.stopReason("tol");
                    return setup.model(global);
                }
            }
        }
        fit.stopReason("max_rounds");
        return setup.model(global);
    }

    @Override
    protected long plannedRounds(int workers) {
        return rounds;
    }

    @Override
    protected Map<String, String> options() {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("loss", options.loss().lossName());
        o.put("rounds", Integer.toString(rounds));
        o.put("localEpochs", Integer.toString(localEpochs));
        o.put("batchSize", options.batchSize() == 0 ? "full" : Integer.toString(options.batchSize()));
        o.put("learningRate", options.learningRate().toString());
        if (!Double.isNaN(tol)) {
            o.put("tol", Double.toString(tol));
        }
        return o;
    }

    /** Builds a {@link FederatedAveragingMaster}; every setter checks its value. */
    public static final class Builder {
        private Loss loss = Loss.SQUARED_ERROR;
        private Penalty penalty = Penalty.L2;
        private double alpha = 0.0001;
        private double l1Ratio = 0.15;
        private LearningRate learningRate = LearningRate.constant(0.05);
        private int batchSize = 256;
        private long seed;
        private boolean standardize = true;
        private int rounds = 20;
        private int localEpochs = 1;
        private double tol = Double.NaN;
        private int nRoundsNoChange = 3;

        Builder() {}

        /** {@code squared_error} (default), {@code log_loss} or {@code hinge}. */
        public Builder loss(String loss) {
            this.loss = Loss.parse(loss);
            return this;
        }

        /** Regularisation: {@code none}, {@code l2} (default), {@code l1} or {@code elasticnet}. */
        public Builder penalty(String penalty) {
            this.penalty = Penalty.parse(penalty);
            return this;
        }

        /** Regularisation strength, {@code >= 0}; 0.0001 by default. */
        public Builder alpha(double alpha) {
            if (!(alpha >= 0) || !Double.isFinite(alpha)) {
                throw new IllegalArgumentException("alpha: " + alpha + " (expected: >= 0)");
            }
            this.alpha = alpha;
            return this;
        }

        /** The workers' local step size; {@code LearningRate.constant(0.05)} by default. */
        public Builder learningRate(LearningRate learningRate) {
            this.learningRate = java.util.Objects.requireNonNull(learningRate, "learningRate");
            return this;
        }

        /** Rows per local mini-batch, {@code >= 1}, or 0 for the full shard; 256 by default. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 0, 0 for the full "
                                                   + "shard)");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The base seed of the workers' mini-batches; by default the run's ({@code CHIMERA_SEED}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether features are standardised with the global mean and scale first; true by default. */
        public Builder standardize(boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        /** Communication rounds, {@code >= 1}; 20 by default. */
        public Builder rounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds: " + rounds + " (expected: >= 1)");
            }
            this.rounds = rounds;
            return this;
        }

        /** Local epochs per round (E), {@code >= 1}; 1 by default. */
        public Builder localEpochs(int localEpochs) {
            if (localEpochs < 1) {
                throw new IllegalArgumentException("localEpochs: " + localEpochs + " (expected: >= 1)");
            }
            this.localEpochs = localEpochs;
            return this;
        }

        /**
         * Stops once the training loss has not improved by {@code tol} for {@code rounds} rounds in a row; off
         * by default.
         */
        public Builder tol(double tol, int rounds) {
            if (!(tol >= 0) || !Double.isFinite(tol) || rounds < 1) {
                throw new IllegalArgumentException("tol: " + tol + " over " + rounds + " rounds (expected: tol >= 0, "
                                                   + "rounds >= 1)");
            }
            this.tol = tol;
            nRoundsNoChange = rounds;
            return this;
        }

        public FederatedAveragingMaster build() {
            return new FederatedAveragingMaster(this);
        }
    }
}
