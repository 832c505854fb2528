package io.chimera.strategy.allreduce;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chimera.common.ChimeraException;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.WorkerSeeds;
import io.chimera.core.linear.Optimizer;
import io.chimera.strategy.Payload;
import io.chimera.strategy.Peers;
import io.chimera.strategy.StrategyWorker;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.LinearSetup;
import io.chimera.strategy.sgd.MiniBatchSampler;

/**
 * The worker of {@link AllReduceMaster}. Its steps:
 *
 * <ul>
 *   <li>{@code statistics}: its shard's columns, rows, per-feature sums and labels;</li>
 *   <li>{@code prepare}: the fit's setup and first parameters;</li>
 *   <li>{@code train}: steps {@code from .. from + count - 1}: at each, the gradient of its shard (or mini-batch),
 *       summed with every other worker's by ring all-reduce, then the update every worker makes alike; answers
 *       the losses and the bytes it sent its neighbour;</li>
 *   <li>{@code chunk}: a neighbour's piece of a sum (the all-reduce's messages);</li>
 *   <li>{@code parameters}: the parameters it holds.</li>
 * </ul>
 */
public final class AllReduceWorker extends StrategyWorker {

    /** How long a worker waits for its neighbour's chunk: as long as a call may take. */
    private static final long CHUNK_WAIT_SECONDS = 100;

    /** One fit: its setup, engine, sampler, optimiser and the parameters every worker holds alike. */
    private static final class Training {
        final long id;
        final LinearSetup setup;
        final GradientEngine engine;
        final MiniBatchSampler sampler;
        final Optimizer optimizer;
        final double[] params;
        final double epsilon;
        final double tol;
        final int nIterNoChange;
        double best = Double.POSITIVE_INFINITY;
        int noImprovement;
        String stopReason = "";
        /** The first step the next train call must start from. */
        long nextStep = 1;
        /** The last train call's first step and answer: a retry of that call gets the same answer. */
        long lastFrom;
        Payload lastReply;

        Training(long id, LinearSetup setup, GradientEngine engine, MiniBatchSampler sampler, double[] params,
                 double epsilon, double tol, int nIterNoChange) {
            this.id = id;
            this.setup = setup;
            this.engine = engine;
            this.sampler = sampler;
            optimizer = setup.newOptimizer();
            this.params = params;
            this.epsilon = epsilon;
            this.tol = tol;
            this.nIterNoChange = nIterNoChange;
        }
    }

    /** Chunks received from the previous worker of the ring, by fit, step, phase and round. */
    private final Map<String, CompletableFuture<double[]>> mailbox = new ConcurrentHashMap<>();
    private volatile Training training;

    public AllReduceWorker() {
        super(AllReduceMaster.NAME);
    }

    @Override
    protected void steps(Steps steps) {
        steps.on("statistics", in -> LinearSetup.statistics(data()))
             .on("prepare", this::prepare)
             .on("train", this::train)
             // Never blocks: the sender's call returns as soon as the chunk is in the mailbox.
             .on("chunk", this::chunk)
             .on("parameters", in -> Payload.builder().vector("parameters", current().params).build());
    }

    private synchronized Payload prepare(Payload in) {
        final LinearSetup setup = LinearSetup.fromPayload(in);
        final Dataset data = data();
        final long seed = setup.seed() != 0 ? WorkerSeeds.forWorker(setup.seed(), name()) : seed();
        final double[] params = in.vector("parameters");
        if (params.length != setup.parameters()) {
            throw ChimeraException.badRequest("parameters: " + params.length + " values (expected: "
                                              + setup.parameters() + ')');
        }
        final long id = (long) in.scalar("fit_id");
        final double epsilon = in.scalar("epsilon");
        final double tol = in.scalar("tol");
        final int nIterNoChange = (int) in.scalar("n_iter_no_change");
        // Everything read first: a bad payload fails before the native engine exists.
        final Training next = new Training(id, setup, setup.engine(data),
                                           new MiniBatchSampler(data.rows(), setup.batchSize(), seed), params,
                                           epsilon, tol, nIterNoChange);
        if (training != null) {
            training.engine.close();
        }
        training = next;
        // Chunks of an earlier fit that never completed are of no use now.
        mailbox.keySet().removeIf(key -> !key.startsWith(next.id + ":"));
        peers();
        return Payload.empty();
    }

    private Training current() {
        final Training t = training;
        if (t == null) {
            throw ChimeraException.notFitted("worker " + name() + " has no fit: the master calls prepare first");
        }
        return t;
    }

    private Payload train(Payload in) {
        final Training t = current();
        final long from = (long) in.scalar("from");
        final int count = (int) in.scalar("count");
        if (count < 1) {
            throw ChimeraException.badRequest("count: " + count + " (expected: >= 1)");
        }
        // One train call at a time per fit: a call the master retries (after a timeout) waits for the first and
        // gets its answer, instead of running the same steps twice against the ring.
        synchronized (t) {
            if (t.lastReply != null && from == t.lastFrom) {
                return t.lastReply;
            }
            if (from != t.nextStep) {
                throw new ChimeraException(409, "StepOrderError", "worker " + name() + " is at step " + t.nextStep
                                                                  + ", not " + from);
            }
            final Payload reply = trainSteps(t, from, count);
            t.lastFrom = from;
            t.lastReply = reply;
            return reply;
        }
    }

