package io.chimera.runtime;

import java.util.List;

/**
 * Starts and stops chimera's worker nodes. Whatever runs a worker (a child JVM, a Docker container), the
 * master reaches it over REST on {@code 127.0.0.1:<mapped port>} once {@link #start(List)} returns.
 */
public interface WorkerRuntime extends AutoCloseable {

    /** Returns the name of this runtime, as in {@code CHIMERA_RUNTIME}: {@code process}, {@code docker}. */
    String name();

    /**
     * Starts every worker, then waits until each answers {@code GET http://127.0.0.1:<port>/v1/chimera/health}
     * with 200. If any worker cannot start, stops those of this call and throws.
     *
     * @return one endpoint per worker, in the order of {@code workers}
     * @throws WorkerStartException naming the worker, the reason and its last log lines
     */
    List<WorkerEndpoint> start(List<WorkerSpec> workers);

    /** Returns whether the worker named {@code workerName} was started by this runtime and still runs. */
    boolean isRunning(String workerName);

    /**
     * Stops the worker named {@code workerName}; does nothing if it is already stopped.
     *
     * @throws IllegalArgumentException if this runtime never started a worker of that name
     */
    void stop(String workerName);

    /**
     * Stops the worker named {@code workerName} if it runs, starts it again with the same spec and waits
     * until it is healthy.
     *
     * @throws IllegalArgumentException if this runtime never started a worker of that name
     * @throws WorkerStartException if it does not become healthy
     */
    void restart(String workerName);

    /** Stops every worker this runtime started. Idempotent; never throws. */
    @Override
    void close();
}
