package io.chimera.server;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import io.chimera.runtime.WorkerRuntimes;
import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.server.config.ChimeraConfig;

/**
 * A master JVM for the test of a master killed with -9 on Docker: starts the workers of the project in the
 * current directory in containers (arguments: network name, network prefix, base image, image repository,
 * then one mapped port per worker, the workers named in {@code CHIMERA_WORKERS_NODES_NAMES}), prints
 * {@code ready}, then waits to be killed. Its containers and network stay: nothing removes them.
 */
public final class CrashedDockerMaster {

    public static void main(String[] args) throws InterruptedException {
        final Path project = Path.of("").toAbsolutePath();
        final ChimeraConfig config = ChimeraConfig.builder().environment(System.getenv())
                                                  .systemProperties(new Properties())
                                                  .networkName(args[0]).networkPrefix(args[1])
                                                  .dockerBaseImage(args[2])
                                                  .mappedPorts(Arrays.stream(args, 4, args.length)
                                                                     .mapToInt(Integer::parseInt).toArray())
                                                  .runtime("docker").build();
        DockerWorkerRuntime.builder(config).projectDirectory(project).imageRepository(args[3])
                           .stopOnJvmExit(false).build()
                           .start(WorkerRuntimes.specs(config, project.resolve("chimera_workers"),
                                                       project.resolve("chimera_train_data")));
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private CrashedDockerMaster() {}
}
