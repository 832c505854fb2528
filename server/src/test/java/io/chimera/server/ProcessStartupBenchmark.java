package io.chimera.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chimera.common.ChimeraPaths;
import io.chimera.runtime.WorkerClasspath;
import io.chimera.runtime.WorkerLaunch;
import io.chimera.runtime.WorkerRuntimes;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.internal.FileTrees;
import io.chimera.runtime.process.ProcessWorkerRuntime;

/**
 * How long 4 process-runtime workers take from {@code ProcessWorkerRuntime.start()} until all answer their
 * health route, against a bare JVM that starts an empty Armeria server ({@link BareArmeriaStart}) and answers
 * one health call, measured in the same run so that the ratio holds when the machine's load moves the
 * absolute times (issue 14: ratio ≤ 1.5, and ≤ 2.0 s).
 * <ul>
 *   <li><b>bare</b>: {@code java <worker JVM options> -cp <classpath> BareArmeriaStart}, from process start to
 *       the first 200 of its health route;</li>
 *   <li><b>cold</b>: 4 decision-tree workers, each its own {@code chimera_workers/treeN.java} on breast-cancer,
 *       with {@code .chimera/} removed: every source compiled, the class-data archives written at exit;</li>
 *   <li><b>warm</b>: the same again: no compiler, the archives mapped;</li>
 *   <li><b>warm, no CDS</b>: the same with class-data sharing off, to show what the archive gives.</li>
 * </ul>
 * Every JVM gets {@link WorkerRuntimes#DEFAULT_WORKER_JVM_OPTIONS} and the jars of chimera's classpath
 * ({@link WorkerClasspath}), as a distribution's {@code lib/} would give them: the JVM archives classes from
 * jars only.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests -pl examples -am -Pbenchmarks verify -Dbenchmarks.only=startup
 * }</pre>
 */
public final class ProcessStartupBenchmark {

    private static final int WORKERS = 4;
    private static final String DATASET = "breast-cancer";
    private static final String TREE_WORKER =
            "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();";
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(1)).build();

    /** A run's figures in seconds: each list holds one figure per repeat. */
    public record Result(double[] bare, double cold, double[] warm, double[] warmNoCds, String loadBefore,
                         String loadAfter) {
        /** The median of {@code values}. */
        public static double median(double[] values) {
            final double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                                          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }

        /** The median warm start of 4 workers over the median bare start. */
        public double warmRatio() {
            return median(warm) / median(bare);
        }
    }

    public static void main(String[] args) throws Exception {
        final int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final Result r = measure(repeats);
        System.out.printf(Locale.ROOT, "load before %s, after %s%n", r.loadBefore(), r.loadAfter());
        System.out.printf(Locale.ROOT, "bare Armeria JVM: %.2f s %s%n", Result.median(r.bare()),
                          Arrays.toString(r.bare()));
        System.out.printf(Locale.ROOT, "4 workers, cold: %.2f s (%.2fx bare)%n", r.cold(),
                          r.cold() / Result.median(r.bare()));
        System.out.printf(Locale.ROOT, "4 workers, warm: %.2f s (%.2fx bare) %s%n", Result.median(r.warm()),
                          r.warmRatio(), Arrays.toString(r.warm()));
        System.out.printf(Locale.ROOT, "4 workers, warm, no CDS: %.2f s (%.2fx bare) %s%n",
                          Result.median(r.warmNoCds()), Result.median(r.warmNoCds()) / Result.median(r.bare()),
                          Arrays.toString(r.warmNoCds()));
    }

    /** Measures each figure {@code repeats} times (the cold start once), bare and warm runs interleaved. */
    public static Result measure(int repeats) throws IOException, InterruptedException {
        final String loadBefore = loadAverage();
        final String classpath = jars(WorkerClasspath.resolve());
        final Path dir = Files.createTempDirectory("chimera-startup-");
        final TestProject project = new TestProject(dir).sameData("tree", WORKERS, TREE_WORKER,
                                                                  DATASET);
        final List<WorkerSpec> specs = specs(project);
        try {
            // One untimed bare start, so that the page cache holds the jars for every timed run alike.
            bare(classpath);
            final double cold = start(dir, specs, classpath, true);
            final double[] bare = new double[repeats];
            final double[] warm = new double[repeats];
            final double[] warmNoCds = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                bare[i] = bare(classpath);
                warm[i] = start(dir, specs, classpath, true);
                warmNoCds[i] = start(dir, specs, classpath, false);
            }
            return new Result(bare, cold, warm, warmNoCds, loadBefore, loadAverage());
        } finally {
            FileTrees.delete(dir);
        }
    }

    /** Seconds from {@code start()} to every worker healthy; the runtime is closed after, writing archives. */
    private static double start(Path dir, List<WorkerSpec> specs, String classpath, boolean cds) {
        try (ProcessWorkerRuntime runtime = ProcessWorkerRuntime.builder().workingDirectory(dir)
                                                                .classpath(classpath)
                                                                .jvmOptions(WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS)
                                                                .classDataSharing(cds)
                                                                .stopOnJvmExit(true).build()) {
            final long start = System.nanoTime();
            runtime.start(specs);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Seconds from starting {@link BareArmeriaStart} to the first 200 of its health route. */
    private static double bare(String classpath) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WorkerRuntimes.DEFAULT_WORKER_JVM_OPTIONS);
        command.add("-cp");
        command.add(classpath + File.pathSeparator + codeSource(BareArmeriaStart.class));
        command.add(BareArmeriaStart.class.getName());
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                           StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("port ")) {
                // Armeria's own start-up lines.
            }
            if (line == null) {
                throw new IllegalStateException("the bare Armeria JVM exited with code " + process.waitFor());
            }
            final URI health = URI.create("http://127.0.0.1:" + line.substring(5).trim() + ChimeraPaths.HEALTH);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(health).build(), BodyHandlers.discarding())
                            .statusCode() == 200) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                } catch (IOException e) {
                    // Not serving yet.
                }
                Thread.sleep(5);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static List<WorkerSpec> specs(TestProject project) {
        final List<Integer> ports = TestProject.freePorts(WORKERS);
        final List<WorkerSpec> specs = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            final String name = project.names().get(i);
            specs.add(WorkerSpec.builder().name(name).index(i).mappedPort(ports.get(i))
                                .launch(WorkerLaunch.discover(project.dir().resolve(WorkerRuntimes.WORKERS_FOLDER),
                                                              name))
                                .dataDirectory(Path.of(WorkerRuntimes.TRAIN_DATA_FOLDER, name))
                                .build());
        }
        return specs;
    }

    /** The jars of {@code classpath}, the shape of a distribution's {@code lib/}. */
    static String jars(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> e.endsWith(".jar"))
                     .filter(e -> Files.isRegularFile(Path.of(e))).collect(Collectors.joining(File.pathSeparator));
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code /proc/loadavg}'s three averages, or {@code n/a}. */
    static String loadAverage() {
        try {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ' ' + parts[1] + ' ' + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private ProcessStartupBenchmark() {}
}
