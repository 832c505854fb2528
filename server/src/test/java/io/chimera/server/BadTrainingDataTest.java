package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.chimera.runtime.WorkerStartException;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * Bad training data, end to end: the worker process refuses to start with one line naming the file, the row
 * and the problem, and the master's start reports that line ({@link WorkerStartException}), as
 * {@link Chimera#run} prints it. The loader's and the worker's own tests cover every case; these check the
 * line gets through.
 */
class BadTrainingDataTest {

    static final String CLASSIFIER = BaggingScenariosTest.CLASSIFIER;
    static final String REGRESSOR = BaggingScenariosTest.REGRESSOR;
    static final String SGD = SgdScenariosTest.SGD_WORKER;

    @TempDir
    Path dir;

    /**
     * One bad worker per row: its kind, X_train.csv and y_train.csv ({@code \n} for a line break,
     * {@code <none>} for a missing file), the file the line names and the rest of the line.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "non-numeric cell|classifier|a,b\\n1,2\\n3,n/a|y\\n0\\n1|X_train.csv|: data row 2: 'n/a' in column 'b' is not a number",
            "one class for a classifier|classifier|a\\n1\\n2|Target\\n1\\n1|y_train.csv|: label column 'target' has a single class (1.0)",
            "X and y row counts differ|sgd|a\\n1\\n2\\n3|y\\n0\\n1|X_train.csv|has 3 data rows but ",
            "missing y file|regressor|a\\n1|<none>|y_train.csv|: file not found",
            "two label columns|classifier|a\\n1\\n2|y,z\\n0,1\\n1,0|y_train.csv|: header: expected exactly one label column, found 2",
    })
    void badData_workerRefusesToStart_andTheMastersStartSaysWhy(String name, String kind, String x, String y,
                                                               String file, String problem) throws IOException {
        final Path src = Files.createDirectories(dir.resolve("src"));
        final Path xCsv = Files.writeString(src.resolve("X.csv"), x.replace("\\n", "\n"));
        final Path yCsv = Files.writeString(src.resolve("y.csv"), y.replace("\\n", "\n"));
        final String statement = "sgd".equals(kind) ? SGD : "regressor".equals(kind) ? REGRESSOR : CLASSIFIER;
        final TestProject project = new TestProject(dir).worker("bad", statement, xCsv, yCsv);
        if ("<none>".equals(y)) {
            Files.delete(dir.resolve("chimera_train_data/bad/y_train.csv"));
        }
        final Master master = "sgd".equals(kind) ? ParameterServerMaster.builder().build() : new AggregationMaster();
        final Path data = dir.toAbsolutePath().resolve("chimera_train_data").resolve("bad");

        assertThatThrownBy(() -> Chimera.builder(master).port(0).config(project.config()).projectDirectory(dir)
                                        .start())
                .isInstanceOf(WorkerStartException.class)
                .hasMessageStartingWith("worker bad exited with code 1 before answering GET ")
                .hasMessageContaining("| chimera worker bad cannot start: " + data.resolve(file)
                                      + (problem.startsWith("has") ? " " : "") + problem);
    }
}
