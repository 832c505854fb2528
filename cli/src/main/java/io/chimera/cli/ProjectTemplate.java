package io.chimera.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a new project for one {@link Example}: {@code Master.java}, {@code chimera_workers/<name>.java},
 * {@code chimera_train_data/<name>/X_train.csv} and {@code y_train.csv} from a bundled dataset (the same rows on
 * every worker, or one part each), the holdout {@code X_test.csv} and {@code y_test.csv}, a {@code pom.xml} that
 * depends on chimera through its BOM, a {@code README.md} and a {@code .gitignore}.
 */
final class ProjectTemplate {

    private static final String TEMPLATES = "templates/";
    private static final String DATA = "data/";

    private final Example example;

    ProjectTemplate(Example example) {
        this.example = example;
    }

    void write(Path directory) throws IOException {
        final List<String> names = example.workerNames();
        final Map<String, String> values = values(directory, names);
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("Master.java"), fill(template(example.masterTemplate), values));
        Files.writeString(directory.resolve("pom.xml"), fill(template("pom.xml"), values));
        Files.writeString(directory.resolve("README.md"), fill(template("README.md"), values));
        Files.writeString(directory.resolve(".gitignore"), ".chimera/\ntarget/\n*.log\npredictions.csv\n");
        final Path workers = Files.createDirectories(directory.resolve("chimera_workers"));
        for (String name : names) {
            final Map<String, String> worker = new LinkedHashMap<>(values);
            worker.put("name", name);
            Files.writeString(workers.resolve(name + ".java"), fill(template(example.workerTemplate), worker));
        }
        writeData(directory, names);
    }

    private Map<String, String> values(Path directory, List<String> names) {
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("title", example.title);
        values.put("description", example.description);
        values.put("masterClass", example.masterClass);
        values.put("count", Integer.toString(names.size()));
        values.put("names", String.join(", ", names));
        values.put("quotedNames", names.stream().map(n -> '"' + n + '"').collect(Collectors.joining(", ")));
        values.put("firstPort", Integer.toString(Example.FIRST_WORKER_PORT));
        values.put("ports", "ports " + Example.FIRST_WORKER_PORT + "-"
                            + (Example.FIRST_WORKER_PORT + names.size() - 1) + ", one per worker");
        values.put("split", example.partition ? "a different part of the rows on each"
                                              : "the same rows on each");
        values.put("artifactId", artifactId(directory));
        values.put("version", ChimeraVersion.version());
        return values;
    }

    /** A Maven artifactId from the folder's name: lower case, letters, digits and dashes. */
    static String artifactId(Path directory) {
        final Path name = directory.toAbsolutePath().normalize().getFileName();
        final String id = (name == null ? "" : name.toString()).toLowerCase(Locale.ROOT)
                                                               .replaceAll("[^a-z0-9.]+", "-")
                                                               .replaceAll("^-+|-+$", "");
        return id.isEmpty() ? "chimera-project" : id;
    }

    private void writeData(Path directory, List<String> names) throws IOException {
        final String base = DATA + example.dataset + '/';
        final List<String> features = lines(base + "chimera_train_data/w1/X_train.csv");
        final List<String> labels = lines(base + "chimera_train_data/w1/y_train.csv");
        for (int w = 0; w < names.size(); w++) {
            final Path data = Files.createDirectories(directory.resolve("chimera_train_data").resolve(names.get(w)));
            Files.write(data.resolve("X_train.csv"), CsvParts.part(features, w, names.size(), example.partition));
            Files.write(data.resolve("y_train.csv"), CsvParts.part(labels, w, names.size(), example.partition));
        }
        Files.write(directory.resolve("X_test.csv"), lines(base + "X_test.csv"));
        Files.write(directory.resolve("y_test.csv"), lines(base + "y_test.csv"));
    }

    private static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalStateException("a template placeholder was left unfilled: "
                                            + text.substring(text.indexOf("{{"), text.indexOf("{{") + 20));
        }
        return text;
    }

    private static String template(String name) {
        return new String(resource(TEMPLATES + name), StandardCharsets.UTF_8);
    }

    private static List<String> lines(String resource) {
        return new String(resource(resource), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ProjectTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the chimera-cli jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
