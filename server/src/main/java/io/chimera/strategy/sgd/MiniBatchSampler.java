package io.chimera.strategy.sgd;

import java.util.SplittableRandom;

/**
 * Draws the mini-batch of a step: {@code batchSize} distinct row indices, a function of the seed and the step
 * only, so a worker asked twice for the same step (a retry) uses the same rows, and the order of calls does
 * not matter.
 *
 * <p>Thread-safe: {@link #batch(long)} is synchronized, because it shuffles a reusable index array in place
 * (a partial Fisher-Yates shuffle over the first {@code batchSize} positions) and undoes its swaps before
 * returning, so each call costs {@code O(batchSize)} whatever the shard's size.
 */
public final class MiniBatchSampler {

    private static final long STEP_GAMMA = 0x9E3779B97F4A7C15L;

    /** Stafford's variant 13 of the MurmurHash3 finaliser: nearby seeds and steps give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private final int rows;
    private final int batchSize;
    private final long seed;
    /** The identity permutation between calls. */
    private final int[] indices;
    private final int[] swapped;

    /**
     * Creates a sampler over {@code rows} rows.
     *
     * @param batchSize rows per batch; 0 or at least {@code rows} means the full shard
     * @param seed base seed of the worker
     */
    public MiniBatchSampler(int rows, int batchSize, long seed) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: > 0)");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 0)");
        }
        this.rows = rows;
        this.batchSize = batchSize;
        this.seed = seed;
        if (isFullBatch()) {
            indices = null;
            swapped = null;
        } else {
            indices = new int[rows];
            for (int i = 0; i < rows; i++) {
                indices[i] = i;
            }
            swapped = new int[batchSize];
        }
    }

    /**
     * Returns the row indices of the given step's mini-batch, distinct, in the order drawn; or {@code null}
     * when every batch is the full shard (batch size 0 or at least the number of rows).
     */
    public int[] batch(long step) {
        if (isFullBatch()) {
            return null;
        }
        final SplittableRandom random = new SplittableRandom(mix(seed ^ mix(step * STEP_GAMMA)));
        final int[] batch = new int[batchSize];
        synchronized (this) {
            for (int i = 0; i < batchSize; i++) {
                final int j = i + random.nextInt(rows - i);
                swapped[i] = j;
                final int chosen = indices[j];
                indices[j] = indices[i];
                indices[i] = chosen;
                batch[i] = chosen;
            }
            for (int i = batchSize - 1; i >= 0; i--) {
                final int j = swapped[i];
                final int t = indices[j];
                indices[j] = indices[i];
                indices[i] = t;
            }
        }
        return batch;
    }

    /** Whether every batch is the full shard, i.e. {@link #batch(long)} always returns {@code null}. */
    public boolean isFullBatch() {
        return batchSize == 0 || batchSize >= rows;
    }

    @Override
    public String toString() {
        return "MiniBatchSampler{rows=" + rows + ", batchSize=" + batchSize + ", seed=" + seed + '}';
    }
}
