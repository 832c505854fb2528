package io.chimera.runtime.swarm;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;

import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.docker.internal.FollowedWorker;
import io.chimera.runtime.docker.internal.LogLines;
import io.chimera.runtime.internal.WorkerOutput;

/**
 * One worker as a Docker Swarm service with one replica: where its task runs, whether it runs, and its
 * output. The master reaches it on the address of the node its task runs on and its published port.
 */
final class ServiceWorker extends FollowedWorker {

    private final String serviceId;
    private volatile String host = WorkerEndpoint.HOST;

    protected ServiceWorker(DockerClient docker, WorkerSpec spec, String serviceId, WorkerOutput output) {
        super(docker, spec, output);
        this.serviceId = serviceId;
    }

    protected String serviceId() {
        return serviceId;
    }

    /** The address of the node the running task is on ({@code 127.0.0.1} until one runs). */
    protected String host() {
        return host;
    }

    @Override
    public String baseUrl() {
        return endpoint().baseUrl();
    }

    /** Follows the service's output from now on (overwriting the log file, or appending when {@code append}). */
    protected synchronized void followLogs(boolean append) throws IOException {
        output.open(append);
        follow(docker.logServiceCmd(serviceId).withFollow(true).withStdout(true).withStderr(true)
                          .withSince((int) (System.currentTimeMillis() / 1000 - 1))
                          .exec(new LogLines(output)));
    }

    @Override
    public WorkerEndpoint endpoint() {
        return WorkerEndpoint.ofRemote(spec.name(), host, spec.mappedPort(), serviceId);
    }

    /** Returns whether a task of the service runs now, and remembers its node's address. */
    @Override
    public boolean isRunning() {
        final Optional<Task> running = tasks().stream().filter(t -> t.getStatus() != null &&
                                                                    t.getStatus().getState() == TaskState.RUNNING)
                                              .findFirst();
        running.ifPresent(t -> host = nodeAddress(t.getNodeId()));
        return running.isPresent();
    }

    /**
     * Empty while a task runs or is on its way; else how the latest task ended, e.g. a rejected task because
     * its image is missing on the node.
     */
    @Override
    public Optional<String> ended() {
        final List<Task> tasks = tasks();
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        if (isRunning()) {
            return Optional.empty();
        }
        final Task latest = tasks.stream().max(Comparator.comparing(t -> String.valueOf(t.getCreatedAt()))).get();
        final TaskState state = latest.getStatus() == null ? null : latest.getStatus().getState();
        if (state == TaskState.FAILED || state == TaskState.REJECTED) {
            final String err = latest.getStatus().getErr();
            return Optional.of("had its task " + state.getValue() + (err != null ? " (" + err + ')' : ""));
        }
        return Optional.empty();
    }

    @Override
    public String outputLocation() {
        return output.logFile() + " (docker service logs " + spec.name() + ')';
    }

    private List<Task> tasks() {
        try {
            return docker.listTasksCmd().withServiceFilter(spec.name()).exec().stream()
                         .filter(t -> serviceId.equals(t.getServiceId())).collect(java.util.stream.Collectors.toList());
        } catch (NotFoundException e) {
            return List.of();
        }
    }

    private String nodeAddress(String nodeId) {
        if (nodeId == null) {
            return host;
        }
        try {
            final SwarmNode node = docker.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec().stream()
                                         .findFirst().orElse(null);
            final String address = node == null || node.getStatus() == null ? null : node.getStatus().getAddress();
            return address == null || address.isBlank() || "0.0.0.0".equals(address) ? WorkerEndpoint.HOST : address;
        } catch (RuntimeException e) {
            return host;
        }
    }
}
