package io.chimera.server.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;

/**
 * One worker as a Docker container: follows its output into a {@link WorkerOutput} and tells whether it
 * still runs. Only ever touches the container it was given.
 */
final class ContainerWorker implements StartingWorker {

    private final DockerClient docker;
    private final WorkerSpec spec;
    private final String containerId;
    private final String ip;
    private final WorkerOutput output;
    /** Guarded by {@code this}. */
    private Closeable logStream;

    ContainerWorker(DockerClient docker, WorkerSpec spec, String containerId, String ip, WorkerOutput output) {
        this.docker = docker;
        this.spec = spec;
        this.containerId = containerId;
        this.ip = ip;
        this.output = output;
    }

    @Override
    public WorkerSpec spec() {
        return spec;
    }

    String containerId() {
        return containerId;
    }

    String ip() {
        return ip;
    }

    /**
     * Starts the container and follows its output from now on: to the log file (overwritten, or appended to
     * when {@code append}), the status log and the tail.
     */
    synchronized void start(boolean append) throws IOException {
        output.open(append);
        docker.startContainerCmd(containerId).exec();
        final long since = System.currentTimeMillis() / 1000 - 1;
        logStream = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                          .withSince((int) since)
                          .exec(new Lines());
    }

    /** Returns whether the container runs. */
    boolean isRunning() {
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
    public List<String> tail() {
        return output.tail();
    }

    @Override
    public String outputLocation() {
        return output.logFile() + " (docker logs " + spec.name() + ')';
    }

    /** Stops following the output. */
    synchronized void closeLogs() {
        if (logStream != null) {
            try {
                logStream.close();
            } catch (IOException ignored) {
                // The stream ends with the container anyway.
            }
            logStream = null;
        }
        output.close();
    }

    /** Splits the frames of the log stream into lines. */
    private final class Lines extends ResultCallback.Adapter<Frame> {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onNext(Frame frame) {
            final String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
            synchronized (partial) {
                partial.append(text);
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    String line = partial.substring(0, newline);
                    if (line.endsWith("\r")) {
                        line = line.substring(0, line.length() - 1);
                    }
                    output.line(line);
                    partial.delete(0, newline + 1);
                }
            }
        }

        @Override
        public void onComplete() {
            synchronized (partial) {
                if (partial.length() > 0) {
                    output.line(partial.toString());
                    partial.setLength(0);
                }
            }
            super.onComplete();
        }
    }
}
