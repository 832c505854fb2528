package io.chimera.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the shared look-alike datasets and lays them out as chimera projects for benchmarks. */
final class BenchmarkData {

    /**
     * The folder of a dataset: {@code $CHIMERA_DATASETS/<name>}, else {@code shared/datasets/<name>} beside
     * the repository, else the bundled {@code data/<name>}.
     */
    static Path dataset(String name) {
        final List<Path> candidates = new ArrayList<>();
        final String env = System.getenv("CHIMERA_DATASETS");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env, name));
        }
        candidates.add(Path.of("../../shared/datasets", name));
        candidates.add(Path.of("../shared/datasets", name));
        candidates.add(Path.of("../data", name));
        candidates.add(Path.of("data", name));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("X_test.csv"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("dataset " + name + " not found in " + candidates
                                        + "; set CHIMERA_DATASETS to the folder that holds it");
    }

    /**
     * Writes a project with {@code workers} workers running {@code statement}, each holding a contiguous
     * part of the training rows ({@code partition}) or all of them.
     */
    static List<String> project(Path dir, String dataset, String prefix, int workers, String statement,
                                boolean partition) throws IOException {
        final Path train = dataset(dataset).resolve("chimera_train_data").resolve("w1");
        final List<String> x = Files.readAllLines(train.resolve("X_train.csv"));
        final List<String> y = Files.readAllLines(train.resolve("y_train.csv"));
        final int rows = x.size() - 1;
        final List<String> names = new ArrayList<>();
        Files.createDirectories(dir.resolve("chimera_workers"));
        for (int i = 0; i < workers; i++) {
            final String name = prefix + (i + 1);
            names.add(name);
            Files.writeString(dir.resolve("chimera_workers").resolve(name + ".java"),
                              "import io.chimera.workers.*;\nimport io.chimera.workers.learn.*;\n\n"
                              + "public class " + name + " {\n    public static void main(String[] args) {\n        "
                              + statement + "\n    }\n}\n");
            final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(name));
            final int from = partition ? 1 + i * rows / workers : 1;
            final int to = partition ? 1 + (i + 1) * rows / workers : rows + 1;
            write(data.resolve("X_train.csv"), x.get(0), x.subList(from, to));
            write(data.resolve("y_train.csv"), y.get(0), y.subList(from, to));
        }
        return names;
    }

    private static void write(Path file, String header, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write(header);
            w.newLine();
            for (String l : lines) {
                w.write(l);
                w.newLine();
            }
        }
    }

    private BenchmarkData() {}
}
