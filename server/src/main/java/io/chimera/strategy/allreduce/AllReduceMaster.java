package io.chimera.strategy.allreduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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
 * Decentralised synchronous SGD with ring all-reduce: no parameter server. Every worker keeps the parameters,
 * computes the gradient of its shard (or mini-batch), and sums the gradients with its ring neighbours directly
 * (reduce-scatter, then all-gather: each worker sends 2(N-1)/N of the gradient per step, whatever N), then makes
 * the same update as every other worker. The master only starts the fit, follows its progress and collects the
 * model; after the same steps with the same options the model equals the synchronous parameter server's.
 *
 * <p>Written only against the strategy API. Routes: {@code POST /v1/chimera/all-reduce/fit}, {@code .../predict},
 * {@code GET .../model}, {@code GET .../history}. Peers reach each other where the runtime says
 * ({@code CHIMERA_WORKERS_PEERS}): loopback ports for processes, container names on the project's network for
 * Docker and Swarm.
 */
public final class AllReduceMaster extends StrategyMaster {

    /** The strategy's name: its routes are {@code /v1/chimera/all-reduce/...}. */
    public static final String NAME = "all-reduce";

    /**
     * Steps of the first call to the workers; later calls take as many steps as fit in {@link #SECONDS_PER_CALL}
     * at the pace so far (1 to {@link #MAX_STEPS_PER_CALL}), so that a call stays far within the run's timeout
     * whatever the shards' size, and the progress is reported every few seconds.
     */
    static final int FIRST_STEPS_PER_CALL = 10;
    static final double SECONDS_PER_CALL = 2;
    static final int MAX_STEPS_PER_CALL = 100;

    /**
     * A builder with the parameter server's defaults: squared error, L2 0.0001, AdaGrad 0.5, full shards, 200
     * steps.
     */
    public static Builder builder() {
        return new Builder();
    }

    private final LinearSetup options;
    private final int maxIter;
    private final double epsilon;
    private final double tol;
    private final int nIterNoChange;

    private AllReduceMaster(Builder b) {
        super(NAME);
        options = LinearSetup.of(b.loss, b.penalty, b.alpha, b.l1Ratio, b.learningRate, b.batchSize, b.seed,
                                 b.standardize);
        maxIter = b.maxIter;
        epsilon = b.epsilon;
        tol = b.tol;
        nIterNoChange = b.nIterNoChange;
    }

