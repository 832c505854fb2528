package io.chimera.strategy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.node.client.FanOut;
import io.chimera.node.client.FanOut.Outcome;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.proto.v1.IterationRecord;
import io.chimera.proto.v1.WorkerStep;
import io.chimera.strategy.internal.FitAccess;

/**
 * One fit of a {@link StrategyMaster}: how its master side reaches the workers and reports its progress. Every
 * call goes to {@code POST /v1/chimera/<strategy>/steps/<step>} of a worker, with the run's timeout and retries
 * ({@code CHIMERA_WORKERS_ENDPOINTS_TIMEOUT}, {@code CHIMERA_WORKERS_ENDPOINTS_MAX_RETRIES}), a line in
 * {@code chimera_time.log}, the worker's health and latency in the status, and its bytes in the history.
 *
 * <p>A worker that fails a call is dropped from the fit, as chimera drops it: logged, left out of the later
 * calls, and named in the fit's {@code failed_workers}. A call that every live worker fails fails the fit.
 */
public final class StrategyFit {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    static {
        FitAccess.install(new FitAccess.Hooks() {
            @Override
            public List<WorkerClient> workers(StrategyFit fit) {
                synchronized (fit) {
                    return List.copyOf(fit.live);
                }
            }

            @Override
            public FitTracker tracker(StrategyFit fit) {
                return fit.tracker;
            }

            @Override
            public TrainingHistoryRecorder history(StrategyFit fit) {
                return fit.history;
            }

            @Override
            public void dropped(StrategyFit fit, String worker) {
                synchronized (fit) {
                    fit.live.removeIf(w -> w.name().equals(worker));
                    if (!fit.dropped.contains(worker)) {
                        fit.dropped.add(worker);
                    }
                }
            }
        });
    }

    /** A worker's answer to a step. */
    public static final class Reply {
        private final String worker;
        private final Payload payload;
        private final double seconds;

        Reply(String worker, Payload payload, double seconds) {
            this.worker = worker;
            this.payload = payload;
            this.seconds = seconds;
        }

        /** The worker's name. */
        public String worker() {
            return worker;
        }

        /** What it answered. */
        public Payload payload() {
            return payload;
        }

        /** The round trip of the call, in seconds. */
        public double seconds() {
            return seconds;
        }

        @Override
        public String toString() {
            return worker + ": " + payload;
        }
    }

    private final String master;
    private final String strategy;
    private final List<WorkerClient> live;
    private final FitTracker tracker;
    private final TrainingHistoryRecorder history;
    private final List<String> dropped = new ArrayList<>();
    private final Map<String, Double> lastSeconds = new LinkedHashMap<>();
    private final long seed;
    private String stopReason = "done";
    private final List<String> warnings = new ArrayList<>();

    StrategyFit(String master, String strategy, List<WorkerClient> workers, FitTracker tracker,
                TrainingHistoryRecorder history, long seed) {
        this.seed = seed;
        this.master = master;
        this.strategy = strategy;
        live = new ArrayList<>(workers);
        this.tracker = tracker;
        this.history = history;
    }

    /** The run's base seed, {@code CHIMERA_SEED} (0 by default), as the parameter server takes it. */
    public long seed() {
        return seed;
    }

    /** The workers still in the fit, in the order of {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public synchronized List<String> workers() {
        final List<String> names = new ArrayList<>();
        live.forEach(w -> names.add(w.name()));
        return names;
    }

    /** The workers dropped so far, in the order they failed. */
    public synchronized List<String> dropped() {
        return List.copyOf(dropped);
    }

    /** Calls {@code step} on every live worker at once with the same payload; blocks until all have answered. */
    public List<Reply> callAll(String step, Payload payload) {
        requireNonNull(payload, "payload");
        return callEach(step, worker -> payload);
    }

    /**
     * Calls {@code step} on every live worker at once, each with its own payload ({@code payloadFor} gets the
     * worker's name); blocks until all have answered. The replies come in worker order; those of workers that
     * failed are missing (the workers are dropped).
     *
     * @throws ChimeraException when every live worker failed (the fit fails with that error)
     */
    public List<Reply> callEach(String step, Function<String, Payload> payloadFor) {
        requireNonNull(step, "step");
        requireNonNull(payloadFor, "payloadFor");
        final List<WorkerClient> targets = liveTargets();
        return run(step, targets, payloadFor);
    }

    /** The workers still in the fit; 503 {@code NoWorkersError} when none is. */
    private List<WorkerClient> liveTargets() {
        final List<WorkerClient> targets;
        synchronized (this) {
            targets = List.copyOf(live);
        }
        if (targets.isEmpty()) {
            throw new ChimeraException(503, "NoWorkersError", "no worker is left in the fit (dropped: " + dropped()
                                                              + ')');
        }
        return targets;
    }

    /**
     * Calls {@code step} on every live worker at once with the same payload, for an algorithm that needs every
     * worker's answer (a ring, where the others may be waiting for the one that failed): the first failure ends
     * the call at once, without waiting for the other workers. That worker is dropped and its error is thrown.
     *
     * @throws ChimeraException the first failed worker's error (its status and type kept), or 503 when no worker
     *         is left
     */
    public List<Reply> callAllOrFail(String step, Payload payload) {
        requireNonNull(step, "step");
        requireNonNull(payload, "payload");
        final List<WorkerClient> targets = liveTargets();
        final CompletableFuture<Outcome<Reply>> firstFailure = new CompletableFuture<>();
        final CompletableFuture<List<Outcome<Reply>>> all = FanOut.all(targets, w -> timed(w, step, payload)
                .whenComplete((r, t) -> {
                    if (t != null) {
                        firstFailure.complete(FanOut.failed(w, t));
                    }
                }));
        CompletableFuture.anyOf(all, firstFailure).join();
        if (!firstFailure.isDone()) {
            return gather(step, all.join(), name -> payload);
        }
        final Outcome<Reply> failed = firstFailure.join();
        history.bytes(payload.bytes() * targets.size(), 0, 0);
        drop(step, failed);
        throw failed.error();
    }

