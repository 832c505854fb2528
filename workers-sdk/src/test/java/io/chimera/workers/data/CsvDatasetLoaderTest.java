package io.chimera.workers.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void load_missingFile_namesIt() throws IOException {
        final Path y = write("y.csv", "y\n1\n");

        assertThatThrownBy(() -> CsvDatasetLoader.load(dir.resolve("nope.csv"), y))
                .isInstanceOf(DataLoadException.class)
                .hasMessage(dir.resolve("nope.csv") + ": file not found");
    }

    @Test
    void load_emptyFile_rejected() {
        assertLoadError("", "y\n1\n").hasMessageEndingWith("X.csv: empty file (expected a header row)");
    }

    @Test
    void load_headerOnly_rejected() {
        assertLoadError("a,b\n", "y\n1\n").hasMessageEndingWith("X.csv: header only, no data rows");
    }

    @Test
    void load_raggedRow_namesRowAndCounts() {
        assertLoadError("a,b\n1,2\n3\n", "y\n1\n2\n")
                .hasMessageEndingWith("X.csv: data row 2: expected 2 cells, found 1");
    }

    @Test
    void load_trailingComma_isRagged() {
        assertLoadError("a,b\n1,2,\n", "y\n1\n")
                .hasMessageEndingWith("X.csv: data row 1: expected 2 cells, found 3");
    }

    @Test
    void load_nonNumericCell_quotesCellAndColumn() {
        assertLoadError("a,Bmi\n1,2\n3,abc\n", "y\n1\n2\n")
                .hasMessageEndingWith("X.csv: data row 2: 'abc' in column 'bmi' is not a number");
    }

    @Test
    void load_javaTypeSuffix_isNotANumber() {
        assertLoadError("a\n1d\n", "y\n1\n")
                .hasMessageEndingWith("X.csv: data row 1: '1d' in column 'a' is not a number");
    }

    @Test
    void load_emptyCell_namesColumn() {
        assertLoadError("a,b\n1, \n", "y\n1\n").hasMessageEndingWith("X.csv: data row 1: empty cell in column 'b'");
    }

    @Test
    void load_nanCell_rejected() {
        assertLoadError("a,b\n1,NaN\n", "y\n1\n")
                .hasMessageEndingWith("X.csv: data row 1: 'NaN' in column 'b' is not finite " +
                                      "(NaN and Infinity are rejected)");
    }

    @Test
    void load_infinityCells_rejected() {
        assertLoadError("a\n-Infinity\n", "y\n1\n").hasMessageContaining("'-Infinity' in column 'a' is not finite");
        assertLoadError("a\ninf\n", "y\n1\n").hasMessageContaining("'inf' in column 'a' is not finite");
        assertLoadError("a\n1e400\n", "y\n1\n").hasMessageContaining("'1e400' in column 'a' is not finite");
    }

    @Test
    void load_badLabel_namesLabelFile() {
        assertLoadError("a\n1\n2\n", "y\n1\nnan\n")
                .hasMessageEndingWith("y.csv: data row 2: 'nan' in column 'y' is not finite " +
                                      "(NaN and Infinity are rejected)");
    }

    @Test
    void load_rowCountsDiffer_namesBothFiles() {
        assertLoadError("a\n1\n2\n3\n", "y\n1\n2\n")
                .hasMessageEndingWith("X.csv has 3 data rows but " + dir.resolve("y.csv") + " has 2");
    }

    @Test
    void load_labelsWithTwoColumns_rejected() {
        assertLoadError("a\n1\n", "y,z\n1,2\n")
                .hasMessageEndingWith("y.csv: header: expected exactly one label column, found 2 [y, z]");
    }

    @Test
    void load_duplicateColumnNames_rejectedAfterNormalising() {
        assertLoadError("a,b, A\n1,2,3\n", "y\n1\n")
                .hasMessageEndingWith("X.csv: header: duplicate column name 'a' (columns 1 and 3)");
    }

    @Test
    void load_emptyColumnName_rejected() {
        assertLoadError(",a\n0,1\n", "y\n1\n").hasMessageEndingWith("X.csv: header: column 1 has an empty name");
    }

    @Test
    void load_unterminatedQuote_reportedAsDataLoadException() {
        assertLoadError("a\n\"1\n", "y\n1\n").hasMessageContaining("X.csv: cannot read:");
    }

    private Dataset load(String x, String y) throws IOException {
        return CsvDatasetLoader.load(write("X.csv", x), write("y.csv", y));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertLoadError(String x, String y) {
        return assertThatThrownBy(() -> load(x, y)).isInstanceOf(DataLoadException.class)
                                                    .hasMessageStartingWith(dir.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
