package io.chimera.runtime.swarm;

import io.chimera.runtime.docker.ContainerRuntimeBuilder;
import io.chimera.server.config.ChimeraConfig;

/** Builds a {@link SwarmWorkerRuntime}. */
public final class SwarmWorkerRuntimeBuilder extends ContainerRuntimeBuilder<SwarmWorkerRuntimeBuilder> {

    SwarmWorkerRuntimeBuilder(ChimeraConfig config) {
        super(config);
    }

    /** Returns a new runtime, connected to the daemon lazily on {@link SwarmWorkerRuntime#start(java.util.List)}. */
    public SwarmWorkerRuntime build() {
        return new SwarmWorkerRuntime(this);
    }
}
