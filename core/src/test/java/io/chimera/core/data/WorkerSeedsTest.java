package io.chimera.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WorkerSeedsTest {

    private static final long PINNED_EMPTY = 5197578548964807871L;
    private static final long PINNED_WORKER_1 = 2807182356404397122L;

    @Test
    void forWorker_sameInputs_sameSeed() {
        assertThat(WorkerSeeds.forWorker(42, "worker-1")).isEqualTo(WorkerSeeds.forWorker(42, "worker-1"));
    }

    @Test
    void forWorker_isPinned_soEveryJvmAgrees() {
        // Pinned values: a change here changes every bagging run's samples.
        assertThat(WorkerSeeds.forWorker(0, "")).isEqualTo(PINNED_EMPTY);
        assertThat(WorkerSeeds.forWorker(42, "worker-1")).isEqualTo(PINNED_WORKER_1);
    }

    @Test
    void forWorker_differentNames_differentSeeds() {
        final Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seeds.add(WorkerSeeds.forWorker(42, "worker-" + i));
        }
        assertThat(seeds).hasSize(1000);
    }

    @Test
    void forWorker_differentBaseSeeds_differentSeeds() {
        assertThat(WorkerSeeds.forWorker(1, "w1")).isNotEqualTo(WorkerSeeds.forWorker(2, "w1"));
    }

    @Test
    void forWorker_namesEqualUpToZeroPadding_differ() {
        assertThat(WorkerSeeds.forWorker(0, "a")).isNotEqualTo(WorkerSeeds.forWorker(0, "a\0"));
    }

    @Test
    void forWorker_namesWithSameStringHashCode_differ() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(WorkerSeeds.forWorker(0, "Aa")).isNotEqualTo(WorkerSeeds.forWorker(0, "BB"));
    }

    @Test
    void forWorker_nonAsciiName_usesUtf8Bytes() {
        assertThat(WorkerSeeds.forWorker(0, "wörker")).isNotEqualTo(WorkerSeeds.forWorker(0, "worker"));
    }
}
