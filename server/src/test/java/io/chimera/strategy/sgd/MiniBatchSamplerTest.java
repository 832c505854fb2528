package io.chimera.strategy.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MiniBatchSamplerTest {

    @Test
    void batch_isAFunctionOfSeedAndStepOnly() {
        final MiniBatchSampler a = new MiniBatchSampler(1000, 32, 42);
        final MiniBatchSampler b = new MiniBatchSampler(1000, 32, 42);
        final int[] step7 = a.batch(7);
        for (long step = 0; step < 50; step++) {
            b.batch(step);
        }
        assertThat(b.batch(7)).containsExactly(step7);
        assertThat(a.batch(7)).containsExactly(step7);
        assertThat(a.batch(8)).isNotEqualTo(step7);
        assertThat(new MiniBatchSampler(1000, 32, 43).batch(7)).isNotEqualTo(step7);
    }

    @Test
    void batch_drawsDistinctRowsInRange() {
        final MiniBatchSampler sampler = new MiniBatchSampler(50, 49, 1);
        for (long step = 0; step < 100; step++) {
            final int[] batch = sampler.batch(step);
            assertThat(batch).hasSize(49).doesNotHaveDuplicates();
            assertThat(Arrays.stream(batch).allMatch(r -> r >= 0 && r < 50)).isTrue();
        }
    }

    @Test
    void batch_coversRowsUniformly() {
        final MiniBatchSampler sampler = new MiniBatchSampler(10, 3, 5);
        final Map<Integer, Integer> counts = new HashMap<>();
        for (long step = 0; step < 10_000; step++) {
            for (int r : sampler.batch(step)) {
                counts.merge(r, 1, Integer::sum);
            }
        }
        // 3,000 expected per row; a standard deviation is about 46.
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(2_800, 3_200));
    }

    @Test
    void batch_withZeroOrWholeShardBatchSize_isNullForFullBatch() {
        assertThat(new MiniBatchSampler(10, 0, 1).batch(3)).isNull();
        assertThat(new MiniBatchSampler(10, 10, 1).batch(3)).isNull();
        assertThat(new MiniBatchSampler(10, 11, 1).isFullBatch()).isTrue();
        assertThat(new MiniBatchSampler(10, 9, 1).isFullBatch()).isFalse();
    }

    @Test
    void constructor_withNegativeSizes_fails() {
        assertThatThrownBy(() -> new MiniBatchSampler(10, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new MiniBatchSampler(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rows: 0 (expected: > 0)");
    }
}
