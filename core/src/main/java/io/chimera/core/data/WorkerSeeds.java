package io.chimera.core.data;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * Derives one seed per worker from a single base seed, so that a bagging run is reproducible from one number
 * while every worker draws a different random stream.
 */
public final class WorkerSeeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * Returns a well-mixed 64-bit seed for {@code workerName} under {@code baseSeed}. The result depends only
     * on the base seed and the UTF-8 bytes of the name, so it is the same on every JVM and platform; distinct
     * names give unrelated seeds.
     */
    public static long forWorker(long baseSeed, String workerName) {
        requireNonNull(workerName, "workerName");
        final byte[] bytes = workerName.getBytes(StandardCharsets.UTF_8);
        long h = mix64(baseSeed + GOLDEN_GAMMA);
        for (int i = 0; i < bytes.length; i += Long.BYTES) {
            long block = 0;
            for (int b = 0; b < Long.BYTES && i + b < bytes.length; b++) {
                block |= (bytes[i + b] & 0xFFL) << (8 * b);
            }
            h = mix64(h ^ block) + GOLDEN_GAMMA;
        }
        // Mixing in the length tells "a" from "a\0", whose zero-padded blocks are equal.
        return mix64(h ^ bytes.length);
    }

    /** The SplitMix64 finaliser (Stafford's variant 13): a bijection with full avalanche. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private WorkerSeeds() {}
}
