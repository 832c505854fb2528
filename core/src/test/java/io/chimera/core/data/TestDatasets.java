package io.chimera.core.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds chimera's example datasets for tests: the small ones bundled in the repository's {@code data/}
 * first, then {@code $CHIMERA_DATASETS}, then {@code shared/datasets} beside the repository. A test that needs a
 * dataset found nowhere is skipped, saying where it looked.
 */
public final class TestDatasets {

    /** Returns the folder of dataset {@code name} (holding {@code X_test.csv}), or skips the test. */
    public static Path require(String name) {
        final List<Path> candidates = candidates(name);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("X_test.csv"))) {
                return candidate;
            }
        }
        assumeTrue(false, "dataset '" + name + "' not found in " + candidates +
                          "; set CHIMERA_DATASETS to the folder holding it");
        throw new AssertionError("unreachable");
    }

    /** Loads the training split of dataset {@code name}, or skips the test. */
    public static Dataset train(String name) {
        return CsvDatasetLoader.load(require(name).resolve("chimera_train_data").resolve("w1"));
    }

    /** Loads the test split of dataset {@code name}, or skips the test. */
    public static Dataset test(String name) {
        final Path dir = require(name);
        return CsvDatasetLoader.load(dir.resolve("X_test.csv"), dir.resolve("y_test.csv"));
    }

    private static List<Path> candidates(String name) {
        final List<Path> candidates = new ArrayList<>();
        final Path moduleDir = Paths.get("").toAbsolutePath();
        candidates.add(moduleDir.resolve("../data").resolve(name).normalize());
        final String env = System.getenv("CHIMERA_DATASETS");
        if (env != null && !env.isBlank()) {
            candidates.add(Paths.get(env).resolve(name));
        }
        candidates.add(moduleDir.resolve("../../shared/datasets").resolve(name).normalize());
        candidates.add(moduleDir.resolve("../shared/datasets").resolve(name).normalize());
        return candidates;
    }

    private TestDatasets() {}
}
