package io.chimera.strategy.parameterserver.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.core.linear.Lbfgs;
import io.chimera.core.linear.Optimizer;
import io.chimera.node.client.FanOut;
import io.chimera.node.client.FanOut.Outcome;
import io.chimera.node.client.FitStepStream;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.proto.v1.DataStatisticsResponse;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.IterationRecord;
import io.chimera.proto.v1.SgdOptions;
import io.chimera.proto.v1.WorkerStep;
import io.chimera.strategy.parameterserver.SyncMode;
import io.chimera.strategy.StrategyModel;
import io.chimera.strategy.sgd.LinearModel;
import io.chimera.strategy.sgd.MlpLayout;
import io.chimera.strategy.sgd.MlpModel;
import io.chimera.strategy.sgd.LinearSetup;
import io.chimera.strategy.sgd.ShardStatistics;

/**
 * One fit of the parameter server: gathers the workers' statistics (for global standardisation and the
 * classes), then runs SGD iterations in the chosen {@link SyncMode} until {@code maxIter}, the update falls
 * below {@code epsilon}, or the loss stops improving by {@code tol}.
 */
public final class SgdTraining {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    /** What a fit produced. */
    public static final class Result {
        /** A {@link LinearModel}, or an {@link MlpModel} when the settings name hidden layers. */
        public final StrategyModel model;
        public final String stopReason;
        public final List<String> droppedWorkers;
        /**
         * Why the fit did not converge, when it stopped at max_iter with its loss still falling by more than the
         * tolerance ({@code tol}, or {@value #CONVERGENCE_TOL} when tol is off); null otherwise.
         */
        public final String notConverged;

        Result(StrategyModel model, String stopReason, List<String> droppedWorkers, String notConverged) {
            this.model = model;
            this.stopReason = stopReason;
            this.droppedWorkers = droppedWorkers;
            this.notConverged = notConverged;
        }
    }

    /**
     * L-BFGS stops when no entry of the gradient exceeds this: ten times scikit-learn's default {@code tol}, as
     * close as the workers' float32 gradients allow.
     */
    static final double LBFGS_GRADIENT_TOLERANCE = 1e-5;
    /** L-BFGS stops when an iteration lowers the loss by less than this, relatively, and {@code tol} is off. */
    static final double LBFGS_VALUE_TOLERANCE = 1e-12;

    /** The loss change that counts as still falling when {@code tol} is off: scikit-learn's default tol. */
    static final double CONVERGENCE_TOL = 1e-3;

    private final SgdSettings s;
    private StopRule stop;
    private final long seed;
    private final TrainingHistoryRecorder history;
    private final FitTracker tracker;
    private final String name;
    private final List<WorkerClient> live;
    /** Each live worker's steps, open for the whole fit. */
    private final Map<WorkerClient, FitStepStream> steps = new HashMap<>();

    private List<String> features;
    private double[] mean;
    private double[] scale;
    private double[] classes;
    private int d;
    private int k;
    private int weightCount;
    /** The problem the workers' statistics make, and the parameters a fit starts from. */
    private LinearSetup setup;
    private SgdOptions options;
    /**
     * A regression's target standardisation, as for the features: the fit learns {@code (y - targetShift) /
     * targetScale} (0 and 1 when off). The workers keep computing in the target's own units: the master sends
     * them the parameters in those units and divides what they answer, so nothing changes on the wire.
     */
    private double targetShift;
    private double targetScale = 1;
    /** The network when the settings name hidden layers; null for the linear model. */
    private MlpLayout layout;
    /**
     * What the workers' gradients and losses are divided by: {@code targetScale} for the linear model, whose
     * workers compute in the target's units; 1 for a network, whose workers standardise the target themselves.
     */
    private double wireScale = 1;

    /**
     * One fit of {@code workers} with {@code settings}; every update goes to {@code history} and to
     * {@code tracker} (the status, progress lines and metrics), which the caller has started.
     */
    public SgdTraining(SgdSettings settings, long seed, TrainingHistoryRecorder history, FitTracker tracker,
                       String name, List<WorkerClient> workers) {
        s = settings;
        this.seed = seed;
        this.history = history;
        this.tracker = tracker;
        this.name = name;
        live = new ArrayList<>(workers);
    }

