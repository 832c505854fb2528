package io.chimera.runtime.docker;

import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerRuntimeProvider;
import io.chimera.runtime.docker.internal.DockerClients;
import io.chimera.server.config.ChimeraConfig;

/**
 * {@code CHIMERA_RUNTIME=docker}: one container per worker on the project's network; {@code auto}'s choice when a
 * daemon answers and has the base image.
 */
public final class DockerRuntimeProvider implements WorkerRuntimeProvider {

    private static final Logger logger = ChimeraLogs.status();

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public WorkerRuntime create(ChimeraConfig config, Path projectDirectory, List<String> jvmOptions) {
        return DockerWorkerRuntime.builder(config)
                                  .projectDirectory(projectDirectory)
                                  .jvmOptions(jvmOptions)
                                  .build();
    }

    @Override
    public boolean chosenByAuto(ChimeraConfig config) {
        if (!DockerClients.answers()) {
            logger.info("CHIMERA_RUNTIME=auto: no Docker daemon answers at {}, so workers run as local " +
                        "processes", DockerClients.host());
            return false;
        }
        if (!DockerClients.hasImage(config.dockerBaseImage())) {
            logger.info("CHIMERA_RUNTIME=auto: Docker answers but the base image {} ({}) is not here, " +
                        "so workers run as local processes; set CHIMERA_RUNTIME=docker to pull it",
                        config.dockerBaseImage(), ChimeraConfig.DOCKER_BASE_IMAGE);
            return false;
        }
        logger.info("CHIMERA_RUNTIME=auto: Docker answers at {} and has {}, so workers run in containers",
                    DockerClients.host(), config.dockerBaseImage());
        return true;
    }
}