    private List<Reply> run(String step, List<WorkerClient> targets, Function<String, Payload> payloadFor) {
        final Map<String, Payload> sent = new LinkedHashMap<>();
        for (WorkerClient w : targets) {
            sent.put(w.name(), requireNonNull(payloadFor.apply(w.name()), "the payload for " + w.name()));
        }
        return gather(step, FanOut.all(targets, w -> timed(w, step, sent.get(w.name()))).join(), sent::get);
    }

    /** Leaves a worker that failed {@code step} out of the rest of the fit, and says so. */
    private synchronized void drop(String step, Outcome<Reply> failed) {
        live.remove(failed.worker());
        dropped.add(failed.worker().name());
        history.dropped(failed.worker().name());
        status.error("{}: worker {} failed step {} and is dropped from the fit: {}", master, failed.worker().name(),
                     step, failed.error().getMessage());
    }

    /** Counts the bytes, keeps the replies, drops the workers that failed; throws when every one failed. */
    private List<Reply> gather(String step, List<Outcome<Reply>> outcomes, Function<String, Payload> sent) {
        final List<Reply> replies = new ArrayList<>();
        final List<Outcome<Reply>> failed = new ArrayList<>();
        long bytesSent = 0;
        long bytesReceived = 0;
        for (Outcome<Reply> o : outcomes) {
            bytesSent += sent.apply(o.worker().name()).bytes();
            if (o.ok()) {
                replies.add(o.value());
                bytesReceived += o.value().payload().bytes();
            } else {
                failed.add(o);
            }
        }
        history.bytes(bytesSent, bytesReceived, 0);
        synchronized (this) {
            for (Reply r : replies) {
                lastSeconds.put(r.worker(), r.seconds());
            }
            failed.forEach(o -> drop(step, o));
        }
        if (replies.isEmpty()) {
            throw FanOut.allFailed(step, failed);
        }
        return replies;
    }

    /**
     * Calls {@code step} on the worker {@code worker} alone; blocks until it answers.
     *
     * @throws ChimeraException when it fails (the worker is dropped) or is not in the fit
     */
    public Reply call(String worker, String step, Payload payload) {
        requireNonNull(worker, "worker");
        final WorkerClient client;
        synchronized (this) {
            client = live.stream().filter(w -> w.name().equals(worker)).findFirst().orElseThrow(
                    () -> ChimeraException.internal("no worker " + worker + " in the fit (workers: " + workers()
                                                    + ", dropped: " + dropped + ')'));
        }
        requireNonNull(payload, "payload");
        return run(step, List.of(client), name -> payload).get(0);
    }

    private CompletableFuture<Reply> timed(WorkerClient w, String step, Payload payload) {
        final long start = System.nanoTime();
        return w.strategyStep(strategy, step, payload.toProto())
                .thenApply(p -> new Reply(w.name(), Payload.fromWorker(p, w.name()), (System.nanoTime() - start) / 1e9));
    }

    /**
     * Reports that round {@code round} of at most {@code rounds} has ended with training loss {@code loss} (NaN
     * when unknown): the status, the progress line, the metrics and the history show it.
     */
    public void round(long round, long rounds, double loss) {
        round(round, rounds, loss, history.elapsed());
    }

    /**
     * As {@link #round(long, long, double)}, for a round that ended {@code elapsedSeconds} into the fit rather than
     * now: where one reply reports several rounds, and the worker measured when each ended.
     */
    public void round(long round, long rounds, double loss, double elapsedSeconds) {
        final IterationRecord.Builder rec = IterationRecord.newBuilder().setIteration(round)
                                                           .setElapsedSeconds(elapsedSeconds);
        if (!Double.isNaN(loss)) {
            rec.setLoss(loss);
        }
        synchronized (this) {
            lastSeconds.forEach((worker, seconds) -> rec.addWorkers(
                    WorkerStep.newBuilder().setWorker(worker).setSeconds(seconds).setClock(round - 1)
                              .setSlowestClock(round - 1)));
            lastSeconds.clear();
        }
        history.add(rec.build());
        tracker.iteration(round, rounds, loss);
    }

    /** Seconds since the fit started, on the clock of its history's {@code elapsed_seconds}. */
    public double elapsedSeconds() {
        return history.elapsed();
    }

    /** Counts {@code bytes} that workers sent one another (peer to peer), as they reported them. */
    public void peerBytes(long bytes) {
        history.bytes(0, 0, bytes);
    }

    /** Says why the fit stopped ({@code max_rounds}, {@code tol}, ...), for the history; {@code done} by default. */
    public void stopReason(String reason) {
        stopReason = requireNonNull(reason, "reason");
    }

    String stopReason() {
        return stopReason;
    }

    /**
     * Warns that the fit, though it succeeded, may not be what the user expects, e.g. that it stopped at its
     * iteration budget with the loss still falling. The warning goes in the fit's answer ({@code warnings},
     * beside chimera's {@code "fit": "ok"}), the status while its model is in use, the status log, the dashboard
     * and the client's {@code FitResult}.
     */
    public void warn(String warning) {
        warnings.add(requireNonNull(warning, "warning"));
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Writes {@code message} ({@code {}} placeholders filled with {@code args}) to the status log. */
    public void log(String message, Object... args) {
        status.info(master + ": " + message, args);
    }
}
