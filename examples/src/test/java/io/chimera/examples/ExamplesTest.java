package io.chimera.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Each example end to end on a bundled dataset with two workers, from a copy of its {@code chimera_workers/};
 * the thresholds sit below what the runs reach (in the comments), so a broken fit, a broken aggregation or
 * wrong data layout fails them.
 */
class ExamplesTest {

    /** A copy of the example's project folder, so the run writes nothing into the repository. */
    static Path copy(String example, Path dir) {
        try (Stream<Path> files = Files.list(Path.of(example, "chimera_workers"))) {
            final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, workers.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Test
    void baggingClassification_breastCancer(@TempDir Path dir) throws Exception {
        final ObjectNode s = BaggingClassification.run(copy("bagging-classification", dir), "breast-cancer", 2);
        // Reached: accuracy .930, ROC AUC .940.
        assertThat(s.get("holdout_rows").asInt()).isEqualTo(114);
        assertThat(s.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(s.get("roc_auc").asDouble()).isGreaterThanOrEqualTo(0.92);
    }

    @Test
    void baggingRegression_wineLike(@TempDir Path dir) throws Exception {
        final ObjectNode s = BaggingRegression.run(copy("bagging-regression", dir), "wine-like", 2);
        // Reached: R² .292, MSE .521 (predicting the mean: R² 0, MSE .79).
        assertThat(s.get("holdout_rows").asInt()).isEqualTo(1299);
        assertThat(s.get("r2").asDouble()).isGreaterThanOrEqualTo(0.25);
        assertThat(s.get("mse").asDouble()).isLessThan(0.56);
    }

    @Test
    void sgdClassification_breastCancer(@TempDir Path dir) throws Exception {
        final ObjectNode s = SgdClassification.run(copy("sgd-classification", dir), "breast-cancer", 2);
        // Reached: accuracy .956, ROC AUC .989, training loss .046.
        assertThat(s.get("iterations").asInt()).isEqualTo(200);
        assertThat(s.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.94);
        assertThat(s.get("roc_auc").asDouble()).isGreaterThanOrEqualTo(0.98);
        assertThat(s.get("final_training_loss").asDouble()).isLessThan(0.1);
    }

    @Test
    void sgdRegression_wineLike(@TempDir Path dir) throws Exception {
        final ObjectNode s = SgdRegression.run(copy("sgd-regression", dir), "wine-like", 2);
        // Reached: R² .279, as scikit-learn's LinearRegression on this split.
        assertThat(s.get("iterations").asInt()).isEqualTo(200);
        assertThat(s.get("r2").asDouble()).isGreaterThanOrEqualTo(0.26);
    }

    @Test
    void exportAndServe_iris_samePredictionsWithoutWorkers(@TempDir Path dir) throws Exception {
        final Path file = dir.resolve("model.json");
        final ObjectNode s = ExportAndServe.run(copy("bagging-classification", dir), "iris", 2, file);
        // Reached: accuracy .90 (27 of 30 rows).
        assertThat(s.get("same_predictions").asBoolean()).isTrue();
        assertThat(s.get("workers_serving").asInt()).isZero();
        assertThat(s.get("members").asInt()).isEqualTo(2);
        assertThat(s.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.83);
        assertThat(Files.readString(file)).contains("\"format_version\": 1", "\"kind\": \"aggregation\"");
    }

    @Test
    void workers_outsideOneToFour_isAClearError() {
        try {
            for (String bad : new String[] { "0", "5", "two" }) {
                System.setProperty(ExampleSettings.WORKERS, bad);
                assertThatThrownBy(() -> ExampleSettings.workers(4)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("example.workers: " + bad + " (expected: 1..4)");
            }
            System.setProperty(ExampleSettings.WORKERS, " 2 ");
            assertThat(ExampleSettings.workers(4)).isEqualTo(2);
            System.setProperty(ExampleSettings.WORKERS, "");
            assertThat(ExampleSettings.workers(4)).isEqualTo(4);
        } finally {
            System.clearProperty(ExampleSettings.WORKERS);
        }
    }

    @Test
    void dataset_notFound_fallsBackToTheBundledOne_butAnExplicitChoiceMustExist() {
        assertThat(ExampleSettings.dataset("no-such-dataset", "wine-like")).isEqualTo("wine-like");
        assertThat(ExampleSettings.dataset("iris", "wine-like")).isEqualTo("iris");
        try {
            System.setProperty(ExampleSettings.DATASET, "no-such-dataset");
            assertThatThrownBy(() -> ExampleSettings.dataset("iris", "wine-like"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("dataset no-such-dataset not found in [")
                    .hasMessageEndingWith("; set CHIMERA_DATASETS (or -Dchimera.datasets) to the folder that holds it");
        } finally {
            System.clearProperty(ExampleSettings.DATASET);
        }
    }
}
