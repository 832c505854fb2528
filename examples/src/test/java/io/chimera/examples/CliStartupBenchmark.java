package io.chimera.examples;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.chimera.cli.ChimeraCommand;
import io.chimera.runtime.WorkerClasspath;

/**
 * {@code chimera new} + {@code chimera run} until the master serves, the bagging example with 3 workers, as a user
 * of an installation sees it: an installation laid out like {@code install.sh}'s ({@code bin/chimera},
 * {@code bin/chimera-warm-up}, {@code lib/}, with its warm-up run done) in {@code examples/target}, then, in a
 * temporary folder, a new project each time (its sources compiled at its first run) and a second run of the same
 * project (nothing to compile).
 */
final class CliStartupBenchmark {

    private static final URI HEALTH = URI.create("http://127.0.0.1:8080/v1/chimera/health");

    /** Seconds for a new project's {@code new} + {@code run}, and for a second {@code run} of it. */
    record Result(double[] newProject, double[] sameProject, String loadBefore, String loadAfter) {}

    static Result measure(int repeats) throws Exception {
        final Path home = install(Path.of("target", "benchmark-chimera").toAbsolutePath());
        final String loadBefore = Machine.loadAverage();
        final double[] fresh = new double[repeats];
        final double[] again = new double[repeats];
        final Path dir = Files.createTempDirectory("chimera-cli-startup-");
        try {
            for (int i = 0; i < repeats; i++) {
                final Path project = dir.resolve("project" + i);
                final long start = System.nanoTime();
                run(dir, List.of(chimera(home), "new", project.getFileName().toString()));
                fresh[i] = untilServing(home, project, start);
                again[i] = untilServing(home, project, System.nanoTime());
            }
        } finally {
            deleteTree(dir);
        }
        return new Result(fresh, again, loadBefore, Machine.loadAverage());
    }

    /** Lays out bin/ and lib/ as the distribution does, and runs its warm-up once per layout. */
    private static Path install(Path home) throws Exception {
        final Path lib = Files.createDirectories(home.resolve("lib"));
        final Path bin = Files.createDirectories(home.resolve("bin"));
        final List<Path> jars = new ArrayList<>();
        for (String entry : WorkerClasspath.resolve().split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        jars.add(Path.of(ChimeraCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        boolean changed = false;
        for (Path jar : jars) {
            final Path target = lib.resolve(jar.getFileName());
            if (!Files.exists(target) || Files.size(target) != Files.size(jar)
                || Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                changed = true;
            }
        }
        final Path scripts = repository().resolve(Path.of("distribution", "src", "bin"));
        for (String script : List.of("chimera", "chimera-warm-up")) {
            Files.copy(scripts.resolve(script), bin.resolve(script), StandardCopyOption.REPLACE_EXISTING);
            bin.resolve(script).toFile().setExecutable(true);
        }
        if (changed || !Files.exists(lib.resolve("chimera-run.jsa"))) {
            System.out.println("chimera start-up: warming up the benchmark's installation " + home);
            run(home, List.of(bin.resolve("chimera-warm-up").toString()));
        }
        return home;
    }

    private static double untilServing(Path home, Path project, long start) throws Exception {
        final Process master = new ProcessBuilder(chimera(home), "run").directory(project.toFile())
                                                                      .redirectErrorStream(true)
                                                                      .redirectOutput(project.resolve("run.out")
                                                                                             .toFile())
                                                                      .start();
        try {
            final HttpClient http = HttpClient.newHttpClient();
            final long deadline = start + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                if (!master.isAlive()) {
                    throw new IllegalStateException("chimera run exited: " + Files.readString(project.resolve("run.out")));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(HEALTH).build(), BodyHandlers.discarding()).statusCode()
                        == 200) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                } catch (IOException e) {
                    // not serving yet
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("chimera run did not serve within 3 minutes");
        } finally {
            master.destroy(); // SIGTERM, as Ctrl-C
            if (!master.waitFor(90, TimeUnit.SECONDS)) {
                master.destroyForcibly().waitFor();
            }
        }
    }

    private static String chimera(Path home) {
        return home.resolve("bin").resolve("chimera").toString();
    }

    private static void run(Path dir, List<String> command) throws Exception {
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                                                           .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " failed");
        }
    }

    /** The repository's root: examples/ is where the benchmark runs. */
    private static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    private CliStartupBenchmark() {}
}