    @Override
    protected StrategyModel fit(StrategyFit fit) {
        final LinearSetup setup = options.withSeed(options.seed() != 0 ? options.seed() : fit.seed())
                                         .prepare(ring(fit, "statistics", Payload.empty()));
        final int workers = fit.workers().size();
        // Every worker of the ring takes part in every step: one that drops out breaks the ring.
        final Payload prepare = setup.toPayload().toBuilder()
                                     .scalar("fit_id", ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE))
                                     .vector("parameters", setup.initialParameters())
                                     .scalar("epsilon", epsilon).scalar("tol", Double.isNaN(tol) ? -1 : tol)
                                     .scalar("n_iter_no_change", nIterNoChange).build();
        ring(fit, "prepare", prepare);
        fit.log("{} steps over a ring of {} workers, {} rows ({})", maxIter, workers, setup.rows(), setup);
        String reason = "max_iter";
        int steps = FIRST_STEPS_PER_CALL;
        int from = 1;
        while (from <= maxIter) {
            final int count = Math.min(steps, maxIter - from + 1);
            final Payload request = Payload.builder().scalar("from", from).scalar("count", count).build();
            final long start = System.nanoTime();
            final List<StrategyFit.Reply> replies = ring(fit, "train", request);
            final double secondsPerStep = (System.nanoTime() - start) / 1e9 / count;
            steps = (int) Math.max(1, Math.min(MAX_STEPS_PER_CALL, Math.round(SECONDS_PER_CALL / secondsPerStep)));
            long peerBytes = 0;
            for (StrategyFit.Reply r : replies) {
                peerBytes += (long) r.payload().scalar("peer_bytes");
            }
            fit.peerBytes(peerBytes);
            // Every worker made the same updates: the first one's losses are everyone's. A reply carries many
            // steps; each is placed when it ended, as the worker measured it, not when the reply came.
            final double replied = fit.elapsedSeconds();
            final Payload first = replies.get(0).payload();
            final double[] losses = first.vector("losses");
            final double[] before = first.vector("seconds_before_reply");
            for (int i = 0; i < losses.length; i++) {
                fit.round(from + i, maxIter, losses[i], Math.max(0, replied - before[i]));
            }
            final String stopped = first.text("stop_reason", "");
            if (!stopped.isEmpty()) {
                reason = stopped;
                break;
            }
            from += count;
        }
        fit.stopReason(reason);
        // Collect: every worker holds the model; they must agree.
        final List<StrategyFit.Reply> models = ring(fit, "parameters", Payload.empty());
        final double[] params = models.get(0).payload().vector("parameters");
        for (StrategyFit.Reply r : models) {
            final double[] other = r.payload().vector("parameters");
            for (int i = 0; i < params.length; i++) {
                if (other[i] != params[i]) {
                    throw ChimeraException.internal("workers " + models.get(0).worker() + " and " + r.worker()
                                                    + " hold different parameters after all-reduce (index " + i
                                                    + ": " + params[i] + " vs " + other[i] + ')');
                }
            }
        }
        return setup.model(params);
    }

    /**
     * Calls {@code step} on every worker of the ring. When one fails the others may be waiting for its chunks, so
     * the call ends at its first failure, and the fit with it.
     */
    private static List<StrategyFit.Reply> ring(StrategyFit fit, String step, Payload payload) {
        try {
            return fit.callAllOrFail(step, payload);
        } catch (ChimeraException e) {
            if (e.isClientError()) {
                throw e;
            }
            throw new ChimeraException(503, "RingBrokenError", "worker(s) " + fit.dropped() + " failed ("
                    + e.getMessage() + "), and all-reduce needs every worker of the ring; fit again once they are "
                    + "back");
        }
    }

    @Override
    protected String summary(io.chimera.proto.v1.TrainingHistory history) {
        return summary(history, "steps");
    }

    @Override
    protected long plannedRounds(int workers) {
        return maxIter;
    }

    @Override
    protected Map<String, String> options() {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("loss", options.loss().lossName());
        o.put("maxIter", Integer.toString(maxIter));
        o.put("learningRate", options.learningRate().toString());
        o.put("batchSize", options.batchSize() == 0 ? "full" : Integer.toString(options.batchSize()));
        return o;
    }

    /**
     * Builds an {@link AllReduceMaster}. The options and their defaults are the parameter server's
     * ({@code ParameterServerMaster.builder()}), so that the same options fit the same model.
     */
    public static final class Builder {
        private Loss loss = Loss.SQUARED_ERROR;
        private Penalty penalty = Penalty.L2;
        private double alpha = 0.0001;
        private double l1Ratio = 0.15;
        private LearningRate learningRate = LearningRate.adaGrad(0.5);
        private int batchSize;
        private long seed;
        private boolean standardize = true;
        private int maxIter = 200;
        private double epsilon = 10e-12;
        private double tol = Double.NaN;
        private int nIterNoChange = 5;

        Builder() {}

        /** {@code squared_error} (default), {@code log_loss} or {@code hinge}. */
        public Builder loss(String loss) {
            this.loss = Loss.parse(loss);
            return this;
        }

        /** {@code none}, {@code l2} (default), {@code l1} or {@code elasticnet}. */
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

        /** The mixing of L1 in elasticnet, in [0, 1]; 0.15 by default. */
        public Builder l1Ratio(double l1Ratio) {
            if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
                throw new IllegalArgumentException("l1Ratio: " + l1Ratio + " (expected: 0..1)");
            }
            this.l1Ratio = l1Ratio;
            return this;
        }

        /** The update rule; {@code LearningRate.adaGrad(0.5)} by default. */
        public Builder learningRate(LearningRate learningRate) {
            this.learningRate = java.util.Objects.requireNonNull(learningRate, "learningRate");
            return this;
        }

        /** Rows per mini-batch on each worker, or 0 (default) for the full shard. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 0, 0 for the full "
                                                   + "shard)");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The base seed of the mini-batches; by default the run's ({@code CHIMERA_SEED}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether features are standardised with the global mean and scale; true by default. */
        public Builder standardize(boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        /** Steps, {@code >= 1}; 200 by default. */
        public Builder maxIter(int maxIter) {
            if (maxIter < 1) {
                throw new IllegalArgumentException("maxIter: " + maxIter + " (expected: >= 1)");
            }
            this.maxIter = maxIter;
            return this;
        }

        /** Stops once no parameter moves more than {@code epsilon} in a step; 1e-11 by default. */
        public Builder epsilon(double epsilon) {
            if (!(epsilon >= 0)) {
                throw new IllegalArgumentException("epsilon: " + epsilon + " (expected: >= 0)");
            }
            this.epsilon = epsilon;
            return this;
        }

        /** Stops once the loss has not improved by {@code tol} for {@code nIterNoChange} steps; off by default. */
        public Builder tol(double tol, int nIterNoChange) {
            if (!(tol >= 0) || nIterNoChange < 1) {
                throw new IllegalArgumentException("tol: " + tol + ", nIterNoChange: " + nIterNoChange
                                                   + " (expected: tol >= 0, nIterNoChange >= 1)");
            }
            this.tol = tol;
            this.nIterNoChange = nIterNoChange;
            return this;
        }

        public AllReduceMaster build() {
            return new AllReduceMaster(this);
        }
    }
}
