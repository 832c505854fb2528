package io.chimera.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.github.dockerjava.api.DockerClient;

import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.docker.internal.DockerClients;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * How long the docker runtime takes from {@code Chimera.builder(...).start()} to every worker healthy, for 1,
 * 2 and 4 workers, with a cold image cache (the worker images removed first: the shared image and each
 * worker's are built) and a warm one (nothing to build: containers only). Decision-tree workers, each on
 * all of breast-cancer's training rows, as {@link ProcessStartupBenchmark}'s workers, so that the two runtimes'
 * figures and the bare JVM's compare (diabetes-like's 12 MB per worker measured its CSV parsing: 4 warm
 * workers 11.9 s against 3.3 s for 1).
 *
 * <pre>{@code
 * mvn -B -q -DskipTests -pl server -am -Pbenchmark-docker verify
 * }</pre>
 * Needs a Docker daemon and the base image {@code CHIMERA_DOCKER_BASE_IMAGE} (default {@code chimera/jre:17},
 * built by {@code docker/build-base-image.sh}). Removes its containers, network and images at the end.
 */
public final class DockerStartupBenchmark {

    private static final String REPOSITORY = "chimera-bench";
    private static final String WORKER_JSON =
            "{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", " +
            "\"params\": {\"max_depth\": 5}, \"bootstrap\": true}";

    /** One worker count's start-up: with a cold image cache, then each warm run, in seconds. */
    public record Result(int workers, double cold, double[] warm) {
        /** The median of the warm runs. */
        public double warmMedian() {
            final double[] sorted = warm.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    public static void main(String[] args) throws IOException {
        final String why = unavailable();
        if (why != null) {
            System.err.println(why);
            System.exit(1);
        }
        final int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "docker runtime start-up, base image %s, %s, %d cores", baseImage(),
                                dataset(), Runtime.getRuntime().availableProcessors()));
        table.add("workers | cold cache (s) | warm cache, median of " + warmRuns + " (s) | warm runs (s)");
        for (Result r : measure(warmRuns)) {
            final List<String> runs = new ArrayList<>();
            for (double w : r.warm()) {
                runs.add(String.format(Locale.ROOT, "%.2f", w));
            }
            table.add(String.format(Locale.ROOT, "%7d | %14.2f | %26.2f | %s", r.workers(), r.cold(),
                                    r.warmMedian(), String.join(", ", runs)));
        }
        // Printed at the end, so that no log line of a run lands inside the table.
        table.forEach(System.out::println);
    }

    /** Why the benchmark cannot run here (no daemon, no base image), or null when it can. */
    public static String unavailable() {
        if (!DockerClients.answers()) {
            return "no Docker daemon answers at " + DockerClients.host();
        }
        if (!DockerClients.hasImage(baseImage())) {
            return "the base image " + baseImage() + " is not in the local image cache (docker/build-base-image.sh "
                   + "builds it)";
        }
        return null;
    }

    /** {@code CHIMERA_DOCKER_BASE_IMAGE}, else the offline image {@code chimera/jre:17}. */
    public static String baseImage() {
        return System.getenv().getOrDefault("CHIMERA_DOCKER_BASE_IMAGE", "chimera/jre:17");
    }

    /** The dataset every worker loads all of: breast-cancer, as the process runtime's start-up benchmark. */
    public static String dataset() {
        return "breast-cancer";
    }

    /**
     * Starts 1, 2 and 4 workers once with a cold image cache and {@code warmRuns} times with a warm one; removes
     * the images it built at the end.
     */
    public static List<Result> measure(int warmRuns) throws IOException {
        final List<Result> results = new ArrayList<>();
        try {
            for (int n : new int[] {1, 2, 4}) {
                final Path dir = Files.createTempDirectory("chimera-bench-");
                final TestProject project = new TestProject(dir);
                for (int i = 1; i <= n; i++) {
                    project.declarative("bench" + i, WORKER_JSON, dataset());
                }
                final ChimeraConfig config = ChimeraConfig.builder().environment(Map.of())
                                                          .systemProperties(new Properties())
                                                          .workerNames(project.names())
                                                          .networkName("chimera-bench").networkPrefix("10.214.1")
                                                          .runtime("docker").dockerBaseImage(baseImage()).build();
                removeImages();
                final double cold = timeStart(project, config);
                final double[] warm = new double[warmRuns];
                for (int r = 0; r < warmRuns; r++) {
                    warm[r] = timeStart(project, config);
                }
                results.add(new Result(n, cold, warm));
            }
        } finally {
            removeImages();
        }
        return results;
    }

    /** Removes the benchmark's worker images. */
    private static void removeImages() {
        try (DockerClient docker = DockerClients.create()) {
            DockerImages.remove(docker, REPOSITORY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds from start() to every worker healthy (start() returns then); the run is closed after. */
    private static double timeStart(TestProject project, ChimeraConfig config) {
        final long start = System.nanoTime();
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(config)
                                     .projectDirectory(project.dir())
                                     .runtime(DockerWorkerRuntime.builder(config).projectDirectory(project.dir())
                                                                 .imageRepository(REPOSITORY).build())
                                     .start()) {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private DockerStartupBenchmark() {}
}
