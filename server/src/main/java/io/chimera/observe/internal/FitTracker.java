package io.chimera.observe.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.Timestamp;

import io.chimera.proto.v1.FitProgress;
import io.chimera.proto.v1.ModelStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The state of a master's model and the progress of its fit: what {@code GET /v1/chimera/status} shows, what
 * the progress lines print and what the fit's metrics count. A master tells it what happens; a run attaches
 * the progress reporter and the metrics registry with {@link #observe}.
 */
public final class FitTracker {

    private final String strategy;
    private final Map<String, String> options;
    private String state = "unfitted";
    private Instant fitStarted;
    private Instant fitted;
    private double fitSeconds;
    private String error = "";
    private long fits;
    private List<String> featureColumns = List.of();
    private boolean imported;
    private boolean restored;
    /** The workers the fit of the model in use lost: empty when it was complete. */
    private List<String> modelFailedWorkers = List.of();
    private List<String> modelWarnings = List.of();

    private long startNanos;
    private long firstUpdateNanos;
    private long lastUpdateNanos;
    private double elapsedAtEnd;
    private long iteration;
    private long maxIter;
    private double loss = Double.NaN;
    private int workersDone;
    private int workersTotal;

    private String master = "master";
    private ProgressReporter reporter;
    private Counter iterations;
    private Counter succeeded;
    private Counter failed;

    /** Tracks the model of a master of {@code strategy} trained with {@code options} (shown as they are). */
    public FitTracker(String strategy, Map<String, String> options) {
        this.strategy = requireNonNull(strategy, "strategy");
        this.options = Map.copyOf(requireNonNull(options, "options"));
    }

    /**
     * Prints progress through {@code reporter} (none when null) and counts into {@code registry} (none when
     * null) from now on; {@code master} names the master in progress lines.
     */
    public synchronized void observe(String master, ProgressReporter reporter, MeterRegistry registry) {
        this.master = requireNonNull(master, "master");
        this.reporter = reporter;
        if (registry == null) {
            iterations = succeeded = failed = null;
            return;
        }
        iterations = Counter.builder("chimera.fit.iterations")
                            .description("Parameter-server updates made, all fits together").register(registry);
        succeeded = Counter.builder("chimera.fits").tag("result", "ok")
                           .description("Fits that ended, by result").register(registry);
        failed = Counter.builder("chimera.fits").tag("result", "failed")
                        .description("Fits that ended, by result").register(registry);
        Gauge.builder("chimera.fit.loss", this, FitTracker::currentLoss).strongReference(true)
             .description("Training loss at the latest update of the running or last fit").register(registry);
        Gauge.builder("chimera.fit.iteration", this, FitTracker::currentIteration).strongReference(true)
             .description("Updates made by the running or last fit").register(registry);
        Gauge.builder("chimera.fit.running", this, t -> t.isFitting() ? 1 : 0).strongReference(true)
             .description("1 while a fit runs").register(registry);
    }

    /**
     * Starts a fit on {@code workers} workers, unless one runs; {@code maxIter} is the most updates it may make
     * (0: bagging). Every start that returns true must be followed by {@link #finished} or {@link #failed}.
     *
     * @return false when a fit is already running
     */
    public synchronized boolean tryStart(int workers, long maxIter) {
        if (isFitting()) {
            return false;
        }
        state = "fitting";
        fitStarted = Instant.now();
        startNanos = System.nanoTime();
        error = "";
        iteration = 0;
        this.maxIter = maxIter;
        loss = Double.NaN;
        workersDone = 0;
        workersTotal = maxIter == 0 ? workers : 0;
        if (reporter != null) {
            reporter.started(master, workers, maxIter);
        }
        return true;
    }

    /** The parameter server made update {@code iteration} of at most {@code maxIter}, at training loss {@code loss}. */
    public synchronized void iteration(long iteration, long maxIter, double loss) {
        lastUpdateNanos = System.nanoTime();
        if (iteration <= 1) {
            firstUpdateNanos = lastUpdateNanos;
        }
        this.iteration = iteration;
        this.maxIter = maxIter;
        this.loss = loss;
        if (iterations != null) {
            iterations.increment();
        }
        if (reporter != null) {
            reporter.iteration(iteration, maxIter, loss);
        }
    }

    /** A bagging worker answered its fit. */
    public synchronized void workerDone(String worker, boolean ok) {
        workersDone++;
        if (reporter != null) {
            reporter.workerDone(worker, ok, workersDone, workersTotal);
        }
    }

    /** The fit succeeded; {@code featureColumns} are the columns predict expects, where known (else empty). */
    public synchronized void finished(List<String> featureColumns, String detail) {
        finished(featureColumns, detail, List.of());
    }

    /**
     * The fit finished, having lost {@code failedWorkers} (a partial fit when there are any): the status says so
     * for as long as its model is in use.
     */
    public synchronized void finished(List<String> featureColumns, String detail, List<String> failedWorkers) {
        finished(featureColumns, detail, failedWorkers, List.of());
    }

    /**
     * As {@link #finished(List, String, List)}, for a fit that warned ({@code warnings}, e.g. that it stopped
     * before it converged): the status says so for as long as its model is in use.
     */
    public synchronized void finished(List<String> featureColumns, String detail, List<String> failedWorkers,
                                      List<String> warnings) {
        modelWarnings = List.copyOf(warnings);
        end("fitted");
        fitted = Instant.now();
        restored = false;
        modelFailedWorkers = List.copyOf(failedWorkers);
        this.featureColumns = List.copyOf(featureColumns);
        if (succeeded != null) {
            succeeded.increment();
        }
        if (reporter != null) {
            reporter.finished(true, detail);
        }
    }

    /** The fit failed with {@code error}; the model in use, if any, stays. */
    public synchronized void failed(String error) {
        end("failed");
        this.error = requireNonNull(error, "error");
        if (failed != null) {
            failed.increment();
        }
        if (reporter != null) {
            reporter.finished(false, error);
        }
    }

    private void end(String newState) {
        state = newState;
        elapsedAtEnd = (System.nanoTime() - startNanos) / 1e9;
        fitSeconds = elapsedAtEnd;
        fits++;
    }

    /** The model was imported from an artifact exported at {@code created}: fitted, with no fit to run. */
    public synchronized void imported(Instant created, List<String> featureColumns) {
        modelWarnings = List.of();
        state = "fitted";
        imported = true;
        fitted = created;
        this.featureColumns = List.copyOf(featureColumns);
    }

    /**
     * A previous run of this master saved the model exported at {@code created}, which it serves until its first
     * fit.
     */
    public synchronized void restored(Instant created, List<String> featureColumns) {
        restored(created, featureColumns, List.of());
    }

    /** As {@link #restored(Instant, List)}, for a model whose fit lost {@code failedWorkers}. */
    public synchronized void restored(Instant created, List<String> featureColumns, List<String> failedWorkers) {
        modelWarnings = List.of();
        state = "fitted";
        restored = true;
        modelFailedWorkers = List.copyOf(failedWorkers);
        fitted = created;
        this.featureColumns = List.copyOf(featureColumns);
    }

    /** Whether a fit runs. */
    public synchronized boolean isFitting() {
        return "fitting".equals(state);
    }

    private synchronized double currentLoss() {
        return loss;
    }

    private synchronized double currentIteration() {
        return iteration;
    }

    /** The model's state and the progress of the running (or the last) fit. */
    public synchronized ModelStatus snapshot() {
        final ModelStatus.Builder b = ModelStatus.newBuilder().setState(state).setStrategy(strategy)
                                                 .putAllOptions(options).setFitSeconds(fitSeconds)
                                                 .setError(error).setFits(fits)
                                                 .addAllFeatureColumns(featureColumns).setImported(imported)
                                                 .setRestored(restored)
                                                 .setPartial(!modelFailedWorkers.isEmpty())
                                                 .addAllFailedWorkers(modelFailedWorkers)
                                                 .addAllWarnings(modelWarnings);
        if (fitStarted != null) {
            b.setFitStartedTime(timestamp(fitStarted));
            final double elapsed = isFitting() ? (System.nanoTime() - startNanos) / 1e9 : elapsedAtEnd;
            final FitProgress.Builder p = FitProgress.newBuilder().setIteration(iteration).setMaxIter(maxIter)
                                                     .setElapsedSeconds(elapsed).setWorkersDone(workersDone)
                                                     .setWorkersTotal(workersTotal);
            if (!Double.isNaN(loss)) {
                p.setLoss(loss);
            }
            // The rate from the first update on: the statistics gathered before it and the JVMs warming up in the
            // first steps would make the time left look like minutes.
            final double sinceFirst = ((isFitting() ? System.nanoTime() : lastUpdateNanos) - firstUpdateNanos) / 1e9;
            if (iteration > 1 && sinceFirst > 0) {
                final double rate = (iteration - 1) / sinceFirst;
                p.setIterationsPerSecond(rate);
                if (isFitting()) {
                    p.setRemainingSeconds(Math.max(0, maxIter - iteration) / rate);
                }
            }
            b.setProgress(p);
        }
        if (fitted != null) {
            b.setFittedTime(timestamp(fitted));
        }
        return b.build();
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    @Override
    public synchronized String toString() {
        return String.format(Locale.ROOT, "FitTracker{%s, %s, iteration %d/%d}", strategy, state, iteration,
                             maxIter);
    }
}
