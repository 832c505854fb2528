package io.chimera.runtime.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chimera.runtime.WorkerSpec;
import io.chimera.workers.WorkerEnvironment;

/**
 * The environment a runtime gives every worker it launches; the worker reads it back with
 * {@link WorkerEnvironment} to know who it is, where to listen and where its data is.
 */
public final class LaunchEnvironment {

    /**
     * Returns the environment of a worker: the spec's extra variables, then the runtime's, which win.
     *
     * @param host the address the worker listens on
     * @param port the port the worker listens on (the mapped port for processes, the container port for containers)
     * @param dataDirectory the worker's data folder as the worker sees it
     */
    public static Map<String, String> of(WorkerSpec spec, String host, int port, Path dataDirectory) {
        final Map<String, String> environment = new LinkedHashMap<>(spec.environment());
        environment.put(WorkerEnvironment.NAME, spec.name());
        environment.put(WorkerEnvironment.INDEX, Integer.toString(spec.index()));
        environment.put(WorkerEnvironment.HOST, host);
        environment.put(WorkerEnvironment.PORT, Integer.toString(port));
        environment.put(WorkerEnvironment.TRAIN_DATA_DIR, dataDirectory.toString());
        return environment;
    }

    /**
     * The value of {@code CHIMERA_WORKERS_PEERS} for a run of {@code specs}: each worker's name and where the others
     * reach it, {@code address(spec)} being {@code host:port}.
     */
    public static String peers(java.util.List<WorkerSpec> specs, java.util.function.Function<WorkerSpec, String> address) {
        final Map<String, String> peers = new LinkedHashMap<>();
        for (WorkerSpec s : specs) {
            peers.put(s.name(), address.apply(s));
        }
        return WorkerEnvironment.peersVariable(peers);
    }

    private LaunchEnvironment() {}
}
