package io.chimera.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chimera.core.linear.Loss;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.strategy.sgd.LinearModel;

class ModelStoreTest {

    private static ModelArtifact model(double bias) {
        return Artifacts.linear(new LinearModel(List.of("a", "b"), new double[] {0, 0}, new double[] {1, 1},
                                                Loss.parse("squared_error"), new double[0],
                                                new double[] {1, 2}, new double[] {bias}));
    }

    @Test
    void save_thenLoad_givesTheSameArtifact(@TempDir Path dir) throws IOException {
        final ModelStore store = new ModelStore(dir.resolve("models"));
        store.save(model(0.5));
        assertThat(store.load("parameter-server")).hasValue(model(0.5).toBuilder()
                .setCreatedTime(store.load("parameter-server").get().getCreatedTime()).build());
        assertThat(store.load("aggregation")).isEmpty();
    }

    @Test
    void aCrashInTheMiddleOfASave_leavesTheOldModel(@TempDir Path dir) throws IOException {
        final ModelStore store = new ModelStore(dir);
        store.save(model(0.5));
        // What a save killed after writing half of its temporary file leaves behind.
        final byte[] next = model(9).toByteArray();
        Files.write(dir.resolve("parameter-server.123.tmp"), Arrays.copyOf(next, next.length / 2));

        assertThat(store.load("parameter-server")).hasValueSatisfying(
                a -> assertThat(a.getLinear().getBias(0)).isEqualTo(0.5));
    }

    @Test
    void aFileThatCannotBeReadBack_isIgnoredNotServed(@TempDir Path dir) throws IOException {
        final ModelStore store = new ModelStore(dir);
        final byte[] bytes = model(0.5).toByteArray();
        Files.write(store.file("parameter-server"), Arrays.copyOf(bytes, bytes.length - 7));
        assertThat(store.load("parameter-server")).isEmpty();

        Files.writeString(store.file("parameter-server"), "{\"format_version\": 99}");
        assertThat(store.load("parameter-server")).isEmpty();
    }

    @Test
    void aSaveThatCannotRename_throwsAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        final ModelStore store = new ModelStore(dir);
        // A non-empty folder where the file should go: the rename over it fails.
        Files.createDirectories(store.file("parameter-server").resolve("in-the-way"));
        assertThatThrownBy(() -> store.save(model(9))).isInstanceOf(IOException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("parameter-server.pb");
        }
        assertThat(store.load("parameter-server")).isEmpty();
    }
}
