package io.chimera.runtime.docker;

import io.chimera.server.config.ChimeraConfig;

/** Builds a {@link DockerWorkerRuntime}. */
public final class DockerWorkerRuntimeBuilder extends ContainerRuntimeBuilder<DockerWorkerRuntimeBuilder> {

    private boolean stopOnJvmExit = true;

    DockerWorkerRuntimeBuilder(ChimeraConfig config) {
        super(config);
    }

    /** Sets whether the containers are removed when the JVM exits normally or on SIGTERM. Default {@code true}. */
    public DockerWorkerRuntimeBuilder stopOnJvmExit(boolean stopOnJvmExit) {
        this.stopOnJvmExit = stopOnJvmExit;
        return this;
    }

    /** Returns a new runtime, connected to the daemon lazily on {@link DockerWorkerRuntime#start(java.util.List)}. */
    public DockerWorkerRuntime build() {
        return new DockerWorkerRuntime(this, stopOnJvmExit);
    }
}
