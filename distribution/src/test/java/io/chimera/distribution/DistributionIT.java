package io.chimera.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses the laid-out distribution ({@code target/chimera}) as a user would, from a temporary folder outside the
 * repository: the lines of README.md's "Your own project" section as written, then SIGTERM; and the same project
 * run with {@code mvn exec:java} against the chimera artifacts in the local Maven repository.
 */
class DistributionIT {

    private static final Path DISTRIBUTION = Path.of(System.getProperty("chimera.distribution"));
    private static final Path REPOSITORY = Path.of(System.getProperty("chimera.repository")).toAbsolutePath()
                                               .normalize();
    private static final String MASTER = "http://127.0.0.1:8080";
    private static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void readmeYourOwnProject_runsAsWritten_andSigtermLeavesNoProcess(@TempDir Path home) throws Exception {
        assertOutsideRepository(home);
        assertPortsFree();
        final List<List<String>> shells = readmeSection("Your own project");
        final List<String> lines = shells.stream().flatMap(List::stream).collect(Collectors.toList());
        assertThat(lines).as("README's \"Your own project\" lines")
                         .anyMatch(l -> l.startsWith("chimera new ")).contains("chimera run", "chimera fit")
                         .anyMatch(l -> l.startsWith("chimera predict --csv "));
        Path cwd = home;
        Process master = null;
        long newStarted = 0;
        try {
            for (List<String> shell : shells) {
                cwd = home; // each block is a shell of its own, opened in the same folder
                for (String line : shell) {
                    final List<String> words = List.of(line.split("\\s+"));
                    if (words.get(0).equals("cd")) {
                        cwd = cwd.resolve(words.get(1)).normalize();
                        assertThat(cwd).isDirectory();
                    } else if (line.equals("chimera run")) {
                        master = start(cwd, cwd.resolve("run.out"), chimera("run"));
                        awaitServing(master, cwd.resolve("run.out"));
                        System.out.printf("chimera new + chimera run until the master serves: %.2f s%n",
                                          (System.nanoTime() - newStarted) / 1e9);
                    } else if (words.get(0).equals("chimera")) {
                        if (words.get(1).equals("new")) {
                            newStarted = System.nanoTime();
                        }
                        final String out = runToEnd(cwd, chimera(words.subList(1, words.size())));
                        if (words.get(1).equals("fit")) {
                            assertThat(out).startsWith("fit: ok");
                        }
                        if (words.get(1).equals("predict")) {
                            assertPredictionPerRow(cwd, words);
                        }
                    } else {
                        throw new AssertionError("README line this test does not know how to run: " + line);
                    }
                }
            }
            assertThat(master).as("a `chimera run` line").isNotNull();
            final Path project = cwd;
            assertThat(Files.readString(project.resolve("chimera_status.log")))
                    .contains("AggregationMaster");
            terminateAndAssertNothingLeft(master);
            master = null;
        } finally {
            if (master != null) {
                master.destroyForcibly();
            }
        }
    }

