package io.chimera.workers;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.DataLoadException;
import io.chimera.core.data.Dataset;
import io.chimera.node.NodeServer;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.internal.LogDefaults;
import io.chimera.workers.internal.MasterWatch;

/**
 * What every chimera worker does: read its environment, load its training data once at start-up (refusing
 * to start, with one clear line, when the data is bad), and serve its routes over REST and gRPC.
 */
public abstract class Worker {

    private static final Logger logger = LoggerFactory.getLogger("chimera_status");

    private Long explicitSeed;
    private WorkerEnvironment env;
    private Dataset data;
    private long seed;
    private NodeServer server;
    /** Whether this worker is its process (started by {@link #serve()}), so that an injected exit may end it. */
    private volatile boolean ownsProcess;
    private final AtomicInteger steps = new AtomicInteger();

    protected Worker() {}

    /**
     * Fixes this worker's seed instead of deriving it from the run's base seed and the worker's name.
     * Two workers given the same seed and data build the same model, as every worker does in chimera.
     */
    public Worker seed(long seed) {
        explicitSeed = seed;
        return this;
    }

    /**
     * Starts serving with the settings of the process environment (see {@link WorkerEnvironment}) and blocks
     * until the JVM is asked to stop. If the worker cannot start (bad data, bad settings, port taken) it
     * prints one line saying why and exits with status 1.
     */
    public final void serve() {
        LogDefaults.quietUnlessConfigured();
        final NodeServer running;
        String name = System.getenv().getOrDefault(WorkerEnvironment.NAME, WorkerEnvironment.DEFAULT_NAME);
        try {
            final WorkerEnvironment environment = WorkerEnvironment.fromSystem();
            name = environment.name();
            ownsProcess = true;
            running = start(environment);
            MasterWatch.start(System.getenv(), name, System.in);
        } catch (DataLoadException | IllegalArgumentException e) {
            System.err.println("chimera worker " + name + " cannot start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("chimera worker " + name + " cannot start: " + e);
            System.exit(1);
            return;
        }
        running.closeOnJvmExit(Duration.ofSeconds(5));
        running.whenClosed().join();
    }

    /**
     * Loads the data and starts serving with the given settings; returns the running server. For tests and
     * for embedding a worker in another program.
     *
     * @throws DataLoadException when the training data is missing or malformed
     * @throws IllegalArgumentException when the data does not suit this worker (one class for a classifier)
     */
    public final NodeServer start(WorkerEnvironment environment) {
        env = requireNonNull(environment, "environment");
        final Dataset loaded = CsvDatasetLoader.load(env.dataDir());
        checkData(loaded);
        data = loaded;
        seed = explicitSeed != null ? explicitSeed : derivedSeed(env);
        final NodeServerBuilder builder = NodeServer.builder().name("worker " + env.name())
                                                    .host(env.host()).port(env.port());
        addServices(builder);
        // Health and metrics (counters and latencies, no data) stay open: a scraper cannot know a run's secret.
        env.secret().ifPresent(secret -> builder.requireToken(
                secret, Set.of(ChimeraPaths.METRICS),
                "worker " + env.name() + " takes calls from its master only (the run's secret)"));
        server = builder.build().start();
        if (env.injection().any()) {
            logger.info("{}: injected on purpose: {}", env.name(), env.injection());
        }
        logger.info("{} {} serving on {}:{} with {} rows x {} features from {}", getClass().getSimpleName(),
                    env.name(), env.host(), server.port(), data.rows(), data.cols(), env.dataDir());
        return server;
    }

    /** Refuses data this kind of worker cannot learn from. */
    protected abstract void checkData(Dataset data);

    /** Adds this worker's gRPC services. */
    protected abstract void addServices(NodeServerBuilder builder);

    /** The seed used when none was fixed. */
    protected abstract long derivedSeed(WorkerEnvironment env);

    /** The worker's name. */
    protected final String name() {
        return env.name();
    }

    /** The settings the worker was started with. */
    protected final WorkerEnvironment environment() {
        return env;
    }

    /** The file the labels were loaded from, for messages about them. */
    protected final Path labelsFile() {
        return env.dataDir().resolve(CsvDatasetLoader.Y_TRAIN_FILE);
    }

    /** The training data, loaded at start. */
    protected final Dataset data() {
        return data;
    }

    /** This worker's seed. */
    protected final long seed() {
        return seed;
    }

    /**
     * Whether conditions were injected into this worker on purpose ({@link WorkerEnvironment#INJECT_STEP_DELAY_MS}
     * and the others): a worker that serves its calls on the event loop moves them off it then, as they sleep.
     */
    protected final boolean injected() {
        return env.injection().any();
    }

    /**
     * Call at the start of each training step: applies what was injected. At the step named by
     * {@link WorkerEnvironment#INJECT_EXIT_AT_STEP} the worker exits (its process, with status 137, as if it had
     * been killed; a worker embedded with {@link #start} stops serving 0.2 s later instead) and the step fails;
     * otherwise it waits {@link WorkerEnvironment#INJECT_STEP_DELAY_MS}, which the step counts as compute.
     */
    protected final void beforeStep() {
        final int exitAt = env.injection().exitAtStep();
        if (exitAt > 0 && steps.incrementAndGet() == exitAt) {
            System.err.println("chimera worker " + env.name() + " exits at step " + exitAt
                               + " (CHIMERA_INJECT_EXIT_AT_STEP)");
            logger.warn("{} exits at step {}, as injected", env.name(), exitAt);
            if (ownsProcess) {
                Runtime.getRuntime().halt(137);
            }
            // Embedded: stop serving once this step's error has gone out (stopping at once would answer it with
            // the server's own shutting-down error instead).
            final NodeServer s = server;
            CompletableFuture.runAsync(s::close, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
            throw ChimeraException.workersUnavailable("worker " + env.name() + " exits at step " + exitAt
                                                      + " (injected)");
        }
        pause(env.injection().stepDelayMillis());
    }

    /** Call before each answer: waits {@link WorkerEnvironment#INJECT_LATENCY_MS}, as a slow link would. */
    protected final void beforeAnswer() {
        pause(env.injection().latencyMillis());
    }

    private static void pause(int millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChimeraException.internal("the call was interrupted while it waited (an injected delay)");
        }
    }
}
