package io.chimera.observe.logging;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * Summary statistics of a set of latencies, computed as chimera's examples computed them with numpy: the mean,
 * the population standard deviation ({@code np.std}), percentiles by linear interpolation between the closest
 * ranks ({@code np.percentile}'s default) and an equal-width histogram (as {@code np.histogram}: the last bin
 * includes its upper edge) that leaves out the rare outliers beyond twice the 99th percentile.
 *
 * <pre>{@code
 * LatencyStatistics s = LatencyStatistics.of(new double[] {0.1, 0.2, 0.3, 0.4});
 * s.mean();            // 0.25
 * s.std();             // 0.1118...
 * s.percentile(95);    // 0.385
 * }</pre>
 */
public final class LatencyStatistics {

    /** Returns the statistics of {@code seconds}, which must not be empty. */
    public static LatencyStatistics of(double[] seconds) {
        requireNonNull(seconds, "seconds");
        if (seconds.length == 0) {
            throw new IllegalArgumentException("seconds: empty (expected: at least one latency)");
        }
        final double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return new LatencyStatistics(sorted);
    }

    private final double[] sorted;
    private final double mean;
    private final double std;

    private LatencyStatistics(double[] sorted) {
        this.sorted = sorted;
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        mean = sum / sorted.length;
        double m2 = 0;
        for (double v : sorted) {
            m2 += (v - mean) * (v - mean);
        }
        std = Math.sqrt(m2 / sorted.length);
    }

    /** The number of latencies. */
    public int count() {
        return sorted.length;
    }

    /** The mean, in seconds. */
    public double mean() {
        return mean;
    }

    /** The population standard deviation (numpy's {@code np.std}), in seconds. */
    public double std() {
        return std;
    }

    /** The smallest latency. */
    public double min() {
        return sorted[0];
    }

    /** The largest latency. */
    public double max() {
        return sorted[sorted.length - 1];
    }

    /**
     * The {@code q}-th percentile, {@code 0 <= q <= 100}, interpolated linearly between the closest ranks as
     * {@code np.percentile} does by default.
     */
    public double percentile(double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("q: " + q + " (expected: 0..100)");
        }
        final double rank = q / 100 * (sorted.length - 1);
        final int below = (int) Math.floor(rank);
        final int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The largest latency a histogram shows: {@link #max()}, or twice the 99th percentile when a few outliers (a
     * JIT warming up, a pause) lie beyond it, so that they do not squeeze every other call into one bin.
     */
    public double histogramMax() {
        return Math.min(max(), 2 * percentile(99));
    }

    /** How many latencies lie beyond {@link #histogramMax()}, left out of the histogram. */
    public int aboveHistogram() {
        final double top = histogramMax();
        int above = 0;
        for (int i = sorted.length - 1; i >= 0 && sorted[i] > top; i--) {
            above++;
        }
        return above;
    }

    /**
     * The edges of {@code bins} equal-width bins from {@link #min()} to {@link #histogramMax()}
     * ({@code bins + 1} values); when every latency is the same, the bins span 5% (at least a microsecond) either
     * side of it.
     */
    public double[] binEdges(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins: " + bins + " (expected: > 0)");
        }
        double lo = min();
        double hi = histogramMax();
        if (lo == hi) {
            final double half = Math.max(Math.abs(lo) * 0.05, 1e-6);
            lo -= half;
            hi += half;
        }
        final double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = lo + (hi - lo) * i / bins;
        }
        edges[bins] = hi;
        return edges;
    }

    /**
     * How many latencies fall in each bin of {@link #binEdges(int)}; the last bin includes its upper edge, and the
     * {@link #aboveHistogram()} beyond it are not counted.
     */
    public long[] binCounts(int bins) {
        final double[] edges = binEdges(bins);
        final long[] counts = new long[bins];
        final double width = (edges[bins] - edges[0]) / bins;
        for (double v : sorted) {
            if (v > edges[bins]) {
                break;
            }
            int i = (int) ((v - edges[0]) / width);
            counts[Math.max(0, Math.min(bins - 1, i))]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "LatencyStatistics{count=" + count() + ", mean=" + mean + ", std=" + std + ", min=" + min()
               + ", max=" + max() + '}';
    }
}
