package io.chimera.observe.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Prints a fit's progress as compact lines: one when it starts, then at most one per interval (the first
 * update, then whenever the interval has passed), and one when it ends. The rate is measured from the first
 * update on, so that the gathering of the workers' statistics and the first, slow steps (the JVMs warming up) do
 * not make the time left look like minutes.
 *
 * <pre>
 * [chimera] ParameterServerMaster: fit started on 3 workers, at most 200 iterations
 * [chimera] ParameterServerMaster: fit started on 3 workers, at most 200 iterations
 * [chimera] fit   1/200   0%  loss 0.117015  1.5 s
 * [chimera] fit  72/200  36%  loss 0.029266  71.0 it/s  2.5 s, ~1.8 s left
 * [chimera] fit done in 4.0 s: 200 iterations (max_iter), loss 0.027153
 * </pre>
 */
public final class ProgressReporter {

    /** The least time between two progress lines. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final String PREFIX = "[chimera] ";

    private final Consumer<String> sink;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long startNanos;
    private long firstUpdateNanos;
    private long lastLineNanos;
    private boolean anyLine;

    /** Prints to {@code sink} at most once per {@link #DEFAULT_INTERVAL}. */
    public ProgressReporter(Consumer<String> sink) {
        this(sink, DEFAULT_INTERVAL, System::nanoTime);
    }

    /** Prints to {@code sink} at most once per {@code interval} as {@code nanoClock} measures time. */
    public ProgressReporter(Consumer<String> sink, Duration interval, LongSupplier nanoClock) {
        this.sink = requireNonNull(sink, "sink");
        requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0)");
        }
        intervalNanos = interval.toNanos();
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    }

    /** A fit of {@code master} started on {@code workers} workers; {@code maxIter} is 0 for bagging. */
    public synchronized void started(String master, int workers, long maxIter) {
        startNanos = nanoClock.getAsLong();
        anyLine = false;
        sink.accept(PREFIX + master + ": fit started on " + workers + (workers == 1 ? " worker" : " workers")
                    + (maxIter > 0 ? ", at most " + maxIter + " iterations" : ""));
    }

    /** The parameter server made update {@code iteration} of at most {@code maxIter}; the loss was {@code loss}. */
    public synchronized void iteration(long iteration, long maxIter, double loss) {
        final long now = nanoClock.getAsLong();
        if (iteration <= 1) {
            firstUpdateNanos = now;
        }
        if (!due(now)) {
            return;
        }
        final double elapsed = seconds(now);
        final double sinceFirst = (now - firstUpdateNanos) / 1e9;
        final double rate = iteration > 1 && sinceFirst > 0 ? (iteration - 1) / sinceFirst : 0;
        final int width = Long.toString(maxIter).length();
        final StringBuilder line = new StringBuilder(PREFIX).append(String.format(
                Locale.ROOT, "fit %" + width + "d/%d %3d%%  loss %.6f", iteration, maxIter,
                maxIter > 0 ? iteration * 100 / maxIter : 0, loss));
        if (rate > 0) {
            line.append(String.format(Locale.ROOT, "  %.1f it/s  %.1f s, ~%.1f s left", rate, elapsed,
                                      Math.max(0, maxIter - iteration) / rate));
        } else {
            line.append(String.format(Locale.ROOT, "  %.1f s", elapsed));
        }
        emit(line.toString(), now);
    }

    /** Worker {@code worker} answered its bagging fit ({@code ok} or not): {@code done} of {@code total}. */
    public synchronized void workerDone(String worker, boolean ok, int done, int total) {
        final long now = nanoClock.getAsLong();
        if (!due(now) && done < total) {
            return;
        }
        emit(String.format(Locale.ROOT, "%sfit %d/%d workers  %s %s  %.1f s", PREFIX, done, total, worker,
                           ok ? "fitted" : "failed", seconds(now)), now);
    }

    /**
     * The fit ended, successfully ({@code ok}) or not; {@code detail} says how, e.g.
     * {@code 200/200 iterations (max_iter), loss 0.171009}, or why it failed.
     */
    public synchronized void finished(boolean ok, String detail) {
        final long now = nanoClock.getAsLong();
        emit(String.format(Locale.ROOT, "%sfit %s %.1f s: %s", PREFIX, ok ? "done in" : "failed after",
                           seconds(now), detail), now);
    }

    private boolean due(long now) {
        return !anyLine || now - lastLineNanos >= intervalNanos;
    }

    private double seconds(long now) {
        return (now - startNanos) / 1e9;
    }

    private void emit(String line, long now) {
        sink.accept(line);
        anyLine = true;
        lastLineNanos = now;
    }
}
