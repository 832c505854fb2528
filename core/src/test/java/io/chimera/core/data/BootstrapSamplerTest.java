package io.chimera.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BootstrapSamplerTest {

    @Test
    void sample_sameSeed_sameIndices() {
        assertThat(BootstrapSampler.sample(1000, new SplittableRandom(42)))
                .containsExactly(BootstrapSampler.sample(1000, new SplittableRandom(42)));
    }

    @Test
    void sample_differentSeeds_differentIndices() {
        assertThat(BootstrapSampler.sample(1000, new SplittableRandom(1)))
                .isNotEqualTo(BootstrapSampler.sample(1000, new SplittableRandom(2)));
    }

    @Test
    void sample_drawsWithReplacementWithinRange() {
        final int n = 10_000;
        final int[] sample = BootstrapSampler.sample(n, new SplittableRandom(7));

        assertThat(sample).hasSize(n);
        assertThat(Arrays.stream(sample).min().getAsInt()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(sample).max().getAsInt()).isLessThan(n);
        // A bootstrap sample holds about 1 - 1/e (63.2%) of the distinct rows.
        final long distinct = Arrays.stream(sample).distinct().count();
        assertThat(distinct).isBetween(6_100L, 6_550L);
    }

    @Test
    void sample_zero_isEmpty() {
        assertThat(BootstrapSampler.sample(0, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void sample_negative_rejected() {
        assertThatThrownBy(() -> BootstrapSampler.sample(-1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n: -1 (expected: >= 0)");
    }
}
