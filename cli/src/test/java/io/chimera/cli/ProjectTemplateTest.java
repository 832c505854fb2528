package io.chimera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProjectTemplateTest {

    @ParameterizedTest
    @EnumSource(Example.class)
    void new_writesAProjectInChimerasLayout(Example example, @TempDir Path dir) throws Exception {
        final Path project = dir.resolve("My Project");
        final ChimeraCommandTest.Result result = ChimeraCommandTest.run("new", project.toString(), "--example",
                                                                        example.id);
        assertThat(result.code).isZero();
        assertThat(result.out).contains(example.title, "chimera run", "chimera fit", "chimera predict --csv X_test.csv");

        final String master = Files.readString(project.resolve("Master.java"));
        assertThat(master).contains("public class Master", example.masterClass, "Chimera.run(")
                          .contains(".workerNames(\"" + example.workerPrefix + "1\", \"" + example.workerPrefix
                                    + "2\", \"" + example.workerPrefix + "3\")")
                          .doesNotContain("{{");
        final String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>my-project</artifactId>", "<artifactId>chimera-bom</artifactId>",
                                 "<chimera.version>" + ChimeraVersion.version() + "</chimera.version>",
                                 "<mainClass>io.chimera.cli.ChimeraCommand</mainClass>")
                       .doesNotContain("{{");
        assertThat(Files.readString(project.resolve("README.md"))).contains("chimera run", "mvn exec:java")
                                                                  .doesNotContain("{{");

        final List<String> features = Files.readAllLines(project.resolve("X_test.csv"));
        assertThat(Files.readAllLines(project.resolve("y_test.csv"))).hasSize(features.size());
        int trainRows = 0;
        for (String worker : example.workerNames()) {
            final String source = Files.readString(project.resolve("chimera_workers").resolve(worker + ".java"));
            assertThat(source).contains("public class " + worker + " ", ".serve()").doesNotContain("{{");
            final Path data = project.resolve("chimera_train_data").resolve(worker);
            final List<String> x = Files.readAllLines(data.resolve("X_train.csv"));
            final List<String> y = Files.readAllLines(data.resolve("y_train.csv"));
            assertThat(x).hasSameSizeAs(y);
            assertThat(x.get(0)).isEqualTo(features.get(0));
            trainRows += x.size() - 1;
        }
        final int bundledRows = bundledTrainRows(example);
        assertThat(trainRows).isEqualTo(example.partition ? bundledRows : bundledRows * Example.WORKERS);
    }

    @Test
    void hybrid_givesEachWorkerDifferentRows(@TempDir Path dir) throws Exception {
        new ProjectTemplate(Example.HYBRID).write(dir.resolve("p"));
        final Path data = dir.resolve("p").resolve("chimera_train_data");
        final List<String> tree1 = Files.readAllLines(data.resolve("tree1").resolve("X_train.csv"));
        final List<String> tree2 = Files.readAllLines(data.resolve("tree2").resolve("X_train.csv"));
        assertThat(tree1.subList(1, tree1.size())).doesNotContainAnyElementsOf(tree2.subList(1, tree2.size()));
    }

    @Test
    void artifactId_isAValidMavenId() {
        assertThat(ProjectTemplate.artifactId(Path.of("/tmp/My Project!"))).isEqualTo("my-project");
        assertThat(ProjectTemplate.artifactId(Path.of("/tmp/__"))).isEqualTo("chimera-project");
    }

    private static int bundledTrainRows(Example example) throws Exception {
        try (var in = ProjectTemplate.class.getResourceAsStream(
                "data/" + example.dataset + "/chimera_train_data/w1/y_train.csv")) {
            return (int) new String(in.readAllBytes()).lines().count() - 1;
        }
    }
}
