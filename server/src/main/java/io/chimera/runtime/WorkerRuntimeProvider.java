package io.chimera.runtime;

import java.nio.file.Path;
import java.util.List;

import io.chimera.server.config.ChimeraConfig;

/**
 * A kind of worker runtime, found through {@link java.util.ServiceLoader}: {@code CHIMERA_RUNTIME} names it. chimera
 * registers {@code process}, {@code docker} and {@code swarm} in {@code META-INF/services}; a new runtime (say,
 * Kubernetes) is one more provider on the classpath, with no change to chimera.
 */
public interface WorkerRuntimeProvider {

    /** The name {@code CHIMERA_RUNTIME} selects it by, in lower case: {@code process}, {@code docker}, … */
    String name();

    /**
     * A new, unstarted runtime for the project in {@code projectDirectory} (worker entries and data folders are
     * relative to it, logs go to {@code .chimera/logs} in it), giving worker JVMs {@code jvmOptions}.
     */
    WorkerRuntime create(ChimeraConfig config, Path projectDirectory, List<String> jvmOptions);

    /**
     * Whether {@code CHIMERA_RUNTIME=auto} should choose this runtime here, now; a provider that says no logs why
     * at INFO, on {@code chimera_status}. No by default: {@code auto} falls back to {@code process}.
     */
    default boolean chosenByAuto(ChimeraConfig config) {
        return false;
    }
}
