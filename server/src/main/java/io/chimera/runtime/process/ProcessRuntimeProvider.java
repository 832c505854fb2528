package io.chimera.runtime.process;

import java.nio.file.Path;
import java.util.List;

import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerRuntimeProvider;
import io.chimera.server.config.ChimeraConfig;

/** {@code CHIMERA_RUNTIME=process}: each worker a child JVM on a loopback port; {@code auto}'s fallback. */
public final class ProcessRuntimeProvider implements WorkerRuntimeProvider {

    @Override
    public String name() {
        return "process";
    }

    @Override
    public WorkerRuntime create(ChimeraConfig config, Path projectDirectory, List<String> jvmOptions) {
        return ProcessWorkerRuntime.builder()
                                   .startupTimeout(config.startupTimeout())
                                   .workingDirectory(projectDirectory)
                                   .logDirectory(projectDirectory.resolve(".chimera").resolve("logs"))
                                   .jvmOptions(jvmOptions)
                                   .build();
    }
}