    private Payload trainSteps(Training t, long from, int count) {
        final Peers peers = peers();
        final long bytesBefore = peers.bytesSent();
        final double[] losses = new double[count];
        final long[] stepEnds = new long[count];
        final int p = t.params.length;
        final int w = t.setup.weightCount();
        int done = 0;
        for (long step = from; step < from + count && t.stopReason.isEmpty(); step++) {
            final Gradient g = t.engine.compute(Arrays.copyOf(t.params, w), Arrays.copyOfRange(t.params, w, p),
                                                t.sampler.batch(step));
            // What the ring sums: every row's gradient and loss (the mean times the rows), and the rows.
            final double n = g.rows();
            final double[] sum = new double[p + 2];
            final double[] gw = g.weightsGradient();
            final double[] gb = g.biasGradient();
            for (int i = 0; i < w; i++) {
                sum[i] = n * gw[i];
            }
            for (int i = 0; i < gb.length; i++) {
                sum[w + i] = n * gb[i];
            }
            sum[p] = n * g.loss();
            sum[p + 1] = n;
            allReduce(t, peers, step, sum);
            final double rows = sum[p + 1];
            final double[] grad = Arrays.copyOf(sum, p);
            for (int i = 0; i < p; i++) {
                grad[i] /= rows;
            }
            final double loss = sum[p] / rows + t.setup.penaltyLoss(t.params);
            t.setup.addPenaltyGradient(t.params, grad);
            final double maxUpdate = t.optimizer.step(t.params, grad, step, 1);
            stepEnds[done] = System.nanoTime();
            losses[done++] = loss;
            t.nextStep = step + 1;
            t.stopReason = stop(t, maxUpdate, loss);
        }
        // When each step ended, as seconds before this reply: the master places the steps on its own clock.
        final long replied = System.nanoTime();
        final double[] secondsBeforeReply = new double[done];
        for (int i = 0; i < done; i++) {
            secondsBeforeReply[i] = (replied - stepEnds[i]) / 1e9;
        }
        return Payload.builder().vector("losses", Arrays.copyOf(losses, done)).text("stop_reason", t.stopReason)
                      .vector("seconds_before_reply", secondsBeforeReply)
                      .scalar("peer_bytes", peers.bytesSent() - bytesBefore).build();
    }

    /** The parameter server's stop rule, so that both stop at the same step. */
    private static String stop(Training t, double maxUpdate, double loss) {
        if (maxUpdate <= t.epsilon) {
            return "epsilon";
        }
        if (t.tol >= 0) {
            t.noImprovement = loss > t.best - t.tol ? t.noImprovement + 1 : 0;
            t.best = Math.min(t.best, loss);
            if (t.noImprovement >= t.nIterNoChange) {
                return "tol";
            }
        }
        if (!Double.isFinite(loss)) {
            throw new ChimeraException(409, "DivergenceError", "the loss became " + loss
                                                               + "; lower the learning rate or keep standardisation on");
        }
        return "";
    }

    /**
     * Sums {@code v} over every worker of the ring, in place: reduce-scatter (after N - 1 exchanges each worker
     * holds the full sum of one chunk), then all-gather (after N - 1 more, every worker holds every chunk).
     */
    private void allReduce(Training t, Peers peers, long step, double[] v) {
        final int n = peers.size();
        if (n == 1) {
            return;
        }
        final int me = peers.self();
        final int next = peers.ring(1);
        for (int phase = 0; phase < 2; phase++) {
            for (int s = 0; s < n - 1; s++) {
                // Reduce-scatter sends chunk me - s and adds chunk me - s - 1; all-gather sends chunk me + 1 - s
                // and copies chunk me - s.
                final int send = Math.floorMod(phase == 0 ? me - s : me + 1 - s, n);
                final int receive = Math.floorMod(phase == 0 ? me - s - 1 : me - s, n);
                final String key = t.id + ":" + step + ':' + phase + ':' + s;
                final CompletableFuture<Payload> sent = peers.callAsync(
                        next, "chunk", Payload.builder().text("key", key)
                                              .vector("values", Arrays.copyOfRange(v, start(send, n, v.length),
                                                                                   start(send + 1, n, v.length)))
                                              .build());
                final double[] in = take(key, peers);
                final int from = start(receive, n, v.length);
                if (in.length != start(receive + 1, n, v.length) - from) {
                    throw ChimeraException.internal("a chunk of " + in.length + " values from "
                                                    + peers.names().get(peers.ring(-1)) + " for " + key);
                }
                for (int i = 0; i < in.length; i++) {
                    v[from + i] = phase == 0 ? v[from + i] + in[i] : in[i];
                }
                try {
                    sent.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof ChimeraException ? (ChimeraException) e.getCause()
                            : ChimeraException.internal("sending to " + peers.names().get(next) + ": " + e.getCause());
                }
            }
        }
    }

    /** Where chunk {@code c} of {@code n} starts in a vector of {@code length}. */
    private static int start(int c, int n, int length) {
        return (int) ((long) c * length / n);
    }

    private Payload chunk(Payload in) {
        mailbox.computeIfAbsent(in.text("key"), k -> new CompletableFuture<>()).complete(in.vector("values"));
        return Payload.empty();
    }

    private double[] take(String key, Peers peers) {
        final CompletableFuture<double[]> box = mailbox.computeIfAbsent(key, k -> new CompletableFuture<>());
        try {
            return box.get(CHUNK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ChimeraException(504, "WorkerTimeoutError", "worker " + name() + " waited "
                    + CHUNK_WAIT_SECONDS + " s for its chunk from " + peers.names().get(peers.ring(-1)) + " (" + key
                    + ')');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChimeraException.internal("interrupted while waiting for " + key);
        } catch (ExecutionException e) {
            throw ChimeraException.internal(String.valueOf(e.getCause()));
        } finally {
            mailbox.remove(key);
        }
    }
}