    /** Runs the fit; throws a {@link ChimeraException} when it cannot complete. */
    public Result run() {
        history.start(s.mode.modeName(), s.loss.lossName(), s.maxIter);
        try {
            prepare();
            final double[] params;
            if (layout != null) {
                params = layout.initialParameters(s.initSeed != null ? s.initSeed : seed);
            } else {
                params = setup.initialParameters();
                for (int i = weightCount; i < params.length; i++) {
                    params[i] = (params[i] - targetShift) / targetScale;
                }
            }
            for (WorkerClient w : live) {
                steps.put(w, w.fitSteps());
            }
            // Whether the loss still falls is judged over the last tenth of the iterations (at least
            // nIterNoChange): an asynchronous update is one worker's answer, a round of every worker one iteration.
            final int window = Math.max(s.nIterNoChange, s.maxIter / 10);
            stop = new StopRule(s.mode.kind() == SyncMode.Kind.SYNCHRONOUS ? window : window * live.size());
            final String reason;
            try {
                reason = s.lbfgs ? lbfgs(params)
                         : s.mode.kind() == SyncMode.Kind.SYNCHRONOUS ? synchronous(params) : asynchronous(params);
            } finally {
                steps.values().forEach(FitStepStream::close);
            }
            history.finish(reason);
            final StrategyModel model;
            if (layout != null) {
                model = new MlpModel(features, mean, scale, s.loss, classes, layout, params, targetShift, targetScale);
            } else {
                final double[] inUnits = inTargetUnits(params);
                final double[] w = java.util.Arrays.copyOf(inUnits, weightCount);
                final double[] b = java.util.Arrays.copyOfRange(inUnits, weightCount, inUnits.length);
                model = new LinearModel(features, mean, scale, s.loss, classes, w, b);
            }
            return new Result(model, reason,
                              history.snapshot().getDroppedWorkersList(),
                              "max_iter".equals(reason) ? stop.stillFalling() : null);
        } catch (ChimeraException e) {
            history.fail(e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            history.fail(String.valueOf(e));
            throw e;
        }
    }

    private void prepare() {
        final List<Outcome<DataStatisticsResponse>> outcomes =
                FanOut.all(live, WorkerClient::dataStatistics).join();
        final List<LinearSetup.Shard> shards = new ArrayList<>();
        final List<Outcome<DataStatisticsResponse>> failed = new ArrayList<>();
        double labelSum = 0;
        double labelSumOfSquares = 0;
        long labelCount = 0;
        for (Outcome<DataStatisticsResponse> o : outcomes) {
            if (!o.ok()) {
                failed.add(o);
                continue;
            }
            final DataStatisticsResponse r = o.value();
            history.bytes(0, r.getSerializedSize(), 0);
            labelSum += r.getLabelSum();
            labelSumOfSquares += r.getLabelSumOfSquares();
            labelCount += r.getCount();
            shards.add(new LinearSetup.Shard(o.worker().name(), r.getColumnsList(), ShardStatistics.ofSums(
                    r.getCount(), toArray(r.getSumList()), toArray(r.getSumOfSquaresList()),
                    toArray(r.getClassesList()), r.getLabelSum(), r.getLabelSumOfSquares()),
                                             r.getClassesCount() > 0));
        }
        // The same checks and messages as every strategy built on LinearSetup; they fail before a worker is dropped.
        setup = shards.isEmpty() ? null
                : LinearSetup.of(s.loss, s.penalty, s.alpha, s.l1Ratio, s.learningRate, s.batchSize, seed,
                                 s.standardize).prepareShards(shards);
        dropAll(failed, 0);
        if (setup == null) {
            throw FanOut.allFailed("data-statistics", failed);
        }
        features = setup.features();
        d = features.size();
        classes = setup.classes();
        mean = setup.mean();
        scale = setup.scale();
        final long count = setup.rows();
        k = setup.outputs();
        weightCount = k * d;
        final SgdOptions.Builder opts = SgdOptions.newBuilder().setLoss(s.loss.lossName())
                                                  .setBatchSize(s.batchSize).setSeed(seed);
        if (s.hiddenLayers != null) {
            layout = new MlpLayout(d, s.hiddenLayers, k, s.activation);
            weightCount = layout.weightCount();
            for (int h : s.hiddenLayers) {
                opts.addHiddenLayers(h);
            }
            opts.setActivation(s.activation.activationName());
        }
        for (double c : classes) {
            opts.addClasses(c);
        }
        if (mean != null) {
            for (int i = 0; i < d; i++) {
                opts.addFeatureMean(mean[i]).addFeatureScale(scale[i]);
            }
        }
        if (s.standardize && !s.loss.isClassification() && labelCount > 0) {
            targetShift = labelSum / labelCount;
            final double variance = labelSumOfSquares / labelCount - targetShift * targetShift;
            targetScale = variance > 1e-12 * Math.max(1, targetShift * targetShift) ? Math.sqrt(variance) : 1;
        }
        if (layout != null) {
            if (targetShift != 0 || targetScale != 1) {
                opts.setTargetShift(targetShift).setTargetScale(targetScale);
            }
        } else {
            wireScale = targetScale;
        }
        options = opts.build();
        status.info("{}: fitting {} on {} rows from {} workers ({})", name,
                    layout != null ? "a network of layers " + java.util.Arrays.toString(layout.sizes())
                                   + " (" + layout.parameterCount() + " parameters)"
                                   : k + " outputs x " + d + " features", count, shards.size(), s);
    }

    private static double[] toArray(List<Double> values) {
        final double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private FitStepRequest request(double[] params, long step) {
        final FitStepRequest.Builder b = FitStepRequest.newBuilder().setStep(step).setOptions(options);
        if (layout != null) {
            return b.addAllParameters(layout.toTensors(params)).build();
        }
        for (int i = 0; i < weightCount; i++) {
            b.addWeights(params[i] * targetScale);
        }
        for (int i = weightCount; i < params.length; i++) {
            b.addBias(params[i] * targetScale + targetShift);
        }
        return b.build();
    }

    /**
     * A worker's gradient as one flat vector laid out as the parameters are.
     *
     * @throws ChimeraException 500 when its shape is not the model's
     */
    private double[] gradientOf(FitStepResponse r, String worker) {
        if (layout != null) {
            try {
                return layout.fromTensors(r.getGradientsList(), "gradients");
            } catch (IllegalArgumentException e) {
                throw ChimeraException.internal("worker " + worker + " answered " + e.getMessage());
            }
        }
        if (r.getWeightsGradientsCount() != weightCount || r.getBiasGradientCount() != k) {
            throw ChimeraException.internal("worker " + worker + " answered a gradient of "
                                            + r.getWeightsGradientsCount() + " + " + r.getBiasGradientCount()
                                            + " values (expected: " + weightCount + " + " + k + ')');
        }
        final double[] g = new double[weightCount + k];
        for (int i = 0; i < weightCount; i++) {
            g[i] = r.getWeightsGradients(i);
        }
        for (int i = 0; i < k; i++) {
            g[weightCount + i] = r.getBiasGradient(i);
        }
        return g;
    }

    /** The parameters of the standardised target, in the target's own units. */
    private double[] inTargetUnits(double[] params) {
        final double[] out = params.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] * targetScale + (i >= weightCount ? targetShift : 0);
        }
        return out;
    }

