package io.chimera.runtime.swarm;

import java.nio.file.Path;
import java.util.List;

import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerRuntimeProvider;
import io.chimera.server.config.ChimeraConfig;

/** {@code CHIMERA_RUNTIME=swarm}: one Docker Swarm service per worker. */
public final class SwarmRuntimeProvider implements WorkerRuntimeProvider {

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public WorkerRuntime create(ChimeraConfig config, Path projectDirectory, List<String> jvmOptions) {
        return SwarmWorkerRuntime.builder(config).projectDirectory(projectDirectory).jvmOptions(jvmOptions).build();
    }
}
