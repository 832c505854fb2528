package io.chimera.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.chimera.server.config.ChimeraConfig;

/**
 * The settings every example reads from system properties (the {@code -P example} Maven profile passes them
 * on): {@code -Dexample.workers=N} and {@code -Dexample.dataset=<name>}; an empty value keeps the example's
 * default.
 */
final class ExampleSettings {

    static final String WORKERS = "example.workers";
    static final String DATASET = "example.dataset";
    static final int MAX_WORKERS = 4;

    /**
     * The number of workers, 1 to {@value #MAX_WORKERS} (each example declares that many in its
     * {@code chimera_workers/}).
     *
     * @throws IllegalArgumentException when the property is not such a number
     */
    static int workers(int defaultCount) {
        final String value = System.getProperty(WORKERS, "").trim();
        if (value.isEmpty()) {
            return defaultCount;
        }
        try {
            final int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_WORKERS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new IllegalArgumentException(WORKERS + ": " + value + " (expected: 1.." + MAX_WORKERS + ')');
    }

    /**
     * The dataset: the property's when given (it must exist), else {@code preferred} when found, else
     * {@code fallback} (bundled), saying why.
     */
    static String dataset(String preferred, String fallback) {
        final String chosen = System.getProperty(DATASET, "").trim();
        if (!chosen.isEmpty()) {
            ExampleData.dataset(chosen);
            return chosen;
        }
        final Optional<Path> found = ExampleData.find(preferred);
        if (found.isPresent()) {
            return preferred;
        }
        System.out.println("note: dataset " + preferred + " not found in " + ExampleData.candidates(preferred)
                           + "; set CHIMERA_DATASETS (or -D" + ExampleData.DATASETS_PROPERTY
                           + ") to the folder that holds it. Using the bundled " + fallback + " instead.");
        return fallback;
    }

    /** The configuration of a run of {@code workers} on the process runtime, on ports free a moment ago. */
    static ChimeraConfig processRuntime(List<String> workers) throws IOException {
        return ChimeraConfig.builder().workerNames(workers).mappedPorts(Demo.freePorts(workers.size()))
                            .runtime("process").build();
    }

    /** The names {@code <prefix>1} to {@code <prefix>n}, as in the example's {@code chimera_workers/}. */
    static List<String> workerNames(String prefix, int n) {
        final List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private ExampleSettings() {}
}