    /** A worker's answer with its round-trip time and the size of the request that asked for it. */
    private static final class Timed {
        final FitStepResponse response;
        final double seconds;
        final int requestBytes;
        final double sentAt;

        Timed(FitStepResponse response, double seconds, int requestBytes, double sentAt) {
            this.response = response;
            this.seconds = seconds;
            this.requestBytes = requestBytes;
            this.sentAt = sentAt;
        }

        /** The worker's part in an iteration: round trip, compute time as it reported it, bytes both ways. */
        WorkerStep.Builder step(String worker) {
            return WorkerStep.newBuilder().setWorker(worker).setSeconds(seconds)
                             .setComputeSeconds(response.getComputeSeconds()).setBytesSent(requestBytes)
                             .setBytesReceived(response.getSerializedSize()).setSentAtSeconds(sentAt);
        }
    }

    private CompletableFuture<Timed> timedStep(WorkerClient w, FitStepRequest req) {
        final long t0 = System.nanoTime();
        final int size = req.getSerializedSize();
        final double sentAt = history.elapsed();
        return steps.get(w).step(req).thenApply(r -> new Timed(r, (System.nanoTime() - t0) / 1e9, size, sentAt));
    }

    private void dropAll(List<? extends Outcome<?>> failed, long iteration) {
        for (Outcome<?> o : failed) {
            live.remove(o.worker());
            final FitStepStream stream = steps.get(o.worker());
            if (stream != null) {
                stream.close();
            }
            history.dropped(o.worker().name());
            status.error("{}: worker {} dropped out at iteration {}: {}", name, o.worker().name(), iteration,
                         o.error().getMessage());
        }
    }

