package io.chimera.strategy.parameterserver;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Chooses the few training rows a worker shows the master before SGD starts
 * ({@code GET /v1/chimera/sgd/request-data-sample}): enough for the master to learn the columns and, for
 * classification, every class in the shard.
 */
public final class DataSample {

    /** Rows in a sample unless asked otherwise, as in chimera. */
    public static final int DEFAULT_SIZE = 10;

    /** Same as {@code sampleRows(labels, DEFAULT_SIZE, classification, seed)}. */
    public static int[] sampleRows(double[] labels, boolean classification, long seed) {
        return sampleRows(labels, DEFAULT_SIZE, classification, seed);
    }

    /**
     * Returns the indices, ascending and distinct, of a random sample of {@code size} rows (all rows if there
     * are fewer), deterministic for a seed. For classification the sample holds every distinct label at least
     * once, one random row of each, even if that takes more than {@code size} rows.
     *
     * @param labels one label per row of the shard
     */
    public static int[] sampleRows(double[] labels, int size, boolean classification, long seed) {
        requireNonNull(labels, "labels");
        if (size <= 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: > 0)");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final BitSet chosen = new BitSet(labels.length);
        if (classification) {
            for (int row : oneRowPerLabel(labels, random)) {
                chosen.set(row);
            }
        }
        int count = chosen.cardinality();
        final int target = Math.min(labels.length, Math.max(size, count));
        // Rejection sampling is fast while the sample is a small part of the shard; past half, take rows in
        // a random order instead.
        if (target <= labels.length / 2) {
            while (count < target) {
                final int row = random.nextInt(labels.length);
                if (!chosen.get(row)) {
                    chosen.set(row);
                    count++;
                }
            }
        } else {
            final int[] order = shuffled(labels.length, random);
            for (int i = 0; count < target; i++) {
                if (!chosen.get(order[i])) {
                    chosen.set(order[i]);
                    count++;
                }
            }
        }
        return chosen.stream().toArray();
    }

    /** A uniformly random row of each distinct label, by reservoir sampling in one pass. */
    private static int[] oneRowPerLabel(double[] labels, SplittableRandom random) {
        final double[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        final int[] seen = new int[distinct.length];
        final int[] row = new int[distinct.length];
        for (int r = 0; r < labels.length; r++) {
            final int k = Arrays.binarySearch(distinct, labels[r]);
            if (random.nextInt(++seen[k]) == 0) {
                row[k] = r;
            }
        }
        return row;
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        final int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private DataSample() {}
}
