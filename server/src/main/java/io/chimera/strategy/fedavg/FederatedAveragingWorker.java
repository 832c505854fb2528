package io.chimera.strategy.fedavg;

import java.util.Arrays;

import io.chimera.common.ChimeraException;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.WorkerSeeds;
import io.chimera.core.linear.Optimizer;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyWorker;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.LinearSetup;
import io.chimera.strategy.sgd.MiniBatchSampler;

/**
 * The worker of {@link FederatedAveragingMaster}: it answers three steps.
 *
 * <ul>
 *   <li>{@code statistics}: its shard's columns, row count, per-feature sums and labels, for the global
 *       standardisation;</li>
 *   <li>{@code prepare}: the fit's setup (loss, standardisation, learning rate...), kept for the fit;</li>
 *   <li>{@code local-train}: from the global parameters, {@code epochs} epochs of mini-batch SGD on its shard;
 *       answers its parameters, its rows and the loss of the global parameters on its shard.</li>
 * </ul>
 *
 * <pre>{@code
 * // chimera_workers/w1.java
 * public class w1 {
 *     public static void main(String[] args) {
 *         new FederatedAveragingWorker().serve();
 *     }
 * }
 * }</pre>
 */
public final class FederatedAveragingWorker extends StrategyWorker {

    /** The setup of the running fit, its gradient engine and its sampler. */
    private static final class Local {
        final LinearSetup setup;
        final GradientEngine engine;
        final MiniBatchSampler sampler;

        Local(LinearSetup setup, GradientEngine engine, MiniBatchSampler sampler) {
            this.setup = setup;
            this.engine = engine;
            this.sampler = sampler;
        }
    }

    private Local local;

    public FederatedAveragingWorker() {
        super(FederatedAveragingMaster.NAME);
    }

    @Override
    protected void steps(Steps steps) {
        steps.on("statistics", in -> LinearSetup.statistics(data()))
             .on("prepare", this::prepare)
             .on("local-train", this::localTrain);
    }

    private synchronized Payload prepare(Payload in) {
        final LinearSetup setup = LinearSetup.fromPayload(in);
        final Dataset data = data();
        final long seed = setup.seed() != 0 ? WorkerSeeds.forWorker(setup.seed(), name()) : seed();
        final Local next = new Local(setup, setup.engine(data),
                                     new MiniBatchSampler(data.rows(), Math.min(setup.batchSize(), data.rows()), seed));
        if (local != null) {
            local.engine.close();
        }
        local = next;
        return Payload.empty();
    }

    private ChimeraException diverged(long round) {
        return new ChimeraException(409, "DivergenceError", "worker " + name() + "'s local SGD diverged in round "
                                                            + round + "; lower the learning rate or keep "
                                                            + "standardisation on");
    }

    private synchronized Payload localTrain(Payload in) {
        final Local l = local;
        if (l == null) {
            throw ChimeraException.notFitted("worker " + name() + " has no setup: the master calls prepare first");
        }
        final double[] params = in.vector("parameters");
        if (params.length != l.setup.parameters()) {
            throw ChimeraException.badRequest("parameters: " + params.length + " values (expected: "
                                              + l.setup.parameters() + ')');
        }
        final long round = (long) in.scalar("round");
        final int epochs = (int) in.scalar("epochs");
        final int w = l.setup.weightCount();
        // The loss of the global parameters on the whole shard: what the master reports for the round.
        final double loss = l.engine.compute(Arrays.copyOf(params, w), Arrays.copyOfRange(params, w, params.length),
                                             null).loss();
        final int rows = data().rows();
        final int batch = l.setup.batchSize() == 0 ? rows : Math.min(l.setup.batchSize(), rows);
        final long stepsPerEpoch = (rows + batch - 1) / batch;
        final Optimizer optimizer = l.setup.newOptimizer();
        final double[] grad = new double[params.length];
        long t = 0;
        for (int e = 0; e < epochs; e++) {
            for (long s = 0; s < stepsPerEpoch; s++) {
                t++;
                // A different draw every step of every round.
                final int[] sample = l.sampler.batch((round - 1) * epochs * stepsPerEpoch + t);
                final Gradient g;
                try {
                    g = l.engine.compute(Arrays.copyOf(params, w), Arrays.copyOfRange(params, w, params.length),
                                         sample);
                } catch (IllegalArgumentException notFinite) {
                    throw diverged(round);
                }
                System.arraycopy(g.weightsGradient(), 0, grad, 0, w);
                System.arraycopy(g.biasGradient(), 0, grad, w, params.length - w);
                l.setup.addPenaltyGradient(params, grad);
                optimizer.step(params, grad, t, 1);
            }
        }
        for (double p : params) {
            if (!Double.isFinite(p)) {
                throw diverged(round);
            }
        }
        return Payload.builder().vector("parameters", params).scalar("rows", rows).scalar("loss", loss).build();
    }
}
