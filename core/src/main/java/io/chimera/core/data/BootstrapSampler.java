package io.chimera.core.data;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * Draws bootstrap samples: row indices drawn uniformly with replacement, as used for bagging. Pass the
 * result to {@link Dataset#select(int[])}.
 */
public final class BootstrapSampler {

    /**
     * Returns {@code n} indices in {@code [0, n)}, each drawn uniformly and independently from {@code rng}.
     * The same generator state always gives the same sample.
     */
    public static int[] sample(int n, SplittableRandom rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
        }
        requireNonNull(rng, "rng");
        final int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = rng.nextInt(n);
        }
        return indices;
    }

    private BootstrapSampler() {}
}
