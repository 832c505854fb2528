package io.chimera.runtime.docker;

import java.io.IOException;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;

import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.docker.internal.FollowedWorker;
import io.chimera.runtime.docker.internal.LogLines;
import io.chimera.runtime.internal.WorkerOutput;

/**
 * One worker as a Docker container: follows its output into a {@link WorkerOutput} and tells whether it
 * still runs. Only ever touches the container it was given.
 */
final class ContainerWorker extends FollowedWorker {

    private final String containerId;
    private final String ip;

    protected ContainerWorker(DockerClient docker, WorkerSpec spec, String containerId, String ip, WorkerOutput output) {
        super(docker, spec, output);
        this.containerId = containerId;
        this.ip = ip;
    }

    protected String containerId() {
        return containerId;
    }

    protected String ip() {
        return ip;
    }

    /**
     * Starts the container and follows its output from now on: to the log file (overwritten, or appended to
     * when {@code append}), the status log and the tail.
     */
    protected synchronized void start(boolean append) throws IOException {
        output.open(append);
        docker.startContainerCmd(containerId).exec();
        final long since = System.currentTimeMillis() / 1000 - 1;
        follow(docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                          .withSince((int) since)
                          .exec(new LogLines(output)));
    }

    @Override
    public WorkerEndpoint endpoint() {
        return WorkerEndpoint.ofContainer(spec.name(), spec.mappedPort(), containerId);
    }

    /** Returns whether the container runs. */
    @Override
    public boolean isRunning() {
        try {
            final InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec()
                                                                        .getState();
            return Boolean.TRUE.equals(state.getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public Optional<String> ended() {
        try {
            final InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec()
                                                                        .getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                return Optional.empty();
            }
            String how = "exited with code " + state.getExitCodeLong();
            if (Boolean.TRUE.equals(state.getOOMKilled())) {
                how += " (killed: out of memory)";
            }
            return Optional.of(how);
        } catch (NotFoundException e) {
            return Optional.of("was removed");
        }
    }

    @Override
    public String outputLocation() {
        return output.logFile() + " (docker logs " + spec.name() + ')';
    }

}
