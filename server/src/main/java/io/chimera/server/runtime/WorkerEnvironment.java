package io.chimera.server.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables a runtime gives every worker; the worker reads them to know who it is, where
 * to listen and where its data is.
 */
public final class WorkerEnvironment {

    /** The worker's name. */
    public static final String WORKER_NAME = "CHIMERA_WORKER_NAME";
    /** The worker's 0-based index in {@code CHIMERA_WORKERS_NODES_NAMES}. */
    public static final String WORKER_INDEX = "CHIMERA_WORKER_INDEX";
    /** The address the worker listens on. */
    public static final String WORKERS_HOST = "CHIMERA_WORKERS_HOST";
    /** The port the worker listens on. */
    public static final String WORKERS_PORT = "CHIMERA_WORKERS_PORT";
    /** The absolute folder of the worker's {@code X_train.csv} and {@code y_train.csv}. */
    public static final String TRAIN_DATA_DIR = "CHIMERA_TRAIN_DATA_DIR";

    /**
     * Returns the environment of a worker: the spec's extra variables, then the runtime's, which win.
     *
     * @param host the address the worker listens on
     * @param port the port the worker listens on (the mapped port for processes, the container port for containers)
     * @param dataDirectory the worker's data folder as the worker sees it
     */
    public static Map<String, String> of(WorkerSpec spec, String host, int port, Path dataDirectory) {
        final Map<String, String> environment = new LinkedHashMap<>(spec.environment());
        environment.put(WORKER_NAME, spec.name());
        environment.put(WORKER_INDEX, Integer.toString(spec.index()));
        environment.put(WORKERS_HOST, host);
        environment.put(WORKERS_PORT, Integer.toString(port));
        environment.put(TRAIN_DATA_DIR, dataDirectory.toString());
        return environment;
    }

    private WorkerEnvironment() {}
}