    // ---- synchronous ----

    private String synchronous(double[] params) {
        final Optimizer optimizer = Optimizer.create(s.learningRate, params.length);
        final double[] grad = new double[params.length];
        for (long it = 1; it <= s.maxIter; it++) {
            final IterationRecord.Builder rec = IterationRecord.newBuilder().setIteration(it);
            final double totalLoss = round(params, it, grad, rec);
            final double maxUpdate = optimizer.step(params, grad, it, 1);
            history.add(rec.setLoss(totalLoss).setGradientNorm(norm(grad)).setElapsedSeconds(history.elapsed())
                           .build());
            progress(it, s.maxIter, totalLoss);
            final String reason = stop.check(maxUpdate, totalLoss);
            if (reason != null) {
                return reason;
            }
        }
        return "max_iter";
    }

    /**
     * One round of every live worker's gradient at {@code params}: writes the gradient of the whole regularised
     * loss into {@code grad} and answers that loss; the round's workers go into {@code rec}. A worker that fails
     * is dropped and the round goes on with the others.
     *
     * @throws ChimeraException when every worker failed
     */
    private double round(double[] params, long it, double[] grad, IterationRecord.Builder rec) {
        final FitStepRequest req = request(params, it);
        final List<Outcome<Timed>> outcomes = FanOut.all(live, w -> timedStep(w, req)).join();
        history.bytes((long) req.getSerializedSize() * outcomes.size(), 0, 0);
        final List<Outcome<Timed>> failed = new ArrayList<>();
        java.util.Arrays.fill(grad, 0);
        long rows = 0;
        double loss = 0;
        for (Outcome<Timed> o : outcomes) {
            if (!o.ok()) {
                failed.add(o);
                rec.addDroppedWorkers(o.worker().name());
                continue;
            }
            final FitStepResponse r = o.value().response;
            history.bytes(0, r.getSerializedSize(), 0);
            final double[] g = gradientOf(r, o.worker().name());
            final double n = r.getRows();
            for (int i = 0; i < g.length; i++) {
                grad[i] += n * g[i];
            }
            loss += n * r.getLoss();
            rows += r.getRows();
            rec.addWorkers(o.value().step(o.worker().name())
                                     .setClock(it - 1).setSlowestClock(it - 1)
                                     .setLoss(r.getLoss() / (wireScale * wireScale)));
        }
        dropAll(failed, it);
        if (rows == 0) {
            throw FanOut.allFailed("fit-step", failed.isEmpty() ? outcomes : failed);
        }
        // In the target's units the gradient is targetScale times, the loss targetScale² times, their own.
        for (int i = 0; i < grad.length; i++) {
            grad[i] /= rows * wireScale;
        }
        final double totalLoss = loss / rows / (wireScale * wireScale) + s.penaltyLoss(params, weightCount);
        s.addPenaltyGradient(params, grad, weightCount);
        return totalLoss;
    }

    // ---- L-BFGS ----

    /** A worker dropped out during an evaluation: the objective changed, so L-BFGS starts again from its iterate. */
    private static final class ObjectiveChanged extends RuntimeException {
        ObjectiveChanged() {
            super(null, null, false, false);
        }
    }

    /**
     * Synchronous full-batch L-BFGS, as Spark MLlib runs it: each evaluation of the loss is one round of every
     * worker's gradient, recorded in the history; the line search asks for more rounds only when the quasi-Newton
     * step does not lower the loss enough. {@code maxIter} counts L-BFGS iterations. A worker lost mid-fit is
     * dropped as in the other modes, and the search starts again from the last accepted point with the others.
     */
    private String lbfgs(double[] params) {
        final long[] rounds = { 0 };
        final int[] done = { 0 };
        final Lbfgs.Objective objective = (x, g) -> {
            rounds[0]++;
            final int before = live.size();
            final IterationRecord.Builder rec = IterationRecord.newBuilder().setIteration(rounds[0]);
            final double totalLoss = round(x, rounds[0], g, rec);
            history.add(rec.setLoss(totalLoss).setGradientNorm(norm(g)).setElapsedSeconds(history.elapsed())
                           .build());
            if (live.size() < before) {
                throw new ObjectiveChanged();
            }
            return totalLoss;
        };
        while (done[0] < s.maxIter) {
            final Lbfgs search = new Lbfgs(Lbfgs.DEFAULT_MEMORY, s.maxIter - done[0], LBFGS_GRADIENT_TOLERANCE,
                                           Double.isNaN(s.tol) ? LBFGS_VALUE_TOLERANCE : s.tol);
            try {
                final Lbfgs.Result r = search.minimize(objective, params, (it, value, g, change) -> {
                    done[0]++;
                    progress(done[0], s.maxIter, value);
                    return stop.check(change, value);
                });
                return r.stopReason;
            } catch (ObjectiveChanged e) {
                // Go on from the last accepted point, with the workers left.
            }
        }
        return "max_iter";
    }