    @Test
    void scaffoldedProject_runsWithMvnExecJava(@TempDir Path home) throws Exception {
        assertOutsideRepository(home);
        assertPortsFree();
        assertInstalledInLocalRepository();
        runToEnd(home, chimera(List.of("new", "sgd-project", "--example", "sgd")));
        final Path project = home.resolve("sgd-project");
        final List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "exec:java"));
        final String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null && !localRepository.isEmpty()) {
            mvn.add("-Dmaven.repo.local=" + localRepository);
        }
        Process master = start(project, project.resolve("mvn.out"), mvn);
        try {
            awaitServing(master, project.resolve("mvn.out"));
            assertThat(runToEnd(project, chimera(List.of("fit")))).startsWith("fit: ok");
            runToEnd(project, chimera(List.of("predict", "--csv", "X_test.csv", "--out", "predictions.csv")));
            assertPredictionPerRow(project, List.of("chimera", "predict", "--csv", "X_test.csv", "--out",
                                                    "predictions.csv"));
            terminateAndAssertNothingLeft(master);
            master = null;
        } finally {
            if (master != null) {
                master.destroyForcibly();
            }
        }
    }

    /**
     * The two strategies written with the strategy API, as a user reaches them: {@code chimera new --example fedavg}
     * (then {@code allreduce}), {@code chimera run}, then fit, status, predict and export with the command.
     */
    @Test
    void strategyApiExamples_runFitStatusPredictAndExport(@TempDir Path home) throws Exception {
        assertOutsideRepository(home);
        for (String[] example : new String[][] { {"fedavg", "federated-averaging"}, {"allreduce", "all-reduce"} }) {
            assertPortsFree();
            runToEnd(home, chimera(List.of("new", example[0] + "-project", "--example", example[0])));
            final Path project = home.resolve(example[0] + "-project");
            Process master = start(project, project.resolve("run.out"), chimera("run"));
            try {
                awaitServing(master, project.resolve("run.out"));
                assertThat(runToEnd(project, chimera(List.of("fit")))).startsWith("fit: ok");
                assertThat(runToEnd(project, chimera(List.of("status"))))
                        .contains("model    fitted (" + example[1] + ")").contains("dashboard ");
                runToEnd(project, chimera(List.of("predict", "--csv", "X_test.csv", "--out", "predictions.csv")));
                assertPredictionPerRow(project, List.of("chimera", "predict", "--csv", "X_test.csv", "--out",
                                                        "predictions.csv"));
                assertThat(runToEnd(project, chimera(List.of("export", "model.json"))))
                        .contains("the " + example[1] + " model written to model.json");
                terminateAndAssertNothingLeft(master);
                master = null;
            } finally {
                if (master != null) {
                    master.destroyForcibly();
                }
            }
        }
    }

    /**
     * The bash blocks of README.md's section {@code title}, each a shell of its own, as lists of their lines with
     * comments and blank lines left out.
     */
    static List<List<String>> readmeSection(String title) throws IOException {
        final String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        final int start = readme.indexOf("\n## " + title + "\n");
        assertThat(start).as("README.md has a section \"## " + title + "\"").isNotNegative();
        final int end = readme.indexOf("\n## ", start + 1);
        final String section = readme.substring(start, end < 0 ? readme.length() : end);
        final List<List<String>> shells = new ArrayList<>();
        final Matcher blocks = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (blocks.find()) {
            final List<String> lines = new ArrayList<>();
            for (String line : blocks.group(1).split("\n")) {
                final String command = line.replaceAll("\\s+#.*$", "").trim();
                if (!command.isEmpty() && !command.startsWith("#")) {
                    lines.add(command);
                }
            }
            if (!lines.isEmpty()) {
                shells.add(lines);
            }
        }
        return shells;
    }

    private static List<String> chimera(String... args) {
        return chimera(List.of(args));
    }

    private static List<String> chimera(List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(DISTRIBUTION.resolve("bin").resolve("chimera").toString());
        command.addAll(args);
        return command;
    }

    private static Process start(Path cwd, Path output, List<String> command) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                                                                 .redirectErrorStream(true)
                                                                 .redirectOutput(output.toFile())
                                                                 .redirectInput(ProcessBuilder.Redirect.PIPE);
        environment(builder.environment());
        return builder.start();
    }

    /** A user's shell: the distribution's bin/ on the PATH, and none of this build's chimera settings. */
    private static void environment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("CHIMERA_"));
        env.put("PATH", DISTRIBUTION.resolve("bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
    }

    private static String runToEnd(Path cwd, List<String> command) throws Exception {
        final Path output = Files.createTempFile("chimera-command", ".out");
        try {
            final Process process = start(cwd, output, command);
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within " + COMMAND_TIMEOUT);
            }
            final String out = Files.readString(output);
            assertThat(process.exitValue()).as(command + " exit code; it printed:\n" + out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void awaitServing(Process master, Path output) throws Exception {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new AssertionError("the master exited with " + master.exitValue() + "; it printed:\n"
                                         + Files.readString(output));
            }
            try {
                final HttpResponse<String> res = http.send(
                        HttpRequest.newBuilder(URI.create(MASTER + "/v1/chimera/health"))
                                   .timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not serving yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the master did not serve within " + COMMAND_TIMEOUT + "; it printed:\n"
                                 + Files.readString(output));
    }

    private static void assertPredictionPerRow(Path cwd, List<String> words) throws IOException {
        final Path csv = cwd.resolve(words.get(words.indexOf("--csv") + 1));
        final Path out = cwd.resolve(words.get(words.indexOf("--out") + 1));
        final List<String> rows = Files.readAllLines(csv);
        final List<String> predictions = Files.readAllLines(out);
        assertThat(predictions.get(0)).startsWith("y_pred");
        assertThat(predictions).hasSize(rows.size()); // a header each, then one line per row
        for (String p : predictions.subList(1, predictions.size())) {
            assertThat(Double.parseDouble(p.split(",")[0])).isBetween(0.0, 1.0);
        }
    }

    /** SIGTERM to the master; within 5 s of its exit no process it started is alive and its ports are free. */
    private static void terminateAndAssertNothingLeft(Process master) throws Exception {
        final List<ProcessHandle> started = master.toHandle().descendants().collect(Collectors.toList());
        assertThat(started).as("worker processes of the master").isNotEmpty();
        master.destroy(); // SIGTERM
        assertThat(master.waitFor(60, TimeUnit.SECONDS)).as("the master ends after SIGTERM").isTrue();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(started.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                          .collect(Collectors.toList())).as("processes left 5 s after the master ended").isEmpty();
        assertPortsFree();
    }

    private static void assertPortsFree() {
        final Map<Integer, String> taken = new HashMap<>();
        for (int port : PORTS) {
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                taken.put(port, e.getMessage());
            }
        }
        assertThat(taken).as("ports the scaffolded project uses (master 8080, workers 8081-8083)").isEmpty();
    }

    private static void assertOutsideRepository(Path dir) {
        assertThat(dir.toAbsolutePath().normalize().startsWith(REPOSITORY)).as(dir + " outside " + REPOSITORY)
                                                                         .isFalse();
    }

    /** `mvn exec:java` resolves chimera from the local repository: it must hold this build, not an older one. */
    private static void assertInstalledInLocalRepository() throws IOException {
        final String version = System.getProperty("chimera.version");
        final String localRepository = System.getProperty("maven.repo.local");
        final Path repository = localRepository == null || localRepository.isEmpty()
                                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                                : Path.of(localRepository);
        final Path installed = repository.resolve(Path.of("io", "chimera", "chimera-cli", version,
                                                          "chimera-cli-" + version + ".jar"));
        final Path built = REPOSITORY.resolve(Path.of("cli", "target", "chimera-cli-" + version + ".jar"));
        assertThat(installed).as("chimera-cli in the local Maven repository: run the tests with `mvn install` "
                                 + "(README's command (b)), which installs each module before this test")
                             .exists();
        assertThat(Files.getLastModifiedTime(installed).toMillis())
                .as("the installed chimera-cli is this build's: run the tests with `mvn install`")
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(built).toMillis() - 1000);
    }
}
