package io.chimera.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDatasetLoaderTest {

    @TempDir
    Path dir;

    @Test
    void load_iris_readsRowsColumnsAndLowerCasedNames() {
        final Dataset data = TestDatasets.train("iris");

        assertThat(data.rows()).isEqualTo(120);
        assertThat(data.cols()).isEqualTo(4);
        assertThat(data.featureNames()).containsExactly("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
                                                        "petal_width_cm");
        assertThat(data.labelName()).isEqualTo("target");
        assertThat(data.features()).startsWith(7.2, 3.0, 5.8, 1.6, 6.4);
        assertThat(data.distinctLabels()).containsExactly(0, 1, 2);
    }

    @Test
    void load_breastCancerTestSplit_readsAllRows() {
        final Dataset train = TestDatasets.train("breast-cancer");
        final Dataset test = TestDatasets.test("breast-cancer");

        assertThat(train.rows()).isEqualTo(455);
        assertThat(train.cols()).isEqualTo(30);
        assertThat(test.rows()).isEqualTo(114);
        assertThat(test.featureNames()).isEqualTo(train.featureNames());
    }

    @Test
    void load_diabetesLike_readsAllRows() {
        final Dataset data = TestDatasets.train("diabetes-like");

        assertThat(data.rows()).isEqualTo(202_944);
        assertThat(data.cols()).isEqualTo(21);
        assertThat(data.featureNames()).startsWith("highbp", "highchol", "cholcheck", "bmi");
        assertThat(data.labelName()).isEqualTo("diabetes_binary");
    }

    @Test
    void load_numberForms_areParsed() throws IOException {
        final Dataset data = load("A , B,c\n1,1.0,-2.5e-3\n  3 ,+4,.5\n", "Y\n0\n1\n");

        assertThat(data.featureNames()).containsExactly("a", "b", "c");
        assertThat(data.labelName()).isEqualTo("y");
        assertThat(data.features()).containsExactly(new double[] { 1, 1, -0.0025, 3, 4, 0.5 }, within(0.0));
        assertThat(data.labels()).containsExactly(0, 1);
    }

    @Test
    void load_quotedCellsAndBlankLines_areAccepted() throws IOException {
        final Dataset data = load("\uFEFF\"a\",b\r\n\"1\",2\r\n\r\n3,4\r\n", "y\n5\n6\n");

        assertThat(data.featureNames()).containsExactly("a", "b");
        assertThat(data.features()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void load_folder_readsTrainFiles() throws IOException {
        write("X_train.csv", "a\n1\n");
        write("y_train.csv", "y\n0\n");

        assertThat(CsvDatasetLoader.load(dir).rows()).isEqualTo(1);
    }

    /**
     * Bad training data, one case a row: the X_train.csv and y_train.csv contents ({@code <none>} for a missing
     * file, {@code <folder>} for a folder of that name; {@code \n} for a line break), the file the message must
     * name, and the rest of the message.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "missing X file|<none>|y\\n1|X_train.csv|file not found",
            "missing y file|a\\n1|<none>|y_train.csv|file not found",
            "a folder for X file|<folder>|y\\n1|X_train.csv|not a regular file",
            "empty X file|``|y\\n1|X_train.csv|empty file (expected a header row)",
            "empty y file|a\\n1|``|y_train.csv|empty file (expected a header row)",
            "blank lines only|\\n\\n|y\\n1|X_train.csv|empty file (expected a header row)",
            "X header only|a,b\\n|y\\n1|X_train.csv|header only, no data rows",
            "y header only|a\\n1|y\\n|y_train.csv|header only, no data rows",
            "ragged X row, short|a,b,c\\n1,2,3\\n4,5|y\\n1\\n2|X_train.csv|data row 2: expected 3 cells, found 2",
            "ragged X row, long|a,b\\n1,2,3|y\\n1|X_train.csv|data row 1: expected 2 cells, found 3",
            "ragged y row|a\\n1\\n2|y\\n1\\n2,3|y_train.csv|data row 2: expected 1 cell, found 2",
            "non-numeric X cell|a,Bmi\\n1,2\\n3,n/a|y\\n1\\n2|X_train.csv|data row 2: 'n/a' in column 'bmi' is not a number",
            "non-numeric label|a\\n1\\n2|y\\n0\\nyes|y_train.csv|data row 2: 'yes' in column 'y' is not a number",
            "Java number suffix|a\\n1d|y\\n1|X_train.csv|data row 1: '1d' in column 'a' is not a number",
            "empty cell|a,b\\n1, |y\\n1|X_train.csv|data row 1: empty cell in column 'b'",
            "NaN cell|a,b\\n1,NaN|y\\n1|X_train.csv|data row 1: 'NaN' in column 'b' is not finite (NaN and Infinity are rejected)",
            "infinite cell|a\\n-Infinity|y\\n1|X_train.csv|data row 1: '-Infinity' in column 'a' is not finite",
            "inf cell|a\\ninf|y\\n1|X_train.csv|data row 1: 'inf' in column 'a' is not finite",
            "huge number 1e400|a\\n1e400|y\\n1|X_train.csv|data row 1: '1e400' in column 'a' is not finite",
            "NaN label|a\\n1\\n2|y\\n1\\nnan|y_train.csv|data row 2: 'nan' in column 'y' is not finite",
            "more X rows than y rows|a\\n1\\n2\\n3|y\\n1\\n2|X_train.csv|has 3 data rows but ",
            "more y rows than X rows|a\\n1|y\\n1\\n2|X_train.csv|has 1 data rows but ",
            "two label columns|a\\n1|y,z\\n1,2|y_train.csv|header: expected exactly one label column, found 2 [y, z]",
            "duplicate column names|a,b, A\\n1,2,3|y\\n1|X_train.csv|header: duplicate column name 'a' (columns 1 and 3)",
            "empty column name|,a\\n0,1|y\\n1|X_train.csv|header: column 1 has an empty name",
            "unclosed quote|a\\n1\\n\"2|y\\n1\\n2|X_train.csv|data row 2: cannot read: (startline 3) EOF reached before encapsulated token finished",
            "unclosed quote in the header|\"a\\n1|y\\n1|X_train.csv|header: cannot read:",
    })
    void load_badData_failsWithOneLineNamingFileRowAndProblem(String name, String x, String y, String file,
                                                             String message) throws IOException {
        if ("<folder>".equals(x)) {
            Files.createDirectory(dir.resolve("X_train.csv"));
        } else if (!"<none>".equals(x)) {
            write("X_train.csv", x.replace("\\n", "\n"));
        }
        if (!"<none>".equals(y)) {
            write("y_train.csv", y.replace("\\n", "\n"));
        }
        assertThatThrownBy(() -> CsvDatasetLoader.load(dir))
                .isInstanceOf(DataLoadException.class)
                .hasMessageStartingWith(dir.resolve(file) + (message.startsWith("has ") ? " " : ": ") + message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Dataset load(String x, String y) throws IOException {
        return CsvDatasetLoader.load(write("X.csv", x), write("y.csv", y));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