        // ---- asynchronous and bounded staleness ----

    private String asynchronous(double[] params) {
        final AsyncRun run = new AsyncRun(params);
        return run.run();
    }

    private final class AsyncRun {
        private final double[] params;
        private final Optimizer optimizer;
        private final Map<WorkerClient, Long> clock = new HashMap<>();
        private final Map<WorkerClient, Double> latestLoss = new LinkedHashMap<>();
        private final Map<WorkerClient, Long> latestRows = new LinkedHashMap<>();
        private final java.util.Set<WorkerClient> busy = new java.util.HashSet<>();
        private final CompletableFuture<String> done = new CompletableFuture<>();
        private final double[] grad;
        private final long bound;
        private final long budget;
        private final Map<WorkerClient, Long> dispatchedAt = new HashMap<>();
        private long updates;
        private final List<Outcome<Timed>> failures = new ArrayList<>();

        AsyncRun(double[] params) {
            this.params = params;
            optimizer = Optimizer.create(s.learningRate, params.length);
            grad = new double[params.length];
            bound = s.mode.staleness();
            budget = (long) s.maxIter * live.size();
            for (WorkerClient w : live) {
                clock.put(w, 0L);
            }
        }

        String run() {
            synchronized (this) {
                dispatchIdle();
            }
            try {
                return done.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
        }

        private long slowest() {
            long min = Long.MAX_VALUE;
            for (WorkerClient w : live) {
                min = Math.min(min, clock.get(w));
            }
            return min == Long.MAX_VALUE ? 0 : min;
        }

        /** Starts a step on every idle live worker that the budget and the staleness bound allow. */
        private void dispatchIdle() {
            final long min = slowest();
            for (WorkerClient w : new ArrayList<>(live)) {
                if (done.isDone() || updates + busy.size() >= budget) {
                    return;
                }
                if (busy.contains(w) || clock.get(w) - min > bound) {
                    continue;
                }
                final long c = clock.get(w);
                busy.add(w);
                dispatchedAt.put(w, updates);
                final FitStepRequest req = request(params, updates + busy.size());
                history.bytes(req.getSerializedSize(), 0, 0);
                timedStep(w, req).whenComplete((t, error) -> onAnswer(w, c, min, t, error));
            }
        }

        private synchronized void onAnswer(WorkerClient w, long c, long min, Timed t, Throwable error) {
            busy.remove(w);
            if (done.isDone()) {
                return;
            }
            try {
                if (error != null) {
                    final Outcome<Timed> failed = FanOut.failed(w, error);
                    failures.add(failed);
                    latestLoss.remove(w);
                    latestRows.remove(w);
                    dropAll(List.of(failed), updates + 1);
                    if (live.isEmpty()) {
                        done.completeExceptionally(FanOut.allFailed("fit-step", failures));
                        return;
                    }
                    history.add(IterationRecord.newBuilder().setIteration(updates).addDroppedWorkers(w.name())
                                               .setElapsedSeconds(history.elapsed()).build());
                    if (updates + busy.size() >= budget && busy.isEmpty()) {
                        done.complete("max_iter");
                        return;
                    }
                    dispatchIdle();
                    return;
                }
                final FitStepResponse r = t.response;
                history.bytes(0, r.getSerializedSize(), 0);
                final double[] g = gradientOf(r, w.name());
                for (int i = 0; i < g.length; i++) {
                    grad[i] = g[i] / wireScale;
                }
                latestLoss.put(w, r.getLoss() / (wireScale * wireScale));
                latestRows.put(w, r.getRows());
                double loss = 0;
                long rows = 0;
                for (Map.Entry<WorkerClient, Double> e : latestLoss.entrySet()) {
                    loss += e.getValue() * latestRows.get(e.getKey());
                    rows += latestRows.get(e.getKey());
                }
                final double totalLoss = loss / rows + s.penaltyLoss(params, weightCount);
                s.addPenaltyGradient(params, grad, weightCount);
                // Staleness-aware step (Zhang et al., 2016): a gradient computed before tau updates were
                // applied moves the parameters 1/tau as far, so a round of W workers moves them about as far
                // as one synchronous step.
                final long tau = Math.max(1, updates - dispatchedAt.get(w) + 1);
                updates++;
                clock.put(w, c + 1);
                final double maxUpdate = optimizer.step(params, grad, updates, 1.0 / tau);
                history.add(IterationRecord.newBuilder().setIteration(updates).setLoss(totalLoss)
                                           .setGradientNorm(norm(grad)).setElapsedSeconds(history.elapsed())
                                           .addWorkers(t.step(w.name()).setClock(c)
                                                                 .setSlowestClock(min)
                                                                 .setLoss(r.getLoss() / (wireScale * wireScale)))
                                           .build());
                progress(updates, budget, totalLoss);
                final String reason = stop.check(maxUpdate, totalLoss);
                if (reason != null) {
                    done.complete(reason);
                } else if (updates >= budget) {
                    done.complete("max_iter");
                } else {
                    dispatchIdle();
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    // ---- shared ----

    private final class StopRule {
        private double best = Double.POSITIVE_INFINITY;
        private int noImprovement;
        /** The last {@code window + 1} losses, to tell a fit cut short from one that settled. */
        private final java.util.ArrayDeque<Double> recent = new java.util.ArrayDeque<>();
        private final int window;

        StopRule(int window) {
            this.window = Math.max(1, window);
        }

        /**
         * Says how the loss still fell over the last window of iterations when it fell by more than the
         * tolerance; null when it settled. (wine-like with standardize(false): from 0.3815 to 0.3774 over the last
         * 20 of 200 iterations, R² .009, where the same fit on standardised data settles at R² .28.)
         */
        String stillFalling() {
            final double tolerance = Double.isNaN(s.tol) ? CONVERGENCE_TOL : s.tol;
            if (recent.size() < 2) {
                return null;
            }
            final double first = recent.peekFirst();
            final double lowest = recent.stream().skip(1).mapToDouble(Double::doubleValue).min().orElse(first);
            if (!(first - lowest > tolerance)) {
                return null;
            }
            // No '=' in it: protobuf's JSON printer writes it as \u003D.
            return String.format(java.util.Locale.ROOT,
                                 "not converged: the fit stopped at max_iter (%d) with its loss still falling, from "
                                 + "%.6g to %.6g over its last %d %s, by more than %s (%s); raise max_iter or the "
                                 + "learning rate%s", s.maxIter, first, lowest, recent.size() - 1,
                                 s.mode.kind() == SyncMode.Kind.SYNCHRONOUS ? "iterations" : "updates",
                                 Double.isNaN(s.tol) ? "the tolerance" : "tol", tolerance,
                                 s.standardize ? "" : ", or keep standardize on");
        }

        String check(double maxUpdate, double loss) {
            recent.addLast(loss);
            if (recent.size() > window + 1) {
                recent.removeFirst();
            }
            if (maxUpdate <= s.epsilon) {
                return "epsilon";
            }
            if (!Double.isNaN(s.tol)) {
                if (loss > best - s.tol) {
                    noImprovement++;
                } else {
                    noImprovement = 0;
                }
                best = Math.min(best, loss);
                if (noImprovement >= s.nIterNoChange) {
                    return "tol";
                }
            }
            if (!Double.isFinite(loss)) {
                throw new ChimeraException(409, "DivergenceError", "the loss became " + loss
                        + "; lower the learning rate or keep standardisation on");
            }
            return null;
        }
    }

    private void progress(long it, long total, double loss) {
        tracker.iteration(it, total, loss);
        if (s.logEvery > 0 && (it % s.logEvery == 0 || it == total)) {
            final double secs = history.elapsed();
            status.info("{}: iteration {}/{}, loss {}, {} workers, {} it/s", name, it, total,
                        String.format("%.6f", loss), live.size(), String.format("%.1f", it / Math.max(secs, 1e-9)));
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
