package io.chimera.strategy.parameterserver;

/**
 * How the parameter server waits for its workers.
 *
 * <ul>
 *   <li>{@link #synchronous()} (bulk-synchronous): each update averages every live worker's gradient,
 *       weighted by rows: the true full-data gradient. Everyone waits for the slowest. {@code maxIter}
 *       updates.</li>
 *   <li>{@link #asynchronous()}: each worker's gradient is applied as soon as it arrives, and the worker at
 *       once gets the new parameters for its next step; nobody waits. A gradient computed {@code tau}
 *       updates ago moves the parameters {@code 1/tau} as far (staleness-aware SGD), and the fit makes
 *       {@code maxIter x workers} updates in all, so a round of all workers counts as one synchronous
 *       iteration; fast workers make more of them than slow ones.</li>
 *   <li>{@link #boundedStaleness(int)} (stale-synchronous parallel): as asynchronous, but a worker may start
 *       a step only while it is at most {@code s} steps ahead of the slowest live worker.</li>
 * </ul>
 */
public final class SyncMode {

    /** The kinds of synchronisation. */
    public enum Kind {
        SYNCHRONOUS, ASYNCHRONOUS, BOUNDED_STALENESS
    }

    private static final SyncMode SYNCHRONOUS = new SyncMode(Kind.SYNCHRONOUS, 0);
    private static final SyncMode ASYNCHRONOUS = new SyncMode(Kind.ASYNCHRONOUS, Integer.MAX_VALUE);

    /** Bulk-synchronous: average all workers' gradients each step. */
    public static SyncMode synchronous() {
        return SYNCHRONOUS;
    }

    /** Apply each worker's gradient as it arrives. */
    public static SyncMode asynchronous() {
        return ASYNCHRONOUS;
    }

    /** Stale-synchronous parallel with bound {@code staleness >= 0}. */
    public static SyncMode boundedStaleness(int staleness) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness: " + staleness + " (expected: >= 0)");
        }
        return new SyncMode(Kind.BOUNDED_STALENESS, staleness);
    }

    private final Kind kind;
    private final int staleness;

    private SyncMode(Kind kind, int staleness) {
        this.kind = kind;
        this.staleness = staleness;
    }

    public Kind kind() {
        return kind;
    }

    /** The bound {@code s}: 0 when synchronous, {@link Integer#MAX_VALUE} when asynchronous. */
    public int staleness() {
        return staleness;
    }

    /** {@code synchronous}, {@code asynchronous} or {@code bounded_staleness}. */
    public String modeName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return kind == Kind.BOUNDED_STALENESS ? "boundedStaleness(" + staleness + ')' : modeName();
    }
}
