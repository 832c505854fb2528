package io.chimera.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.chimera.common.Table;

/** Finds the example datasets and lays them out as chimera projects. */
final class ExampleData {

    /** The system property naming the folder that holds the large datasets, as {@code CHIMERA_DATASETS} does. */
    static final String DATASETS_PROPERTY = "chimera.datasets";

    /**
     * The folder of a dataset: {@code -Dchimera.datasets=<folder>/<name>}, {@code $CHIMERA_DATASETS/<name>},
     * {@code shared/datasets/<name>} beside the repository, else the bundled {@code data/<name>}.
     *
     * @throws IllegalStateException naming every place it looked
     */
    static Path dataset(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(
                "dataset " + name + " not found in " + candidates(name) + "; set CHIMERA_DATASETS (or -D"
                + DATASETS_PROPERTY + ") to the folder that holds it"));
    }

    /** The folder of a dataset, if any of the places {@link #dataset} looks in holds it. */
    static Optional<Path> find(String name) {
        for (Path p : candidates(name)) {
            if (Files.isRegularFile(p.resolve("X_test.csv"))) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    static List<Path> candidates(String name) {
        final List<Path> candidates = new ArrayList<>();
        for (String root : new String[] { System.getProperty(DATASETS_PROPERTY), System.getenv("CHIMERA_DATASETS") }) {
            if (root != null && !root.isBlank()) {
                candidates.add(Path.of(root, name));
            }
        }
        candidates.add(Path.of("../../shared/datasets", name));
        candidates.add(Path.of("../shared/datasets", name));
        candidates.add(Path.of("../data", name));
        candidates.add(Path.of("data", name));
        return candidates;
    }

    /**
     * Writes a project with {@code workers} workers running {@code statement}, each holding a contiguous
     * part of the training rows ({@code partition}) or all of them.
     */
    static List<String> project(Path dir, String dataset, String prefix, int workers, String statement,
                                boolean partition) throws IOException {
        final List<String> names = workers(dir, prefix, workers, statement);
        trainData(dir, dataset, names, partition);
        return names;
    }

    /**
     * Writes {@code chimera_workers/<prefix>1.java} to {@code <prefix><workers>.java}, each a main running
     * {@code statement}; returns their names.
     */
    static List<String> workers(Path dir, String prefix, int workers, String statement) throws IOException {
        final List<String> names = new ArrayList<>();
        Files.createDirectories(dir.resolve("chimera_workers"));
        for (int i = 1; i <= workers; i++) {
            final String name = prefix + i;
            names.add(name);
            Files.writeString(dir.resolve("chimera_workers").resolve(name + ".java"),
                              "import io.chimera.workers.*;\nimport io.chimera.strategy.aggregation.*;\nimport io.chimera.strategy.parameterserver.*;\nimport io.chimera.core.learn.*;\n\n"
                              + "public class " + name + " {\n    public static void main(String[] args) {\n        "
                              + statement + "\n    }\n}\n");
        }
        return names;
    }

    /**
     * Writes {@code chimera_train_data/<worker>/X_train.csv} and {@code y_train.csv} in {@code dir} for each
     * worker: a contiguous part of the dataset's training rows ({@code partition}: data parallelism, or hybrid
     * parallelism for bagging) or all of them (model parallelism).
     */
    static void trainData(Path dir, String dataset, List<String> workers, boolean partition) throws IOException {
        final Path train = dataset(dataset).resolve("chimera_train_data").resolve("w1");
        final List<String> x = Files.readAllLines(train.resolve("X_train.csv"));
        final List<String> y = Files.readAllLines(train.resolve("y_train.csv"));
        final int rows = x.size() - 1;
        final int n = workers.size();
        for (int i = 0; i < n; i++) {
            final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(workers.get(i)));
            final int from = partition ? 1 + i * rows / n : 1;
            final int to = partition ? 1 + (i + 1) * rows / n : rows + 1;
            write(data.resolve("X_train.csv"), x.get(0), x.subList(from, to));
            write(data.resolve("y_train.csv"), y.get(0), y.subList(from, to));
        }
    }

    /** The holdout features of a dataset, {@code X_test.csv}. */
    static Table holdoutFeatures(String dataset) {
        return Table.readCsv(dataset(dataset).resolve("X_test.csv"));
    }

    /** The holdout labels of a dataset, {@code y_test.csv}. */
    static double[] holdoutLabels(String dataset) {
        return Table.readCsv(dataset(dataset).resolve("y_test.csv")).values();
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

    private ExampleData() {}
}
